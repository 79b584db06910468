// Filters as images (nn/viz/filters.hpp).
#include "nn/viz/filters.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "linalg/error.hpp"
#include "tensor/ops.hpp"

namespace ae::viz {

Tensor filters_for_display(const Tensor& weights) {
  if (weights.dim() != 2)
    throw Error("filters_for_display: expects a (units, pixels) matrix, got shape " + to_string(weights.shape()));
  const int64_t units = weights.shape()[0], pixels = weights.shape()[1];
  std::vector<float> v = weights.contiguous().to_vector();
  for (int64_t u = 0; u < units; ++u) {
    float* row = v.data() + u * pixels;
    float peak = 0;
    for (int64_t k = 0; k < pixels; ++k) peak = std::max(peak, std::abs(row[k]));
    for (int64_t k = 0; k < pixels; ++k) row[k] = peak > 0 ? 0.5f + 0.5f * row[k] / peak : 0.5f;
  }
  return tensor::from_vector(v, {units, pixels});
}

}  // namespace ae::viz
