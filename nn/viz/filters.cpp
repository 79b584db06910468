// Filters as images (nn/viz/filters.hpp).
#include "nn/viz/filters.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "linalg/error.hpp"
#include "tensor/ops.hpp"

namespace ae::viz {

Tensor filters_for_display(const Tensor& weights, bool centre_rows) {
  if (weights.dim() != 2)
    throw Error("filters_for_display: expects a (units, pixels) matrix, got shape " + to_string(weights.shape()));
  const int64_t units = weights.shape()[0], pixels = weights.shape()[1];
  std::vector<float> v = weights.contiguous().to_vector();
  for (int64_t u = 0; u < units; ++u) {
    float* row = v.data() + u * pixels;
    double mean = 0;
    if (centre_rows && pixels > 0) {
      for (int64_t k = 0; k < pixels; ++k) mean += row[k];
      mean /= static_cast<double>(pixels);
    }
    double peak = 0;
    for (int64_t k = 0; k < pixels; ++k) peak = std::max(peak, std::abs(row[k] - mean));
    for (int64_t k = 0; k < pixels; ++k)
      row[k] = peak > 0 ? static_cast<float>(0.5 + 0.5 * (row[k] - mean) / peak) : 0.5f;
  }
  return tensor::from_vector(v, {units, pixels});
}

}  // namespace ae::viz
