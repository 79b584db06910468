// svd_jacobi on U diag(sigma) V^T with random orthogonal factors: tall, wide, square,
// rank-deficient, repeated, tiny.
#include "linalg/svd_jacobi.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "linalg/error.hpp"
#include "tests/linalg/decomposition_testing.hpp"

using ae::linalg::Matrix;
namespace t = ae::linalg::testing;

namespace {

// A = U_m[:, :r] diag(sigma) V_n[:, :r]^T.
Matrix with_singular_values(int64_t m, int64_t n, const std::vector<double>& sigma, uint64_t seed) {
  const int64_t r = static_cast<int64_t>(sigma.size());
  Matrix u = t::first_columns(t::random_orthogonal(m, seed), r);
  const Matrix v = t::first_columns(t::random_orthogonal(n, seed + 1), r);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < r; ++j) u(i, j) *= sigma[static_cast<size_t>(j)];
  return t::product(u, v, false, true);
}

void expect_svd(const Matrix& a, std::vector<double> sigma, const ae::linalg::Svd& s,
                const std::string& what) {
  const int64_t m = a.rows, n = a.cols, r = std::min(m, n);
  std::sort(sigma.rbegin(), sigma.rend());
  sigma.resize(static_cast<size_t>(r), 0.0);
  const double tol = 1e-10 * std::max(1.0, sigma.empty() ? 0.0 : sigma[0]);
  ASSERT_EQ(s.u.rows, m) << what;
  ASSERT_EQ(s.u.cols, r) << what;
  ASSERT_EQ(s.v.rows, n) << what;
  ASSERT_EQ(s.v.cols, r) << what;
  ASSERT_EQ(s.sigma.size(), static_cast<size_t>(r)) << what;
  for (int64_t j = 0; j < r; ++j) {
    EXPECT_NEAR(s.sigma[j], sigma[j], tol) << what << " sigma " << j;
    EXPECT_GE(s.sigma[j], 0.0) << what;
  }
  EXPECT_LT(t::orthonormality_error(s.u), 1e-10) << what << " U";
  EXPECT_LT(t::orthonormality_error(s.v), 1e-10) << what << " V";
  Matrix us = s.u;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < r; ++j) us(i, j) *= s.sigma[j];
  EXPECT_LT(t::max_abs_diff(t::product(us, s.v, false, true), a), tol) << what << " U S V^T";
}

}  // namespace

TEST(SvdJacobi, TallWideAndSquare) {
  const std::vector<std::pair<int64_t, int64_t>> shapes = {{40, 12}, {12, 40}, {20, 20},
                                                           {7, 1},   {1, 7},   {65, 33}};
  for (auto [m, n] : shapes) {
    const int64_t r = std::min(m, n);
    std::vector<double> sigma(static_cast<size_t>(r));
    for (int64_t j = 0; j < r; ++j) sigma[j] = 3.0 * std::pow(0.6, double(j)) + 0.01 * double(j);
    const Matrix a = with_singular_values(m, n, sigma, 10 * m + n);
    const auto s = ae::linalg::svd_jacobi(a);
    expect_svd(a, sigma, s, std::to_string(m) + "x" + std::to_string(n));
    EXPECT_TRUE(s.converged);
    EXPECT_LE(s.off_norm, std::sqrt(double(std::max(m, n))) * 2.3e-16);
    EXPECT_GE(s.sweeps, 1);
  }
}

TEST(SvdJacobi, RankDeficientAndRepeated) {
  const Matrix a = with_singular_values(15, 9, {4, 2, 1}, 77);  // rank 3
  const auto s = ae::linalg::svd_jacobi(a);
  expect_svd(a, {4, 2, 1}, s, "rank 3");
  for (int64_t j = 3; j < 9; ++j) EXPECT_LT(s.sigma[j], 1e-13);
  const Matrix b =
      with_singular_values(12, 12, {2, 2, 2, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.1, 0.1, 0.1}, 5);
  expect_svd(b, {2, 2, 2, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.1, 0.1, 0.1}, ae::linalg::svd_jacobi(b),
             "repeated");
  const Matrix wide = with_singular_values(6, 30, {5, 1}, 9);
  expect_svd(wide, {5, 1}, ae::linalg::svd_jacobi(wide), "wide rank 2");
}

TEST(SvdJacobi, TinyAndZero) {
  Matrix one(1, 1);
  one(0, 0) = -3.0;
  const auto s = ae::linalg::svd_jacobi(one);
  EXPECT_EQ(s.sigma[0], 3.0);
  EXPECT_EQ(s.u(0, 0) * s.v(0, 0), -1.0);
  const Matrix zero(4, 3);
  const auto z = ae::linalg::svd_jacobi(zero);
  EXPECT_EQ(z.sigma, std::vector<double>(3, 0.0));
  EXPECT_LT(t::orthonormality_error(z.u), 1e-14);
  EXPECT_LT(t::orthonormality_error(z.v), 1e-14);
  const auto empty = ae::linalg::svd_jacobi(Matrix(0, 3));
  EXPECT_TRUE(empty.sigma.empty());
}

TEST(SvdJacobi, Errors) {
  Matrix a(3, 2);
  a(2, 1) = std::numeric_limits<double>::quiet_NaN();
  try {
    ae::linalg::svd_jacobi(a);
    FAIL() << "no error";
  } catch (const ae::Error& e) {
    EXPECT_NE(std::string(e.what()).find("svd_jacobi: the 3x2 input has a(2, 1) = nan"),
              std::string::npos)
        << e.what();
  }
  ae::linalg::SvdOptions bad;
  bad.tolerance = -1;
  EXPECT_THROW(ae::linalg::svd_jacobi(Matrix(2, 2), bad), ae::Error);
}
