#pragma once
// The Adam update as one pass over a parameter: the optimizer's inner loop.
//
// Per element:
//   p  = p * shrink                     (AdamW's decoupled decay; shrink = 1 for Adam)
//   g  = g + l2 * p                     (Adam's L2 decay; l2 = 0 for AdamW)
//   m  = beta1 * m + (1 - beta1) * g
//   v  = beta2 * v + (1 - beta2) * g * g
//   p  = p - step_size * m / (sqrt(v) * inv_sqrt_bias2 + eps)
//
// Why a kernel of its own: the square root and the division make the loop compute-bound,
// and the compiler will not vectorise std::sqrt (it must keep errno for negative inputs),
// so the plain loop runs one element at a time. The AVX2 and AVX-512 versions handle 8
// and 16 elements per instruction and one is picked at run time. They compute the moment
// updates with fused multiply-adds (one rounding instead of two), so their results may
// differ from the scalar specification in the last bit; the tests bound the difference.
#include <cstdint>
#include <string>

#include "tensor/tensor.hpp"

namespace ae::nn {

struct AdamCoefficients {
  float beta1, beta2, eps;
  float step_size;       ///< lr / (1 - beta1^t)
  float inv_sqrt_bias2;  ///< 1 / sqrt(1 - beta2^t)
  float l2;              ///< weight decay folded into the gradient (Adam)
  float shrink;          ///< 1 - lr * weight decay (AdamW), else 1
};

enum class UpdateKernel { Scalar, Avx2, Avx512 };

/// The kernel adam_update uses: the widest this CPU runs.
UpdateKernel update_kernel();
bool update_kernel_available(UpdateKernel kernel);
std::string to_string(UpdateKernel kernel);
// Keeps ae::to_string(Shape) visible next to the overload above inside ae::nn.
using ae::to_string;

/// Updates n elements of p, m and v in place from g.
void adam_update(float* p, const float* g, float* m, float* v, int64_t n,
                 const AdamCoefficients& c);
/// The same on a named kernel (tests compare them); throws ae::Error if unavailable.
void adam_update_with(UpdateKernel kernel, float* p, const float* g, float* m, float* v, int64_t n,
                      const AdamCoefficients& c);

}  // namespace ae::nn
