#include "nn/layers.hpp"

#include <fmt/format.h>

#include <cmath>
#include <utility>

#include "autograd/ops.hpp"
#include "linalg/error.hpp"
#include "tensor/ops.hpp"

namespace ae::nn {

// ---- Linear ----

Linear::Linear(int64_t in_features, int64_t out_features, Generator& gen, Init init, bool with_bias)
    : in_(in_features), out_(out_features) {
  if (in_features <= 0 || out_features <= 0)
    throw Error(fmt::format("Linear: sizes must be positive, got in = {}, out = {}", in_features,
                            out_features));
  Tensor w = tensor::empty({out_features, in_features});
  Tensor b = with_bias ? tensor::empty({out_features}) : Tensor();
  init_layer_(w, with_bias ? &b : nullptr, init, gen);
  weight = register_parameter("weight", w);
  if (with_bias) bias = register_parameter("bias", b);
}

Variable Linear::forward(const Variable& x) {
  if (x.dim() != 2 || x.shape()[1] != in_)
    throw Error(fmt::format("{}: expects input of shape [batch, {}], got {}", describe(), in_,
                            ae::to_string(x.shape())));
  return ae::linear(x, weight, bias);
}

std::string Linear::describe() const {
  return fmt::format("Linear({} -> {}{})", in_, out_, bias.defined() ? "" : ", no bias");
}

// ---- activations ----

Variable ReLU::forward(const Variable& x) { return ae::relu(x); }
Variable Sigmoid::forward(const Variable& x) { return ae::sigmoid(x); }
Variable Tanh::forward(const Variable& x) { return ae::tanh(x); }
Variable Softplus::forward(const Variable& x) { return ae::softplus(x); }

// ---- shapes ----

Flatten::Flatten(int64_t start_dim, int64_t end_dim) : start_(start_dim), end_(end_dim) {}

Variable Flatten::forward(const Variable& x) {
  const int64_t rank = x.dim();
  const int64_t start = start_ < 0 ? start_ + rank : start_;
  const int64_t end = end_ < 0 ? end_ + rank : end_;
  if (start < 0 || start >= rank || end < 0 || end >= rank || end < start)
    throw Error(fmt::format("{}: the axes do not fit an input of shape {}", describe(),
                            ae::to_string(x.shape())));
  const Shape& in = x.shape();
  Shape out(in.begin(), in.begin() + start);
  int64_t merged = 1;
  for (int64_t i = start; i <= end; ++i) merged *= in[static_cast<std::size_t>(i)];
  out.push_back(merged);
  out.insert(out.end(), in.begin() + end + 1, in.end());
  return ae::reshape(x, out);
}

std::string Flatten::describe() const {
  return fmt::format("Flatten(start_dim = {}, end_dim = {})", start_, end_);
}

Unflatten::Unflatten(int64_t dim, std::vector<int64_t> sizes)
    : dim_(dim), sizes_(std::move(sizes)) {
  if (sizes_.empty())
    throw Error(fmt::format("Unflatten(dim = {}): needs at least one size", dim_));
  int64_t inferred = 0;
  for (int64_t s : sizes_) {
    if (s == -1) ++inferred;
    else if (s < 1)
      throw Error(fmt::format("{}: sizes must be positive (or one -1), got {}", describe(), s));
  }
  if (inferred > 1) throw Error(fmt::format("{}: at most one size may be -1", describe()));
}

Variable Unflatten::forward(const Variable& x) {
  const int64_t rank = x.dim();
  const int64_t dim = dim_ < 0 ? dim_ + rank : dim_;
  if (dim < 0 || dim >= rank)
    throw Error(fmt::format("{}: no axis {} in an input of shape {}", describe(), dim_,
                            ae::to_string(x.shape())));
  const Shape& in = x.shape();
  const int64_t size = in[static_cast<std::size_t>(dim)];
  int64_t known = 1;
  for (int64_t s : sizes_)
    if (s != -1) known *= s;
  std::vector<int64_t> sizes = sizes_;
  for (int64_t& s : sizes)
    if (s == -1) s = known > 0 && size % known == 0 ? size / known : -1;
  int64_t product = 1;
  for (int64_t s : sizes) product *= s;
  if (product != size)
    throw Error(fmt::format("{}: axis {} of the input of shape {} has size {}, not a product "
                            "of the sizes",
                            describe(), dim, ae::to_string(in), size));
  Shape out(in.begin(), in.begin() + dim);
  out.insert(out.end(), sizes.begin(), sizes.end());
  out.insert(out.end(), in.begin() + dim + 1, in.end());
  return ae::reshape(x, out);
}

std::string Unflatten::describe() const {
  std::string list;
  for (int64_t s : sizes_) list += fmt::format("{}{}", list.empty() ? "" : ", ", s);
  return fmt::format("Unflatten(dim = {}, sizes = ({}))", dim_, list);
}

// ---- layers that act only in training ----

namespace {

float check_probability(float p, const char* layer, const char* what) {
  if (!(p >= 0.0f && p <= 1.0f))
    throw Error(fmt::format("{}: {} must lie in [0, 1], got {}", layer, what, p));
  return p;
}

}  // namespace

Dropout::Dropout(float p, Generator& gen)
    : p_(check_probability(p, "Dropout", "p")), gen_(gen.split()) {}
Dropout::Dropout(float p, uint64_t seed) : p_(check_probability(p, "Dropout", "p")), gen_(seed) {}

Variable Dropout::forward(const Variable& x) {
  if (!is_training() || p_ == 0.0f) return x;
  // Keep with probability 1 - p and scale the kept by 1 / (1 - p); p = 1 keeps nothing.
  Tensor mask = tensor::bernoulli(x.shape(), 1.0f - p_, gen_);
  if (p_ < 1.0f) mask.mul_(1.0f / (1.0f - p_));
  return x * Variable(mask);
}

std::string Dropout::describe() const { return fmt::format("Dropout(p = {})", p_); }

}  // namespace ae::nn
