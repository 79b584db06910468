#pragma once
// Straight-line paths between two points, for latent interpolation (lecture 002): decode
// (1 - α) h_1 + α h_2 and compare with blending the inputs (1 - α) x_1 + α x_2 themselves.
#include "tensor/tensor.hpp"

namespace ae::nn {

/// (1 - α) a + α b for α = 0, 1/(steps-1), ..., 1, stacked along axis 0: for a and b of
/// shape (m, ...) the result has shape (steps·m, ...), α = 0 first. steps >= 2; a and b must
/// have the same shape (ae::Error naming both otherwise).
Tensor interpolate(const Tensor& a, const Tensor& b, int steps);

}  // namespace ae::nn
