// matmul_f64 and gram_f64 against a long-double triple loop, on every SIMD level this CPU has.
#include "linalg/matmul_f64.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <tuple>
#include <vector>

#include "linalg/error.hpp"
#include "linalg/simd.hpp"

using ae::linalg::SimdLevel;
using ae::linalg::Trans;

namespace {

std::vector<SimdLevel> available_levels() {
  std::vector<SimdLevel> out;
  for (SimdLevel l : {SimdLevel::Scalar, SimdLevel::Avx2, SimdLevel::Avx512})
    if (ae::linalg::simd_level_available(l)) out.push_back(l);
  return out;
}

// Restores the process-wide SIMD level when a test ends.
struct LevelGuard {
  SimdLevel saved = ae::linalg::simd_level();
  ~LevelGuard() { ae::linalg::set_simd_level(saved); }
};

std::vector<double> random_vector(size_t n, uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<double> v(n);
  for (double& x : v) x = u(gen);
  return v;
}

// C = alpha op(A) op(B) + beta C by definition, in long double.
void reference(Trans ta, Trans tb, int64_t m, int64_t n, int64_t k, double alpha, const double* A,
               int64_t lda, const double* B, int64_t ldb, double beta, double* C, int64_t ldc) {
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      long double s = 0.0L;
      for (int64_t p = 0; p < k; ++p) {
        const double a = ta == Trans::No ? A[i * lda + p] : A[p * lda + i];
        const double b = tb == Trans::No ? B[p * ldb + j] : B[j * ldb + p];
        s += static_cast<long double>(a) * b;
      }
      const long double c = beta == 0.0 ? 0.0L : static_cast<long double>(beta) * C[i * ldc + j];
      C[i * ldc + j] = static_cast<double>(alpha * s + c);
    }
}

}  // namespace

TEST(MatmulF64, EveryLevelEveryTransposeOddSizes) {
  LevelGuard guard;
  const int64_t sizes[] = {1, 2, 7, 15, 16, 17, 63, 65, 129};
  for (SimdLevel level : available_levels()) {
    ae::linalg::set_simd_level(level);
    for (Trans ta : {Trans::No, Trans::Yes})
      for (Trans tb : {Trans::No, Trans::Yes})
        for (int64_t m : sizes)
          for (int64_t n : {int64_t{1}, int64_t{17}, int64_t{65}})
            for (int64_t k : {int64_t{1}, int64_t{9}, int64_t{130}}) {
              if (m > 65 && k > 9) continue;  // keep it quick
              // Leading dimensions with padding, so the kernel must honour them.
              const int64_t lda = (ta == Trans::No ? k : m) + 3;
              const int64_t ldb = (tb == Trans::No ? n : k) + 2;
              const int64_t ldc = n + 5;
              const auto A = random_vector(static_cast<size_t>((ta == Trans::No ? m : k) * lda), 1);
              const auto B = random_vector(static_cast<size_t>((tb == Trans::No ? k : n) * ldb), 2);
              auto C = random_vector(static_cast<size_t>(m * ldc), 3);
              auto expected = C;
              reference(ta, tb, m, n, k, 0.75, A.data(), lda, B.data(), ldb, -0.5, expected.data(),
                        ldc);
              ae::linalg::matmul_f64(ta, tb, m, n, k, 0.75, A.data(), lda, B.data(), ldb, -0.5,
                                     C.data(), ldc);
              for (int64_t i = 0; i < m; ++i)
                for (int64_t j = 0; j < ldc; ++j)
                  ASSERT_NEAR(C[i * ldc + j], expected[i * ldc + j], 1e-13 * double(k + 1))
                      << to_string(level) << " m=" << m << " n=" << n << " k=" << k << " i=" << i
                      << " j=" << j;
            }
  }
}

TEST(MatmulF64, BetaZeroOverwritesNaNAndLargeSizesUseThreads) {
  LevelGuard guard;
  const int64_t m = 130, n = 300, k = 260;
  const auto A = random_vector(static_cast<size_t>(m * k), 4);
  const auto B = random_vector(static_cast<size_t>(k * n), 5);
  for (SimdLevel level : available_levels()) {
    ae::linalg::set_simd_level(level);
    std::vector<double> C(static_cast<size_t>(m * n), std::numeric_limits<double>::quiet_NaN());
    std::vector<double> expected(C.size());
    reference(Trans::No, Trans::No, m, n, k, 1.0, A.data(), k, B.data(), n, 0.0, expected.data(),
              n);
    ae::linalg::matmul_f64(Trans::No, Trans::No, m, n, k, 1.0, A.data(), k, B.data(), n, 0.0,
                           C.data(), n);
    for (size_t i = 0; i < C.size(); ++i) ASSERT_NEAR(C[i], expected[i], 1e-12) << i;
  }
}

