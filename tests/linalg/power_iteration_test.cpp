// power_iteration and block_power_iteration on matrices with chosen spectra.
#include "linalg/power_iteration.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "linalg/error.hpp"
#include "tests/linalg/decomposition_testing.hpp"

using ae::linalg::Matrix;
using ae::linalg::PowerOptions;
namespace t = ae::linalg::testing;

namespace {

// Eigenvalues to 1e-10 relative to the largest, and each v_j parallel to the true q_j.
void expect_top(const ae::linalg::PowerResult& r, const Matrix& q,
                const std::vector<double>& lambda, int64_t k, const std::string& what) {
  ASSERT_EQ(r.values.size(), static_cast<size_t>(k)) << what;
  ASSERT_EQ(r.vectors.cols, k) << what;
  EXPECT_TRUE(r.converged) << what;
  EXPECT_LT(t::orthonormality_error(r.vectors), 1e-9) << what;
  for (int64_t j = 0; j < k; ++j) {
    EXPECT_NEAR(r.values[j], lambda[j], 1e-10 * std::abs(lambda[0])) << what << " value " << j;
    double cosine = 0.0;
    for (int64_t i = 0; i < q.rows; ++i) cosine += r.vectors(i, j) * q(i, j);
    EXPECT_NEAR(std::abs(cosine), 1.0, 1e-9) << what << " vector " << j;
  }
  EXPECT_LE(r.residual, 1e-9) << what;
}

}  // namespace

TEST(PowerIteration, TopEigenpairsWithDeflation) {
  const int64_t n = 30;
  const Matrix q = t::random_orthogonal(n, 11);
  std::vector<double> lambda(n);
  for (int64_t i = 0; i < n; ++i) lambda[i] = 10.0 * std::pow(0.6, double(i));
  const Matrix a = t::with_spectrum(q, lambda);
  const auto r = ae::linalg::power_iteration(a, 5);
  expect_top(r, q, lambda, 5, "power");
  // Each pair converges at its own ratio lambda_{j+1}/lambda_j = 0.6: about
  // log(1e-10)/log(0.6) ~ 45 steps each, certainly more than 1.
  for (int it : r.iterations) {
    EXPECT_GT(it, 10);
    EXPECT_LT(it, 200);
  }
  // Same seed, same numbers.
  const auto again = ae::linalg::power_iteration(a, 5);
  EXPECT_EQ(again.values, r.values);
}

TEST(PowerIteration, BlockPowerMatchesAndNegativeEigenvaluesCountByMagnitude) {
  const int64_t n = 40;
  const Matrix q = t::random_orthogonal(n, 12);
  std::vector<double> lambda(n);
  for (int64_t i = 0; i < n; ++i) lambda[i] = (i % 2 ? -1.0 : 1.0) * 8.0 * std::pow(0.8, double(i));
  const Matrix a = t::with_spectrum(q, lambda);
  PowerOptions o;
  o.oversampling = 5;
  const auto r = ae::linalg::block_power_iteration(a, 6, o);
  expect_top(r, q, lambda, 6, "block");
  ASSERT_EQ(r.iterations.size(), 1u);
  EXPECT_GT(r.iterations[0], 5);
  const auto p = ae::linalg::power_iteration(a, 3);
  expect_top(p, q, lambda, 3, "power, alternating signs");
}

TEST(PowerIteration, RankDeficientAndWholeSpectrum) {
  const int64_t n = 12;
  const Matrix q = t::random_orthogonal(n, 13);
  std::vector<double> lambda(n, 0.0);
  lambda[0] = 3;
  lambda[1] = 1;
  const Matrix a = t::with_spectrum(q, lambda);
  const auto r = ae::linalg::block_power_iteration(a, 2);
  expect_top(r, q, lambda, 2, "rank 2");
  // Asking for more than the rank: the rest are zero eigenvalues.
  const auto all = ae::linalg::block_power_iteration(a, 4);
  EXPECT_NEAR(all.values[2], 0.0, 1e-12);
  EXPECT_NEAR(all.values[3], 0.0, 1e-12);
  EXPECT_LT(t::orthonormality_error(all.vectors), 1e-12);
  const auto deflated = ae::linalg::power_iteration(a, 3);
  EXPECT_NEAR(deflated.values[2], 0.0, 1e-12);
  Matrix one(1, 1);
  one(0, 0) = 7.0;
  EXPECT_DOUBLE_EQ(ae::linalg::power_iteration(one, 1).values[0], 7.0);
  EXPECT_DOUBLE_EQ(ae::linalg::block_power_iteration(one, 1).values[0], 7.0);
}

TEST(PowerIteration, Errors) {
  const Matrix a = Matrix::identity(4);
  EXPECT_THROW(ae::linalg::power_iteration(a, 0), ae::Error);
  EXPECT_THROW(ae::linalg::power_iteration(a, 5), ae::Error);
  EXPECT_THROW(ae::linalg::block_power_iteration(a, -1), ae::Error);
  try {
    ae::linalg::block_power_iteration(a, 9);
    FAIL();
  } catch (const ae::Error& e) {
    EXPECT_NE(std::string(e.what()).find("block_power_iteration: k = 9 must be in [1, 4]"),
              std::string::npos)
        << e.what();
  }
  Matrix nonsym = Matrix::identity(3);
  nonsym(0, 1) = 2.0;
  EXPECT_THROW(ae::linalg::power_iteration(nonsym, 1), ae::Error);
  EXPECT_THROW(ae::linalg::block_power_iteration(Matrix(2, 3), 1), ae::Error);
  Matrix nan = Matrix::identity(3);
  nan(2, 2) = std::nan("");
  EXPECT_THROW(ae::linalg::block_power_iteration(nan, 1), ae::Error);
  PowerOptions bad;
  bad.tolerance = 0;
  EXPECT_THROW(ae::linalg::power_iteration(a, 1, bad), ae::Error);
}
