#pragma once
// The Adam update as one pass over a parameter: the optimizer's inner loop.
//
// The loop itself, its scalar specification and its AVX2 / AVX-512 versions are in
// linalg/training_kernels.hpp with the loss kernels (the element-wise tensor kernels are in
// tensor/map.hpp); all of them pick their version through the one dispatch of
// linalg/simd.hpp. The optimizers of nn/ call the update by these names.
#include "linalg/training_kernels.hpp"

namespace ae::nn {

using linalg::AdamCoefficients;
using linalg::adam_update;

}  // namespace ae::nn
