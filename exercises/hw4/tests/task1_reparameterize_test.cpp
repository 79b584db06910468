// HW4 task 1: the reparameterised sample z = μ + exp(logvar / 2) ε. Its statistics: with N
// rows of one (μ, logvar), a column's mean has standard deviation σ/√N and its sample
// variance σ²√(2/N); the bounds are five of those. Its independence: two independent
// standard normal columns have a sample correlation of standard deviation 1/√N. Its
// gradient: dz/dμ = 1 and dz/dlogvar = ε σ / 2 = (z - μ) / 2, known from z itself.
#include <cmath>

#include <gtest/gtest.h>

#include "exercises/hw4/tests/hw4_student.hpp"
#include "exercises/hw4/tests/hw4_testing.hpp"

namespace {

using namespace hw4_testing;
using ae::Tensor;

// N rows, each holding `values`.
Matrix repeated(size_t rows, const std::vector<double>& values) { return Matrix(rows, values); }

struct ColumnStats {
  std::vector<double> mean, variance;
};
ColumnStats column_stats(const Matrix& z) {
  const size_t n = z.size(), k = z[0].size();
  ColumnStats s{std::vector<double>(k, 0.0), std::vector<double>(k, 0.0)};
  for (const auto& row : z)
    for (size_t j = 0; j < k; ++j) s.mean[j] += row[j] / static_cast<double>(n);
  for (const auto& row : z)
    for (size_t j = 0; j < k; ++j) s.variance[j] += (row[j] - s.mean[j]) * (row[j] - s.mean[j]) / static_cast<double>(n);
  return s;
}

TEST(Task1Reparameterize, SampleHasMeanMuAndVarianceExpLogvar) {
  const size_t n = 4000;
  // σ = 1, 2, 1/2.
  const std::vector<double> mu = {0.0, 2.0, -1.0}, logvar = {0.0, std::log(4.0), std::log(0.25)};
  const Tensor ones = to_tensor(repeated(n, {1, 1, 1}));
  const hw4_student::Sample s = hw4_student::reparameterize(to_tensor(repeated(n, mu)), to_tensor(repeated(n, logvar)), ones, 3);
  ASSERT_EQ(s.z.shape(), (ae::Shape{static_cast<int64_t>(n), 3})) << "z has the shape of mu";
  const ColumnStats stats = column_stats(to_matrix(s.z));
  for (size_t j = 0; j < 3; ++j) {
    const double var = std::exp(logvar[j]), N = static_cast<double>(n);
    EXPECT_NEAR(stats.mean[j], mu[j], 5 * std::sqrt(var / N)) << "the mean of column " << j << " is mu";
    EXPECT_NEAR(stats.variance[j], var, 5 * var * std::sqrt(2 / N))
        << "the variance of column " << j << " is exp(logvar) = sigma², with sigma = exp(logvar / 2)";
  }
}

TEST(Task1Reparameterize, EveryExampleAndDimensionDrawsItsOwnEpsilon) {
  const size_t n = 3000;
  const double N = static_cast<double>(n);
  const Tensor zero = to_tensor(repeated(n, {0, 0}));
  const hw4_student::Sample s = hw4_student::reparameterize(zero, zero, to_tensor(repeated(n, {1, 1})), 4);
  ASSERT_EQ(s.z.shape(), (ae::Shape{static_cast<int64_t>(n), 2}));
  const Matrix z = to_matrix(s.z);
  // With μ = 0, σ = 1, z = ε: across the rows each column has variance 1 (one ε for the
  // whole batch would give 0), the two columns are uncorrelated (one ε per example would
  // give 1), and so are neighbouring rows.
  const ColumnStats stats = column_stats(z);
  double across_columns = 0, across_rows = 0;
  for (size_t i = 0; i < n; ++i) across_columns += z[i][0] * z[i][1] / N;
  for (size_t i = 0; i + 1 < n; ++i) across_rows += z[i][0] * z[i + 1][0] / (N - 1);
  for (size_t j = 0; j < 2; ++j)
    EXPECT_NEAR(stats.variance[j], 1.0, 5 * std::sqrt(2 / N)) << "the rows of column " << j << " must differ: one ε per example";
  EXPECT_NEAR(across_columns, 0.0, 5 / std::sqrt(N)) << "the dimensions of one example need independent ε";
  EXPECT_NEAR(across_rows, 0.0, 5 / std::sqrt(N)) << "consecutive examples need independent ε";
  // A second call with the same generator draws afresh.
  ASSERT_TRUE(s.z_again.defined());
  EXPECT_FALSE(ae::tensor::allclose(s.z, s.z_again, 0, 1e-6f)) << "a second call repeated the first ε";
}

TEST(Task1Reparameterize, GradientsByHand) {
  ae::Generator gen(11);
  const Matrix mu = uniform(5, 3, -1, 1, gen), logvar = uniform(5, 3, -1.5, 1.5, gen), w = uniform(5, 3, -2, 2, gen);
  const hw4_student::Sample s = hw4_student::reparameterize(to_tensor(mu), to_tensor(logvar), to_tensor(w), 5);
  ASSERT_TRUE(s.grad_mu.defined()) << "mu got no gradient: build z from autograd ops";
  ASSERT_TRUE(s.grad_logvar.defined()) << "logvar got no gradient: build z from autograd ops";
  const Matrix z = to_matrix(s.z);
  // d(Σ w z)/dμ = w;  d(Σ w z)/dlogvar = w ε σ / 2 = w (z - μ) / 2.
  Matrix expected_logvar = zeros(5, 3);
  for (size_t i = 0; i < 5; ++i)
    for (size_t j = 0; j < 3; ++j) expected_logvar[i][j] = w[i][j] * (z[i][j] - mu[i][j]) / 2;
  EXPECT_LT(max_abs_diff(s.grad_mu, w), 1e-5) << "dz/dmu = 1";
  EXPECT_LT(max_abs_diff(s.grad_logvar, expected_logvar), 1e-5) << "dz/dlogvar = eps * sigma / 2";
}

TEST(Task1Reparameterize, GradientMatchesCentralDifferences) {
  // The same seed gives the same ε, so z is a smooth function of logvar across calls.
  ae::Generator gen(12);
  const Matrix mu = uniform(4, 2, -1, 1, gen), logvar = uniform(4, 2, -1, 1, gen);
  const Matrix w = Matrix(4, std::vector<double>(2, 1.0));
  const double step = 1e-2;
  Matrix plus = logvar, minus = logvar;
  for (auto& row : plus)
    for (double& x : row) x += step;
  for (auto& row : minus)
    for (double& x : row) x -= step;
  const hw4_student::Sample s = hw4_student::reparameterize(to_tensor(mu), to_tensor(logvar), to_tensor(w), 9);
  const Matrix z_plus = to_matrix(hw4_student::reparameterize(to_tensor(mu), to_tensor(plus), to_tensor(w), 9).z);
  const Matrix z_minus = to_matrix(hw4_student::reparameterize(to_tensor(mu), to_tensor(minus), to_tensor(w), 9).z);
  ASSERT_TRUE(s.grad_logvar.defined()) << "logvar got no gradient: build z from autograd ops";
  const Matrix g = to_matrix(s.grad_logvar);
  for (size_t i = 0; i < 4; ++i)
    for (size_t j = 0; j < 2; ++j) {
      const double numeric = (z_plus[i][j] - z_minus[i][j]) / (2 * step);
      EXPECT_NEAR(g[i][j], numeric, 1e-3 * std::abs(numeric) + 1e-4) << "dz/dlogvar at (" << i << ", " << j << ")";
    }
}

}  // namespace
