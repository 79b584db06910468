#pragma once
// The checks of task 5 every run of the experiment must pass, visible or hidden: the
// baseline is the training ratings' item means, and the predictions, RMSEs and losses
// reported are those of the returned model — all recomputed here from the split's files.
#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "exercises/hw5/hw5.hpp"
#include "exercises/hw5/tests/hw5_testing.hpp"
#include "tensor/ops.hpp"

namespace hw5_testing {

struct Recomputed {
  double baseline_rmse = 0;
  double autorec_rmse = 0;
};

/// σ(X Vᵀ + μ) Wᵀ + b of every item's training vector, clamped to [1, 5], read at each test
/// rating; the item means of the training ratings, in double; both RMSEs in double.
inline Recomputed check_reported_run(const ae::hw5::ExperimentResult& r, const ae::hw5::ExperimentOptions& options,
                                     const ae::hw5::Hw5Data& data) {
  namespace tensor = ae::tensor;
  Recomputed out;
  EXPECT_EQ(r.num_users, data.num_users);
  EXPECT_EQ(r.num_items, data.num_items);
  const size_t n = data.test.size();
  std::vector<bool> all(data.train.size(), true);
  const std::vector<double> means = means_of(data.train, all, data.num_items);
  double baseline_sq = 0;
  for (const Rating& t : data.test)
    baseline_sq += (means[static_cast<size_t>(t.item)] - t.rating) * (means[static_cast<size_t>(t.item)] - t.rating);
  out.baseline_rmse = std::sqrt(baseline_sq / static_cast<double>(n));
  EXPECT_NEAR(r.baseline_rmse, out.baseline_rmse, 1e-4) << "baseline_rmse is not the training item means' RMSE";
  if (!r.baseline_predictions.defined() || r.baseline_predictions.numel() != static_cast<int64_t>(n)) {
    ADD_FAILURE() << "baseline_predictions must hold one prediction per test rating";
  } else {
    const std::vector<float> p = r.baseline_predictions.contiguous().to_vector();
    double worst = 0;
    for (size_t t = 0; t < n; ++t)
      worst = std::max(worst, std::abs(p[t] - means[static_cast<size_t>(data.test[t].item)]));
    EXPECT_LT(worst, 1e-4) << "baseline_predictions are not the training ratings' item means";
  }

  if (!r.model.V.defined()) {
    ADD_FAILURE() << "the experiment returned a model without parameters";
    return out;
  }
  EXPECT_EQ(r.model.V.shape(), (ae::Shape{options.hidden, data.num_users}));
  const ae::Tensor X = ae::hw5::rating_matrix(data.train, data.num_users, data.num_items).t().contiguous();
  const ae::Tensor H = tensor::sigmoid(tensor::matmul(X, r.model.V.value().t()) + r.model.mu.value());
  const ae::Tensor X_hat = (tensor::matmul(H, r.model.W.value().t()) + r.model.b.value()).contiguous();
  const float* x_hat = X_hat.data();
  std::vector<double> predicted;
  double autorec_sq = 0;
  for (const Rating& t : data.test) {
    const double p = std::clamp(static_cast<double>(x_hat[t.item * data.num_users + t.user]), 1.0, 5.0);
    predicted.push_back(p);
    autorec_sq += (p - t.rating) * (p - t.rating);
  }
  out.autorec_rmse = std::sqrt(autorec_sq / static_cast<double>(n));
  EXPECT_NEAR(r.autorec_rmse, out.autorec_rmse, 1e-3) << "autorec_rmse is not the returned model's";
  if (!r.autorec_predictions.defined() || r.autorec_predictions.numel() != static_cast<int64_t>(n))
    ADD_FAILURE() << "autorec_predictions must hold one prediction per test rating";
  else
    EXPECT_LT(max_abs_diff(r.autorec_predictions.contiguous().reshape({static_cast<int64_t>(n)}), predicted), 1e-3)
        << "autorec_predictions are not the returned model's";

  EXPECT_EQ(r.epoch_losses.size(), static_cast<size_t>(options.epochs));
  if (options.epochs >= 2 && r.epoch_losses.size() >= 2) {
    EXPECT_LT(r.epoch_losses.back(), r.epoch_losses.front()) << "the training loss did not go down";
  }
  return out;
}

}  // namespace hw5_testing
