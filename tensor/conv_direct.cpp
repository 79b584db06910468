// The convolution ops written out as their definitions (tensor/conv.hpp), one output element
// at a time: the specifications that the unfold + gemm ops are tested against.
#include <algorithm>
#include <limits>
#include <vector>

#include <fmt/format.h>

#include "tensor/conv.hpp"
#include "tensor/ops.hpp"

namespace ae::tensor {

namespace {

void check_image(const Tensor& x, const char* op) {
  if (x.dim() != 4)
    throw Error(fmt::format("{}: expects an (N, C, H, W) input, got {}", op, to_string(x.shape())));
}

// x[n, c, h, v], or `outside` when (h, v) is not in the image.
float pixel(const Tensor& x, int64_t n, int64_t c, int64_t h, int64_t v, float outside) {
  if (h < 0 || h >= x.shape()[2] || v < 0 || v >= x.shape()[3]) return outside;
  return x.at({n, c, h, v});
}

}  // namespace

Tensor conv2d_direct(const Tensor& x, const Tensor& w, const Tensor& b, int64_t stride, int64_t padding) {
  check_image(x, "conv2d_direct");
  const int64_t N = x.shape()[0], C = x.shape()[1], O = w.shape()[0], kh = w.shape()[2], kw = w.shape()[3];
  const int64_t ho = window_positions(x.shape()[2], kh, stride, padding, "conv2d_direct");
  const int64_t wo = window_positions(x.shape()[3], kw, stride, padding, "conv2d_direct");
  Tensor y = zeros({N, O, ho, wo});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t o = 0; o < O; ++o)
      for (int64_t oh = 0; oh < ho; ++oh)
        for (int64_t ow = 0; ow < wo; ++ow) {
          double acc = b.defined() ? b.at({o}) : 0.0;
          for (int64_t c = 0; c < C; ++c)
            for (int64_t i = 0; i < kh; ++i)
              for (int64_t j = 0; j < kw; ++j)
                acc += double(w.at({o, c, i, j})) *
                       pixel(x, n, c, oh * stride - padding + i, ow * stride - padding + j, 0.0f);
          y.at({n, o, oh, ow}) = float(acc);
        }
  return y;
}

Tensor conv_transpose2d_direct(const Tensor& x, const Tensor& w, const Tensor& b, int64_t stride,
                               int64_t padding) {
  check_image(x, "conv_transpose2d_direct");
  const int64_t N = x.shape()[0], C = x.shape()[1], H = x.shape()[2], V = x.shape()[3];
  const int64_t O = w.shape()[1], kh = w.shape()[2], kw = w.shape()[3];
  const int64_t ho = (H - 1) * stride - 2 * padding + kh, wo = (V - 1) * stride - 2 * padding + kw;
  Tensor y = zeros({N, O, ho, wo});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t v = 0; v < V; ++v)
          for (int64_t o = 0; o < O; ++o)
            for (int64_t i = 0; i < kh; ++i)
              for (int64_t j = 0; j < kw; ++j) {
                const int64_t yh = h * stride - padding + i, yv = v * stride - padding + j;
                if (yh < 0 || yh >= ho || yv < 0 || yv >= wo) continue;
                y.at({n, o, yh, yv}) += x.at({n, c, h, v}) * w.at({c, o, i, j});
              }
  if (b.defined())
    for (int64_t n = 0; n < N; ++n)
      for (int64_t o = 0; o < O; ++o)
        for (int64_t h = 0; h < ho; ++h)
          for (int64_t v = 0; v < wo; ++v) y.at({n, o, h, v}) += b.at({o});
  return y;
}

namespace {

template <class Reduce>
Tensor pool_direct(const Tensor& x, int64_t k, int64_t stride, int64_t padding, float outside, const char* op,
                   Reduce reduce) {
  check_image(x, op);
  const int64_t N = x.shape()[0], C = x.shape()[1];
  const int64_t ho = window_positions(x.shape()[2], k, stride, padding, op);
  const int64_t wo = window_positions(x.shape()[3], k, stride, padding, op);
  Tensor y = zeros({N, C, ho, wo});
  std::vector<float> window;
  for (int64_t n = 0; n < N; ++n)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t oh = 0; oh < ho; ++oh)
        for (int64_t ow = 0; ow < wo; ++ow) {
          window.clear();
          for (int64_t i = 0; i < k; ++i)
            for (int64_t j = 0; j < k; ++j)
              window.push_back(pixel(x, n, c, oh * stride - padding + i, ow * stride - padding + j, outside));
          y.at({n, c, oh, ow}) = reduce(window);
        }
  return y;
}

}  // namespace

Tensor max_pool2d_direct(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding) {
  return pool_direct(x, kernel, stride, padding, -std::numeric_limits<float>::infinity(), "max_pool2d_direct",
                     [](const std::vector<float>& v) { return *std::max_element(v.begin(), v.end()); });
}

Tensor avg_pool2d_direct(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding) {
  return pool_direct(x, kernel, stride, padding, 0.0f, "avg_pool2d_direct", [](const std::vector<float>& v) {
    double s = 0;
    for (float e : v) s += e;
    return float(s / double(v.size()));
  });
}

Tensor upsample_nearest_direct(const Tensor& x, int64_t scale) {
  check_image(x, "upsample_nearest_direct");
  const int64_t N = x.shape()[0], C = x.shape()[1], H = x.shape()[2], V = x.shape()[3];
  Tensor y = empty({N, C, H * scale, V * scale});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t h = 0; h < H * scale; ++h)
        for (int64_t v = 0; v < V * scale; ++v) y.at({n, c, h, v}) = x.at({n, c, h / scale, v / scale});
  return y;
}

}  // namespace ae::tensor
