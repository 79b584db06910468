// Element-wise math: binary ops with broadcasting, unary ops, where, and the operators.
// Every op is one line of math handed to map_unary / map_binary (tensor/map.hpp).

// Lets the selects in exp / sigmoid / relu / clamp become vector blends (see fast_exp.hpp).
#pragma GCC optimize("no-trapping-math")
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "tensor/fast_exp.hpp"
#include "tensor/map.hpp"
#include "tensor/ops.hpp"

namespace ae::tensor {

using detail::map_binary;
using detail::map_unary;

// ---- binary ----

Tensor add(const Tensor& a, const Tensor& b) {
  return map_binary(a, b, "add", [](float x, float y) { return x + y; });
}
Tensor sub(const Tensor& a, const Tensor& b) {
  return map_binary(a, b, "sub", [](float x, float y) { return x - y; });
}
Tensor mul(const Tensor& a, const Tensor& b) {
  return map_binary(a, b, "mul", [](float x, float y) { return x * y; });
}
Tensor div(const Tensor& a, const Tensor& b) {
  return map_binary(a, b, "div", [](float x, float y) { return x / y; });
}
Tensor pow(const Tensor& a, const Tensor& b) {
  return map_binary(a, b, "pow", [](float x, float y) { return std::pow(x, y); });
}

Tensor pow(const Tensor& a, float exponent) {
  // Squares and square roots are the common cases (losses, norms); exact and fast.
  if (exponent == 2.0f) return map_unary(a, "pow", [](float x) { return x * x; });
  if (exponent == 1.0f) return map_unary(a, "pow", [](float x) { return x; });
  if (exponent == 0.5f) return map_unary(a, "pow", [](float x) { return std::sqrt(x); });
  return map_unary(a, "pow", [exponent](float x) { return std::pow(x, exponent); });
}

// NaN wins, as in NumPy and PyTorch: a comparison with NaN is false, so test it first.
Tensor maximum(const Tensor& a, const Tensor& b) {
  return map_binary(a, b, "maximum",
                    [](float x, float y) { return (x != x || x > y) ? x : y; });
}
Tensor minimum(const Tensor& a, const Tensor& b) {
  return map_binary(a, b, "minimum",
                    [](float x, float y) { return (x != x || x < y) ? x : y; });
}

Tensor eq(const Tensor& a, const Tensor& b) {
  return map_binary(a, b, "eq", [](float x, float y) { return x == y ? 1.0f : 0.0f; });
}
Tensor ne(const Tensor& a, const Tensor& b) {
  return map_binary(a, b, "ne", [](float x, float y) { return x != y ? 1.0f : 0.0f; });
}
Tensor lt(const Tensor& a, const Tensor& b) {
  return map_binary(a, b, "lt", [](float x, float y) { return x < y ? 1.0f : 0.0f; });
}
Tensor le(const Tensor& a, const Tensor& b) {
  return map_binary(a, b, "le", [](float x, float y) { return x <= y ? 1.0f : 0.0f; });
}
Tensor gt(const Tensor& a, const Tensor& b) {
  return map_binary(a, b, "gt", [](float x, float y) { return x > y ? 1.0f : 0.0f; });
}
Tensor ge(const Tensor& a, const Tensor& b) {
  return map_binary(a, b, "ge", [](float x, float y) { return x >= y ? 1.0f : 0.0f; });
}

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
  detail::require_defined(cond, "where");
  detail::require_defined(a, "where");
  detail::require_defined(b, "where");
  Shape shape;
  try {
    shape = broadcast_shapes(broadcast_shapes(cond.shape(), a.shape(), "where"), b.shape(),
                             "where");
  } catch (const Error&) {
    throw Error("where: shapes " + to_string(cond.shape()) + " (condition), " +
                to_string(a.shape()) + " and " + to_string(b.shape()) + " cannot be broadcast");
  }
  Tensor out = empty(shape);
  const Tensor c = cond.expand(shape), x = a.expand(shape), y = b.expand(shape);
  float* o = out.data();
  const float* cb = c.storage()->data();
  const float* xb = x.storage()->data();
  const float* yb = y.storage()->data();
  detail::strided_loop<4>(shape, {&out.strides(), &c.strides(), &x.strides(), &y.strides()},
                          {0, c.offset(), x.offset(), y.offset()},
                          [&](const auto& off, int64_t n, const auto& step) {
                            for (int64_t i = 0; i < n; ++i)
                              o[off[0] + i * step[0]] = cb[off[1] + i * step[1]] != 0.0f
                                                            ? xb[off[2] + i * step[2]]
                                                            : yb[off[3] + i * step[3]];
                          });
  return out;
}

// ---- unary ----

