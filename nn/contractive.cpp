#include "nn/contractive.hpp"

#include <fmt/format.h>

#include <string>

#include "autograd/ops.hpp"
#include "linalg/error.hpp"
#include "tensor/ops.hpp"

namespace ae::nn {

namespace {

void check_rows(const Tensor& x, const char* who) {
  if (!x.defined() || x.dim() != 2 || x.shape()[0] < 1 || x.shape()[1] < 1)
    throw Error(fmt::format("{}: expects samples as rows (n x d, n, d >= 1), got {}", who,
                            x.defined() ? to_string(x.shape()) : std::string("an undefined tensor")));
}

// The code size k of the encoder, from one sample run without a graph.
int64_t code_size(const EncoderFn& encoder, const Tensor& x, const char* who) {
  GradModeGuard off(false);
  const Variable h = encoder(Variable(x.slice(0, 0, 1)));
  if (h.dim() != 2 || h.shape()[0] != 1)
    throw Error(fmt::format("{}: the encoder must map (n x d) to (n x k); one sample gave {}", who,
                            to_string(h.shape())));
  return h.shape()[1];
}

// copies x (n x d) `times` times: (times·n x d) when outer, row r·n + i = x_i; else
// (n·times x d), row i·times + r = x_i.
Tensor repeat_rows(const Tensor& x, int64_t times, bool outer) {
  const int64_t n = x.shape()[0], d = x.shape()[1];
  if (outer) return x.reshape({1, n, d}).expand({times, n, d}).contiguous().reshape({times * n, d});
  return x.contiguous().reshape({n, 1, d}).expand({n, times, d}).contiguous().reshape({n * times, d});
}

}  // namespace

Tensor rademacher(const Shape& shape, Generator& gen) {
  // b ∈ {0, 1} fair  ->  2b - 1 ∈ {-1, +1}
  return tensor::sub(tensor::mul(tensor::bernoulli(shape, 0.5f, gen), tensor::scalar(2.0f)), tensor::scalar(1.0f));
}

// ∂h_j/∂x_i = h_j (1 - h_j) W_ji   =>   Ω = Σ_j (h_j(1-h_j))² Σ_i W_ji²
Variable contraction_sigmoid(const Variable& h, const Variable& weight) {
  if (!h.defined() || !weight.defined() || h.dim() != 2 || weight.dim() != 2 || h.shape()[1] != weight.shape()[0])
    throw Error(fmt::format("contraction_sigmoid: codes h (n x k) and weight W (k x d) disagree: h {}, W {}",
                            h.defined() ? to_string(h.shape()) : "undefined",
                            weight.defined() ? to_string(weight.shape()) : "undefined"));
  const int64_t n = h.shape()[0], k = h.shape()[1];
  const Variable slope = h * (1.0f - h);                                      // σ'(a) = h (1 - h)
  const Variable row_norms = reshape(sum(square(weight), {1}), {k, 1});       // Σ_i W_ji²
  return reshape(matmul(square(slope), row_norms), {n});
}

Variable encoder_jacobian(const EncoderFn& encoder, const Tensor& x, bool create_graph) {
  check_rows(x, "encoder_jacobian");
  const int64_t n = x.shape()[0], d = x.shape()[1];
  const int64_t k = code_size(encoder, x, "encoder_jacobian");
  GradModeGuard on(true);
  // Copy j of sample i is seeded with e_j: its input gradient is row j of J(x_i).
  const Variable copies(repeat_rows(x, k, /*outer=*/false), /*requires_grad=*/true);
  const Variable h = encoder(copies);
  const Tensor seeds = tensor::eye(k).reshape({1, k, k}).expand({n, k, k}).contiguous().reshape({n * k, k});
  const Variable rows = grad({h}, {copies}, {seeds}, create_graph)[0];
  return reshape(rows, {n, k, d});
}

Variable contraction_exact(const EncoderFn& encoder, const Tensor& x, bool create_graph) {
  return sum(square(encoder_jacobian(encoder, x, create_graph)), {1, 2});
}

namespace {

// ||Jᵀ v_r||² for every probe r and sample i: (probes, n).
Variable probe_norms(const EncoderFn& encoder, const Tensor& x, int probes, Generator& gen, bool create_graph,
                     const char* who) {
  check_rows(x, who);
  if (probes < 1) throw Error(fmt::format("{}: needs at least one probe, got {}", who, probes));
  const int64_t n = x.shape()[0];
  const int64_t k = code_size(encoder, x, who);
  GradModeGuard on(true);
  const Variable copies(repeat_rows(x, probes, /*outer=*/true), /*requires_grad=*/true);
  const Variable h = encoder(copies);
  const Tensor v = rademacher({probes * n, k}, gen);
  const Variable jtv = grad({h}, {copies}, {v}, create_graph)[0];  // row r·n + i: J(x_i)ᵀ v_ri
  return reshape(sum(square(jtv), {1}), {probes, n});
}

}  // namespace

Variable contraction_hutchinson(const EncoderFn& encoder, const Tensor& x, int probes, Generator& gen,
                                bool create_graph) {
  return mean(probe_norms(encoder, x, probes, gen, create_graph, "contraction_hutchinson"), {0});
}

Tensor hutchinson_samples(const EncoderFn& encoder, const Tensor& x, int probes, Generator& gen) {
  return probe_norms(encoder, x, probes, gen, /*create_graph=*/false, "hutchinson_samples").value();
}

double hutchinson_variance(const Tensor& jacobian) {
  if (!jacobian.defined() || jacobian.dim() != 2)
    throw Error(fmt::format("hutchinson_variance: expects one Jacobian (k x d), got {}",
                            jacobian.defined() ? to_string(jacobian.shape()) : "undefined"));
  const Tensor gram = tensor::matmul(jacobian, jacobian.transpose(0, 1)).contiguous();  // J Jᵀ
  const int64_t k = gram.shape()[0];
  const float* g = gram.data();
  double off = 0;
  for (int64_t a = 0; a < k; ++a)
    for (int64_t b = 0; b < k; ++b)
      if (a != b) off += double(g[a * k + b]) * double(g[a * k + b]);
  return 2.0 * off;
}

}  // namespace ae::nn
