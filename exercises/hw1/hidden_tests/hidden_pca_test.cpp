// HW1 tasks 1–3, hidden suite: new inputs drawn from the grader's per-run seed
// (hidden_seed, which the student runner never sees) — other sizes, strided views,
// rank-deficient data, the whole spectrum), each with its answer known from how it is built.
#include <cmath>

#include <gtest/gtest.h>

#include "exercises/hw1/tests/hw1_student.hpp"
#include "exercises/hw1/tests/hw1_testing.hpp"

namespace {

using namespace hw1_testing;
using hw1_student::hidden_seed;
using ae::Tensor;

// ---- task 1

TEST(Task1Hidden, CovarianceMatchesDoubleSums) {
  ae::Generator gen(hidden_seed(101));
  for (auto [n, d] : {std::pair<size_t, size_t>{30, 9}, {5, 12}, {2, 3}}) {
    // hw1.hpp: the input is centred. Centre the draws (column means, in double) so the test
    // stays inside that contract: an implementation that centres again must pass too.
    Matrix Xc = gaussian(n, d, gen);
    for (size_t j = 0; j < d; ++j) {
      double mean = 0;
      for (size_t r = 0; r < n; ++r) mean += Xc[r][j];
      mean /= static_cast<double>(n);
      for (size_t r = 0; r < n; ++r) Xc[r][j] -= mean;
    }
    Matrix expected = zeros(d, d);
    for (size_t i = 0; i < d; ++i)
      for (size_t j = 0; j < d; ++j) {
        for (size_t r = 0; r < n; ++r) expected[i][j] += Xc[r][i] * Xc[r][j];
        expected[i][j] /= static_cast<double>(n - 1);
      }
    EXPECT_LT(max_abs_diff(hw1_student::covariance(to_tensor(Xc)), expected), 1e-4)
        << "n = " << n << ", d = " << d;
  }
}

TEST(Task1Hidden, MeanAndCenterOfStridedViews) {
  // X is the transpose of a stored matrix: a view whose rows are not contiguous.
  const Matrix stored = {{1, 4, 7, 10}, {2, 5, 8, 11}, {3, 6, 9, 12.5}};
  // The runner receives `stored` and passes its .t() to the student's functions; rows
  // (1,2,3), (4,5,6), (7,8,9), (10,11,12.5).
  const Tensor mean = hw1_student::column_mean_of_transpose(to_tensor(stored));
  EXPECT_LT(max_abs_diff(mean, std::vector<double>{5.5, 6.5, 7.625}), 1e-6);
  const auto [centred, X_after] =
      hw1_student::center_of_transpose(to_tensor(stored), to_tensor(std::vector<double>{5.5, 6.5, 7.625}));
  EXPECT_LT(max_abs_diff(centred, Matrix{{-4.5, -4.5, -4.625},
                                         {-1.5, -1.5, -1.625},
                                         {1.5, 1.5, 1.375},
                                         {4.5, 4.5, 4.875}}), 1e-6);
  EXPECT_LT(max_abs_diff(X_after, transpose(stored)), 0.0 + 1e-12) << "center must not change X";
}

// ---- task 2

TEST(Task2Hidden, DeflatesThroughTheWholeSpectrum) {
  const std::vector<double> spectrum = {5, 3, 2, 1.2, 0.7, 0.4, 0.2};
  const Matrix Q = random_orthogonal(7, hidden_seed(202));
  const Matrix C = with_spectrum(Q, spectrum);
  const ae::hw1::Eigenpairs eig = hw1_student::top_eigenpairs(to_tensor(C), 7).pairs;
  for (int64_t i = 0; i < 7; ++i)
    EXPECT_NEAR(eig.values.at({i}), spectrum[i], 2e-3) << "eigenvalue " << i;
  // All of them together rebuild C: V diag(λ) Vᵀ = C.
  std::vector<double> values;
  for (int64_t i = 0; i < 7; ++i) values.push_back(eig.values.at({i}));
  EXPECT_LT(max_abs_diff(to_tensor(with_spectrum(to_matrix(eig.vectors), values)), C), 5e-3);
}

TEST(Task2Hidden, LeavesTheInputAloneAndStopsAtTheTolerance) {
  // λ2 / λ1 = 0.01: each iteration shrinks the error a hundredfold, so a handful suffice.
  const Matrix Q = random_orthogonal(6, hidden_seed(203));
  const Tensor C = to_tensor(with_spectrum(Q, {100, 1, 0.5, 0.25, 0.1, 0.05}));
  ae::hw1::PowerIterationOptions options;
  options.tolerance = 1e-4f;
  const auto [eig, C_after] = hw1_student::top_eigenpairs(C, 1, options);
  EXPECT_TRUE(ae::tensor::allclose(C_after, C, 0, 0)) << "top_eigenpairs must not change C";
  ASSERT_EQ(eig.iterations.size(), 1u);
  EXPECT_LE(eig.iterations[0], 10) << "power iteration did not stop once v stopped changing";
  EXPECT_NEAR(eig.values.at({0}), 100.0, 1e-2);
  options.max_iterations = 2;
  options.tolerance = 0;
  const ae::hw1::Eigenpairs capped = hw1_student::top_eigenpairs(C, 3, options).pairs;
  for (int n : capped.iterations) EXPECT_LE(n, 2) << "max_iterations was not respected";
}

// ---- task 3

TEST(Task3Hidden, TrainingErrorIsTheSumOfTheDroppedEigenvalues) {
  // With the exact top-k eigenvectors, PCA's mean squared error on its own training data
  // is (n - 1)/n times the sum of the eigenvalues it drops.
  const std::vector<double> spectrum = {3, 2, 1.5, 1, 0.6, 0.3, 0.2, 0.1, 0.05, 0.02};
  const size_t n = 60, d = 10, k = 4;
  const std::vector<double> mean = {1, 0, -1, 2, 0.5, 0.25, -0.5, 3, 0, 1};
  const ConstructedData data = constructed_data(n, mean, spectrum, hidden_seed(303));
  Matrix W = zeros(d, k);
  for (size_t i = 0; i < d; ++i)
    for (size_t j = 0; j < k; ++j) W[i][j] = data.Q[i][j];
  const Tensor X = to_tensor(data.X), mu = to_tensor(mean), Wt = to_tensor(W);
  const Tensor X_hat = hw1_student::pca_decode(hw1_student::pca_encode(X, mu, Wt), mu, Wt);
  double dropped = 0;
  for (size_t i = k; i < d; ++i) dropped += spectrum[i];
  EXPECT_NEAR(hw1_student::reconstruction_error(X, X_hat), dropped * (n - 1) / n, 1e-3 * dropped);
}

}  // namespace
