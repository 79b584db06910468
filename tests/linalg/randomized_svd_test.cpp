// randomized_svd on matrices with known singular values; covariance and column means.
#include "linalg/randomized_svd.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "linalg/covariance.hpp"
#include "linalg/error.hpp"
#include "tests/linalg/decomposition_testing.hpp"

using ae::linalg::Matrix;
namespace t = ae::linalg::testing;

namespace {
Matrix with_singular_values(int64_t m, int64_t n, const std::vector<double>& sigma, uint64_t seed) {
  const int64_t r = static_cast<int64_t>(sigma.size());
  Matrix u = t::first_columns(t::random_orthogonal(m, seed), r);
  const Matrix v = t::first_columns(t::random_orthogonal(n, seed + 1), r);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < r; ++j) u(i, j) *= sigma[static_cast<size_t>(j)];
  return t::product(u, v, false, true);
}
}  // namespace

TEST(RandomizedSvd, ExactForLowRankInDouble) {
  // Rank 6 < l = k + oversampling: the range finder captures the whole range, so the
  // answer is exact to rounding.
  const std::vector<double> sigma = {9, 5, 4, 2, 1, 0.5};
  const Matrix a = with_singular_values(120, 45, sigma, 21);
  for (bool krylov : {false, true}) {
    ae::linalg::RandomizedSvdOptions o;
    o.krylov = krylov;
    const auto r = ae::linalg::randomized_svd(a, 4, o);
    ASSERT_EQ(r.sigma.size(), 4u);
    for (int j = 0; j < 4; ++j) EXPECT_NEAR(r.sigma[j], sigma[j], 1e-10) << j;
    EXPECT_LT(t::orthonormality_error(r.u), 1e-10);
    EXPECT_LT(t::orthonormality_error(r.v), 1e-10);
    // |A - U S V^T|_F^2 = sigma_5^2 + sigma_6^2
    const double expected = std::sqrt((1.0 + 0.25) / (81 + 25 + 16 + 4 + 1 + 0.25));
    EXPECT_NEAR(r.relative_residual, expected, 1e-10);
    Matrix us = r.u;
    for (int64_t i = 0; i < us.rows; ++i)
      for (int64_t j = 0; j < 4; ++j) us(i, j) *= r.sigma[j];
    const Matrix approx = t::product(us, r.v, false, true);
    // The rank-4 truncation of A: the difference from A has norm sqrt(1.25).
    double diff2 = 0.0;
    for (size_t i = 0; i < a.data.size(); ++i)
      diff2 += (a.data[i] - approx.data[i]) * (a.data[i] - approx.data[i]);
    EXPECT_NEAR(std::sqrt(diff2), std::sqrt(1.25), 1e-9);
  }
}

TEST(RandomizedSvd, SmallRankExhaustsTheKrylovSpace) {
  // Rank 2 in R^5 with l = 4: the second block of the Krylov iteration lies inside the
  // first, so the iteration must stop adding directions rather than add arbitrary ones.
  const std::vector<double> sigma = {5, 2};
  const Matrix a = with_singular_values(6, 5, sigma, 5);
  for (int q : {0, 1, 3}) {
    ae::linalg::RandomizedSvdOptions o;
    o.oversampling = 2;
    o.power_iterations = q;
    const auto r = ae::linalg::randomized_svd(a, 2, o);
    for (int j = 0; j < 2; ++j) EXPECT_NEAR(r.sigma[j], sigma[j], 1e-10) << "q = " << q;
    EXPECT_LT(t::orthonormality_error(r.v), 1e-10) << "q = " << q;
    EXPECT_LT(t::orthonormality_error(r.u), 1e-10) << "q = " << q;
  }
}

TEST(RandomizedSvd, DecayingSpectrumFloatAndWide) {
  const int64_t m = 200, n = 80;
  std::vector<double> sigma(n);
  for (int64_t j = 0; j < n; ++j) sigma[j] = std::pow(0.85, double(j));
  const Matrix a = with_singular_values(m, n, sigma, 22);
  std::vector<float> af(a.data.begin(), a.data.end());
  const auto r = ae::linalg::randomized_svd(ae::linalg::ViewF(af.data(), m, n), 10);
  for (int j = 0; j < 10; ++j) EXPECT_NEAR(r.sigma[j], sigma[j], 1e-5) << j;
  EXPECT_LT(t::orthonormality_error(r.u), 1e-6);
  EXPECT_EQ(r.power_iterations, 2);
  // Wide input goes through the same code: A^T has the same singular values.
  const Matrix at = a.transposed();
  const auto w = ae::linalg::randomized_svd(at, 10);
  for (int j = 0; j < 10; ++j) EXPECT_NEAR(w.sigma[j], sigma[j], 1e-9) << j;
  // Same seed, same result; another seed, slightly different rounding.
  const auto again = ae::linalg::randomized_svd(at, 10);
  EXPECT_EQ(again.sigma, w.sigma);
}

