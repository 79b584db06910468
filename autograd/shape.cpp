// Shape ops on Variables: views, gathering and joining. Their rules move the gradient back
// to where each input element went: the inverse view, a scatter, or slices.
#include <numeric>
#include <string>

#include "autograd/ops.hpp"
#include "tensor/axes.hpp"

namespace ae {

namespace {

// The gradient of slice: g written into zeros of the input's shape at the sliced
// positions. It is linear in g, so its own gradient is the same slice again.
Variable slice_backward(const Variable& g, const Shape& shape, int64_t axis, int64_t start,
                        int64_t stop, int64_t step) {
  Tensor out = tensor::zeros(shape);
  out.slice(axis, start, stop, step).copy_(g.value());
  return record("slice_backward", std::move(out), {g},
                [axis, start, stop, step](const Backward& ctx) {
                  return Grads{slice(ctx.grad, axis, start, stop, step)};
                });
}

// The gradient of index_select: entry j of g added at position indices[j] of zeros of the
// input's shape (a repeated index collects several). Its own gradient is index_select again.
Variable index_select_backward(const Variable& g, const Shape& shape, int64_t axis,
                               const std::vector<int64_t>& indices) {
  const int64_t a = tensor::normalize_axis(axis, shape, "index_select");
  const int64_t size = shape[a];
  Tensor out = tensor::zeros(shape);
  for (std::size_t j = 0; j < indices.size(); ++j) {
    const int64_t i = indices[j] < 0 ? indices[j] + size : indices[j];
    const int64_t jj = static_cast<int64_t>(j);
    out.slice(a, i, i + 1).add_(g.value().slice(a, jj, jj + 1));
  }
  return record("index_select_backward", std::move(out), {g}, [a, indices](const Backward& ctx) {
    return Grads{index_select(ctx.grad, a, indices)};
  });
}

}  // namespace

// reshape:  y = x with a new shape          dL/dx = g with x's shape
Variable reshape(const Variable& x, const Shape& shape) {
  Tensor y = x.value().reshape(shape);
  if (y.shape() == x.shape()) return x;
  return record("reshape", std::move(y), {x},
                [](const Backward& ctx) { return Grads{reshape(ctx.grad, ctx.input(0).shape())}; });
}

// transpose:  y = x with axes a, b swapped   dL/dx = g with a, b swapped back
Variable transpose(const Variable& x, int64_t axis_a, int64_t axis_b) {
  return record(
      "transpose", x.value().transpose(axis_a, axis_b), {x},
      [axis_a, axis_b](const Backward& ctx) { return Grads{transpose(ctx.grad, axis_a, axis_b)}; });
}

// permute:  y axis i = x axis order[i]       dL/dx = g permuted by the inverse order
Variable permute(const Variable& x, const Axes& order) {
  Tensor y = x.value().permute(order);  // checks that order is a permutation
  Axes inverse(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    const int64_t axis = order[i] < 0 ? order[i] + x.dim() : order[i];
    inverse[static_cast<std::size_t>(axis)] = static_cast<int64_t>(i);
  }
  return record("permute", std::move(y), {x},
                [inverse](const Backward& ctx) { return Grads{permute(ctx.grad, inverse)}; });
}

// slice:  y = x[start:stop:step] on an axis  dL/dx = g at those positions, 0 elsewhere
Variable slice(const Variable& x, int64_t axis, int64_t start, int64_t stop, int64_t step) {
  return record(
      "slice", x.value().slice(axis, start, stop, step), {x},
      [axis, start, stop, step](const Backward& ctx) {
        return Grads{slice_backward(ctx.grad, ctx.input(0).shape(), axis, start, stop, step)};
      });
}

// expand:  y = x repeated along broadcast axes   dL/dx = g summed over them
Variable expand(const Variable& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  return record("expand", x.value().expand(shape), {x},
                [](const Backward& ctx) { return Grads{sum_to(ctx.grad, ctx.input(0).shape())}; });
}

// sum_to:  y = x summed down to a shape       dL/dx = g broadcast back up
Variable sum_to(const Variable& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  return record("sum_to", tensor::sum_to(x.value(), shape), {x},
                [](const Backward& ctx) { return Grads{expand(ctx.grad, ctx.input(0).shape())}; });
}

// squeeze / unsqueeze:  the same values with a size-1 axis removed / added
//                                            dL/dx = g with x's shape
Variable squeeze(const Variable& x, int64_t axis) {
  return record("squeeze", x.value().squeeze(axis), {x},
                [](const Backward& ctx) { return Grads{reshape(ctx.grad, ctx.input(0).shape())}; });
}

Variable unsqueeze(const Variable& x, int64_t axis) {
  return record("unsqueeze", x.value().unsqueeze(axis), {x},
                [](const Backward& ctx) { return Grads{reshape(ctx.grad, ctx.input(0).shape())}; });
}

// index_select:  y_j = x[indices[j]] on an axis   dL/dx[i] = Σ_{j: indices[j] = i} g_j
Variable index_select(const Variable& x, int64_t axis, const std::vector<int64_t>& indices) {
  return record(
      "index_select", tensor::index_select(x.value(), axis, indices), {x},
      [axis, indices](const Backward& ctx) {
        return Grads{index_select_backward(ctx.grad, ctx.input(0).shape(), axis, indices)};
      });
}

// concat:  y = [x_0, x_1, ...] along an axis  dL/dx_i = the slice of g where x_i went
Variable concat(const std::vector<Variable>& parts, int64_t axis) {
  std::vector<Tensor> values;
  values.reserve(parts.size());
  for (const Variable& p : parts) values.push_back(p.value());
  Tensor y = tensor::concat(values, axis);  // checks the shapes and the axis
  const int64_t a = tensor::normalize_axis(axis, y.shape(), "concat");
  return record("concat", std::move(y), parts, [a](const Backward& ctx) {
    Grads grads;
    int64_t at = 0;
    for (std::size_t i = 0; i < ctx.inputs.size(); ++i) {
      const int64_t len = ctx.input(i).shape()[a];
      grads.push_back(ctx.needs(i) ? slice(ctx.grad, a, at, at + len) : Variable());
      at += len;
    }
    return grads;
  });
}

// stack:  y[..., i, ...] = x_i on a new axis  dL/dx_i = g at index i of that axis
Variable stack(const std::vector<Variable>& parts, int64_t axis) {
  std::vector<Tensor> values;
  values.reserve(parts.size());
  for (const Variable& p : parts) values.push_back(p.value());
  Tensor y = tensor::stack(values, axis);  // checks the shapes and the axis
  const int64_t a = axis < 0 ? axis + y.dim() : axis;
  return record("stack", std::move(y), parts, [a](const Backward& ctx) {
    Grads grads;
    for (std::size_t i = 0; i < ctx.inputs.size(); ++i) {
      const int64_t ii = static_cast<int64_t>(i);
      grads.push_back(ctx.needs(i) ? squeeze(slice(ctx.grad, a, ii, ii + 1), a) : Variable());
    }
    return grads;
  });
}

}  // namespace ae
