#include "nn/losses.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "autograd/ops.hpp"
#include "linalg/error.hpp"
#include "linalg/training_kernels.hpp"
#include "tensor/ops.hpp"

namespace ae::nn {

namespace {

void require_same_shape(const char* loss, const Variable& a, const Variable& b, const char* a_name,
                        const char* b_name) {
  if (a.shape() != b.shape())
    throw Error(fmt::format("{}: {} {} and {} {} must have the same shape", loss, a_name,
                            ae::to_string(a.shape()), b_name, ae::to_string(b.shape())));
}

Variable reduce(const Variable& per_element, Reduction r) {
  return r == Reduction::Mean ? ae::mean(per_element) : ae::sum(per_element);
}

// Rows of a (batch, ...) input, for the losses that average over the batch.
int64_t batch_rows(const char* loss, const Variable& x) {
  if (x.dim() < 1 || x.shape()[0] == 0)
    throw Error(fmt::format("{}: expects a non-empty batch (batch, ...), got {}", loss,
                            ae::to_string(x.shape())));
  return x.shape()[0];
}

}  // namespace

// ---- named terms ----

LossTerms::LossTerms(Variable loss) { add("loss", std::move(loss)); }

LossTerms::LossTerms(std::initializer_list<LossTerm> terms) {
  for (const LossTerm& t : terms) add(t.name, t.value);
}

LossTerms& LossTerms::add(std::string name, Variable value) {
  if (name.empty()) throw Error("LossTerms: a term needs a non-empty name");
  for (const LossTerm& t : terms_)
    if (t.name == name) throw Error(fmt::format("LossTerms: the term '{}' appears twice", name));
  if (!value.defined()) throw Error(fmt::format("LossTerms: the term '{}' is undefined", name));
  terms_.push_back({std::move(name), std::move(value)});
  return *this;
}

const Variable& LossTerms::operator[](std::string_view name) const {
  for (const LossTerm& t : terms_)
    if (t.name == name) return t.value;
  std::string names;
  for (const LossTerm& t : terms_) names += (names.empty() ? "" : ", ") + t.name;
  throw Error(fmt::format("LossTerms: no term '{}' (the terms are: {})", name, names));
}

Variable LossTerms::total() const {
  if (terms_.empty()) throw Error("LossTerms: the loss has no term");
  for (const LossTerm& t : terms_)
    if (t.value.numel() != 1)
      throw Error(fmt::format("LossTerms: the term '{}' must have one element, got shape {}",
                              t.name, ae::to_string(t.value.shape())));
  Variable sum = terms_[0].value;
  for (std::size_t i = 1; i < terms_.size(); ++i) sum = sum + terms_[i].value;
  return sum;
}

// ---- MSE as one fused op ----
//
// mse is the loss of every autoencoder chapter and of the benchmark, on batch x 784
// tensors, so it is one op with its own loops instead of sub, square and mean (five passes
// forward and back become two). The loops are linalg's squared-error kernels
// (linalg/training_kernels.hpp), vectorised for the CPU's SIMD level.

// mse:  L = s * sum (p - t)^2, s = 1/n (Mean) or 1 (Sum)
//       dL/dp = 2 s (p - t) G,   dL/dt = -dL/dp
Variable mse(const Variable& pred, const Variable& target, Reduction r) {
  require_same_shape("mse", pred, target, "pred", "target");
  const Tensor p = pred.value().contiguous(), t = target.value().contiguous();
  const int64_t n = p.numel();
  const double scale =
      r == Reduction::Mean ? 1.0 / static_cast<double>(std::max<int64_t>(n, 1)) : 1.0;
  const float value =
      static_cast<float>(scale * linalg::squared_error_sum(p.data(), t.data(), n));
  return record("mse", tensor::scalar(value), {pred, target}, [scale](const Backward& ctx) {
    const float two_s = static_cast<float>(2.0 * scale);
    if (grad_enabled()) {
      // Recording the backward pass (double backward): the same rule in differentiable ops.
      const Variable dp = (ctx.input(0) - ctx.input(1)) * (ctx.grad * two_s);
      return ctx.per_input([&] { return dp; }, [&] { return -dp; });
    }
    const Tensor a = ctx.input(0).value().contiguous(), b = ctx.input(1).value().contiguous();
    Tensor dp = tensor::empty(a.shape());
    linalg::scaled_difference(a.data(), b.data(), two_s * ctx.grad.item(), dp.data(),
                              a.numel());
    return ctx.per_input([&] { return dp; }, [&] { return tensor::neg(dp); });
  });
}

Variable bce(const Variable& prob, const Variable& target, Reduction r) {
  require_same_shape("bce", prob, target, "prob", "target");
  // log is taken of max(p, tiny) and max(1 - p, tiny) with tiny the smallest normal float
  // (log tiny = -87.3): saturated outputs give a large finite loss, and the clamp's
  // gradient is 0 where it bites, so no 0 * inf appears in the backward pass.
  constexpr float tiny = 1.17549435e-38f;
  const Variable log_p = ae::log(ae::clamp(prob, tiny, 1.0f));
  const Variable log_1mp = ae::log(ae::clamp(1.0f - prob, tiny, 1.0f));
  return reduce(-(target * log_p + (1.0f - target) * log_1mp), r);
}

Variable bce_with_logits(const Variable& logits, const Variable& target, Reduction r) {
  require_same_shape("bce_with_logits", logits, target, "logits", "target");
  return reduce(ae::softplus(logits) - target * logits, r);
}

Variable cross_entropy(const Variable& logits, const std::vector<int64_t>& labels, Reduction r) {
  if (logits.dim() != 2)
    throw Error("cross_entropy: expects logits of shape (batch, classes), got " +
                ae::to_string(logits.shape()));
  const int64_t rows = logits.shape()[0], classes = logits.shape()[1];
  if (static_cast<int64_t>(labels.size()) != rows)
    throw Error(fmt::format("cross_entropy: {} labels for logits of shape {}", labels.size(),
                            ae::to_string(logits.shape())));
  Tensor one_hot = tensor::zeros({rows, classes});
  float* oh = one_hot.data();
  for (int64_t i = 0; i < rows; ++i) {
    const int64_t y = labels[static_cast<std::size_t>(i)];
    if (y < 0 || y >= classes)
      throw Error(
          fmt::format("cross_entropy: label {} of row {} is outside [0, {})", y, i, classes));
    oh[i * classes + y] = 1.0f;
  }
  // -log softmax(x)[y] = logsumexp(x) - x[y]
  const Variable per_row = ae::logsumexp(logits, {1}) - ae::sum(logits * Variable(one_hot), {1});
  return reduce(per_row, r);
}

Variable cross_entropy(const Variable& logits, std::span<const int> labels, Reduction r) {
  return cross_entropy(logits, std::vector<int64_t>(labels.begin(), labels.end()), r);
}

Variable masked_mse(const Variable& pred, const Variable& target, const Tensor& mask, Reduction r) {
  require_same_shape("masked_mse", pred, target, "pred", "target");
  if (mask.shape() != pred.shape())
    throw Error(fmt::format("masked_mse: mask {} must have pred's shape {}",
                            ae::to_string(mask.shape()), ae::to_string(pred.shape())));
  const double observed = tensor::sum(tensor::ne(mask, tensor::scalar(0.0f))).item();
  if (observed == 0.0)
    throw Error("masked_mse: the mask of shape " + ae::to_string(mask.shape()) +
                " has no observed entry");
  // where(), not a product with the mask: a missing target may hold anything, even NaN.
  const Variable d = ae::where(mask, pred - target, Variable(tensor::scalar(0.0f)));
  const Variable total = ae::sum(d * d);
  return r == Reduction::Mean ? total * static_cast<float>(1.0 / observed) : total;
}

Variable l1_activity(const Variable& h) {
  const int64_t rows = batch_rows("l1_activity", h);
  return ae::sum(ae::abs(h)) * (1.0f / static_cast<float>(rows));
}

Variable mean_activation(const Variable& h) {
  batch_rows("mean_activation", h);
  return ae::mean(h, {0});
}

Variable kl_sparsity(float rho, const Variable& rho_hat) {
  if (!(rho > 0.0f && rho < 1.0f))
    throw Error(
        fmt::format("kl_sparsity: the target activation rho must lie in (0, 1), got {}", rho));
  const Variable q = ae::clamp(rho_hat, 1e-6f, 1.0f - 1e-6f);
  const float log_rho = std::log(rho), log_1mrho = std::log1p(-rho);
  return ae::sum(rho * (log_rho - ae::log(q)) + (1.0f - rho) * (log_1mrho - ae::log(1.0f - q)));
}

Variable gaussian_kl(const Variable& mu, const Variable& logvar, Reduction r) {
  require_same_shape("gaussian_kl", mu, logvar, "mu", "logvar");
  const int64_t rows = batch_rows("gaussian_kl", mu);
  const Variable total = -0.5f * ae::sum(1.0f + logvar - mu * mu - ae::exp(logvar));
  return r == Reduction::Mean ? total * (1.0f / static_cast<float>(rows)) : total;
}

}  // namespace ae::nn
