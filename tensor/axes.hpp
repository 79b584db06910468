#pragma once
// Axis arguments: negative axes count from the end (-1 is the last axis), as in NumPy.
#include <cstdint>
#include <vector>

#include "tensor/tensor.hpp"

namespace ae::tensor {

/// `axis` of a tensor of this shape as an index in [0, dim); throws ae::Error
/// "<op>: axis 3 is out of range for shape [2, 3]".
int64_t normalize_axis(int64_t axis, const Shape& shape, const char* op);

/// The axes a reduction runs over, as one flag per axis (empty `axes` = every axis).
/// Throws ae::Error on an axis out of range or named twice.
std::vector<bool> reduced_axes(const Axes& axes, const Shape& shape, const char* op);

}  // namespace ae::tensor
