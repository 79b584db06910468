#pragma once
// The element-wise float loops of the optimizer and the loss a training step spends its time
// in outside gemm: the Adam update of every parameter, and the two passes of the
// mean-squared-error loss. (The tensor ops' loops, activations and their gradients are
// dispatched the same way in tensor/map.hpp.)
//
// Each is a scalar specification plus AVX2 and AVX-512 versions, one picked per call from
// simd_level() (linalg/simd.hpp); the *_with forms name the level (tests compare them).
//
// Adam, per element:
//   p  = p * shrink                     (AdamW's decoupled decay; shrink = 1 for Adam)
//   g  = g + l2 * p                     (Adam's L2 decay; l2 = 0 for AdamW)
//   m  = beta1 * m + (1 - beta1) * g
//   v  = beta2 * v + (1 - beta2) * g * g
//   p  = p - step_size * m / (sqrt(v) * inv_sqrt_bias2 + eps)
// The square root and the division make the loop compute-bound, and the compiler will not
// vectorise std::sqrt (it must keep errno for negative inputs), so the plain loop runs one
// element at a time; the intrinsics versions handle 8 and 16 elements per instruction. They
// compute the moment updates with fused multiply-adds (one rounding instead of two), so
// their results may differ from the specification in the last bit.
//
// Squared error: sum_i (a_i - b_i)^2 and its gradient's loop scale * (a_i - b_i). These two
// the compiler vectorises well from the plain loop (an OpenMP simd reduction); the fast
// versions are that loop compiled for the wider instruction sets. The sum's float partial
// sums are added in a different order per level, so it may differ in the last bits; the
// scaled difference is exact at every level.
#include <cstdint>

#include "linalg/simd.hpp"

namespace ae::linalg {

struct AdamCoefficients {
  float beta1, beta2, eps;
  float step_size;       ///< lr / (1 - beta1^t)
  float inv_sqrt_bias2;  ///< 1 / sqrt(1 - beta2^t)
  float l2;              ///< weight decay folded into the gradient (Adam)
  float shrink;          ///< 1 - lr * weight decay (AdamW), else 1
};

/// Updates n elements of p, m and v in place from g.
void adam_update(float* p, const float* g, float* m, float* v, int64_t n,
                 const AdamCoefficients& c);
/// The same at a named level; throws ae::Error if this CPU lacks it.
void adam_update_with(SimdLevel level, float* p, const float* g, float* m, float* v, int64_t n,
                      const AdamCoefficients& c);

/// sum_i (a_i - b_i)^2 over n elements: float partial sums over blocks of 1024 elements,
/// added up in double, so the total is accurate to about 1e-7 relative whatever n is.
double squared_error_sum(const float* a, const float* b, int64_t n);
double squared_error_sum_with(SimdLevel level, const float* a, const float* b, int64_t n);

/// out_i = scale * (a_i - b_i)
void scaled_difference(const float* a, const float* b, float scale, float* out, int64_t n);
void scaled_difference_with(SimdLevel level, const float* a, const float* b, float scale,
                            float* out, int64_t n);

}  // namespace ae::linalg
