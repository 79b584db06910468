// HW5 task 3: AutoRec's masked loss and its gradient with respect to the reconstruction.
// A batch whose loss is worked out by hand, the gradient's exact zeros at the unobserved
// entries, and central differences of the student's own loss.
#include <cmath>

#include <gtest/gtest.h>

#include "exercises/hw5/tests/hw5_student.hpp"
#include "exercises/hw5/tests/hw5_testing.hpp"

namespace {

using namespace hw5_testing;
using ae::Tensor;

// Observed: (0,0) = 4, (0,2) = 2, (1,1) = 5; reconstructed 3, 2.5, 4: errors -1, 0.5, -1.
const Matrix kX = {{4, 0, 2}, {0, 5, 0}};
const Matrix kXHat = {{3, 1, 2.5}, {2, 4, 7}};
// ||W||² = 1 + 4 + 1 + 1 = 7, ||V||² = 1 + 9 = 10.
const Matrix kW = {{1, 0}, {0, 2}, {1, 1}};
const Matrix kV = {{0, 1, 0}, {3, 0, 0}};

TEST(Task3AutoRecLoss, LossByHand) {
  // (1 + 0.25 + 1) / 3 = 0.75 (over all six entries, observed or not, it would differ).
  EXPECT_NEAR(hw5_student::autorec_loss(to_tensor(kXHat), to_tensor(kX), to_tensor(kW), to_tensor(kV), 0.0), 0.75,
              1e-6)
      << "the squared error averaged over the observed entries only";
  // + (0.1 / 2) (7 + 10) = 0.85.
  EXPECT_NEAR(hw5_student::autorec_loss(to_tensor(kXHat), to_tensor(kX), to_tensor(kW), to_tensor(kV), 0.1), 1.6,
              1e-6)
      << "plus (λ/2) (||W||² + ||V||²)";
}

TEST(Task3AutoRecLoss, GradientIsZeroOnUnobservedEntries) {
  const Tensor g = hw5_student::autorec_loss_grad(to_tensor(kXHat), to_tensor(kX));
  ASSERT_EQ(g.shape(), (ae::Shape{2, 3}));
  // 2 e / |O| at the observed entries: -2/3, 1/3, -2/3.
  EXPECT_NEAR(g.at({0, 0}), -2.0 / 3.0, 1e-6);
  EXPECT_NEAR(g.at({0, 2}), 1.0 / 3.0, 1e-6);
  EXPECT_NEAR(g.at({1, 1}), -2.0 / 3.0, 1e-6);
  // Exactly 0 where nobody rated: no weight may move for a rating that does not exist.
  EXPECT_EQ(g.at({0, 1}), 0.0f) << "unobserved entry (0, 1)";
  EXPECT_EQ(g.at({1, 0}), 0.0f) << "unobserved entry (1, 0)";
  EXPECT_EQ(g.at({1, 2}), 0.0f) << "unobserved entry (1, 2)";

  ae::Generator gen(31);
  const Matrix X = sparse_ratings(6, 9, 0.4, gen), X_hat = uniform(6, 9, 0, 6, gen);
  EXPECT_LT(max_abs_diff(hw5_student::autorec_loss_grad(to_tensor(X_hat), to_tensor(X)), masked_loss_grad(X_hat, X)),
            1e-6);
}

TEST(Task3AutoRecLoss, GradientMatchesCentralDifferencesOfTheLoss) {
  ae::Generator gen(32);
  const Matrix X = sparse_ratings(3, 5, 0.5, gen), X_hat = uniform(3, 5, 0, 6, gen);
  const Matrix W = uniform(5, 2, -1, 1, gen), V = uniform(2, 5, -1, 1, gen);
  const Tensor g = hw5_student::autorec_loss_grad(to_tensor(X_hat), to_tensor(X));
  ASSERT_EQ(g.shape(), (ae::Shape{3, 5}));
  // The loss is quadratic in X̂, so the central difference is exact but for rounding.
  const double h = 0.25;
  for (size_t r = 0; r < 3; ++r)
    for (size_t j = 0; j < 5; ++j) {
      Matrix plus = X_hat, minus = X_hat;
      plus[r][j] += h;
      minus[r][j] -= h;
      const double diff = (hw5_student::autorec_loss(to_tensor(plus), to_tensor(X), to_tensor(W), to_tensor(V), 0.01) -
                           hw5_student::autorec_loss(to_tensor(minus), to_tensor(X), to_tensor(W), to_tensor(V), 0.01)) /
                          (2 * h);
      EXPECT_NEAR(g.at({static_cast<int64_t>(r), static_cast<int64_t>(j)}), diff, 1e-5)
          << "entry (" << r << ", " << j << "), " << (X[r][j] != 0 ? "observed" : "unobserved");
    }
}

}  // namespace
