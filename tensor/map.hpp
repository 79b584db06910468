#pragma once
// map_unary / map_binary — the element-wise kernels, written once for every op.
//
// Each has a contiguous fast path and a general strided path over detail::strided_loop.
// For binary ops the strided path still picks a flat loop for each run where both operands
// step by 1, or where one of them is a broadcast value (step 0): that covers a scalar
// operand and the bias add (m, n) + (n).
//
// The contiguous path is one flat loop (unary_loop / binary_loop below: the readable
// specification) that the compiler vectorises for the instruction set of the function it is
// inlined into. The library is built for baseline x86-64 (SSE, 4 lanes), so the same loop is
// also instantiated inside functions compiled for AVX2 + FMA and for AVX-512, and
// linalg::simd_level() (linalg/simd.hpp, the one CPU dispatch of aelab) picks one per call.
// All three run the same float operations in the same order, except that the wider ones may
// contract a multiply and an add into one FMA (one rounding instead of two): a result may
// differ from the plain loop's in its last bits (tests/tensor/simd_dispatch_test.cpp).
// Above kParallelElements elements the loop is split across the OpenMP threads; below it,
// waking the workers costs more than the pass.
#include <omp.h>

#include <algorithm>
#include <string>

#include "linalg/simd.hpp"
#include "tensor/ops.hpp"
#include "tensor/strided_loop.hpp"

#if defined(__x86_64__) && defined(__GNUC__)
#define AE_TENSOR_X86_KERNELS 1
#endif

namespace ae::tensor::detail {

/// Element-wise passes with at least this many elements are split across OpenMP threads.
inline constexpr int64_t kParallelElements = int64_t{1} << 18;

// ---- the contiguous loops: specification, and the same loop per instruction set ----

template <class Op>
[[gnu::always_inline]] inline void unary_loop(const float* x, float* out, int64_t n, Op& op) {
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) out[i] = op(x[i]);
}

template <class Op>
[[gnu::always_inline]] inline void binary_loop(const float* x, const float* y, float* out,
                                               int64_t n, Op& op) {
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) out[i] = op(x[i], y[i]);
}

#ifdef AE_TENSOR_X86_KERNELS
template <class Op>
[[gnu::target("avx2,fma")]] void unary_loop_avx2(const float* x, float* out, int64_t n, Op& op) {
  unary_loop(x, out, n, op);
}
template <class Op>
[[gnu::target("avx512f")]] void unary_loop_avx512(const float* x, float* out, int64_t n, Op& op) {
  unary_loop(x, out, n, op);
}
template <class Op>
[[gnu::target("avx2,fma")]] void binary_loop_avx2(const float* x, const float* y, float* out,
                                                  int64_t n, Op& op) {
  binary_loop(x, y, out, n, op);
}
template <class Op>
[[gnu::target("avx512f")]] void binary_loop_avx512(const float* x, const float* y, float* out,
                                                   int64_t n, Op& op) {
  binary_loop(x, y, out, n, op);
}
#endif

/// out[i] = op(x[i]) for i < n with the loop of `level`.
template <class Op>
void unary_contiguous_with(linalg::SimdLevel level, const float* x, float* out, int64_t n, Op& op) {
  switch (level) {
#ifdef AE_TENSOR_X86_KERNELS
    case linalg::SimdLevel::Avx512:
      unary_loop_avx512(x, out, n, op);
      return;
    case linalg::SimdLevel::Avx2:
      unary_loop_avx2(x, out, n, op);
      return;
#endif
    default:
      unary_loop(x, out, n, op);
  }
}

/// out[i] = op(x[i], y[i]) for i < n with the loop of `level`.
template <class Op>
void binary_contiguous_with(linalg::SimdLevel level, const float* x, const float* y, float* out,
                            int64_t n, Op& op) {
  switch (level) {
#ifdef AE_TENSOR_X86_KERNELS
    case linalg::SimdLevel::Avx512:
      binary_loop_avx512(x, y, out, n, op);
      return;
    case linalg::SimdLevel::Avx2:
      binary_loop_avx2(x, y, out, n, op);
      return;
#endif
    default:
      binary_loop(x, y, out, n, op);
  }
}

/// Runs body(begin, end) over [0, n): on one thread below kParallelElements, else in one
/// contiguous share per OpenMP thread (each share a multiple of 16 elements, one cache line).
template <class Body>
void parallel_ranges(int64_t n, const Body& body) {
  const int threads = n >= kParallelElements && !omp_in_parallel() ? omp_get_max_threads() : 1;
  if (threads <= 1) {
    body(int64_t{0}, n);
    return;
  }
  const int64_t share = (n / threads + 15) / 16 * 16;
#pragma omp parallel num_threads(threads)
  {
    const int64_t begin = std::min(n, share * omp_get_thread_num());
    const int64_t end = omp_get_thread_num() == threads - 1 ? n : std::min(n, begin + share);
    if (begin < end) body(begin, end);
  }
}

/// The contiguous pass of map_unary: simd_level()'s loop, threaded above kParallelElements.
template <class Op>
void unary_contiguous(const float* x, float* out, int64_t n, Op& op) {
  const linalg::SimdLevel level = linalg::simd_level();
  parallel_ranges(n, [&](int64_t begin, int64_t end) {
    unary_contiguous_with(level, x + begin, out + begin, end - begin, op);
  });
}

/// The contiguous pass of map_binary.
template <class Op>
void binary_contiguous(const float* x, const float* y, float* out, int64_t n, Op& op) {
  const linalg::SimdLevel level = linalg::simd_level();
  parallel_ranges(n, [&](int64_t begin, int64_t end) {
    binary_contiguous_with(level, x + begin, y + begin, out + begin, end - begin, op);
  });
}

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
    unary_contiguous(x.data(), o, x.numel(), op);
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
    binary_contiguous(a.data(), b.data(), o, out.numel(), op);
    return out;
  }
  const linalg::SimdLevel level = linalg::simd_level();
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
                      binary_contiguous_with(level, x, y, d, n, op);
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
