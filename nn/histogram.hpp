#pragma once
// Histograms of values, for figures that compare distributions (e.g. of hidden activations:
// a sparse code piles up near 0, a dense one spreads over (0, 1)).
#include <span>
#include <vector>

namespace ae::nn {

/// The share of `values` in each of `bins` equal bins that split [low, high]: bin b holds
/// low + b w <= v < low + (b + 1) w with w = (high - low) / bins, the last bin also holds
/// v = high. Values outside [low, high] or NaN are not counted, so the shares sum to the
/// fraction of values inside. Throws ae::Error for bins < 1 or high <= low.
std::vector<double> histogram_shares(std::span<const float> values, int bins, double low, double high);

/// The centres of those bins, low + (b + 1/2) w.
std::vector<double> bin_centres(int bins, double low, double high);

}  // namespace ae::nn
