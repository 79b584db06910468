#include "nn/histogram.hpp"

#include <cmath>

#include <fmt/core.h>

#include "linalg/error.hpp"

namespace ae::nn {

namespace {

void check_bins(const char* who, int bins, double low, double high) {
  if (bins < 1 || !(high > low))
    throw Error(fmt::format("{}: needs bins >= 1 and high > low, got bins = {}, [{}, {}]", who, bins, low, high));
}

}  // namespace

std::vector<double> histogram_shares(std::span<const float> values, int bins, double low, double high) {
  check_bins("histogram_shares", bins, low, high);
  std::vector<double> shares(static_cast<size_t>(bins), 0.0);
  if (values.empty()) return shares;
  const double width = (high - low) / bins;
  for (float v : values) {
    if (!(v >= low && v <= high)) continue;  // outside, or NaN
    int b = static_cast<int>(std::floor((v - low) / width));
    if (b >= bins) b = bins - 1;  // v == high
    shares[static_cast<size_t>(b)] += 1.0;
  }
  for (double& s : shares) s /= static_cast<double>(values.size());
  return shares;
}

std::vector<double> bin_centres(int bins, double low, double high) {
  check_bins("bin_centres", bins, low, high);
  std::vector<double> centres(static_cast<size_t>(bins));
  const double width = (high - low) / bins;
  for (int b = 0; b < bins; ++b) centres[static_cast<size_t>(b)] = low + (b + 0.5) * width;
  return centres;
}

}  // namespace ae::nn
