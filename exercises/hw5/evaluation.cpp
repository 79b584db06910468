// HW5 task 4: the offline evaluation of lecture 000 — k folds of the ratings, the item-mean
// baseline from the training folds only, and the RMSE of predictions.
#include <cmath>
#include <numeric>

#include <fmt/core.h>

#include "exercises/hw5/hw5.hpp"
#include "tensor/ops.hpp"

namespace ae::hw5 {

Folds k_fold_split(int64_t num_ratings, int64_t k, uint64_t seed) {
  if (num_ratings < 1 || k < 1 || k > num_ratings)
    throw Error(fmt::format("k_fold_split: num_ratings = {}, k = {}, expected 1 <= k <= num_ratings",
                            num_ratings, k));
  // BEGIN SOLUTION task 4 k_fold_split
  // Fisher-Yates: every position gets a rating not placed yet, so each appears once.
  Generator gen(seed);
  std::vector<int64_t> order(static_cast<size_t>(num_ratings));
  std::iota(order.begin(), order.end(), int64_t{0});
  for (int64_t t = num_ratings - 1; t > 0; --t) {
    const auto j = static_cast<int64_t>(gen.below(static_cast<uint64_t>(t + 1)));
    std::swap(order[static_cast<size_t>(t)], order[static_cast<size_t>(j)]);
  }
  Folds folds(static_cast<size_t>(k));
  for (int64_t f = 0; f < k; ++f)
    folds[static_cast<size_t>(f)].assign(order.begin() + f * num_ratings / k,
                                         order.begin() + (f + 1) * num_ratings / k);
  return folds;
  // END SOLUTION
}

Tensor item_means(const std::vector<Rating>& ratings, int64_t num_items) {
  if (ratings.empty() || num_items < 1)
    throw Error(fmt::format("item_means: {} ratings and num_items = {}, expected at least one of each",
                            ratings.size(), num_items));
  // BEGIN SOLUTION task 4 item_means
  std::vector<double> sums(static_cast<size_t>(num_items), 0.0);
  std::vector<int64_t> counts(static_cast<size_t>(num_items), 0);
  double total = 0;
  for (const Rating& r : ratings) {
    if (r.item < 0 || r.item >= num_items)
      throw Error(fmt::format("item_means: a rating of item {}, expected 0 <= item < {}", r.item, num_items));
    sums[static_cast<size_t>(r.item)] += r.rating;
    counts[static_cast<size_t>(r.item)] += 1;
    total += r.rating;
  }
  // An item nobody rated: the best guess is the mean of every rating.
  const double overall = total / static_cast<double>(ratings.size());
  std::vector<float> means(static_cast<size_t>(num_items));
  for (size_t j = 0; j < means.size(); ++j)
    means[j] = static_cast<float>(counts[j] > 0 ? sums[j] / static_cast<double>(counts[j]) : overall);
  return tensor::from_vector(means, {num_items});
  // END SOLUTION
}

Tensor training_item_means(const std::vector<Rating>& ratings, const Folds& folds,
                           int64_t test_fold, int64_t num_items) {
  if (test_fold < 0 || test_fold >= static_cast<int64_t>(folds.size()))
    throw Error(fmt::format("training_item_means: test_fold = {} with {} folds", test_fold, folds.size()));
  // BEGIN SOLUTION task 4 training_item_means
  std::vector<Rating> training;
  for (size_t f = 0; f < folds.size(); ++f) {
    if (static_cast<int64_t>(f) == test_fold) continue;
    for (int64_t t : folds[f]) {
      if (t < 0 || t >= static_cast<int64_t>(ratings.size()))
        throw Error(fmt::format("training_item_means: fold {} names rating {} of {}", f, t, ratings.size()));
      training.push_back(ratings[static_cast<size_t>(t)]);
    }
  }
  return item_means(training, num_items);
  // END SOLUTION
}

double rmse(const Tensor& predicted, const Tensor& actual) {
  require_dims(predicted, 1, "rmse", "predicted");
  require_dims(actual, 1, "rmse", "actual");
  if (predicted.size(0) != actual.size(0) || actual.size(0) < 1)
    throw Error(fmt::format("rmse: predicted has shape {} and actual {}, expected one equal length >= 1",
                            to_string(predicted.shape()), to_string(actual.shape())));
  // BEGIN SOLUTION task 4 rmse
  const std::vector<float> p = predicted.to_vector(), a = actual.to_vector();
  double sum = 0;
  for (size_t t = 0; t < p.size(); ++t) {
    const double e = static_cast<double>(p[t]) - a[t];
    sum += e * e;
  }
  return std::sqrt(sum / static_cast<double>(p.size()));
  // END SOLUTION
}

}  // namespace ae::hw5
