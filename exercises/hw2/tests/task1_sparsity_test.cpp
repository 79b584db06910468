// HW2 task 1: the KL sparsity penalty and its hand-written gradient. The activations are
// chosen so that ρ̂ = (1/2, 1/4, 1/10): the penalty is a sum of logs written out below, and
// with ρ = 1/10 the gradient's columns are exactly 0.4, 0.2 and 0.
#include <cmath>

#include <gtest/gtest.h>

#include "exercises/hw2/tests/hw2_student.hpp"
#include "exercises/hw2/tests/hw2_testing.hpp"

namespace {

using namespace hw2_testing;
using ae::Tensor;

// Columns with means 0.5, 0.25 and 0.1 over n = 4 rows.
Matrix hand_activations() { return {{0.2, 0.1, 0.1}, {0.8, 0.4, 0.1}, {0.4, 0.2, 0.05}, {0.6, 0.3, 0.15}}; }

TEST(Task1Sparsity, MeanActivationIsOverTheBatch) {
  const Tensor rho_hat = hw2_student::mean_activation(to_tensor(hand_activations()));
  ASSERT_EQ(rho_hat.shape(), (ae::Shape{3})) << "one mean per hidden unit (column), over the rows";
  EXPECT_LT(max_abs_diff(rho_hat, std::vector<double>{0.5, 0.25, 0.1}), 1e-6);
}

TEST(Task1Sparsity, PenaltyByHand) {
  // KL(ρ‖ρ) = 0, so the third unit adds nothing.
  const double expected = 0.1 * std::log(0.1 / 0.5) + 0.9 * std::log(0.9 / 0.5) +
                          0.1 * std::log(0.1 / 0.25) + 0.9 * std::log(0.9 / 0.75);
  EXPECT_NEAR(hw2_student::kl_sparsity(to_tensor(hand_activations()), 0.1), expected, 1e-6);
}

TEST(Task1Sparsity, GradientByHand) {
  // (1/n)(-ρ/ρ̂ + (1-ρ)/(1-ρ̂)) with n = 4, ρ = 0.1:
  //   ρ̂ = 1/2: (-0.2 + 1.8) / 4 = 0.4;  ρ̂ = 1/4: (-0.4 + 1.2) / 4 = 0.2;  ρ̂ = ρ: 0.
  const Tensor g = hw2_student::kl_sparsity_grad(to_tensor(hand_activations()), 0.1);
  Matrix expected = zeros(4, 3);
  for (auto& row : expected) row = {0.4, 0.2, 0.0};
  ASSERT_EQ(g.shape(), (ae::Shape{4, 3})) << "dP/dH has the shape of H";
  EXPECT_LT(max_abs_diff(g, expected), 1e-6);
}

TEST(Task1Sparsity, GradientMatchesCentralDifferencesOfThePenalty) {
  ae::Generator gen(21);
  const Matrix H = uniform(5, 3, 0.2, 0.8, gen);
  const double rho = 0.2, step = 1e-3;
  const Matrix g = to_matrix(hw2_student::kl_sparsity_grad(to_tensor(H), rho));
  ASSERT_EQ(g.size(), 5u);
  for (size_t i = 0; i < H.size(); ++i)
    for (size_t j = 0; j < H[0].size(); ++j) {
      Matrix plus = H, minus = H;
      plus[i][j] += step;
      minus[i][j] -= step;
      const double numeric = (hw2_student::kl_sparsity(to_tensor(plus), rho) -
                              hw2_student::kl_sparsity(to_tensor(minus), rho)) / (2 * step);
      EXPECT_NEAR(g[i][j], numeric, 2e-3 * std::abs(numeric) + 1e-4) << "dP/dH at (" << i << ", " << j << ")";
    }
}

}  // namespace
