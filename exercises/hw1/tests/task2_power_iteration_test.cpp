// HW1 task 2: the top-k eigenvectors by power iteration with deflation.
// The matrices are built as Q diag(λ) Qᵀ from a random orthogonal Q, so the eigenpairs
// are known exactly.
#include <cmath>

#include <gtest/gtest.h>

#include "exercises/hw1/tests/hw1_student.hpp"
#include "exercises/hw1/tests/hw1_testing.hpp"

namespace {

using namespace hw1_testing;
using ae::Tensor;

const std::vector<double> kSpectrum = {10, 6, 3.5, 2, 1, 0.6, 0.3, 0.2, 0.1, 0.05};

TEST(Task2PowerIteration, FindsTheLargestEigenvalues) {
  const Matrix Q = random_orthogonal(10, 7);
  const ae::hw1::Eigenpairs eig = hw1_student::top_eigenpairs(to_tensor(with_spectrum(Q, kSpectrum)), 3).pairs;
  ASSERT_EQ(eig.values.shape(), (ae::Shape{3}));
  for (int64_t i = 0; i < 3; ++i)
    EXPECT_NEAR(eig.values.at({i}), kSpectrum[i], 1e-3 * kSpectrum[i]) << "eigenvalue " << i;
}

TEST(Task2PowerIteration, FindsTheirEigenvectors) {
  const Matrix Q = random_orthogonal(10, 8);
  const ae::hw1::Eigenpairs eig = hw1_student::top_eigenpairs(to_tensor(with_spectrum(Q, kSpectrum)), 3).pairs;
  ASSERT_EQ(eig.vectors.shape(), (ae::Shape{10, 3}));
  const Matrix V = to_matrix(eig.vectors);
  for (size_t i = 0; i < 3; ++i) {
    double dot = 0;  // an eigenvector's sign is arbitrary: compare |q_i · v_i| with 1
    for (size_t r = 0; r < 10; ++r) dot += Q[r][i] * V[r][i];
    EXPECT_GT(std::abs(dot), 1 - 1e-4) << "column " << i << " is not the eigenvector of λ = "
                                       << kSpectrum[i];
  }
}

TEST(Task2PowerIteration, ReturnsOrthonormalVectorsAndIterationCounts) {
  const Matrix Q = random_orthogonal(10, 9);
  ae::hw1::PowerIterationOptions options;
  options.max_iterations = 500;
  const ae::hw1::Eigenpairs eig =
      hw1_student::top_eigenpairs(to_tensor(with_spectrum(Q, kSpectrum)), 4, options).pairs;
  const Matrix V = to_matrix(eig.vectors);
  const Matrix gram = multiply(transpose(V), V);
  for (size_t i = 0; i < 4; ++i)
    for (size_t j = 0; j < 4; ++j)
      EXPECT_NEAR(gram[i][j], i == j ? 1.0 : 0.0, 1e-3) << "VᵀV at (" << i << ", " << j << ")";
  ASSERT_EQ(eig.iterations.size(), 4u);
  // Power iteration on eigenvector i shrinks the error by |λ_{i+1}/λ_i| per product, so
  // reaching the tolerance from a random start (error of order 1) takes about
  // log(tol) / log|λ_{i+1}/λ_i| products. Half of that is a floor no honest count goes
  // below: it would need a start already within sqrt(tol) of the eigenvector.
  for (size_t i = 0; i < 4; ++i) {
    const int n = eig.iterations[i];
    const double ratio = kSpectrum[i + 1] / kSpectrum[i];
    const double floor = 0.5 * std::log(options.tolerance) / std::log(ratio);
    EXPECT_GE(n, floor) << "eigenvector " << i << ": " << n
                        << " power iterations cannot reach the tolerance at |λ_{i+1}/λ_i| = " << ratio;
    EXPECT_LE(n, 500);
  }
}

}  // namespace
