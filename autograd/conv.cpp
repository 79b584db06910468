// Convolution, pooling and upsampling on Variables, each written with unfold and the ops that
// already exist, so their backward rules — and the rules of those rules — come for free.
//
// With cols = unfold(x) (C·kh·kw, N·Ho·Wo) and Wm = w.reshape(O, C·kh·kw), a convolution is
//     Y = Wm · cols + b          (O, N·Ho·Wo): one gemm for the whole batch,
// and its gradients, given G = dL/dY, are the two gemms of matmul's rule plus a fold:
//     dL/dWm = G · colsᵀ,   dL/dcols = Wmᵀ · G,   dL/dx = fold(dL/dcols),   dL/db = Σ_cols G.
// unfold and fold are linear maps and each other's adjoint, so each one's gradient is the
// other; nothing here needs its own second derivative.
#include <limits>
#include <string>

#include <fmt/format.h>

#include "autograd/ops.hpp"
#include "tensor/conv.hpp"

namespace ae {

namespace {

void check_image(const Variable& x, const char* op) {
  if (x.dim() != 4)
    throw Error(fmt::format("{}: expects an (N, C, H, W) input, got {}", op, to_string(x.shape())));
}

// The channel count and bias of a convolution: weight 4-D, its channel axis `axis` equal to
// the input's channels, bias (out) or undefined.
void check_conv(const char* op, const Variable& x, const Variable& weight, const Variable& bias,
                int64_t channel_axis, int64_t out_axis, int64_t stride, int64_t padding) {
  check_image(x, op);
  if (weight.dim() != 4)
    throw Error(fmt::format("{}: weight must be 4-D, got {}", op, to_string(weight.shape())));
  const int64_t expects = weight.shape()[size_t(channel_axis)];
  if (x.shape()[1] != expects)
    throw Error(fmt::format("{}: input {} has {} channels, weight {} expects {}", op, to_string(x.shape()),
                            x.shape()[1], to_string(weight.shape()), expects));
  const int64_t out = weight.shape()[size_t(out_axis)];
  if (bias.defined() && bias.shape() != Shape{out})
    throw Error(fmt::format("{}: bias {} does not fit weight {} (expected [{}])", op, to_string(bias.shape()),
                            to_string(weight.shape()), out));
  if (stride < 1 || padding < 0)
    throw Error(fmt::format("{}: stride {} must be >= 1 and padding {} >= 0 (input {})", op, stride, padding,
                            to_string(x.shape())));
}

// Pooling windows: kernel >= 1, stride 0 meaning kernel, padding at most half the kernel so
// that every window holds at least one pixel.
tensor::Window2d pool_window(const char* op, const Variable& x, int64_t kernel, int64_t stride, int64_t padding) {
  check_image(x, op);
  if (kernel < 1 || stride < 0 || padding < 0 || 2 * padding > kernel)
    throw Error(fmt::format("{}: kernel {} must be >= 1, stride {} >= 0 and padding {} in [0, kernel / 2] "
                            "(input {})",
                            op, kernel, stride, padding, to_string(x.shape())));
  return {kernel, kernel, stride == 0 ? kernel : stride, padding};
}

// y[n, c] = reduce over the window of x[n, c], by unfolding each channel on its own:
// (N·C, 1, H, W) -> (k², N·C·Ho·Wo), reduced over the k² taps.
template <class Reduce>
Variable pool(const char* op, const Variable& x, const tensor::Window2d& w, float pad_value, Reduce reduce) {
  const Shape& s = x.shape();
  const int64_t ho = tensor::window_positions(s[2], w.kh, w.stride, w.padding, op);
  const int64_t wo = tensor::window_positions(s[3], w.kw, w.stride, w.padding, op);
  const Variable cols = unfold(reshape(x, {s[0] * s[1], 1, s[2], s[3]}), w, pad_value);
  return reshape(reduce(cols), {s[0], s[1], ho, wo});
}

}  // namespace

// unfold:  cols = the windows of x (linear in x)     dL/dx = fold(dL/dcols)
Variable unfold(const Variable& x, const tensor::Window2d& window, float pad_value) {
  return record("unfold", tensor::unfold(x.value(), window, pad_value), {x}, [window](const Backward& ctx) {
    return Grads{fold(ctx.grad, ctx.input(0).shape(), window)};
  });
}

// fold:  x = Σ of the columns onto their pixels (linear)   dL/dcols = unfold(dL/dx)
Variable fold(const Variable& cols, const Shape& image_shape, const tensor::Window2d& window) {
  return record("fold", tensor::fold(cols.value(), image_shape, window), {cols},
                [window](const Backward& ctx) { return Grads{unfold(ctx.grad, window)}; });
}

// conv2d:  Y = Wm · unfold(x) + b, then (O, N, Ho, Wo) -> (N, O, Ho, Wo)
Variable conv2d(const Variable& x, const Variable& weight, const Variable& bias, int64_t stride, int64_t padding) {
  check_conv("conv2d", x, weight, bias, 1, 0, stride, padding);
  const Shape& ws = weight.shape();
  const tensor::Window2d window{ws[2], ws[3], stride, padding};
  const int64_t n = x.shape()[0], out = ws[0];
  const int64_t ho = tensor::window_positions(x.shape()[2], ws[2], stride, padding, "conv2d");
  const int64_t wo = tensor::window_positions(x.shape()[3], ws[3], stride, padding, "conv2d");
  const Variable cols = unfold(x, window);
  const Variable wm = reshape(weight, {out, -1});
  const Variable y = bias.defined() ? addmm(reshape(bias, {out, 1}), wm, cols) : matmul(wm, cols);
  return transpose(reshape(y, {out, n, ho, wo}), 0, 1);
}

// conv_transpose2d:  cols = Wmᵀ · X with X = x as (C, N·H·W), then y = fold(cols) + b.
// It sends every input pixel through the kernel to the output window it came from in a
// conv2d with the same stride and padding: the adjoint of that conv2d in x.
Variable conv_transpose2d(const Variable& x, const Variable& weight, const Variable& bias, int64_t stride,
                          int64_t padding) {
  check_conv("conv_transpose2d", x, weight, bias, 0, 1, stride, padding);
  const Shape& s = x.shape();
  const Shape& ws = weight.shape();
  const int64_t n = s[0], channels = s[1], out = ws[1];
  const int64_t ho = (s[2] - 1) * stride - 2 * padding + ws[2];
  const int64_t wo = (s[3] - 1) * stride - 2 * padding + ws[3];
  if (ho < 1 || wo < 1)
    throw Error(fmt::format("conv_transpose2d: padding {} leaves no output for input {} and weight {}", padding,
                            to_string(s), to_string(ws)));
  const Variable xm = reshape(transpose(x, 0, 1), {channels, -1});                   // (C, N·H·W)
  const Variable cols = matmul(transpose(reshape(weight, {channels, -1}), 0, 1), xm);  // (O·kh·kw, N·H·W)
  const Variable y = fold(cols, {n, out, ho, wo}, {ws[2], ws[3], stride, padding});
  return bias.defined() ? y + reshape(bias, {1, out, 1, 1}) : y;
}

// max_pool2d:  y = max over the window's taps; the gradient goes to the maximum (max's rule)
Variable max_pool2d(const Variable& x, int64_t kernel, int64_t stride, int64_t padding) {
  const tensor::Window2d w = pool_window("max_pool2d", x, kernel, stride, padding);
  return pool("max_pool2d", x, w, -std::numeric_limits<float>::infinity(),
              [](const Variable& cols) { return max(cols, {0}); });
}

// avg_pool2d:  y = mean over the window's k² taps     dL/dx = fold(g / k² on every tap)
Variable avg_pool2d(const Variable& x, int64_t kernel, int64_t stride, int64_t padding) {
  const tensor::Window2d w = pool_window("avg_pool2d", x, kernel, stride, padding);
  return pool("avg_pool2d", x, w, 0.0f, [](const Variable& cols) { return mean(cols, {0}); });
}

// upsample_nearest:  y = x repeated over scale x scale blocks: (N, C, H, 1, W, 1) expanded to
// (N, C, H, s, W, s)          dL/dx = g summed over each block (expand's rule)
Variable upsample_nearest(const Variable& x, int64_t scale) {
  check_image(x, "upsample_nearest");
  if (scale < 1)
    throw Error(fmt::format("upsample_nearest: scale {} must be >= 1 (input {})", scale, to_string(x.shape())));
  const Shape& s = x.shape();
  const Variable blocks = expand(reshape(x, {s[0], s[1], s[2], 1, s[3], 1}), {s[0], s[1], s[2], scale, s[3], scale});
  return reshape(blocks, {s[0], s[1], s[2] * scale, s[3] * scale});
}

}  // namespace ae
