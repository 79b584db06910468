// HW5 tasks 1 and 2: the cosine similarity of two rating vectors over their co-rated
// entries, and the item-based prediction of lecture 000 built on item similarities.
// Plain loops over the tensors' numbers (to_vector(), or data() of a contiguous tensor).
#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/core.h>

#include "exercises/hw5/hw5.hpp"
#include "tensor/ops.hpp"

namespace ae::hw5 {

namespace {

// BEGIN SOLUTION
// μ_j: the mean of column j's ratings (the non-zero entries); `any` says whether there are.
double column_mean(const std::vector<float>& R, int64_t n, int64_t m, int64_t j, bool& any) {
  double sum = 0;
  int64_t count = 0;
  for (int64_t u = 0; u < n; ++u) {
    const float r = R[static_cast<size_t>(u * m + j)];
    if (r != 0.0f) {
      sum += r;
      ++count;
    }
  }
  any = count > 0;
  return any ? sum / static_cast<double>(count) : 0.0;
}

// The mean of every rating in R, 0 without one.
double overall_mean(const std::vector<float>& R) {
  double sum = 0;
  int64_t count = 0;
  for (float r : R)
    if (r != 0.0f) {
      sum += r;
      ++count;
    }
  return count > 0 ? sum / static_cast<double>(count) : 0.0;
}
// END SOLUTION

}  // namespace

// ---------------------------------------------------------------- task 1

double cosine_similarity(const Tensor& a, const Tensor& b) {
  require_dims(a, 1, "cosine_similarity", "a");
  require_dims(b, 1, "cosine_similarity", "b");
  if (a.size(0) != b.size(0))
    throw Error(fmt::format("cosine_similarity: a has shape {} and b {}, expected equal lengths",
                            to_string(a.shape()), to_string(b.shape())));
  // BEGIN SOLUTION task 1 cosine_similarity
  const std::vector<float> x = a.to_vector(), y = b.to_vector();
  double dot = 0, xx = 0, yy = 0;
  for (size_t j = 0; j < x.size(); ++j) {
    // Only the entries both vectors rated.
    if (x[j] == 0.0f || y[j] == 0.0f) continue;
    dot += static_cast<double>(x[j]) * y[j];
    xx += static_cast<double>(x[j]) * x[j];
    yy += static_cast<double>(y[j]) * y[j];
  }
  if (xx == 0.0 || yy == 0.0) return 0.0;
  return dot / (std::sqrt(xx) * std::sqrt(yy));
  // END SOLUTION
}

// ---------------------------------------------------------------- task 2

double predict_item_based(const Tensor& R, const Tensor& S, int64_t u, int64_t i, int64_t k,
                          bool mean_centred) {
  require_dims(R, 2, "predict_item_based", "R");
  require_dims(S, 2, "predict_item_based", "S");
  const int64_t n = R.size(0), m = R.size(1);
  if (S.size(0) != m || S.size(1) != m)
    throw Error(fmt::format("predict_item_based: R has shape {}, so S must be [{}, {}], got {}",
                            to_string(R.shape()), m, m, to_string(S.shape())));
  if (u < 0 || u >= n || i < 0 || i >= m || k < 1)
    throw Error(fmt::format("predict_item_based: u = {}, i = {}, k = {} for R of shape {} (k must be >= 1)",
                            u, i, k, to_string(R.shape())));
  // BEGIN SOLUTION task 2 predict_item_based
  const std::vector<float> r = R.to_vector(), s = S.to_vector();
  // Candidates: items the user rated, positively similar to i; most similar first.
  std::vector<std::pair<double, int64_t>> candidates;
  for (int64_t j = 0; j < m; ++j) {
    const double sim = s[static_cast<size_t>(i * m + j)];
    if (j != i && r[static_cast<size_t>(u * m + j)] != 0.0f && sim > 0) candidates.emplace_back(sim, j);
  }
  std::sort(candidates.begin(), candidates.end(), [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first > y.first : x.second < y.second;
  });
  if (static_cast<int64_t>(candidates.size()) > k) candidates.resize(static_cast<size_t>(k));

  bool rated = false;
  double mu_i = column_mean(r, n, m, i, rated);
  if (!rated) mu_i = overall_mean(r);
  if (candidates.empty()) return mu_i;
  double weighted = 0, weights = 0;
  for (const auto& [sim, j] : candidates) {
    double rating = r[static_cast<size_t>(u * m + j)];
    if (mean_centred) {
      bool any = false;
      rating -= column_mean(r, n, m, j, any);  // j has the user's rating, so any is true
    }
    weighted += sim * rating;
    weights += sim;
  }
  return (mean_centred ? mu_i : 0.0) + weighted / weights;
  // END SOLUTION
}

}  // namespace ae::hw5
