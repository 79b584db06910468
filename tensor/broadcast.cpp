// NumPy broadcasting: shapes are aligned at their last axis; two sizes match when equal or
// when one is 1 (that operand repeats along the axis); missing leading axes count as 1.
#include <string>

#include "tensor/ops.hpp"

namespace ae::tensor {

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
  const std::size_t dim = std::max(a.size(), b.size());
  Shape out(dim);
  for (std::size_t i = 0; i < dim; ++i) {
    // i counts from the last axis
    const int64_t sa = i < a.size() ? a[a.size() - 1 - i] : 1;
    const int64_t sb = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (sa != sb && sa != 1 && sb != 1)
      throw Error(std::string(op) + ": shapes " + to_string(a) + " and " + to_string(b) +
                  " cannot be broadcast");
    out[dim - 1 - i] = sa == 1 ? sb : sa;
  }
  return out;
}

Tensor sum_to(const Tensor& grad, const Shape& shape) {
  if (grad.shape() == shape) return grad;
  const Shape& from = grad.shape();
  if (shape.size() > from.size() || broadcast_shapes(shape, from, "sum_to") != from)
    throw Error("sum_to: shape " + to_string(from) + " cannot be summed to " + to_string(shape) +
                " (it is not a broadcast of it)");
  // Sum the leading axes broadcasting added, and the axes where shape has size 1.
  const std::size_t lead = from.size() - shape.size();
  Axes axes;
  for (std::size_t d = 0; d < from.size(); ++d)
    if (d < lead || (shape[d - lead] == 1 && from[d] != 1)) axes.push_back(static_cast<int64_t>(d));
  if (axes.empty()) return grad.reshape(shape);
  return sum(grad, axes, /*keepdim=*/true).reshape(shape);
}

}  // namespace ae::tensor
