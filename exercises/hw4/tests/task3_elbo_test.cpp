// HW4 task 3: the negative ELBO. The Bernoulli reconstruction term at logits 0 and ±ln 3,
// where σ = 1/2, 3/4, 1/4; at logits far beyond where σ rounds to 0 or 1 in float; and the
// loss's mean over the batch with the KL weighted by β, with its gradients by hand.
#include <cmath>

#include <gtest/gtest.h>

#include "exercises/hw4/tests/hw4_student.hpp"
#include "exercises/hw4/tests/hw4_testing.hpp"

namespace {

using namespace hw4_testing;
using ae::Tensor;

TEST(Task3Elbo, ReconstructionSumsOverPixelsByHand) {
  const double l3 = std::log(3.0), l2 = std::log(2.0), l4 = std::log(4.0), l43 = std::log(4.0 / 3.0);
  const Matrix logits = {{0, 0, 0, 0}, {l3, l3, -l3, -l3}};
  const Matrix x = {{0, 1, 0.5, 1}, {1, 0, 1, 0.25}};
  // Row 1: every pixel costs ln 2, whatever x. Row 2, with -log σ(ln 3) = ln(4/3) and
  // -log(1 - σ(ln 3)) = ln 4:  ln(4/3) + ln 4 + ln 4 + (1/4 ln 4 + 3/4 ln(4/3)).
  const std::vector<double> expected = {4 * l2, l43 + l4 + l4 + 0.25 * l4 + 0.75 * l43};
  const hw4_student::Nll got = hw4_student::bernoulli_nll(to_tensor(logits), to_tensor(x), to_tensor(std::vector<double>{1, 1}));
  ASSERT_EQ(got.nll.shape(), (ae::Shape{2})) << "one reconstruction term per example, summed over its pixels";
  EXPECT_LT(max_abs_diff(got.nll, expected), 1e-5);
}

TEST(Task3Elbo, ReconstructionIsExactForLargeLogits) {
  // softplus(l) - x l: at l = 100 the pixel costs 100 (1 - x) up to e^-100, at l = -100 it
  // costs 100 x. In float σ(±40) is already 1 or 0 and its log is -inf.
  const Matrix logits = {{40, -40, 100, -100, 500}, {-500, 60, -60, 0, 88}};
  const Matrix x = {{1, 0, 0.3, 0.3, 0}, {1, 0.5, 0.5, 1, 1}};
  std::vector<double> expected;
  for (size_t i = 0; i < 2; ++i) expected.push_back(nll_row(logits[i], x[i]));
  const hw4_student::Nll got = hw4_student::bernoulli_nll(to_tensor(logits), to_tensor(x), to_tensor(std::vector<double>{1, 1}));
  ASSERT_EQ(got.nll.shape(), (ae::Shape{2}));
  for (size_t i = 0; i < 2; ++i)
    EXPECT_NEAR(flat(got.nll)[i], expected[i], 1e-5 * expected[i]) << "row " << i << ": use the logit-stable form";
  // d nll / d l = σ(l) - x, finite everywhere.
  Matrix grad = zeros(2, 5);
  for (size_t i = 0; i < 2; ++i)
    for (size_t j = 0; j < 5; ++j) grad[i][j] = sigmoid(logits[i][j]) - x[i][j];
  ASSERT_TRUE(got.grad_logits.defined()) << "build the term from autograd ops";
  EXPECT_LT(max_abs_diff(got.grad_logits, grad), 1e-5) << "d nll / d logits = sigmoid(logits) - x";
}

TEST(Task3Elbo, NegativeElboAveragesOverTheBatchWithBeta) {
  // Logits 0: nll_i = 4 ln 2 for every example. KL = (1, 2, 3), β = 1/2:
  //   L = (1/3) Σ (4 ln 2 + KL_i / 2) = 4 ln 2 + 1.
  const Matrix logits = zeros(3, 4);
  const Matrix x = {{1, 0, 1, 0}, {0.5, 0.5, 0.5, 0.5}, {0, 0, 0.25, 1}};
  const std::vector<double> kl = {1, 2, 3};
  const hw4_student::Elbo got = hw4_student::negative_elbo(to_tensor(logits), to_tensor(x), to_tensor(kl), 0.5);
  EXPECT_NEAR(got.loss, 4 * std::log(2.0) + 1, 1e-5) << "(1/n) sum_i (nll_i + beta KL_i)";
  // dL/dl_ij = (σ(0) - x_ij) / n,  dL/dKL_i = β / n.
  Matrix grad = zeros(3, 4);
  for (size_t i = 0; i < 3; ++i)
    for (size_t j = 0; j < 4; ++j) grad[i][j] = (0.5 - x[i][j]) / 3;
  ASSERT_TRUE(got.grad_logits.defined() && got.grad_kl.defined()) << "build the loss from autograd ops";
  EXPECT_LT(max_abs_diff(got.grad_logits, grad), 1e-6) << "dL/dlogits = (sigmoid(logits) - x) / n";
  EXPECT_LT(max_abs_diff(got.grad_kl, std::vector<double>{1 / 6.0, 1 / 6.0, 1 / 6.0}), 1e-6) << "dL/dKL_i = beta / n";
}

}  // namespace