TEST(RandomizedSvd, RankBelowKAndErrors) {
  const Matrix a = with_singular_values(30, 20, {3, 1}, 23);
  const auto r = ae::linalg::randomized_svd(a, 5);
  EXPECT_NEAR(r.sigma[0], 3, 1e-10);
  EXPECT_NEAR(r.sigma[1], 1, 1e-10);
  for (int j = 2; j < 5; ++j) EXPECT_NEAR(r.sigma[j], 0.0, 1e-10);
  EXPECT_LT(t::orthonormality_error(r.u), 1e-10);
  EXPECT_LT(t::orthonormality_error(r.v), 1e-10);
  EXPECT_THROW(ae::linalg::randomized_svd(a, 0), ae::Error);
  EXPECT_THROW(ae::linalg::randomized_svd(a, 21), ae::Error);
  Matrix bad = a;
  bad(3, 4) = std::numeric_limits<double>::infinity();
  try {
    ae::linalg::randomized_svd(bad, 2);
    FAIL();
  } catch (const ae::Error& e) {
    EXPECT_NE(std::string(e.what()).find("randomized_svd: the 30x20 input has a(3, 4) = inf"),
              std::string::npos)
        << e.what();
  }
  ae::linalg::RandomizedSvdOptions o;
  o.power_iterations = -1;
  EXPECT_THROW(ae::linalg::randomized_svd(a, 2, o), ae::Error);
}

TEST(Covariance, MatchesTheDefinition) {
  // Two variables, three samples: x = (1, 2, 3), y = (2, 4, 9). Means 2 and 5;
  // var x = 1, var y = (9 + 1 + 16) / 2 = 13, cov = (3 + 0 + 4) / 2 = 3.5.
  const float data[] = {1, 2, 2, 4, 3, 9};
  const Matrix c = ae::linalg::covariance(ae::linalg::ViewF(data, 3, 2));
  EXPECT_DOUBLE_EQ(c(0, 0), 1.0);
  EXPECT_DOUBLE_EQ(c(1, 1), 13.0);
  EXPECT_DOUBLE_EQ(c(0, 1), 3.5);
  EXPECT_DOUBLE_EQ(c(1, 0), 3.5);
  const auto mu = ae::linalg::column_means(ae::linalg::ViewF(data, 3, 2));
  EXPECT_DOUBLE_EQ(mu[0], 2.0);
  EXPECT_DOUBLE_EQ(mu[1], 5.0);
  // Larger, with more rows than one block of the implementation, against a direct sum.
  const int64_t m = 700, n = 37;
  Matrix x(m, n);
  std::mt19937_64 gen(3);
  std::normal_distribution<double> normal(100.0, 2.0);  // a large mean, small spread
  for (double& v : x.data) v = normal(gen);
  const Matrix cx = ae::linalg::covariance(x);
  std::vector<long double> mean(n, 0.0L);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) mean[j] += x(i, j);
  for (auto& v : mean) v /= m;
  for (int64_t a = 0; a < n; a += 5)
    for (int64_t b = 0; b < n; b += 3) {
      long double s = 0.0L;
      for (int64_t i = 0; i < m; ++i) s += (x(i, a) - mean[a]) * (x(i, b) - mean[b]);
      EXPECT_NEAR(cx(a, b), double(s / (m - 1)), 1e-12) << a << "," << b;
    }
  // Big enough for the threads to split the rows (each sums its own partial product).
  const int64_t big_m = 4001, big_n = 120;
  std::vector<float> big(static_cast<size_t>(big_m * big_n));
  for (float& v : big) v = static_cast<float>(normal(gen));
  const Matrix cb = ae::linalg::covariance(ae::linalg::ViewF(big.data(), big_m, big_n));
  for (int64_t a : {0, 7, 119})
    for (int64_t b : {0, 64, 119}) {
      long double ma = 0, mb = 0, s = 0;
      for (int64_t i = 0; i < big_m; ++i) {
        ma += big[i * big_n + a];
        mb += big[i * big_n + b];
      }
      ma /= big_m;
      mb /= big_m;
      for (int64_t i = 0; i < big_m; ++i) s += (big[i * big_n + a] - ma) * (big[i * big_n + b] - mb);
      EXPECT_NEAR(cb(a, b), double(s / (big_m - 1)), 1e-11) << a << "," << b;
      EXPECT_EQ(cb(a, b), cb(b, a));
    }
  EXPECT_THROW(ae::linalg::covariance(ae::linalg::ViewF(data, 1, 2)), ae::Error);
  Matrix nan = x;
  nan(5, 6) = std::nan("");
  EXPECT_THROW(ae::linalg::covariance(nan), ae::Error);
}
