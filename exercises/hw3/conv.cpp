// HW3 tasks 3 and 4: a convolution layer's forward pass by im2col and one matrix product,
// and its backward pass by hand (lecture 000's convolutional autoencoder; chapter 8).
//
// hw3.hpp states the convention: cross-correlation (the kernel is not flipped), stride s and
// zero padding p on all four sides. Write im2col and col2im with loops over plain vectors
// (Tensor::to_vector, tensor::from_vector), and the rest with tensor ops (matmul, reshape,
// permute, sum).
#include <fmt/core.h>

#include "exercises/hw3/hw3.hpp"
#include "tensor/conv.hpp"
#include "tensor/ops.hpp"

namespace ae::hw3 {

namespace {

// The window positions along an axis: (size + 2p - k) / s + 1, with the checks of hw3.hpp.
int64_t positions(const char* op, const Shape& x_shape, int64_t size, int64_t k, int64_t stride, int64_t padding) {
  if (k < 1 || stride < 1 || padding < 0)
    throw Error(fmt::format("{}: kernel {}, stride {} (both >= 1) and padding {} (>= 0) for an image of shape {}",
                            op, k, stride, padding, to_string(x_shape)));
  if (size + 2 * padding < k)
    throw Error(fmt::format("{}: a window of {} pixels does not fit an axis of {} padded by {} (image {})", op, k,
                            size, padding, to_string(x_shape)));
  return (size + 2 * padding - k) / stride + 1;
}

}  // namespace

// ---------------------------------------------------------------- task 3

Tensor im2col(const Tensor& x, int64_t kh, int64_t kw, int64_t stride, int64_t padding) {
  require_dims(x, 4, "im2col", "x");
  const Shape& s = x.shape();
  // Given: the sizes your code needs ([[maybe_unused]] keeps the stub free of warnings).
  [[maybe_unused]] const int64_t N = s[0], C = s[1], H = s[2], W = s[3];
  [[maybe_unused]] const int64_t Ho = positions("im2col", s, H, kh, stride, padding);
  [[maybe_unused]] const int64_t Wo = positions("im2col", s, W, kw, stride, padding);
  // BEGIN SOLUTION task 3 im2col
  const std::vector<float> in = x.contiguous().to_vector();
  const int64_t columns = N * Ho * Wo;
  std::vector<float> cols(static_cast<size_t>(C * kh * kw * columns), 0.0f);
  for (int64_t c = 0; c < C; ++c)
    for (int64_t i = 0; i < kh; ++i)
      for (int64_t j = 0; j < kw; ++j) {
        const int64_t row = (c * kh + i) * kw + j;
        for (int64_t n = 0; n < N; ++n)
          for (int64_t oh = 0; oh < Ho; ++oh) {
            // Window (oh, ow) starts at row oh·s - p: the padding is on both sides.
            const int64_t h = oh * stride - padding + i;
            if (h < 0 || h >= H) continue;
            for (int64_t ow = 0; ow < Wo; ++ow) {
              const int64_t v = ow * stride - padding + j;
              if (v < 0 || v >= W) continue;
              cols[static_cast<size_t>(row * columns + (n * Ho + oh) * Wo + ow)] =
                  in[static_cast<size_t>(((n * C + c) * H + h) * W + v)];
            }
          }
      }
  return tensor::from_vector(cols, {C * kh * kw, columns});
  // END SOLUTION
}

Tensor conv2d_forward(const Tensor& x, const Tensor& w, const Tensor& b, int64_t stride, int64_t padding) {
  require_dims(x, 4, "conv2d_forward", "x");
  require_dims(w, 4, "conv2d_forward", "w");
  if (x.size(1) != w.size(1) || (b.defined() && b.shape() != Shape{w.size(0)}))
    throw Error(fmt::format("conv2d_forward: x {}, w {} and b {} do not fit (expected (N, C, H, W), (O, C, kh, "
                            "kw) and (O))",
                            to_string(x.shape()), to_string(w.shape()),
                            b.defined() ? to_string(b.shape()) : "undefined"));
  [[maybe_unused]] const int64_t N = x.size(0), O = w.size(0), kh = w.size(2), kw = w.size(3);
  [[maybe_unused]] const int64_t Ho = positions("conv2d_forward", x.shape(), x.size(2), kh, stride, padding);
  [[maybe_unused]] const int64_t Wo = positions("conv2d_forward", x.shape(), x.size(3), kw, stride, padding);
  // BEGIN SOLUTION task 3 conv2d_forward
  // Row o of Wm is filter o laid out as im2col lays out a window: (c·kh + i)·kw + j.
  Tensor Y = tensor::matmul(w.reshape({O, -1}), im2col(x, kh, kw, stride, padding));  // (O, N·Ho·Wo)
  if (b.defined()) Y = Y + b.reshape({O, 1});
  // Column (n·Ho + oh)·Wo + ow of Y is output pixel (oh, ow) of image n.
  return Y.reshape({O, N, Ho, Wo}).permute({1, 0, 2, 3}).contiguous();
  // END SOLUTION
}

// ---------------------------------------------------------------- task 4

Tensor col2im(const Tensor& cols, const Shape& x_shape, int64_t kh, int64_t kw, int64_t stride, int64_t padding) {
  require_dims(cols, 2, "col2im", "cols");
  if (x_shape.size() != 4) throw Error(fmt::format("col2im: x_shape {} is not 4-D", to_string(x_shape)));
  const int64_t N = x_shape[0], C = x_shape[1], H = x_shape[2], W = x_shape[3];
  const int64_t Ho = positions("col2im", x_shape, H, kh, stride, padding);
  const int64_t Wo = positions("col2im", x_shape, W, kw, stride, padding);
  if (cols.size(0) != C * kh * kw || cols.size(1) != N * Ho * Wo)
    throw Error(fmt::format("col2im: cols has shape {}, im2col of an image {} gives [{}, {}]",
                            to_string(cols.shape()), to_string(x_shape), C * kh * kw, N * Ho * Wo));
  // BEGIN SOLUTION task 4 col2im
  const std::vector<float> in = cols.contiguous().to_vector();
  const int64_t columns = N * Ho * Wo;
  std::vector<float> image(static_cast<size_t>(N * C * H * W), 0.0f);
  for (int64_t c = 0; c < C; ++c)
    for (int64_t i = 0; i < kh; ++i)
      for (int64_t j = 0; j < kw; ++j) {
        const int64_t row = (c * kh + i) * kw + j;
        for (int64_t n = 0; n < N; ++n)
          for (int64_t oh = 0; oh < Ho; ++oh) {
            const int64_t ih = oh * stride - padding + i;
            if (ih < 0 || ih >= H) continue;
            for (int64_t ow = 0; ow < Wo; ++ow) {
              const int64_t iw = ow * stride - padding + j;
              if (iw < 0 || iw >= W) continue;
              // += : a pixel shared by several windows collects a term from each.
              image[static_cast<size_t>(((n * C + c) * H + ih) * W + iw)] +=
                  in[static_cast<size_t>(row * columns + (n * Ho + oh) * Wo + ow)];
            }
          }
      }
  return tensor::from_vector(image, x_shape);
  // END SOLUTION
}

ConvGradients conv2d_backward(const Tensor& x, const Tensor& w, const Tensor& dy, int64_t stride, int64_t padding) {
  require_dims(x, 4, "conv2d_backward", "x");
  require_dims(w, 4, "conv2d_backward", "w");
  require_dims(dy, 4, "conv2d_backward", "dy");
  const int64_t N = x.size(0), O = w.size(0), kh = w.size(2), kw = w.size(3);
  const int64_t Ho = positions("conv2d_backward", x.shape(), x.size(2), kh, stride, padding);
  const int64_t Wo = positions("conv2d_backward", x.shape(), x.size(3), kw, stride, padding);
  if (x.size(1) != w.size(1) || dy.shape() != Shape{N, O, Ho, Wo})
    throw Error(fmt::format("conv2d_backward: x {}, w {} and dy {} do not fit (dy must be [{}, {}, {}, {}])",
                            to_string(x.shape()), to_string(w.shape()), to_string(dy.shape()), N, O, Ho, Wo));
  // BEGIN SOLUTION task 4 conv2d_backward
  // G: dy with output channels as rows and the columns in im2col's order (n, oh, ow).
  const Tensor G = dy.permute({1, 0, 2, 3}).contiguous().reshape({O, N * Ho * Wo});
  const Tensor cols = tensor::unfold(x, {kh, kw, stride, padding});
  const Tensor Wm = w.reshape({O, -1});
  ConvGradients g;
  g.dw = tensor::matmul(G, cols.t()).reshape(w.shape());
  g.dx = col2im(tensor::matmul(Wm.t(), G), x.shape(), kh, kw, stride, padding);
  g.db = tensor::sum(G, {1});
  return g;
  // END SOLUTION
}

}  // namespace ae::hw3
