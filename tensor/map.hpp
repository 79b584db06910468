#pragma once
// map_unary / map_binary — the element-wise kernels, written once for every op.
//
// Each has a contiguous fast path (one flat loop the compiler vectorises) and a general
// strided path over detail::strided_loop. For binary ops the strided path still picks a
// flat loop for each run where both operands step by 1, or where one of them is a broadcast
// value (step 0): that covers a scalar operand and the bias add (m, n) + (n).
#include <string>

#include "tensor/ops.hpp"
#include "tensor/strided_loop.hpp"

namespace ae::tensor::detail {

inline void require_defined(const Tensor& t, const char* op) {
  if (!t.defined()) throw Error(std::string(op) + ": the tensor is undefined (no storage)");
}

/// out[i] = op(x[i]); a new contiguous tensor.
template <class Op>
Tensor map_unary(const Tensor& x, const char* name, Op op) {
  require_defined(x, name);
  Tensor out = empty(x.shape());
  float* o = out.data();
  if (x.is_contiguous()) {
    const float* p = x.data();
    const int64_t n = x.numel();
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) o[i] = op(p[i]);
    return out;
  }
  const float* base = x.storage()->data();
  strided_loop<2>(x.shape(), {&out.strides(), &x.strides()}, {0, x.offset()},
                  [&](const auto& off, int64_t n, const auto& step) {
                    float* d = o + off[0];
                    const float* s = base + off[1];
                    for (int64_t i = 0; i < n; ++i) d[i * step[0]] = op(s[i * step[1]]);
                  });
  return out;
}

/// out[i] = op(a[i], b[i]) with a and b broadcast together; a new contiguous tensor.
template <class Op>
Tensor map_binary(const Tensor& a, const Tensor& b, const char* name, Op op) {
  require_defined(a, name);
  require_defined(b, name);
  const Shape shape = broadcast_shapes(a.shape(), b.shape(), name);
  Tensor out = empty(shape);
  float* o = out.data();
  if (a.shape() == b.shape() && a.is_contiguous() && b.is_contiguous()) {
    const float* x = a.data();
    const float* y = b.data();
    const int64_t n = out.numel();
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) o[i] = op(x[i], y[i]);
    return out;
  }
  const Tensor ea = a.expand(shape), eb = b.expand(shape);
  const float* abase = a.storage()->data();
  const float* bbase = b.storage()->data();
  strided_loop<3>(shape, {&out.strides(), &ea.strides(), &eb.strides()},
                  {0, ea.offset(), eb.offset()},
                  [&](const auto& off, int64_t n, const auto& step) {
                    float* d = o + off[0];
                    const float* x = abase + off[1];
                    const float* y = bbase + off[2];
                    if (step[0] == 1 && step[1] == 1 && step[2] == 1) {
#pragma omp simd
                      for (int64_t i = 0; i < n; ++i) d[i] = op(x[i], y[i]);
                    } else if (step[0] == 1 && step[1] == 1 && step[2] == 0) {
                      const float yv = *y;
#pragma omp simd
                      for (int64_t i = 0; i < n; ++i) d[i] = op(x[i], yv);
                    } else if (step[0] == 1 && step[1] == 0 && step[2] == 1) {
                      const float xv = *x;
#pragma omp simd
                      for (int64_t i = 0; i < n; ++i) d[i] = op(xv, y[i]);
                    } else {
                      for (int64_t i = 0; i < n; ++i)
                        d[i * step[0]] = op(x[i * step[1]], y[i * step[2]]);
                    }
                  });
  return out;
}

}  // namespace ae::tensor::detail
