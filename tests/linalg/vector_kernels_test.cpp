// dot_f64 and rotate_f64 on every SIMD level against the definitions.
#include "linalg/vector_kernels.hpp"

#include <gtest/gtest.h>

#include <random>
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