TEST(MatmulF64, GramIsAtAOnBothTriangles) {
  LevelGuard guard;
  for (SimdLevel level : available_levels()) {
    ae::linalg::set_simd_level(level);
    for (int64_t n : {1, 5, 16, 17, 70, 301}) {  // 301: threads share the triangle
      const int64_t k = 301, lda = n + 2;
      const auto A = random_vector(static_cast<size_t>(k * lda), 6);
      std::vector<double> C(static_cast<size_t>(n * n), 2.0), expected = C;
      reference(Trans::Yes, Trans::No, n, n, k, 1.5, A.data(), lda, A.data(), lda, 0.25,
                expected.data(), n);
      ae::linalg::gram_f64(k, n, 1.5, A.data(), lda, 0.25, C.data(), n);
      for (size_t i = 0; i < C.size(); ++i)
        ASSERT_NEAR(C[i], expected[i], 1e-12) << to_string(level) << " n=" << n << " i=" << i;
    }
  }
}

TEST(MatmulF64, SmallResultLongSumSplitsTheSumAcrossThreads) {
  // 40 x 40 from 6000-long sums: too few tiles to share, so the threads split k.
  const int64_t n = 40, k = 6000;
  const auto A = random_vector(static_cast<size_t>(k * n), 8);
  const auto B = random_vector(static_cast<size_t>(k * n), 9);
  std::vector<double> C(static_cast<size_t>(n * n), 1.0), expected = C;
  reference(Trans::Yes, Trans::No, n, n, k, 2.0, A.data(), n, B.data(), n, 0.5, expected.data(), n);
  ae::linalg::matmul_f64(Trans::Yes, Trans::No, n, n, k, 2.0, A.data(), n, B.data(), n, 0.5,
                         C.data(), n);
  for (size_t i = 0; i < C.size(); ++i) ASSERT_NEAR(C[i], expected[i], 1e-11) << i;
  std::vector<double> G(static_cast<size_t>(n * n)), gexpected(G.size());
  reference(Trans::Yes, Trans::No, n, n, k, 1.0, A.data(), n, A.data(), n, 0.0, gexpected.data(),
            n);
  ae::linalg::gram_f64(k, n, 1.0, A.data(), n, 0.0, G.data(), n);
  for (size_t i = 0; i < G.size(); ++i) ASSERT_NEAR(G[i], gexpected[i], 1e-11) << i;
}

TEST(MatmulF64, MatrixProductAndShapeErrors) {
  ae::linalg::Matrix a(2, 3), b(3, 2);
  // [1 2 3; 4 5 6] * [7 8; 9 10; 11 12] = [58 64; 139 154]
  a.data = {1, 2, 3, 4, 5, 6};
  b.data = {7, 8, 9, 10, 11, 12};
  const auto c = ae::linalg::matmul(a, b);
  EXPECT_EQ(c.data, (std::vector<double>{58, 64, 139, 154}));
  EXPECT_THROW(ae::linalg::matmul(a, a), ae::Error);
  double x[4] = {};
  EXPECT_THROW(ae::linalg::matmul_f64(Trans::No, Trans::No, 2, 2, 2, 1.0, x, 1, x, 2, 0.0, x, 2),
               ae::Error);
  EXPECT_THROW(ae::linalg::matmul_f64(Trans::No, Trans::No, -1, 2, 2, 1.0, x, 2, x, 2, 0.0, x, 2),
               ae::Error);
}

TEST(SimdLevel, EnvironmentNamesAndUnknownLevels) {
  EXPECT_EQ(ae::linalg::to_string(SimdLevel::Avx512), "avx512");
  EXPECT_TRUE(ae::linalg::simd_level_available(SimdLevel::Scalar));
  if (!ae::linalg::simd_level_available(SimdLevel::Avx512)) {
    EXPECT_THROW(ae::linalg::set_simd_level(SimdLevel::Avx512), ae::Error);
  }
}
