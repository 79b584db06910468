// nn/autorec: the masked AutoRec objective and its gradient, and training on a small
// low-rank matrix. Expected values are worked out by hand or by plain loops in the test.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "autograd/ops.hpp"
#include "linalg/error.hpp"
#include "nn/autorec.hpp"
#include "nn/recommender.hpp"
#include "tensor/ops.hpp"
#include "tensor/random.hpp"

namespace nn = ae::nn;
using ae::Tensor;
using ae::data::Rating;

namespace {

double squared_norm(const Tensor& t) {
  double s = 0;
  for (float x : t.to_vector()) s += static_cast<double>(x) * x;
  return s;
}

}  // namespace

TEST(AutoRec, LossIsTheMaskedErrorPlusWeightDecay) {
  ae::Generator gen(3);
  nn::AutoRec model(4, 3, gen);
  const Tensor r = ae::tensor::from_vector({5, 0, 3, 0, /**/ 0, 1, 0, 4}, {2, 4});
  const Tensor mask = ae::tensor::from_vector({1, 0, 1, 0, /**/ 0, 1, 0, 1}, {2, 4});
  const float lambda = 0.7f;
  const auto terms = nn::autorec_loss(model, r, mask, lambda, 10);
  // Plain loops: Σ over observed entries of (h(r) - r)², divided by the 2 rows.
  const Tensor h = model(ae::Variable(r)).value();
  double sse = 0;
  for (int64_t row = 0; row < 2; ++row) {
    for (int64_t col = 0; col < 4; ++col) {
      if (mask.at({row, col}) == 0.0f) continue;
      const double d = h.at({row, col}) - r.at({row, col});
      sse += d * d;
    }
  }
  EXPECT_NEAR(terms["reconstruction"].value().item(), sse / 2.0, 1e-4 * (1 + sse));
  const double decay = lambda / (2.0 * 10) *
                       (squared_norm(model.encoder->weight.value()) +
                        squared_norm(model.decoder->weight.value()));
  EXPECT_NEAR(terms["weight decay"].value().item(), decay, 1e-5 * (1 + decay));
  EXPECT_THROW(nn::autorec_loss(model, r.reshape({4, 2}), mask, lambda, 10), ae::Error);
  EXPECT_THROW(nn::autorec_loss(model, r, mask, lambda, 1), ae::Error);  // fewer rows than the batch
}

TEST(AutoRec, AnUnobservedEntryGivesExactlyZeroGradient) {
  ae::Generator gen(5);
  nn::AutoRec model(4, 3, gen);
  // Column 1 is unobserved in both rows, entered as 0 as AutoRec does.
  const Tensor r = ae::tensor::from_vector({5, 0, 3, 2, /**/ 1, 0, 4, 4}, {2, 4});
  const Tensor mask = ae::tensor::from_vector({1, 0, 1, 1, /**/ 1, 0, 1, 1}, {2, 4});
  model.zero_grad();
  nn::autorec_loss(model, r, mask, 0.0f, 2).total().backward();
  // Output 1 is made by row 1 of V and b_1 alone: with λ = 0 their gradient is exactly 0.
  const Tensor gv = model.decoder->weight.grad().value();
  for (int64_t j = 0; j < 3; ++j) EXPECT_EQ(gv.at({1, j}), 0.0f) << j;
  EXPECT_EQ(model.decoder->bias.grad().value().at({1}), 0.0f);
  // Input 1 is 0 in every row, so column 1 of W (dL/dW = δ xᵀ) gets exactly 0 too.
  const Tensor gw = model.encoder->weight.grad().value();
  for (int64_t j = 0; j < 3; ++j) EXPECT_EQ(gw.at({j, 1}), 0.0f) << j;
  // ... while an observed output's row gets some.
  double other = 0;
  for (int64_t j = 0; j < 3; ++j) other += std::abs(gv.at({0, j}));
  EXPECT_GT(other, 0.0);
  // With weight decay, the same row is pulled by λ/(2n) ‖V‖² only: gradient (λ/n) V exactly.
  model.zero_grad();
  nn::autorec_loss(model, r, mask, 0.5f, 2).total().backward();
  const Tensor v = model.decoder->weight.value();
  const Tensor gv2 = model.decoder->weight.grad().value();
  for (int64_t j = 0; j < 3; ++j) EXPECT_NEAR(gv2.at({1, j}), 0.5f / 2 * v.at({1, j}), 1e-7) << j;
}

