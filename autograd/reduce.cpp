// Reductions on Variables. A reduction's gradient has the reduced shape; the rules first
// give it back the reduced axes as size 1 ("kept" shape), then broadcast it over them.
#include <algorithm>

#include "autograd/ops.hpp"
#include "tensor/axes.hpp"

namespace ae {

namespace {

// The result's shape with the reduced axes kept as size 1.
Shape kept_shape(const Shape& shape, const Axes& axes, const char* op) {
  const std::vector<bool> reduced = tensor::reduced_axes(axes, shape, op);
  Shape kept = shape;
  for (std::size_t d = 0; d < kept.size(); ++d)
    if (reduced[d]) kept[d] = 1;
  return kept;
}

}  // namespace

// sum:  y = Σ_axes x              dy/dx = 1: each input gets the gradient of its sum
Variable sum(const Variable& x, const Axes& axes, bool keepdim) {
  return record("sum", tensor::sum(x.value(), axes, keepdim), {x}, [axes](const Backward& ctx) {
    const Shape& shape = ctx.input(0).shape();
    return Grads{expand(reshape(ctx.grad, kept_shape(shape, axes, "sum")), shape)};
  });
}

// mean:  y = Σ_axes x / n         dy/dx = 1 / n, n the number of elements averaged
Variable mean(const Variable& x, const Axes& axes, bool keepdim) {
  return record("mean", tensor::mean(x.value(), axes, keepdim), {x}, [axes](const Backward& ctx) {
    const Shape& shape = ctx.input(0).shape();
    const Shape kept = kept_shape(shape, axes, "mean");
    const float n = static_cast<float>(numel_of(shape) / std::max<int64_t>(numel_of(kept), 1));
    return Grads{expand(reshape(ctx.grad / n, kept), shape)};
  });
}

// max:  y = max_axes x            dy/dx = [x = y] / (number of maxima): ties share evenly
Variable max(const Variable& x, const Axes& axes, bool keepdim) {
  return record("max", tensor::max(x.value(), axes, keepdim), {x}, [axes](const Backward& ctx) {
    const Tensor& v = ctx.input(0).value();
    const Shape kept = kept_shape(v.shape(), axes, "max");
    const Tensor hit = tensor::eq(v, ctx.out.value().reshape(kept));
    const Tensor share = hit / tensor::sum(hit, axes, /*keepdim=*/true);
    return Grads{reshape(ctx.grad, kept) * share};
  });
}

// logsumexp:  y = log Σ_axes e^x  dy/dx = e^x / Σ e^x = e^(x - y), the softmax
Variable logsumexp(const Variable& x, const Axes& axes, bool keepdim) {
  return record("logsumexp", tensor::logsumexp(x.value(), axes, keepdim), {x},
                [axes](const Backward& ctx) {
                  const Shape kept = kept_shape(ctx.input(0).shape(), axes, "logsumexp");
                  const Variable softmax = exp(ctx.input(0) - reshape(ctx.out, kept));
                  return Grads{reshape(ctx.grad, kept) * softmax};
                });
}

}  // namespace ae
