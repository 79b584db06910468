// HW1 task 3: PCA encode / decode, the reconstruction error and the 2-D projection, with
// bases and data chosen so that the answers are known by hand.
#include <gtest/gtest.h>

#include "exercises/hw1/tests/hw1_student.hpp"
#include "exercises/hw1/tests/hw1_testing.hpp"

namespace {

using namespace hw1_testing;
using ae::Tensor;

TEST(Task3Pca, EncodeAndDecodeRoundTripInTheSubspace) {
  // X = 1 μᵀ + Z Wᵀ lies in the affine subspace spanned by W's orthonormal columns, so
  // encoding must give back Z, and decoding Z must give back X.
  const size_t n = 20, d = 8, k = 3;
  ae::Generator gen(31);
  const Matrix Q = random_orthogonal(d, 32);
  Matrix W = zeros(d, k);
  for (size_t i = 0; i < d; ++i)
    for (size_t j = 0; j < k; ++j) W[i][j] = Q[i][j];
  const Matrix Z = gaussian(n, k, gen);
  const std::vector<double> mu = {0.1, 0.2, -0.3, 0.4, 0.5, 0.0, 1.0, -1.0};
  Matrix X = multiply(Z, transpose(W));
  for (auto& row : X)
    for (size_t j = 0; j < d; ++j) row[j] += mu[j];

  const Tensor codes = hw1_student::pca_encode(to_tensor(X), to_tensor(mu), to_tensor(W));
  EXPECT_LT(max_abs_diff(codes, Z), 1e-5);
  const Tensor back = hw1_student::pca_decode(to_tensor(Z), to_tensor(mu), to_tensor(W));
  EXPECT_LT(max_abs_diff(back, X), 1e-5);
}

TEST(Task3Pca, ReconstructionErrorByHand) {
  // Squared errors per row: 0 + 4, 9 + 0, 1 + 1; their mean is 5.
  const Tensor X = to_tensor(Matrix{{1, 2}, {3, 4}, {0, 0}});
  const Tensor X_hat = to_tensor(Matrix{{1, 0}, {0, 4}, {1, 1}});
  EXPECT_NEAR(hw1_student::reconstruction_error(X, X_hat), 5.0, 1e-6);
  EXPECT_NEAR(hw1_student::reconstruction_error(X, X), 0.0, 1e-12);
}

TEST(Task3Pca, Project2dUsesTheFirstTwoComponents) {
  // W's columns are the axes e2, e0, e3: the 2-D view of x is (x2 - μ2, x0 - μ0).
  const Matrix W = {{0, 1, 0}, {0, 0, 0}, {1, 0, 0}, {0, 0, 1}};
  const std::vector<double> mu = {1, 2, 3, 4};
  const Matrix X = {{1, 1, 1, 1}, {5, 6, 7, 8}, {-1, 0, 3, 9}};
  const Tensor view = hw1_student::project_2d(to_tensor(X), to_tensor(mu), to_tensor(W));
  EXPECT_LT(max_abs_diff(view, Matrix{{-2, 0}, {4, 4}, {0, -2}}), 1e-6);
}

}  // namespace