Tensor neg(const Tensor& x) {
  return map_unary(x, "neg", [](float v) { return -v; });
}
Tensor exp(const Tensor& x) {
  return map_unary(x, "exp", [](float v) { return detail::exp_vectorizable(v); });
}
Tensor log(const Tensor& x) {
  return map_unary(x, "log", [](float v) { return std::log(v); });
}
Tensor sqrt(const Tensor& x) {
  return map_unary(x, "sqrt", [](float v) { return std::sqrt(v); });
}
Tensor abs(const Tensor& x) {
  return map_unary(x, "abs", [](float v) { return std::fabs(v); });
}
Tensor sign(const Tensor& x) {
  return map_unary(x, "sign", [](float v) { return float((v > 0.0f) - (v < 0.0f)); });
}

Tensor clamp(const Tensor& x, float low, float high) {
  if (low > high)
    throw Error("clamp: low " + std::to_string(low) + " is greater than high " +
                std::to_string(high) + " (shape " + to_string(x.shape()) + ")");
  // NaN stays NaN: both comparisons are false.
  return map_unary(x, "clamp",
                   [low, high](float v) { return v < low ? low : (v > high ? high : v); });
}

// sigmoid(x) = 1 / (1 + e^-x) for x >= 0, and e^x / (1 + e^x) for x < 0: the exponent is
// never positive, so nothing overflows and the tails keep their precision.
Tensor sigmoid(const Tensor& x) {
  return map_unary(x, "sigmoid", [](float v) {
    const float e = detail::exp_vectorizable(-std::fabs(v));  // e^-|x| in (0, 1]
    const float s = 1.0f / (1.0f + e);
    return v >= 0.0f ? s : e * s;
  });
}

Tensor tanh(const Tensor& x) {
  return map_unary(x, "tanh", [](float v) { return std::tanh(v); });
}

Tensor relu(const Tensor& x) {
  // v < 0 is false for NaN, so NaN passes through.
  return map_unary(x, "relu", [](float v) { return v < 0.0f ? 0.0f : v; });
}

// The activations' gradients in one pass each: the float operations of the unfused rules in
// autograd/elementwise.cpp, in the same order (up to FMA contraction, see map.hpp).
Tensor sigmoid_backward(const Tensor& grad, const Tensor& out) {
  return map_binary(grad, out, "sigmoid_backward",
                    [](float g, float s) { return g * (s * (1.0f - s)); });
}
Tensor tanh_backward(const Tensor& grad, const Tensor& out) {
  return map_binary(grad, out, "tanh_backward",
                    [](float g, float t) { return g * (1.0f - t * t); });
}
Tensor relu_backward(const Tensor& grad, const Tensor& x) {
  return map_binary(grad, x, "relu_backward",
                    [](float g, float v) { return g * (v > 0.0f ? 1.0f : 0.0f); });
}

// softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|): e^-|x| <= 1 never overflows.
Tensor softplus(const Tensor& x) {
  return map_unary(x, "softplus", [](float v) {
    return std::max(v, 0.0f) + std::log1p(std::exp(-std::fabs(v)));
  });
}

// ---- comparisons for tests ----

bool allclose(const Tensor& a, const Tensor& b, float rtol, float atol) {
  detail::require_defined(a, "allclose");
  detail::require_defined(b, "allclose");
  if (a.shape() != b.shape()) return false;
  const std::vector<float> x = a.to_vector(), y = b.to_vector();
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i] == y[i]) continue;  // equal infinities
    if (!(std::fabs(x[i] - y[i]) <= atol + rtol * std::fabs(y[i]))) return false;
  }
  return true;
}

}  // namespace ae::tensor

namespace ae {

Tensor operator+(const Tensor& a, const Tensor& b) { return tensor::add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return tensor::sub(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return tensor::mul(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return tensor::div(a, b); }
Tensor operator-(const Tensor& x) { return tensor::neg(x); }

using tensor::detail::map_unary;

Tensor operator+(const Tensor& a, float s) {
  return map_unary(a, "add", [s](float x) { return x + s; });
}
Tensor operator-(const Tensor& a, float s) {
  return map_unary(a, "sub", [s](float x) { return x - s; });
}
Tensor operator*(const Tensor& a, float s) {
  return map_unary(a, "mul", [s](float x) { return x * s; });
}
Tensor operator/(const Tensor& a, float s) {
  return map_unary(a, "div", [s](float x) { return x / s; });
}
Tensor operator+(float s, const Tensor& a) {
  return map_unary(a, "add", [s](float x) { return s + x; });
}
Tensor operator-(float s, const Tensor& a) {
  return map_unary(a, "sub", [s](float x) { return s - x; });
}
Tensor operator*(float s, const Tensor& a) {
  return map_unary(a, "mul", [s](float x) { return s * x; });
}
Tensor operator/(float s, const Tensor& a) {
  return map_unary(a, "div", [s](float x) { return s / x; });
}

}  // namespace ae
