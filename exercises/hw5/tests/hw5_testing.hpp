#pragma once
// Helpers of the HW5 tests: double-precision references written from the formulas of
// hw5.hpp with plain loops, random sparse ratings, and the data folder. None of it calls
// the functions under test, which run in the student runner (hw5_student.hpp).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <utility>
#include <vector>

#include "exercises/common/testing.hpp"
#include "exercises/hw5/hw5.hpp"
#include "nn/data/locate.hpp"
#include "tensor/random.hpp"

namespace hw5_testing {

using namespace ae::exercises::testing;
using ae::hw5::Rating;

/// A vector or matrix of whole-star ratings 1 .. 5, each entry rated with probability
/// `density` (0 otherwise).
inline std::vector<double> sparse_ratings(size_t n, double density, ae::Generator& gen) {
  std::vector<double> v(n, 0.0);
  for (double& x : v)
    if (gen.uniform() < density) x = 1.0 + static_cast<double>(gen.below(5));
  return v;
}
inline Matrix sparse_ratings(size_t rows, size_t cols, double density, ae::Generator& gen) {
  Matrix m;
  for (size_t r = 0; r < rows; ++r) m.push_back(sparse_ratings(cols, density, gen));
  return m;
}

// ---- task 1: the cosine over the co-rated entries

inline double co_rated_cosine(const std::vector<double>& a, const std::vector<double>& b) {
  double dot = 0, aa = 0, bb = 0;
  for (size_t j = 0; j < a.size(); ++j)
    if (a[j] != 0 && b[j] != 0) {
      dot += a[j] * b[j];
      aa += a[j] * a[j];
      bb += b[j] * b[j];
    }
  return aa == 0 ? 0.0 : dot / std::sqrt(aa * bb);
}

// ---- task 2: the item-based prediction

/// The mean of column j's ratings, and whether it has any.
inline std::pair<double, bool> column_mean(const Matrix& R, size_t j) {
  double sum = 0;
  int count = 0;
  for (const auto& row : R)
    if (row[j] != 0) {
      sum += row[j];
      ++count;
    }
  return {count ? sum / count : 0.0, count > 0};
}

inline double item_based(const Matrix& R, const Matrix& S, size_t u, size_t i, size_t k, bool mean_centred) {
  std::vector<std::pair<double, size_t>> neighbours;  // (similarity, item)
  for (size_t j = 0; j < R[0].size(); ++j)
    if (j != i && R[u][j] != 0 && S[i][j] > 0) neighbours.push_back({S[i][j], j});
  std::stable_sort(neighbours.begin(), neighbours.end(),
                   [](const auto& x, const auto& y) { return x.first > y.first; });
  if (neighbours.size() > k) neighbours.resize(k);
  auto [mu_i, rated] = column_mean(R, i);
  if (!rated) {
    double sum = 0;
    int count = 0;
    for (const auto& row : R)
      for (double r : row)
        if (r != 0) {
          sum += r;
          ++count;
        }
    mu_i = count ? sum / count : 0.0;
  }
  if (neighbours.empty()) return mu_i;
  double num = 0, den = 0;
  for (const auto& [s, j] : neighbours) {
    num += s * (R[u][j] - (mean_centred ? column_mean(R, j).first : 0.0));
    den += s;
  }
  return (mean_centred ? mu_i : 0.0) + num / den;
}

// ---- task 3: the masked loss and its gradient

inline double masked_loss(const Matrix& X_hat, const Matrix& X, const Matrix& W, const Matrix& V, double lambda) {
  double squared = 0, norms = 0;
  int observed = 0;
  for (size_t r = 0; r < X.size(); ++r)
    for (size_t j = 0; j < X[0].size(); ++j)
      if (X[r][j] != 0) {
        squared += (X_hat[r][j] - X[r][j]) * (X_hat[r][j] - X[r][j]);
        ++observed;
      }
  for (const Matrix* M : {&W, &V})
    for (const auto& row : *M)
      for (double w : row) norms += w * w;
  return squared / observed + lambda / 2 * norms;
}

inline Matrix masked_loss_grad(const Matrix& X_hat, const Matrix& X) {
  int observed = 0;
  for (const auto& row : X)
    for (double x : row) observed += x != 0;
  Matrix g = zeros(X.size(), X[0].size());
  for (size_t r = 0; r < X.size(); ++r)
    for (size_t j = 0; j < X[0].size(); ++j)
      if (X[r][j] != 0) g[r][j] = 2 * (X_hat[r][j] - X[r][j]) / observed;
  return g;
}

/// A matrix of uniform numbers in [low, high).
inline Matrix uniform(size_t rows, size_t cols, double low, double high, ae::Generator& gen) {
  Matrix m = zeros(rows, cols);
  for (auto& row : m)
    for (double& x : row) x = low + (high - low) * gen.uniform();
  return m;
}

// ---- task 4: item means

/// Whole-star ratings of `users` users for `items` items, one per (user, item) at most.
inline std::vector<Rating> random_ratings(size_t count, int64_t users, int64_t items, ae::Generator& gen) {
  std::vector<Rating> ratings;
  for (size_t t = 0; t < count; ++t)
    ratings.push_back(Rating{static_cast<int64_t>(gen.below(static_cast<uint64_t>(users))),
                             static_cast<int64_t>(gen.below(static_cast<uint64_t>(items))),
                             static_cast<float>(1 + gen.below(5)), 0});
  return ratings;
}

/// Every item's mean over the ratings whose `use` is true; the mean of those for an item
/// with none.
inline std::vector<double> means_of(const std::vector<Rating>& ratings, const std::vector<bool>& use, int64_t items) {
  std::vector<double> sum(static_cast<size_t>(items), 0.0), count(static_cast<size_t>(items), 0.0);
  double total = 0, n = 0;
  for (size_t t = 0; t < ratings.size(); ++t)
    if (use[t]) {
      sum[static_cast<size_t>(ratings[t].item)] += ratings[t].rating;
      count[static_cast<size_t>(ratings[t].item)] += 1;
      total += ratings[t].rating;
      n += 1;
    }
  std::vector<double> means;
  for (size_t item = 0; item < sum.size(); ++item) means.push_back(count[item] > 0 ? sum[item] / count[item] : total / n);
  return means;
}

/// Checks folds of N ratings: k of them, disjoint, covering 0 .. N-1 once, fold f of size
/// (f + 1) N / k - f N / k. Returns a description of the first problem, "" when none.
inline std::string fold_problem(const ae::hw5::Folds& folds, int64_t N, int64_t k) {
  if (static_cast<int64_t>(folds.size()) != k) return "expected " + std::to_string(k) + " folds, got " + std::to_string(folds.size());
  std::vector<int> seen(static_cast<size_t>(N), 0);
  for (int64_t f = 0; f < k; ++f) {
    const auto& fold = folds[static_cast<size_t>(f)];
    const int64_t expected = (f + 1) * N / k - f * N / k;
    if (static_cast<int64_t>(fold.size()) != expected)
      return "fold " + std::to_string(f) + " holds " + std::to_string(fold.size()) + " ratings, expected " +
             std::to_string(expected);
    for (int64_t t : fold) {
      if (t < 0 || t >= N) return "fold " + std::to_string(f) + " names rating " + std::to_string(t);
      if (seen[static_cast<size_t>(t)]++)
        return "rating " + std::to_string(t) + " is in two folds (or twice in one): the folds must be disjoint";
    }
  }
  return "";
}

// ---- task 5: the data

/// The ml-100k folder the tests read: $AELAB_DATA, or ./data and ../shared/data next to the
/// repository. Its error says every place it looked and where to get MovieLens-100K.
inline std::filesystem::path test_data_dir() {
  auto search = ae::data::DataSearch::from_environment("ml-100k", std::nullopt);
  search.working_dir = AELAB_SOURCE_DIR;
  return ae::data::locate_dataset("ml-100k", search);
}

}  // namespace hw5_testing
