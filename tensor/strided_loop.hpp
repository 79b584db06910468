#pragma once
// strided_loop — the one N-d iterator that every strided kernel in tensor/ runs on.
//
// A kernel over N operands of one (broadcast) shape sees each operand as a base offset
// and a list of strides in elements. The loop first merges neighbouring axes that are laid
// out back to back in every operand: a contiguous tensor becomes one long axis, a bias add
// (m, n) + (n) keeps two axes with strides {n, 1} and {0, 1}, a scalar operand has stride 0.
// It then walks all axes but the last with an odometer and hands the last axis to the
// kernel as one run:
//
//   inner(offsets, n, steps)   elements offsets[k] + i * steps[k], i = 0 .. n-1
//
// so the kernel can pick a tight loop when the steps are 1 (or 0 for a broadcast value).
//
// The axes are visited in the memory order of the first operand (largest stride outermost),
// so a kernel reads or writes that operand sequentially even through a transposed view.
// Kernels passed here must not depend on the visiting order.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "tensor/tensor.hpp"

namespace ae::tensor::detail {

template <std::size_t N>
using Offsets = std::array<int64_t, N>;

/// Axes of `shape` merged where every operand's layout allows; size-1 axes dropped.
template <std::size_t N>
struct MergedLayout {
  Shape shape;
  std::array<Strides, N> strides;
};

template <std::size_t N>
MergedLayout<N> merge_axes(const Shape& shape, const std::array<const Strides*, N>& strides) {
  MergedLayout<N> out;
  std::vector<std::size_t> order(shape.size());
  for (std::size_t d = 0; d < order.size(); ++d) order[d] = d;
  const Strides& first = *strides[0];
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    return std::abs(first[x]) > std::abs(first[y]);
  });
  for (std::size_t d : order) {
    const int64_t size = shape[d];
    if (size == 1) continue;
    // Axis d continues the previous (outer) axis when, in every operand, the outer stride
    // equals this stride times this size: then both together are one axis of the product.
    bool mergeable = !out.shape.empty();
    for (std::size_t k = 0; k < N && mergeable; ++k)
      mergeable = out.strides[k].back() == (*strides[k])[d] * size;
    if (mergeable) {
      out.shape.back() *= size;
      for (std::size_t k = 0; k < N; ++k) out.strides[k].back() = (*strides[k])[d];
    } else {
      out.shape.push_back(size);
      for (std::size_t k = 0; k < N; ++k) out.strides[k].push_back((*strides[k])[d]);
    }
  }
  if (out.shape.empty()) {  // one element
    out.shape.push_back(1);
    for (std::size_t k = 0; k < N; ++k) out.strides[k].push_back(0);
  }
  return out;
}

/// Calls inner(offsets, n, steps) once per run of the last merged axis. Does nothing
/// when the shape has no elements.
template <std::size_t N, class Inner>
void strided_loop(const Shape& shape, const std::array<const Strides*, N>& strides,
                  Offsets<N> offsets, Inner&& inner) {
  if (numel_of(shape) == 0) return;
  const MergedLayout<N> layout = merge_axes<N>(shape, strides);
  const int64_t last = static_cast<int64_t>(layout.shape.size()) - 1;
  const int64_t run = layout.shape[last];
  Offsets<N> steps;
  for (std::size_t k = 0; k < N; ++k) steps[k] = layout.strides[k][last];

  std::vector<int64_t> index(last, 0);
  for (;;) {
    inner(offsets, run, steps);
    // Odometer over the outer axes, innermost of them first.
    int64_t d = last - 1;
    for (; d >= 0; --d) {
      ++index[d];
      for (std::size_t k = 0; k < N; ++k) offsets[k] += layout.strides[k][d];
      if (index[d] < layout.shape[d]) break;
      for (std::size_t k = 0; k < N; ++k) offsets[k] -= layout.strides[k][d] * layout.shape[d];
      index[d] = 0;
    }
    if (d < 0) return;
  }
}

}  // namespace ae::tensor::detail
