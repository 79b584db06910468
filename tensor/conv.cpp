// unfold (im2col) and fold (col2im): the data movement of a convolution, so that the
// arithmetic is one gemm per batch (tensor/conv.hpp).
//
// Both walk the matrix cols row by row. A row is one kernel tap (c, i, j); along it, for
// each image n and output row oh, the Wo entries come from one input row ih = oh·s - p + i,
// at columns ow·s - p + j. Only the first and last few ow fall into the padding, so the
// interior range [ow_lo, ow_hi) is worked out once per tap and copied without tests — a
// plain contiguous copy when s = 1.
#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "tensor/conv.hpp"
#include "tensor/ops.hpp"

namespace ae::tensor {

namespace {

// Below this many entries of cols a parallel region costs more than it saves.
constexpr int64_t kParallelEntries = 1 << 16;

void check_window(const Window2d& w, const char* op) {
  if (w.kh < 1 || w.kw < 1 || w.stride < 1 || w.padding < 0)
    throw Error(fmt::format("{}: kernel {}x{}, stride {} and padding {} must be >= 1, >= 1 and >= 0", op,
                            w.kh, w.kw, w.stride, w.padding));
}

// The ow whose column ow·s - p + j lies inside [0, width): [lo, hi), possibly empty.
struct Interior {
  int64_t lo, hi;
};
Interior interior(int64_t width, int64_t out, int64_t j, int64_t stride, int64_t padding) {
  const int64_t before = padding - j;  // ow·s must reach at least this
  const int64_t lo = before <= 0 ? 0 : (before + stride - 1) / stride;
  const int64_t last = width - 1 + padding - j;  // ow·s must not pass this
  const int64_t hi = last < 0 ? 0 : std::min(out, last / stride + 1);
  return {std::min(lo, hi), hi};
}

}  // namespace

int64_t window_positions(int64_t size, int64_t k, int64_t stride, int64_t padding, const char* op) {
  if (size + 2 * padding < k)
    throw Error(fmt::format("{}: a window of {} does not fit an axis of {} with padding {}", op, k, size,
                            padding));
  return (size + 2 * padding - k) / stride + 1;
}

Tensor unfold(const Tensor& input, const Window2d& w, float pad_value, const char* op) {
  check_window(w, op);
  if (input.dim() != 4)
    throw Error(fmt::format("{}: expects an (N, C, H, W) input, got {}", op, to_string(input.shape())));
  const Tensor x = input.contiguous();
  const int64_t n_img = x.shape()[0], channels = x.shape()[1], height = x.shape()[2], width = x.shape()[3];
  const int64_t ho = window_positions(height, w.kh, w.stride, w.padding, op);
  const int64_t wo = window_positions(width, w.kw, w.stride, w.padding, op);
  const int64_t rows = channels * w.kh * w.kw, ncols = n_img * ho * wo;
  Tensor cols = empty({rows, ncols});
  const float* src = x.data();
  float* dst = cols.data();
  const int64_t s = w.stride, p = w.padding;
#pragma omp parallel for schedule(static) if (rows * ncols >= kParallelEntries)
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t c = r / (w.kh * w.kw), i = (r / w.kw) % w.kh, j = r % w.kw;
    const Interior in = interior(width, wo, j, s, p);
    float* out = dst + r * ncols;
    for (int64_t n = 0; n < n_img; ++n) {
      for (int64_t oh = 0; oh < ho; ++oh, out += wo) {
        const int64_t ih = oh * s - p + i;
        if (ih < 0 || ih >= height) {
          std::fill(out, out + wo, pad_value);
          continue;
        }
        const float* row = src + ((n * channels + c) * height + ih) * width;
        std::fill(out, out + in.lo, pad_value);
        if (s == 1) {
          std::copy(row + in.lo - p + j, row + in.hi - p + j, out + in.lo);
        } else {
          for (int64_t ow = in.lo; ow < in.hi; ++ow) out[ow] = row[ow * s - p + j];
        }
        std::fill(out + in.hi, out + wo, pad_value);
      }
    }
  }
  return cols;
}

Tensor fold(const Tensor& cols_in, const Shape& image_shape, const Window2d& w, const char* op) {
  check_window(w, op);
  if (image_shape.size() != 4)
    throw Error(fmt::format("{}: expects an (N, C, H, W) image shape, got {}", op, to_string(image_shape)));
  const int64_t n_img = image_shape[0], channels = image_shape[1], height = image_shape[2],
                width = image_shape[3];
  const int64_t ho = window_positions(height, w.kh, w.stride, w.padding, op);
  const int64_t wo = window_positions(width, w.kw, w.stride, w.padding, op);
  const int64_t taps = w.kh * w.kw, ncols = n_img * ho * wo;
  if (cols_in.shape() != Shape{channels * taps, ncols})
    throw Error(fmt::format("{}: columns of shape {} do not fit images {} with a {}x{} window (expected [{}, {}])",
                            op, to_string(cols_in.shape()), to_string(image_shape), w.kh, w.kw,
                            channels * taps, ncols));
  const Tensor cols = cols_in.contiguous();
  Tensor x = zeros(image_shape);
  const float* src = cols.data();
  float* dst = x.data();
  const int64_t s = w.stride, p = w.padding;
  // Taps of one channel add into the same pixels, so the threads split the channels.
#pragma omp parallel for schedule(static) if (channels * taps * ncols >= kParallelEntries)
  for (int64_t c = 0; c < channels; ++c) {
    for (int64_t t = 0; t < taps; ++t) {
      const int64_t i = t / w.kw, j = t % w.kw;
      const Interior in = interior(width, wo, j, s, p);
      const float* col = src + (c * taps + t) * ncols;
      for (int64_t n = 0; n < n_img; ++n) {
        for (int64_t oh = 0; oh < ho; ++oh, col += wo) {
          const int64_t ih = oh * s - p + i;
          if (ih < 0 || ih >= height) continue;
          float* row = dst + ((n * channels + c) * height + ih) * width;
          for (int64_t ow = in.lo; ow < in.hi; ++ow) row[ow * s - p + j] += col[ow];
        }
      }
    }
  }
  return x;
}

}  // namespace ae::tensor
