// Gathering and joining: index_select, concat, stack.
#include <cstring>
#include <string>

#include "tensor/axes.hpp"
#include "tensor/map.hpp"
#include "tensor/ops.hpp"

namespace ae::tensor {

Tensor index_select(const Tensor& x, int64_t axis, const std::vector<int64_t>& indices) {
  detail::require_defined(x, "index_select");
  const int64_t a = normalize_axis(axis, x.shape(), "index_select");
  const int64_t size = x.shape()[a];
  for (int64_t i : indices)
    if (i < -size || i >= size)
      throw Error("index_select: index " + std::to_string(i) + " is out of range for axis " +
                  std::to_string(axis) + " of shape " + to_string(x.shape()));
  Shape shape = x.shape();
  shape[a] = static_cast<int64_t>(indices.size());
  Tensor out = empty(shape);
  // Rows of a contiguous tensor along the first axis are whole blocks: one memcpy each
  // (the batch loader's case).
  if (a == 0 && x.is_contiguous()) {
    const int64_t row = x.numel() / std::max<int64_t>(size, 1);
    for (std::size_t j = 0; j < indices.size(); ++j) {
      const int64_t i = indices[j] < 0 ? indices[j] + size : indices[j];
      std::memcpy(out.data() + static_cast<int64_t>(j) * row, x.data() + i * row,
                  static_cast<std::size_t>(row) * sizeof(float));
    }
    return out;
  }
  for (std::size_t j = 0; j < indices.size(); ++j) {
    const int64_t i = indices[j] < 0 ? indices[j] + size : indices[j];
    const int64_t jj = static_cast<int64_t>(j);
    out.slice(a, jj, jj + 1).copy_(x.slice(a, i, i + 1));
  }
  return out;
}

Tensor concat(const std::vector<Tensor>& parts, int64_t axis) {
  if (parts.empty()) throw Error("concat: no tensors to join");
  for (const Tensor& p : parts) detail::require_defined(p, "concat");
  const Shape& first = parts[0].shape();
  const int64_t a = normalize_axis(axis, first, "concat");
  Shape shape = first;
  shape[a] = 0;
  for (const Tensor& p : parts) {
    bool fits = p.dim() == static_cast<int64_t>(first.size());
    for (std::size_t d = 0; fits && d < first.size(); ++d)
      fits = static_cast<int64_t>(d) == a || p.shape()[d] == first[d];
    if (!fits)
      throw Error("concat: shapes " + to_string(first) + " and " + to_string(p.shape()) +
                  " differ outside axis " + std::to_string(axis));
    shape[a] += p.shape()[a];
  }
  Tensor out = empty(shape);
  int64_t at = 0;
  for (const Tensor& p : parts) {
    const int64_t len = p.shape()[a];
    out.slice(a, at, at + len).copy_(p);
    at += len;
  }
  return out;
}

Tensor stack(const std::vector<Tensor>& parts, int64_t axis) {
  if (parts.empty()) throw Error("stack: no tensors to stack");
  const Shape& first = parts[0].shape();
  const int64_t d = static_cast<int64_t>(first.size());
  if (axis < -(d + 1) || axis > d)
    throw Error("stack: axis " + std::to_string(axis) + " is out of range for parts of shape " +
                to_string(first));
  std::vector<Tensor> unsqueezed;
  unsqueezed.reserve(parts.size());
  for (const Tensor& p : parts) {
    detail::require_defined(p, "stack");
    if (p.shape() != first)
      throw Error("stack: shapes " + to_string(first) + " and " + to_string(p.shape()) +
                  " differ (stack needs equal shapes)");
    unsqueezed.push_back(p.unsqueeze(axis));
  }
  return concat(unsqueezed, axis < 0 ? axis + d + 1 : axis);
}

}  // namespace ae::tensor
