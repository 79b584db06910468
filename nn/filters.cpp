#include "nn/filters.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "linalg/error.hpp"
#include "tensor/ops.hpp"

namespace ae::nn {

std::vector<double> filter_roughness(const Tensor& filters, int64_t height, int64_t width) {
  if (filters.dim() != 2 || height < 1 || width < 1 || filters.shape()[1] != height * width)
    throw Error(fmt::format("filter_roughness: needs (units, {} * {}) filters, got shape {}", height, width,
                            to_string(filters.shape())));
  const Tensor c = filters.contiguous();
  const float* w = c.data();
  const int64_t units = c.shape()[0], d = height * width;
  const double pairs = double(height * (width - 1) + width * (height - 1));
  std::vector<double> out;
  for (int64_t u = 0; u < units; ++u) {
    const float* f = w + u * d;
    double mean = 0, var = 0, diff = 0;
    for (int64_t i = 0; i < d; ++i) mean += f[i];
    mean /= double(d);
    for (int64_t i = 0; i < d; ++i) var += (f[i] - mean) * (f[i] - mean);
    var /= double(d);
    for (int64_t r = 0; r < height; ++r)
      for (int64_t col = 0; col < width; ++col) {
        const double here = f[r * width + col];
        if (col + 1 < width) diff += (here - f[r * width + col + 1]) * (here - f[r * width + col + 1]);
        if (r + 1 < height) diff += (here - f[(r + 1) * width + col]) * (here - f[(r + 1) * width + col]);
      }
    out.push_back(var > 0 && pairs > 0 ? diff / (2 * pairs * var) : 0.0);
  }
  return out;
}

}  // namespace ae::nn
