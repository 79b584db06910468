// eigen_jacobi on matrices Q diag(lambda) Q^T with random orthogonal Q and chosen spectra:
// both routes (two-sided, single rotations and blocks; one-sided on the Cholesky factor).
#include "linalg/eigen_jacobi.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "linalg/error.hpp"
#include "linalg/simd.hpp"
#include "tests/linalg/decomposition_testing.hpp"
#include "tests/linalg/symmetric_eigen_testing.hpp"

using ae::linalg::JacobiMethod;
using ae::linalg::JacobiOptions;
using ae::linalg::Matrix;
using ae::linalg::testing::expect_decomposition;
namespace t = ae::linalg::testing;

namespace {

std::vector<double> spectrum(int64_t n, double first, double ratio) {
  std::vector<double> out(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) out[i] = first * std::pow(ratio, double(i));
  return out;
}

JacobiOptions with(JacobiMethod method, int64_t block = 0) {
  JacobiOptions o;
  o.method = method;
  o.block_size = block;
  return o;
}

}  // namespace

TEST(EigenJacobi, RecoversChosenSpectraOnEveryRoute) {
  const bool small = t::sanitizer_build();
  for (int64_t n : {2, 3, 5, 12, 40}) {
    const Matrix q = t::random_orthogonal(n, 100 + n);
    // Positive definite, spread over six orders of magnitude, shuffled by the seed of q.
    const auto lambda =
        spectrum(n, 10.0, std::pow(1e-6, 1.0 / double(std::max<int64_t>(n - 1, 1))));
    const Matrix a = t::with_spectrum(q, lambda);
    for (auto [method, block] : {std::pair{JacobiMethod::TwoSided, int64_t{1000}},
                                 std::pair{JacobiMethod::TwoSided, int64_t{4}},
                                 std::pair{JacobiMethod::OneSided, int64_t{0}},
                                 std::pair{JacobiMethod::Auto, int64_t{0}}}) {
      const auto e = ae::linalg::eigen_jacobi(a, with(method, block));
      const std::string what =
          "n=" + std::to_string(n) + " " + to_string(method) + " block " + std::to_string(block);
      expect_decomposition(a, q, lambda, e, 1e-10, what);
      EXPECT_TRUE(e.converged) << what;
      EXPECT_GE(e.sweeps, 1) << what;
      if (method == JacobiMethod::Auto) {
        EXPECT_EQ(e.method, JacobiMethod::OneSided) << what;
      }
    }
  }
  // The block method proper (n > 2 * default block of 32), with a ragged last block.
  for (int64_t n : small ? std::vector<int64_t>{70} : std::vector<int64_t>{70, 161}) {
    const Matrix q = t::random_orthogonal(n, 7 + n);
    std::vector<double> lambda(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) lambda[i] = std::sin(double(i) * 1.3) * 5.0;  // indefinite
    const Matrix a = t::with_spectrum(q, lambda);
    const auto e = ae::linalg::eigen_jacobi(a);
    EXPECT_EQ(e.method, JacobiMethod::TwoSided);
    expect_decomposition(a, q, lambda, e, 1e-10, "blocked n=" + std::to_string(n));
    EXPECT_LE(e.off_norm, 1e-13 * 5.0 * std::sqrt(double(n)));
  }
}

TEST(EigenJacobi, RepeatedEigenvaluesGiveTheRightSubspaces) {
  const int64_t n = 9;
  const Matrix q = t::random_orthogonal(n, 31);
  const std::vector<double> lambda = {2, 5, 2, 5, 5, 1, -3, -3, 0.5};
  const Matrix a = t::with_spectrum(q, lambda);
  expect_decomposition(a, q, lambda, ae::linalg::eigen_jacobi(a, with(JacobiMethod::TwoSided)),
                       1e-10, "two-sided repeated");
  expect_decomposition(a, q, lambda, ae::linalg::eigen_jacobi(a, with(JacobiMethod::TwoSided, 2)),
                       1e-10, "blocked repeated");
  const std::vector<double> positive = {4, 4, 4, 1, 1, 0.25, 0.25, 0.25, 0.25};
  const Matrix b = t::with_spectrum(q, positive);
  expect_decomposition(b, q, positive, ae::linalg::eigen_jacobi(b, with(JacobiMethod::OneSided)),
                       1e-10, "one-sided repeated");
  // The identity: every vector is an eigenvector, every rotation is skipped.
  const auto e = ae::linalg::eigen_jacobi(Matrix::identity(6));
  EXPECT_EQ(e.values, std::vector<double>(6, 1.0));
  EXPECT_LT(t::orthonormality_error(e.vectors), 1e-15);
}

