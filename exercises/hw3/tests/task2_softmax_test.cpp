// HW3 task 2: the softmax classifier. Logits ln 1, ln 2, ln 3 give probabilities 1/6, 2/6,
// 3/6 by hand, also shifted by 1000 (where exp without the row's maximum overflows); the
// cost and gradient are checked by hand and against central differences of a double-
// precision cost computed here.
#include <cmath>

#include <gtest/gtest.h>

#include "exercises/hw3/tests/hw3_student.hpp"
#include "exercises/hw3/tests/hw3_testing.hpp"

namespace {

using namespace hw3_testing;
using ae::Tensor;

TEST(Task2Softmax, ProbabilitiesByHand) {
  const double l2 = std::log(2.0), l3 = std::log(3.0);
  // exp of the rows: (1, 2, 3) and (3, 3, 1).
  const Tensor P = hw3_student::softmax(to_tensor(Matrix{{0, l2, l3}, {l3, l3, 0}}));
  const Matrix expected = {{1 / 6.0, 2 / 6.0, 3 / 6.0}, {3 / 7.0, 3 / 7.0, 1 / 7.0}};
  EXPECT_LT(max_abs_diff(P, expected), 1e-6) << "P_ik = exp(z_ik) / sum_j exp(z_ij), row by row";
}

TEST(Task2Softmax, StableOnLargeLogits) {
  // Shifting a row changes nothing; exp(1000) overflows float, so the row's maximum must be
  // subtracted first. The reference uses the float logits actually sent.
  const Matrix Z = {{1000, 1000 + std::log(2.0), 1000 + std::log(3.0)}, {-1000, -1000, -1000 + std::log(2.0)},
                    {1000, 0, -1000}};
  const Matrix sent = to_matrix(to_tensor(Z));
  const Tensor P = hw3_student::softmax(to_tensor(Z));
  EXPECT_LT(max_abs_diff(P, softmax(sent)), 1e-5) << "softmax of logits near ±1000 (must be finite)";

  // The cost on logits near 1000: X = I, W = 1000 I, b = 0.
  const Matrix W = {{1000, 0}, {0, 1000}}, X = {{1, 0}, {0, 1}};
  const std::vector<double> b = {0, 0};
  const double cost = hw3_student::softmax_cost(to_tensor(W), to_tensor(b), to_tensor(X), {1, 1}, 0.0);
  // Example 0 has logits (1000, 0) and label 1: -log P = 1000 + log(1 + e^-1000) = 1000;
  // example 1 is right with certainty: 0. The mean is 500.
  EXPECT_NEAR(cost, 500.0, 1e-3) << "the cost with logits of 1000";
}

// K = 3 classes, d = 2, m = 2: X = I, W = [[ln 2, 0], [0, ln 3], [0, 0]], b = 0, labels (0, 1).
// Logits: row 0 (ln 2, 0, 0) -> P = (1/2, 1/4, 1/4); row 1 (0, ln 3, 0) -> P = (1/5, 3/5, 1/5).
struct HandCase {
  Matrix W = {{std::log(2.0), 0}, {0, std::log(3.0)}, {0, 0}};
  std::vector<double> b = {0, 0, 0};
  Matrix X = {{1, 0}, {0, 1}};
  std::vector<int> labels = {0, 1};
  double lambda = 0.1;
};

TEST(Task2Softmax, CostWithWeightDecayByHand) {
  const HandCase h;
  const double expected = -0.5 * (std::log(0.5) + std::log(0.6)) +
                          0.05 * (std::log(2.0) * std::log(2.0) + std::log(3.0) * std::log(3.0));
  EXPECT_NEAR(hw3_student::softmax_cost(to_tensor(h.W), to_tensor(h.b), to_tensor(h.X), h.labels, h.lambda), expected,
              1e-6)
      << "J = -(1/m) sum log P_iy + (lambda/2) ||W||^2";
}

TEST(Task2Softmax, GradientByHand) {
  const HandCase h;
  // P - Y: row 0 (-1/2, 1/4, 1/4), row 1 (1/5, -2/5, 1/5); with X = I, (P - Y)ᵀ X = (P - Y)ᵀ.
  const Matrix expected_dW = {{0.5 * -0.5 + 0.1 * std::log(2.0), 0.5 * 0.2},
                              {0.5 * 0.25, 0.5 * -0.4 + 0.1 * std::log(3.0)},
                              {0.5 * 0.25, 0.5 * 0.2}};
  const std::vector<double> expected_db = {0.5 * -0.3, 0.5 * -0.15, 0.5 * 0.45};
  const ae::hw3::SoftmaxGradient g =
      hw3_student::softmax_cost_grad(to_tensor(h.W), to_tensor(h.b), to_tensor(h.X), h.labels, h.lambda);
  ASSERT_TRUE(g.dW.defined() && g.db.defined());
  EXPECT_LT(max_abs_diff(g.dW, expected_dW), 1e-6) << "dJ/dW = (1/m)(P - Y)ᵀ X + lambda W";
  EXPECT_LT(max_abs_diff(g.db, expected_db), 1e-6) << "dJ/db = (1/m) sum_i (P_i - Y_i), no decay";
}

TEST(Task2Softmax, GradientMatchesCentralDifferences) {
  ae::Generator gen(22);
  const size_t K = 4, d = 5, m = 7;
  const Matrix W = to_matrix(to_tensor(uniform(K, d, -1, 1, gen))), X = to_matrix(to_tensor(uniform(m, d, -1, 1, gen)));
  std::vector<double> b = uniform_vector(K, -0.5, 0.5, gen);
  for (double& x : b) x = static_cast<float>(x);
  std::vector<int> labels;
  for (size_t i = 0; i < m; ++i) labels.push_back(static_cast<int>(gen.below(K)));
  const double lambda = 0.3, step = 1e-5;
  const ae::hw3::SoftmaxGradient g = hw3_student::softmax_cost_grad(to_tensor(W), to_tensor(b), to_tensor(X), labels, lambda);
  ASSERT_TRUE(g.dW.defined() && g.db.defined());
  const Matrix dW = to_matrix(g.dW);
  for (size_t k = 0; k < K; ++k)
    for (size_t j = 0; j < d; ++j) {
      Matrix plus = W, minus = W;
      plus[k][j] += step;
      minus[k][j] -= step;
      const double numeric =
          (softmax_cost(plus, b, X, labels, lambda) - softmax_cost(minus, b, X, labels, lambda)) / (2 * step);
      EXPECT_NEAR(dW[k][j], numeric, 1e-5) << "dJ/dW at (" << k << ", " << j << ")";
    }
  const std::vector<float> db = g.db.contiguous().to_vector();
  ASSERT_EQ(db.size(), K);
  for (size_t k = 0; k < K; ++k) {
    std::vector<double> plus = b, minus = b;
    plus[k] += step;
    minus[k] -= step;
    const double numeric = (softmax_cost(W, plus, X, labels, lambda) - softmax_cost(W, minus, X, labels, lambda)) / (2 * step);
    EXPECT_NEAR(db[k], numeric, 1e-5) << "dJ/db at " << k;
  }
}

}  // namespace