TEST(AutoRec, ItemAutoRecLearnsALowRankMatrix) {
  // A rank-2 matrix of 40 users x 60 items, half observed; train on 80%, test on the rest.
  ae::Generator gen(11);
  std::vector<double> a(40 * 2), b(60 * 2);
  for (double& x : a) x = gen.uniform();
  for (double& x : b) x = gen.uniform();
  std::vector<Rating> ratings;
  for (int64_t u = 0; u < 40; ++u) {
    for (int64_t i = 0; i < 60; ++i) {
      if (gen.uniform() > 0.5f) continue;
      const double r = 1.0 + 2.0 * (a[u * 2] * b[i * 2] + a[u * 2 + 1] * b[i * 2 + 1]);
      ratings.push_back({u, i, static_cast<float>(r), 0});
    }
  }
  const auto split = nn::holdout_split(ratings, 0.2, 1);
  nn::AutoRecOptions options;
  options.hidden = 20;
  options.lambda = 0.01f;
  options.epochs = 60;
  options.batch_size = 8;
  options.lr = 1e-2f;
  options.monitor = split.test;
  const auto result = nn::train_autorec(split.train, 40, 60, options);
  ASSERT_EQ(result.train_rmse.size(), 60u);
  ASSERT_EQ(result.monitor_rmse.size(), 60u);
  EXPECT_LT(result.train_rmse.back(), 0.5 * result.train_rmse.front());
  const double item_mean =
      nn::rating_errors(*nn::fit_mean(split.train, 40, 60, nn::MeanKind::Item), split.test).rmse;
  EXPECT_LT(nn::rating_errors(*result.predictor, split.test).rmse, item_mean);
  // The estimates are a (users, items) matrix.
  EXPECT_EQ(result.predictor->estimates().shape(), (ae::Shape{40, 60}));
}

TEST(AutoRec, EarlyStoppingReturnsTheModelOfTheBestValidationEpoch) {
  // A rank-2 matrix as above, with a validation part; a high rate and no weight decay make
  // the model overfit, so the validation RMSE turns up and training stops early.
  ae::Generator gen(5);
  std::vector<double> a(30 * 2), b(50 * 2);
  for (double& x : a) x = gen.uniform();
  for (double& x : b) x = gen.uniform();
  std::vector<Rating> ratings;
  for (int64_t u = 0; u < 30; ++u) {
    for (int64_t i = 0; i < 50; ++i) {
      if (gen.uniform() > 0.4f) continue;
      const double r = 1.0 + 2.0 * (a[u * 2] * b[i * 2] + a[u * 2 + 1] * b[i * 2 + 1]) + 0.5 * gen.normal();
      ratings.push_back({u, i, static_cast<float>(r), 0});
    }
  }
  const auto split = nn::holdout_split(ratings, 0.2, 2);
  nn::AutoRecOptions options;
  options.hidden = 40;
  options.lambda = 0.0f;
  options.epochs = 200;
  options.batch_size = 4;
  options.lr = 2e-2f;
  options.patience = 3;
  options.validation = split.test;
  const auto result = nn::train_autorec(split.train, 30, 50, options);
  const auto& v = result.validation_rmse;
  ASSERT_FALSE(v.empty());
  // Stopped by patience, not by the epoch limit, exactly `patience` epochs after the best.
  ASSERT_LT(v.size(), 200u);
  EXPECT_GT(result.best_epoch, 1) << "the validation RMSE should first fall";
  EXPECT_EQ(static_cast<int>(v.size()), result.best_epoch + options.patience);
  EXPECT_EQ(result.train_rmse.size(), v.size());
  // best_epoch is the first minimum of the recorded curve (computed here with a loop).
  size_t arg = 0;
  for (size_t e = 1; e < v.size(); ++e)
    if (v[e] < v[arg]) arg = e;
  EXPECT_EQ(result.best_epoch, static_cast<int>(arg) + 1);
  // The returned model is that epoch's, not the last one's.
  EXPECT_NEAR(nn::rating_errors(*result.predictor, split.test).rmse, v[arg], 1e-5);
  EXPECT_GT(v.back(), v[arg]);
}

TEST(AutoRec, BadEarlyStoppingOptionsAreRejected) {
  const std::vector<Rating> train = {{0, 0, 4.0f, 0}, {1, 1, 3.0f, 0}};
  nn::AutoRecOptions options;
  options.hidden = 2;
  options.patience = 0;
  EXPECT_THROW(nn::train_autorec(train, 2, 2, options), ae::Error);
  options.patience = 3;
  options.validation = {{5, 0, 3.0f, 0}};
  EXPECT_THROW(nn::train_autorec(train, 2, 2, options), ae::Error);
}