TEST(EigenJacobi, RankDeficientMatrices) {
  const int64_t n = 8;
  const Matrix q = t::random_orthogonal(n, 55);
  const std::vector<double> lambda = {3, 0, 2, 0, 1, 0, 0, 0};
  const Matrix a = t::with_spectrum(q, lambda);
  for (JacobiMethod m : {JacobiMethod::Auto, JacobiMethod::TwoSided}) {
    const auto e = ae::linalg::eigen_jacobi(a, with(m));
    expect_decomposition(a, q, lambda, e, 1e-10, "rank 3 " + to_string(m));
    if (m == JacobiMethod::Auto) {
      EXPECT_EQ(e.method, JacobiMethod::OneSided);
      EXPECT_EQ(e.rank, 3);
    }
  }
  // Indefinite and singular: one-sided must refuse, Auto must fall back to two-sided.
  const std::vector<double> mixed = {3, 0, -2, 0, 1, 0, 0, 0};
  const Matrix b = t::with_spectrum(q, mixed);
  const auto e = ae::linalg::eigen_jacobi(b);
  EXPECT_EQ(e.method, JacobiMethod::TwoSided);
  expect_decomposition(b, q, mixed, e, 1e-10, "indefinite singular");
  EXPECT_THROW(ae::linalg::eigen_jacobi(b, with(JacobiMethod::OneSided)), ae::Error);
}

TEST(EigenJacobi, TinyAndDegenerateSizes) {
  Matrix one(1, 1);
  one(0, 0) = -2.5;
  for (JacobiMethod m : {JacobiMethod::Auto, JacobiMethod::TwoSided}) {
    const auto e = ae::linalg::eigen_jacobi(one, with(m));
    ASSERT_EQ(e.values.size(), 1u);
    EXPECT_EQ(e.values[0], -2.5);
    EXPECT_EQ(std::abs(e.vectors(0, 0)), 1.0);
  }
  Matrix pos(1, 1);
  pos(0, 0) = 4.0;
  const auto p = ae::linalg::eigen_jacobi(pos, with(JacobiMethod::OneSided));
  EXPECT_DOUBLE_EQ(p.values[0], 4.0);
  EXPECT_DOUBLE_EQ(std::abs(p.vectors(0, 0)), 1.0);

  for (JacobiMethod m : {JacobiMethod::Auto, JacobiMethod::TwoSided, JacobiMethod::OneSided}) {
    const auto z = ae::linalg::eigen_jacobi(Matrix(5, 5), with(m));
    EXPECT_EQ(z.values, std::vector<double>(5, 0.0)) << to_string(m);
    EXPECT_LT(t::orthonormality_error(z.vectors), 1e-14) << to_string(m);
    EXPECT_TRUE(z.converged);
  }
  const auto empty = ae::linalg::eigen_jacobi(Matrix(0, 0));
  EXPECT_TRUE(empty.values.empty());

  // [[2, 1], [1, 2]]: eigenvalues 3 and 1, eigenvectors (1, 1)/sqrt2 and (1, -1)/sqrt2.
  Matrix two(2, 2);
  two.data = {2, 1, 1, 2};
  const auto e = ae::linalg::eigen_jacobi(two, with(JacobiMethod::TwoSided));
  EXPECT_NEAR(e.values[0], 3.0, 1e-15);
  EXPECT_NEAR(e.values[1], 1.0, 1e-15);
  EXPECT_NEAR(std::abs(e.vectors(0, 0)), std::sqrt(0.5), 1e-15);
  EXPECT_NEAR(e.vectors(0, 0) * e.vectors(1, 0), 0.5, 1e-15);
  EXPECT_NEAR(e.vectors(0, 1) * e.vectors(1, 1), -0.5, 1e-15);
  EXPECT_EQ(e.rotations, 1);
}

