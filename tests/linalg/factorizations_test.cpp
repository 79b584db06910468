// Householder QR, CholeskyQR2 orthonormalisation, orthonormal completion, pivoted Cholesky.
#include <gtest/gtest.h>

#include <cmath>

#include "linalg/error.hpp"
#include "linalg/householder_qr.hpp"
#include "linalg/orthonormal.hpp"
#include "linalg/pivoted_cholesky.hpp"
#include "tests/linalg/decomposition_testing.hpp"

using ae::linalg::Matrix;
namespace t = ae::linalg::testing;

namespace {
Matrix random_matrix(int64_t m, int64_t n, uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> normal;
  Matrix a(m, n);
  for (double& x : a.data) x = normal(gen);
  return a;
}
}  // namespace

TEST(HouseholderQr, ReconstructsWithOrthonormalQAndTriangularR) {
  for (auto [m, n] : {std::pair<int64_t, int64_t>{5, 5}, {30, 7}, {100, 40}, {3, 1}}) {
    const Matrix a = random_matrix(m, n, 3 * m + n);
    const auto qr = ae::linalg::householder_qr(a);
    EXPECT_LT(t::orthonormality_error(qr.q), 1e-14);
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < i; ++j) EXPECT_EQ(qr.r(i, j), 0.0);
    EXPECT_LT(t::max_abs_diff(t::product(qr.q, qr.r), a), 1e-13);
  }
  // Rank-deficient: a zero column and a repeated column; Q stays orthonormal.
  Matrix a = random_matrix(10, 4, 1);
  for (int64_t i = 0; i < 10; ++i) {
    a(i, 1) = 0.0;
    a(i, 3) = a(i, 0);
  }
  const auto qr = ae::linalg::householder_qr(a);
  EXPECT_LT(t::orthonormality_error(qr.q), 1e-14);
  EXPECT_LT(t::max_abs_diff(t::product(qr.q, qr.r), a), 1e-13);
  EXPECT_THROW(ae::linalg::householder_qr(Matrix(2, 3)), ae::Error);
}

TEST(Orthonormalize, KeepsTheRangeAndFallsBackWhenRankDeficient) {
  // Columns with very different scales: range kept, columns orthonormal.
  Matrix y = random_matrix(500, 12, 2);
  for (int64_t i = 0; i < 500; ++i)
    for (int64_t j = 0; j < 12; ++j) y(i, j) *= std::pow(10.0, -double(j) / 2);
  const auto qr = ae::linalg::householder_qr(y);
  Matrix q = y;
  EXPECT_FALSE(ae::linalg::orthonormalize_columns(q));
  EXPECT_LT(t::orthonormality_error(q), 1e-14);
  EXPECT_LT(t::max_abs_diff(t::projector(q, 0, 12), t::projector(qr.q, 0, 12)), 1e-10);
  // Rank 2 of 4: Cholesky breaks down, Householder takes over; the result is orthonormal
  // and contains the range.
  Matrix r = random_matrix(50, 4, 3);
  for (int64_t i = 0; i < 50; ++i) {
    r(i, 2) = 2 * r(i, 0) - r(i, 1);
    r(i, 3) = 0.0;
  }
  Matrix q2 = r;
  EXPECT_TRUE(ae::linalg::orthonormalize_columns(q2));
  EXPECT_LT(t::orthonormality_error(q2), 1e-14);
  const Matrix p = t::projector(q2, 0, 4);
  EXPECT_LT(t::max_abs_diff(t::product(p, r), r), 1e-13);
  Matrix wide(2, 3);
  EXPECT_THROW(ae::linalg::orthonormalize_columns(wide), ae::Error);
}

TEST(Orthonormalize, CompletionAddsOrthonormalColumns) {
  Matrix u = t::first_columns(t::random_orthogonal(7, 4), 5);
  const Matrix kept = u;
  std::vector<bool> has = {true, false, true, false, false};
  for (int64_t i = 0; i < 7; ++i) u(i, 1) = u(i, 3) = u(i, 4) = 0.0;
  ae::linalg::complete_orthonormal_columns(u, has);
  EXPECT_LT(t::orthonormality_error(u), 1e-14);
  for (int64_t i = 0; i < 7; ++i) {
    EXPECT_EQ(u(i, 0), kept(i, 0));
    EXPECT_EQ(u(i, 2), kept(i, 2));
  }
}

TEST(PivotedCholesky, FactorsPositiveDefiniteAndFindsTheRank) {
  const int64_t n = 40;
  const Matrix q = t::random_orthogonal(n, 8);
  std::vector<double> lambda(n);
  for (int64_t i = 0; i < n; ++i) lambda[i] = std::pow(0.7, double(i));
  const Matrix a = t::with_spectrum(q, lambda);
  auto check = [&](const ae::linalg::PivotedCholesky& c, const Matrix& m, double tol) {
    // (L L^T)(i, k) = A(perm[i], perm[k])
    const Matrix llt = t::product(c.lt, c.lt, true, false);
    for (int64_t i = 0; i < m.rows; ++i)
      for (int64_t k = 0; k < m.rows; ++k)
        ASSERT_NEAR(llt(i, k), m(c.perm[i], c.perm[k]), tol) << i << "," << k;
    for (int64_t j = 1; j < c.rank; ++j) EXPECT_LE(c.lt(j, j), c.lt(j - 1, j - 1));
  };
  const auto c = ae::linalg::pivoted_cholesky(a);
  EXPECT_TRUE(c.semidefinite);
  EXPECT_EQ(c.rank, n);
  check(c, a, 1e-13);

  std::vector<double> low(n, 0.0);
  low[3] = 2;
  low[10] = 1;
  low[20] = 0.5;
  const Matrix b = t::with_spectrum(q, low);
  const auto cb = ae::linalg::pivoted_cholesky(b);
  EXPECT_TRUE(cb.semidefinite);
  EXPECT_EQ(cb.rank, 3);
  check(cb, b, 1e-13);
}

TEST(PivotedCholesky, ReportsIndefiniteMatrices) {
  Matrix a(2, 2);
  a.data = {1, 0, 0, -1};
  const auto c = ae::linalg::pivoted_cholesky(a);
  EXPECT_FALSE(c.semidefinite);
  EXPECT_NE(c.reason.find("< 0"), std::string::npos) << c.reason;
  Matrix b(2, 2);
  b.data = {0, 1, 1, 0};
  const auto d = ae::linalg::pivoted_cholesky(b);
  EXPECT_FALSE(d.semidefinite);
  EXPECT_EQ(d.rank, 0);
  EXPECT_NE(d.reason.find("off-diagonal"), std::string::npos) << d.reason;
}
