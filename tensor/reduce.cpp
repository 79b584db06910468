// Reductions over any set of axes: sum, mean, max, argmax, logsumexp.
//
// The input is walked once in its own order while each element is folded into an
// accumulator for its output position. The accumulator is viewed with the input's shape
// and stride 0 along the reduced axes, so strided_loop hands over runs of two kinds:
// along a reduced axis (many inputs, one accumulator) and along a kept axis (inputs and
// accumulators side by side) — both simple loops. Sums accumulate in double: the mean of
// 47 million pixels is then exact to about 1e-9 relative, where a float running sum
// would stop growing once it reaches 2^24 times the pixel size.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "tensor/axes.hpp"
#include "tensor/map.hpp"
#include "tensor/ops.hpp"

namespace ae::tensor {

namespace {

struct Reduction {
  std::vector<bool> reduced;  // per input axis
  Shape kept_shape;           // the output with reduced axes kept as size 1
  Shape out_shape;            // the output as returned (keepdim or not)
  Strides acc_strides;        // the accumulator seen with the input's shape
  int64_t count = 1;          // inputs per output
};

Reduction plan(const Tensor& x, const Axes& axes, bool keepdim, const char* op) {
  detail::require_defined(x, op);
  Reduction r;
  r.reduced = reduced_axes(axes, x.shape(), op);
  for (std::size_t d = 0; d < x.shape().size(); ++d) {
    if (r.reduced[d]) {
      r.kept_shape.push_back(1);
      r.count *= x.shape()[d];
      if (keepdim) r.out_shape.push_back(1);
    } else {
      r.kept_shape.push_back(x.shape()[d]);
      r.out_shape.push_back(x.shape()[d]);
    }
  }
  r.acc_strides = contiguous_strides(r.kept_shape);
  for (std::size_t d = 0; d < r.reduced.size(); ++d)
    if (r.reduced[d]) r.acc_strides[d] = 0;
  return r;
}

// Sum of the inputs for each output, in double.
std::vector<double> sum_in_double(const Tensor& x, const Reduction& r) {
  std::vector<double> acc(static_cast<std::size_t>(numel_of(r.kept_shape)), 0.0);
  const float* in = x.storage()->data();
  double* out = acc.data();
  detail::strided_loop<2>(
      x.shape(), {&x.strides(), &r.acc_strides}, {x.offset(), 0},
      [&](const auto& off, int64_t n, const auto& step) {
        const float* p = in + off[0];
        double* a = out + off[1];
        if (step[1] == 0) {
          double s = 0.0;
          if (step[0] == 1) {
#pragma omp simd reduction(+ : s)
            for (int64_t i = 0; i < n; ++i) s += p[i];
          } else {
            for (int64_t i = 0; i < n; ++i) s += p[i * step[0]];
          }
          *a += s;
        } else if (step[0] == 1 && step[1] == 1) {
#pragma omp simd
          for (int64_t i = 0; i < n; ++i) a[i] += p[i];
        } else {
          for (int64_t i = 0; i < n; ++i) a[i * step[1]] += p[i * step[0]];
        }
      });
  return acc;
}

Tensor from_double(const std::vector<double>& acc, const Shape& shape, double scale) {
  Tensor out = empty(shape);
  float* o = out.data();
  for (std::size_t i = 0; i < acc.size(); ++i) o[i] = static_cast<float>(acc[i] * scale);
  return out;
}

// sum_rows: acc[j] += row[j] for each row in turn. The plain loop is the specification; the
// same loop is compiled for AVX2 and AVX-512 (the float -> double conversions vectorise too)
// and picked by linalg::simd_level(), as tensor/map.hpp does for the element-wise ops.
// Every level adds the same numbers in the same order, so the results agree bit for bit.
[[gnu::always_inline]] inline void add_rows_loop(const float* x, int64_t rows, int64_t cols,
                                                 double* acc) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = x + r * cols;
#pragma omp simd
    for (int64_t j = 0; j < cols; ++j) acc[j] += row[j];
  }
}

#ifdef AE_TENSOR_X86_KERNELS
[[gnu::target("avx2,fma")]] void add_rows_avx2(const float* x, int64_t rows, int64_t cols,
                                               double* acc) {
  add_rows_loop(x, rows, cols, acc);
}
[[gnu::target("avx512f")]] void add_rows_avx512(const float* x, int64_t rows, int64_t cols,
                                                double* acc) {
  add_rows_loop(x, rows, cols, acc);
}
#endif

void add_rows(const float* x, int64_t rows, int64_t cols, double* acc) {
  switch (linalg::simd_level()) {
#ifdef AE_TENSOR_X86_KERNELS
    case linalg::SimdLevel::Avx512:
      add_rows_avx512(x, rows, cols, acc);
      return;
    case linalg::SimdLevel::Avx2:
      add_rows_avx2(x, rows, cols, acc);
      return;
#endif
    default:
      add_rows_loop(x, rows, cols, acc);
  }
}

std::string empty_reduction(const char* op, const Tensor& x) {
  return std::string(op) + ": cannot reduce over an empty axis of shape " + to_string(x.shape());
}

}  // namespace

Tensor sum(const Tensor& x, const Axes& axes, bool keepdim) {
  const Reduction r = plan(x, axes, keepdim, "sum");
  return from_double(sum_in_double(x, r), r.out_shape, 1.0);
}

