// dot_f64 and rotate_f64 on every SIMD level against the definitions.
#include "linalg/vector_kernels.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>
#include <vector>

#include "linalg/simd.hpp"

using ae::linalg::SimdLevel;

TEST(VectorKernels, DotAndRotateMatchTheDefinitionsOnEveryLevel) {
  const SimdLevel saved = ae::linalg::simd_level();
  std::mt19937_64 gen(7);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (SimdLevel level : {SimdLevel::Scalar, SimdLevel::Avx2, SimdLevel::Avx512}) {
    if (!ae::linalg::simd_level_available(level)) continue;
    ae::linalg::set_simd_level(level);
    for (int64_t n : {0, 1, 3, 4, 7, 8, 15, 16, 31, 32, 33, 63, 100, 784}) {
      std::vector<double> x(static_cast<size_t>(n) + 1), y(x.size());
      for (double& v : x) v = u(gen);
      for (double& v : y) v = u(gen);
      long double expected = 0.0L;
      for (int64_t k = 0; k < n; ++k) expected += static_cast<long double>(x[k]) * y[k];
      EXPECT_NEAR(ae::linalg::dot_f64(x.data(), y.data(), n), double(expected), 1e-14 * (n + 1))
          << to_string(level) << " n=" << n;
      const double c = 0.6, s = -0.8;  // c^2 + s^2 = 1
      auto rx = x, ry = y;
      ae::linalg::rotate_f64(rx.data(), ry.data(), n, c, s);
      for (int64_t k = 0; k < n; ++k) {
        EXPECT_NEAR(rx[k], c * x[k] - s * y[k], 1e-15) << to_string(level) << " n=" << n;
        EXPECT_NEAR(ry[k], s * x[k] + c * y[k], 1e-15) << to_string(level) << " n=" << n;
      }
      // The element past the end is never touched.
      EXPECT_EQ(rx[static_cast<size_t>(n)], x[static_cast<size_t>(n)]);
      EXPECT_EQ(ry[static_cast<size_t>(n)], y[static_cast<size_t>(n)]);
    }
  }
  ae::linalg::set_simd_level(saved);
}

TEST(VectorKernels, RotateRowsMatchesOneRotationAfterAnotherOnEveryLevel) {
  // The specification: rotate_f64 on rows (k, k + 1) for k = 0, 1, ... in turn. Sizes cover
  // whole and partial strips (32 / 16 / 4 columns), a row stride wider than the rows, and a
  // sweep large enough to be shared among threads.
  const SimdLevel saved = ae::linalg::simd_level();
  std::mt19937_64 gen(11);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (SimdLevel level : {SimdLevel::Scalar, SimdLevel::Avx2, SimdLevel::Avx512}) {
    if (!ae::linalg::simd_level_available(level)) continue;
    ae::linalg::set_simd_level(level);
    for (auto [count, cols] : {std::pair<int64_t, int64_t>{1, 1}, {3, 5}, {7, 16}, {9, 37},
                               {20, 100}, {0, 8}, {150, 784}}) {
      const int64_t ld = cols + 3;
      std::vector<double> a(static_cast<size_t>((count + 1) * ld)), c(count), s(count);
      for (double& v : a) v = u(gen);
      for (int64_t k = 0; k < count; ++k) {
        const double angle = 3.0 * u(gen);
        c[k] = std::cos(angle);
        s[k] = std::sin(angle);
      }
      auto expected = a;
      for (int64_t k = 0; k < count; ++k)
        ae::linalg::rotate_f64(expected.data() + k * ld, expected.data() + (k + 1) * ld, cols, c[k],
                               s[k]);
      ae::linalg::rotate_rows_f64(a.data(), ld, cols, count, c.data(), s.data());
      double worst = 0.0;
      for (int64_t i = 0; i <= count; ++i)
        for (int64_t j = 0; j < ld; ++j) {
          const size_t at = static_cast<size_t>(i * ld + j);
          if (j >= cols) {
            EXPECT_EQ(a[at], expected[at]) << "outside the columns";  // untouched
          } else {
            worst = std::max(worst, std::abs(a[at] - expected[at]));
          }
        }
      EXPECT_LT(worst, 1e-13) << to_string(level) << " count=" << count << " cols=" << cols;
    }
  }
  ae::linalg::set_simd_level(saved);
}
