// eigen_symmetric_qr (Householder tridiagonalisation + implicit symmetric QR) on matrices
// Q diag(lambda) Q^T with chosen spectra, against the identities A V = V diag(w), V^T V = I,
// trace(A) = sum w, and against eigen_jacobi on the same matrices.
#include "linalg/eigen_symmetric_qr.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "linalg/eigen_jacobi.hpp"
#include "linalg/error.hpp"
#include "linalg/simd.hpp"
#include "tests/linalg/decomposition_testing.hpp"
#include "tests/linalg/symmetric_eigen_testing.hpp"

using ae::linalg::Matrix;
using ae::linalg::SymmetricQrOptions;
using ae::linalg::testing::expect_decomposition;
namespace t = ae::linalg::testing;

namespace {

SymmetricQrOptions block(int64_t b) {
  SymmetricQrOptions o;
  o.block_size = b;
  return o;
}

double trace(const Matrix& a) {
  double s = 0.0;
  for (int64_t i = 0; i < a.rows; ++i) s += a(i, i);
  return s;
}

// The identities and the agreement with Jacobi, for every panel width given.
void expect_solves(const Matrix& a, const Matrix& q, const std::vector<double>& lambda,
                   const std::string& what, std::vector<int64_t> blocks = {0, 1, 5}) {
  const auto jacobi = ae::linalg::eigen_jacobi(a);
  double scale = 1.0;
  for (double l : lambda) scale = std::max(scale, std::abs(l));
  for (int64_t b : blocks) {
    const std::string w = what + " block " + std::to_string(b);
    const auto e = ae::linalg::eigen_symmetric_qr(a, block(b));
    expect_decomposition(a, q, lambda, e, 1e-10, w);
    EXPECT_TRUE(e.converged) << w;
    double sum = 0.0;
    for (double v : e.values) sum += v;
    EXPECT_NEAR(sum, trace(a), 1e-12 * scale * double(a.rows)) << w << " trace";
    for (size_t j = 0; j < e.values.size(); ++j)
      EXPECT_NEAR(e.values[j], jacobi.values[j], 1e-11 * scale) << w << " vs Jacobi, " << j;
  }
}

}  // namespace

TEST(EigenSymmetricQr, RandomSpectra) {
  const bool small = t::sanitizer_build();
  for (int64_t n : small ? std::vector<int64_t>{3, 12, 40} : std::vector<int64_t>{3, 5, 12, 40, 97}) {
    const Matrix q = t::random_orthogonal(n, 300 + n);
    std::mt19937_64 gen(n);
    std::normal_distribution<double> normal;
    std::vector<double> lambda(static_cast<size_t>(n));
    for (double& l : lambda) l = 3.0 * normal(gen);  // indefinite
    expect_solves(t::with_spectrum(q, lambda), q, lambda, "random n=" + std::to_string(n));
    // Positive, over six orders of magnitude (the shape of a covariance's spectrum). QR is
    // accurate relative to ||A||: an eigenvector is good to about eps ||A|| / gap, so the
    // vectors of eigenvalues near 1e-10 would be off by ~1e-7 (one-sided Jacobi, accurate
    // relative to each eigenvalue, does better there).
    for (int64_t i = 0; i < n; ++i) lambda[i] = std::pow(1e-6, double(i) / double(n - 1));
    expect_solves(t::with_spectrum(q, lambda), q, lambda, "graded n=" + std::to_string(n));
  }
}

TEST(EigenSymmetricQr, PanelsLargerThanOneBlockAndRagged) {
  // n = 150 with the default panel (32): four full panels and a ragged one, and the
  // threaded matrix-vector products and rotation sweeps stay below their thresholds; 420
  // crosses them.
  for (int64_t n : t::sanitizer_build() ? std::vector<int64_t>{150} : std::vector<int64_t>{150, 420}) {
    const Matrix q = t::random_orthogonal(n, 11 + n);
    std::vector<double> lambda(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) lambda[i] = std::sin(double(i) * 0.7) * 4.0 + 0.01 * double(i);
    const Matrix a = t::with_spectrum(q, lambda);
    expect_solves(a, q, lambda, "n=" + std::to_string(n), {0, 48});
  }
}

TEST(EigenSymmetricQr, ClusteredAndRepeatedEigenvalues) {
  const int64_t n = 30;
  const Matrix q = t::random_orthogonal(n, 5);
  std::vector<double> lambda(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) lambda[i] = double(i % 3);  // three eigenvalues, 10 each
  expect_solves(t::with_spectrum(q, lambda), q, lambda, "repeated");
  for (int64_t i = 0; i < n; ++i) lambda[i] = 1.0 + 1e-9 * double(i % 4) + double(i / 10);
  // Clusters 1e-9 apart: the eigenvalues are well determined, the vectors of one cluster
  // only as a space (the helper checks simple eigenvalues' vectors to 1e3 * tol; the
  // clusters' are separated by 1e-9 only, so compare values and identities here).
  const Matrix a = t::with_spectrum(q, lambda);
  const auto e = ae::linalg::eigen_symmetric_qr(a);
  const auto jacobi = ae::linalg::eigen_jacobi(a);
  EXPECT_LT(t::orthonormality_error(e.vectors), 1e-12);
  const Matrix av = t::product(a, e.vectors);
  for (int64_t j = 0; j < n; ++j) {
    EXPECT_NEAR(e.values[j], jacobi.values[j], 1e-13 * 4.0);
    for (int64_t i = 0; i < n; ++i) ASSERT_NEAR(av(i, j), e.values[j] * e.vectors(i, j), 1e-12);
  }
}