TEST(EigenJacobi, ClearErrors) {
  auto message_of = [](auto&& f) {
    try {
      f();
    } catch (const ae::Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  Matrix rect(2, 3);
  EXPECT_NE(message_of([&] { ae::linalg::eigen_jacobi(rect); }).find("square"), std::string::npos);
  Matrix nonsym(3, 3);
  nonsym(0, 2) = 1.0;
  const std::string m1 = message_of([&] { ae::linalg::eigen_jacobi(nonsym); });
  EXPECT_NE(m1.find("eigen_jacobi"), std::string::npos) << m1;
  EXPECT_NE(m1.find("not symmetric"), std::string::npos) << m1;
  EXPECT_NE(m1.find("a(0, 2) = 1"), std::string::npos) << m1;
  Matrix nan = Matrix::identity(3);
  nan(1, 2) = nan(2, 1) = std::numeric_limits<double>::quiet_NaN();
  const std::string m2 = message_of([&] { ae::linalg::eigen_jacobi(nan); });
  EXPECT_NE(m2.find("a(1, 2) = nan"), std::string::npos) << m2;
  Matrix inf = Matrix::identity(3);
  inf(0, 0) = std::numeric_limits<double>::infinity();
  EXPECT_NE(message_of([&] { ae::linalg::eigen_jacobi(inf); }).find("finite"), std::string::npos);
  JacobiOptions bad;
  bad.max_sweeps = 0;
  EXPECT_THROW(ae::linalg::eigen_jacobi(Matrix::identity(2), bad), ae::Error);
  // Differences within the symmetry tolerance are accepted (and averaged).
  Matrix nearly = Matrix::identity(2);
  nearly(0, 1) = 0.5;
  nearly(1, 0) = 0.5 + 1e-14;
  EXPECT_NO_THROW(ae::linalg::eigen_jacobi(nearly));
}

TEST(EigenJacobi, EverySimdLevelGivesTheSameDecomposition) {
  // The scalar kernels are what runs on a CPU without AVX; AVX2 and AVX-512 must agree.
  const ae::linalg::SimdLevel saved = ae::linalg::simd_level();
  const int64_t n = 80;
  const Matrix q = t::random_orthogonal(n, 77);
  std::vector<double> lambda(n);
  for (int64_t i = 0; i < n; ++i) lambda[i] = 1.0 + double(i % 17) / 3.0 + 1e-3 * double(i);
  const Matrix a = t::with_spectrum(q, lambda);
  for (auto level : {ae::linalg::SimdLevel::Scalar, ae::linalg::SimdLevel::Avx2,
                     ae::linalg::SimdLevel::Avx512}) {
    if (!ae::linalg::simd_level_available(level)) continue;
    ae::linalg::set_simd_level(level);
    for (JacobiMethod m : {JacobiMethod::OneSided, JacobiMethod::TwoSided})
      expect_decomposition(a, q, lambda, ae::linalg::eigen_jacobi(a, with(m)), 1e-10,
                           to_string(level) + " " + to_string(m));
  }
  ae::linalg::set_simd_level(saved);
}

TEST(EigenJacobi, ExplainedVarianceRatio) {
  const std::vector<double> v = {6, 3, 1};
  EXPECT_DOUBLE_EQ(ae::linalg::explained_variance_ratio(v, 0), 0.0);
  EXPECT_DOUBLE_EQ(ae::linalg::explained_variance_ratio(v, 1), 0.6);
  EXPECT_DOUBLE_EQ(ae::linalg::explained_variance_ratio(v, 2), 0.9);
  EXPECT_DOUBLE_EQ(ae::linalg::explained_variance_ratio(v, 3), 1.0);
  EXPECT_THROW(ae::linalg::explained_variance_ratio(v, 4), ae::Error);
  EXPECT_THROW(ae::linalg::explained_variance_ratio(v, -1), ae::Error);
}
