#pragma once
// The one crossing between ae::Tensor (float, any strides) and linalg's row-major types.
//
// linalg/ sits below tensor/ and knows nothing of Tensor, so code in nn/ and above that hands
// a tensor to a decomposition, or takes a factor back, goes through these three functions.
// Decompositions accumulate in double, so a Tensor becomes a double Matrix; a borrowed float
// view is offered too, for the routines that read floats directly (covariance, randomized SVD).
#include "linalg/matrix.hpp"
#include "tensor/tensor.hpp"

namespace ae::nn {

/// A 2-D tensor of any strides copied into a row-major double matrix of the same shape.
/// Throws ae::Error naming the shape when `t` is undefined or not 2-D.
linalg::Matrix to_matrix(const Tensor& t);

/// A double matrix rounded to a float tensor of shape (rows, cols).
Tensor to_tensor(const linalg::Matrix& m);

/// A borrowed row-major float view of a 2-D tensor. The tensor must be contiguous (call
/// `.contiguous()` first and keep that tensor alive while the view is used); a strided tensor
/// is refused with an ae::Error rather than read wrongly.
linalg::ViewF float_view(const Tensor& t);

}  // namespace ae::nn
