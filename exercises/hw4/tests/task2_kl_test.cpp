// HW4 task 2: KL(N(μ, σ²) ‖ N(0, I)) in closed form, summed over the dimensions of each
// example. By hand at points where it is a few logs; its gradient by hand; and against
// ∫ q log(q / p) integrated numerically in double here.
#include <cmath>

#include <gtest/gtest.h>

#include "exercises/hw4/tests/hw4_student.hpp"
#include "exercises/hw4/tests/hw4_testing.hpp"

namespace {

using namespace hw4_testing;
using ae::Tensor;

TEST(Task2Kl, ClosedFormByHand) {
  const double l2 = std::log(2.0);
  // Row 1: the prior itself, KL 0. Row 2: unit variances, KL = (1 + 4) / 2.
  // Row 3: μ = 0, σ² = 4 and 1/2: (4 - 1 - ln 4) / 2 + (1/2 - 1 + ln 2) / 2 = (5/2 - ln 2) / 2.
  const Matrix mu = {{0, 0}, {1, 2}, {0, 0}}, logvar = {{0, 0}, {0, 0}, {2 * l2, -l2}};
  const hw4_student::Kl got = hw4_student::gaussian_kl(to_tensor(mu), to_tensor(logvar), to_tensor(std::vector<double>{1, 1, 1}));
  ASSERT_EQ(got.kl.shape(), (ae::Shape{3})) << "one KL per example, summed over its dimensions";
  EXPECT_LT(max_abs_diff(got.kl, std::vector<double>{0.0, 2.5, (2.5 - l2) / 2}), 1e-6);
}

TEST(Task2Kl, GradientsByHand) {
  // d(Σ_i w_i KL_i)/dμ_ij = w_i μ_ij,  .../dlogvar_ij = w_i (e^logvar_ij - 1) / 2.
  const double l3 = std::log(3.0);
  const Matrix mu = {{1, -2}, {0.5, 0}}, logvar = {{l3, 0}, {-l3, 2}};
  const std::vector<double> w = {2, -1};
  const hw4_student::Kl got = hw4_student::gaussian_kl(to_tensor(mu), to_tensor(logvar), to_tensor(w));
  ASSERT_TRUE(got.grad_mu.defined() && got.grad_logvar.defined()) << "build the KL from autograd ops";
  const Matrix grad_mu = {{2, -4}, {-0.5, 0}};
  const Matrix grad_logvar = {{2 * (3 - 1) / 2.0, 0}, {-(1 / 3.0 - 1) / 2, -(std::exp(2.0) - 1) / 2}};
  EXPECT_LT(max_abs_diff(got.grad_mu, grad_mu), 1e-5) << "dKL/dmu = mu";
  EXPECT_LT(max_abs_diff(got.grad_logvar, grad_logvar), 1e-5) << "dKL/dlogvar = (exp(logvar) - 1) / 2";
}

TEST(Task2Kl, MatchesNumericIntegration) {
  ae::Generator gen(22);
  const Matrix mu = uniform(3, 4, -2, 2, gen), logvar = uniform(3, 4, -2.5, 1.5, gen);
  std::vector<double> expected;
  for (size_t i = 0; i < 3; ++i) {
    double total = 0;
    for (size_t j = 0; j < 4; ++j) total += kl_by_integration(mu[i][j], logvar[i][j]);
    expected.push_back(total);
  }
  const hw4_student::Kl got = hw4_student::gaussian_kl(to_tensor(mu), to_tensor(logvar), to_tensor(std::vector<double>{1, 1, 1}));
  for (size_t i = 0; i < 3; ++i)
    EXPECT_NEAR(flat(got.kl).at(i), expected[i], 1e-5 * expected[i] + 1e-6) << "KL of example " << i << " by integration";
}

}  // namespace
