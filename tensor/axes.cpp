// Axis arguments: range checks with messages that name the op and the shape.
#include "tensor/axes.hpp"

#include <string>

namespace ae::tensor {

int64_t normalize_axis(int64_t axis, const Shape& shape, const char* op) {
  const int64_t dim = static_cast<int64_t>(shape.size());
  if (axis < -dim || axis >= dim)
    throw Error(std::string(op) + ": axis " + std::to_string(axis) +
                " is out of range for shape " + to_string(shape));
  return axis < 0 ? axis + dim : axis;
}

std::vector<bool> reduced_axes(const Axes& axes, const Shape& shape, const char* op) {
  std::vector<bool> reduced(shape.size(), axes.empty());
  for (int64_t axis : axes) {
    const int64_t a = normalize_axis(axis, shape, op);
    if (reduced[a])
      throw Error(std::string(op) + ": axis " + std::to_string(axis) +
                  " is named twice for shape " + to_string(shape));
    reduced[a] = true;
  }
  return reduced;
}

}  // namespace ae::tensor
