#pragma once
// The Adam update as one pass over a parameter: the optimizer's inner loop.
//
// The loop itself, its scalar specification and its AVX2 / AVX-512 versions are in
// linalg/training_kernels.hpp, where every SIMD kernel of aelab lives and is dispatched
// (linalg/simd.hpp); the optimizers of nn/ call it by these names.
#include "linalg/training_kernels.hpp"

namespace ae::nn {

using linalg::AdamCoefficients;
using linalg::adam_update;

}  // namespace ae::nn