Tensor sum_rows(const Tensor& x) {
  detail::require_defined(x, "sum_rows");
  if (x.dim() != 2)
    throw Error("sum_rows: expects a 2-D (rows, columns) tensor, got shape " +
                to_string(x.shape()));
  // A row-major layout with rows of stride cols (a contiguous matrix) is one flat pass;
  // anything else (a transposed view) takes the general reduction.
  if (!x.is_contiguous()) return sum(x, {0});
  const int64_t rows = x.shape()[0], cols = x.shape()[1];
  std::vector<double> acc(static_cast<std::size_t>(cols), 0.0);
  add_rows(x.data(), rows, cols, acc.data());
  return from_double(acc, {cols}, 1.0);
}

Tensor mean(const Tensor& x, const Axes& axes, bool keepdim) {
  const Reduction r = plan(x, axes, keepdim, "mean");
  if (r.count == 0 && numel_of(r.kept_shape) > 0) throw Error(empty_reduction("mean", x));
  return from_double(sum_in_double(x, r), r.out_shape, 1.0 / static_cast<double>(r.count));
}

Tensor max(const Tensor& x, const Axes& axes, bool keepdim) {
  const Reduction r = plan(x, axes, keepdim, "max");
  if (r.count == 0 && numel_of(r.kept_shape) > 0)
    throw Error(empty_reduction("max", x));
  Tensor out = full(r.out_shape, -std::numeric_limits<float>::infinity());
  const float* in = x.storage()->data();
  float* o = out.data();
  // NaN wins: once the running maximum is NaN, v > NaN is false and it stays NaN.
  auto fold = [](float m, float v) { return (v > m || v != v) ? v : m; };
  detail::strided_loop<2>(
      x.shape(), {&x.strides(), &r.acc_strides}, {x.offset(), 0},
      [&](const auto& off, int64_t n, const auto& step) {
        const float* p = in + off[0];
        float* a = o + off[1];
        if (step[1] == 0 && step[0] == 1) {
          // Vector lanes keep their own maxima; a NaN anywhere is flagged separately
          // because a lane-wise max may drop it.
          float m = -std::numeric_limits<float>::infinity();
          int nan_seen = 0;
#pragma omp simd reduction(max : m) reduction(| : nan_seen)
          for (int64_t i = 0; i < n; ++i) {
            m = p[i] > m ? p[i] : m;
            nan_seen |= p[i] != p[i];
          }
          *a = nan_seen ? std::numeric_limits<float>::quiet_NaN() : fold(*a, m);
        } else if (step[1] == 0) {
          float m = *a;
          for (int64_t i = 0; i < n; ++i) m = fold(m, p[i * step[0]]);
          *a = m;
        } else if (step[0] == 1 && step[1] == 1) {
#pragma omp simd
          for (int64_t i = 0; i < n; ++i) a[i] = fold(a[i], p[i]);
        } else {
          for (int64_t i = 0; i < n; ++i) a[i * step[1]] = fold(a[i * step[1]], p[i * step[0]]);
        }
      });
  return out;
}

Tensor argmax(const Tensor& x, int64_t axis, bool keepdim) {
  detail::require_defined(x, "argmax");
  const int64_t a = normalize_axis(axis, x.shape(), "argmax");
  const int64_t size = x.shape()[a];
  const int64_t stride = x.strides()[a];
  Shape rest = x.shape();
  Strides rest_strides = x.strides();
  rest.erase(rest.begin() + a);
  rest_strides.erase(rest_strides.begin() + a);
  if (size == 0 && numel_of(rest) > 0) throw Error(empty_reduction("argmax", x));
  Tensor out = empty(rest);
  const float* in = x.storage()->data();
  float* o = out.data();
  detail::strided_loop<2>(rest, {&rest_strides, &out.strides()}, {x.offset(), 0},
                          [&](const auto& off, int64_t n, const auto& step) {
                            for (int64_t i = 0; i < n; ++i) {
                              const float* p = in + off[0] + i * step[0];
                              int64_t best = 0;
                              float m = p[0];
                              // The first maximum wins; the first NaN counts as the maximum.
                              for (int64_t k = 1; k < size && m == m; ++k) {
                                const float v = p[k * stride];
                                if (v > m || v != v) {
                                  m = v;
                                  best = k;
                                }
                              }
                              o[off[1] + i * step[1]] = static_cast<float>(best);
                            }
                          });
  return keepdim ? out.unsqueeze(a) : out;
}

// logsumexp(x) = m + log(sum(exp(x - m))) with m the maximum: every exponent is <= 0, so
// nothing overflows and the largest term is exactly 1. An infinite m is replaced by 0 so
// that all -inf gives -inf (log 0) and any +inf gives +inf, without inf - inf = NaN.
Tensor logsumexp(const Tensor& x, const Axes& axes, bool keepdim) {
  const Reduction r = plan(x, axes, keepdim, "logsumexp");
  const Tensor m = detail::map_unary(max(x, axes, /*keepdim=*/true), "logsumexp",
                                     [](float v) { return std::isinf(v) ? 0.0f : v; });
  const Tensor shifted_sum = sum(exp(sub(x, m)), axes, /*keepdim=*/true);
  return add(log(shifted_sum), m).reshape(r.out_shape);
}

}  // namespace ae::tensor