TEST(EigenSymmetricQr, DiagonalTinyAndDegenerate) {
  // Already diagonal: nothing to reduce, no QR step; the vectors are unit vectors.
  Matrix diag(4, 4);
  const std::vector<double> dv = {1.0, -2.0, 7.0, 0.5};
  for (int64_t i = 0; i < 4; ++i) diag(i, i) = dv[i];
  const auto d = ae::linalg::eigen_symmetric_qr(diag);
  EXPECT_EQ(d.values, (std::vector<double>{7.0, 1.0, 0.5, -2.0}));
  EXPECT_EQ(d.sweeps, 0);
  EXPECT_EQ(std::abs(d.vectors(2, 0)), 1.0);
  EXPECT_EQ(std::abs(d.vectors(1, 3)), 1.0);

  Matrix one(1, 1);
  one(0, 0) = -3.5;
  const auto o = ae::linalg::eigen_symmetric_qr(one);
  EXPECT_EQ(o.values, std::vector<double>{-3.5});
  EXPECT_EQ(std::abs(o.vectors(0, 0)), 1.0);
  EXPECT_TRUE(ae::linalg::eigen_symmetric_qr(Matrix(0, 0)).values.empty());

  // [[2, 1], [1, 2]]: eigenvalues 3 and 1, eigenvectors (1, 1)/sqrt2 and (1, -1)/sqrt2.
  Matrix two(2, 2);
  two.data = {2, 1, 1, 2};
  const auto e = ae::linalg::eigen_symmetric_qr(two);
  EXPECT_NEAR(e.values[0], 3.0, 1e-15);
  EXPECT_NEAR(e.values[1], 1.0, 1e-15);
  EXPECT_NEAR(e.vectors(0, 0) * e.vectors(1, 0), 0.5, 1e-15);
  EXPECT_NEAR(e.vectors(0, 1) * e.vectors(1, 1), -0.5, 1e-15);

  const auto z = ae::linalg::eigen_symmetric_qr(Matrix(5, 5));
  EXPECT_EQ(z.values, std::vector<double>(5, 0.0));
  EXPECT_LT(t::orthonormality_error(z.vectors), 1e-15);
}

TEST(EigenSymmetricQr, RankDeficientCovariance) {
  // The covariance of 6 samples in 20 dimensions: rank 5, fifteen zero eigenvalues.
  const int64_t m = 6, n = 20;
  std::mt19937_64 gen(9);
  std::normal_distribution<double> normal;
  Matrix x(m, n);
  for (double& v : x.data) v = normal(gen);
  std::vector<double> mu(n, 0.0);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) mu[j] += x(i, j) / double(m);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) x(i, j) -= mu[j];
  Matrix c = t::product(x, x, true, false);
  for (double& v : c.data) v /= double(m - 1);
  const auto e = ae::linalg::eigen_symmetric_qr(c);
  const auto jacobi = ae::linalg::eigen_jacobi(c);
  EXPECT_LT(t::orthonormality_error(e.vectors), 1e-13);
  const Matrix cv = t::product(c, e.vectors);
  for (int64_t j = 0; j < n; ++j) {
    EXPECT_NEAR(e.values[j], jacobi.values[j], 1e-13 * std::abs(jacobi.values[0])) << j;
    if (j >= m - 1) {
      EXPECT_NEAR(e.values[j], 0.0, 1e-13 * jacobi.values[0]) << j;
    }
    for (int64_t i = 0; i < n; ++i) ASSERT_NEAR(cv(i, j), e.values[j] * e.vectors(i, j), 1e-13);
  }
  EXPECT_NEAR(std::accumulate(e.values.begin(), e.values.end(), 0.0), trace(c), 1e-13 * trace(c));
}

TEST(EigenSymmetricQr, EverySimdLevelGivesTheSameDecomposition) {
  const ae::linalg::SimdLevel saved = ae::linalg::simd_level();
  const int64_t n = 80;
  const Matrix q = t::random_orthogonal(n, 78);
  std::vector<double> lambda(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) lambda[i] = 1.0 + double(i % 17) / 3.0 + 1e-3 * double(i);
  const Matrix a = t::with_spectrum(q, lambda);
  for (auto level : {ae::linalg::SimdLevel::Scalar, ae::linalg::SimdLevel::Avx2,
                     ae::linalg::SimdLevel::Avx512}) {
    if (!ae::linalg::simd_level_available(level)) continue;
    ae::linalg::set_simd_level(level);
    expect_decomposition(a, q, lambda, ae::linalg::eigen_symmetric_qr(a), 1e-10, to_string(level));
  }
  ae::linalg::set_simd_level(saved);
}

TEST(EigenSymmetricQr, ClearErrors) {
  auto message_of = [](auto&& f) {
    try {
      f();
    } catch (const ae::Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message_of([] { ae::linalg::eigen_symmetric_qr(Matrix(2, 3)); }).find("square"),
            std::string::npos);
  Matrix nonsym(3, 3);
  nonsym(0, 2) = 1.0;
  const std::string m1 = message_of([&] { ae::linalg::eigen_symmetric_qr(nonsym); });
  EXPECT_NE(m1.find("eigen_symmetric_qr"), std::string::npos) << m1;
  EXPECT_NE(m1.find("not symmetric"), std::string::npos) << m1;
  Matrix nan = Matrix::identity(3);
  nan(1, 2) = nan(2, 1) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_NE(message_of([&] { ae::linalg::eigen_symmetric_qr(nan); }).find("nan"), std::string::npos);
  EXPECT_THROW(ae::linalg::eigen_symmetric_qr(Matrix::identity(2), block(-1)), ae::Error);
}
