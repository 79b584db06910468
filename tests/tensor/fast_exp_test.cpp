// exp_vectorizable against exp in double: within 2 ulp over the whole float range, exact
// limits at the ends, NaN kept. Also exp / sigmoid tensors, which are built on it.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "tensor/fast_exp.hpp"
#include "tensor/ops.hpp"

using ae::tensor::detail::exp_vectorizable;
namespace T = ae::tensor;

namespace {
// Distance in units in the last place between two finite non-negative floats.
int64_t ulps(float a, float b) {
  return std::llabs(int64_t(std::bit_cast<int32_t>(a)) - int64_t(std::bit_cast<int32_t>(b)));
}
}  // namespace

TEST(TensorFastExp, WithinTwoUlpEverywhere) {
  int64_t worst = 0;
  float worst_x = 0;
  // Every 97th float bit pattern between -105 and 90 (about 2 million values).
  for (int32_t bits = std::bit_cast<int32_t>(0.0f); bits <= std::bit_cast<int32_t>(90.0f);
       bits += 97) {
    for (float x : {std::bit_cast<float>(bits), -std::bit_cast<float>(bits)}) {
      if (x < -105.0f) continue;
      const float expected = static_cast<float>(std::exp(double(x)));
      const int64_t d = ulps(exp_vectorizable(x), expected);
      if (d > worst) {
        worst = d;
        worst_x = x;
      }
    }
  }
  EXPECT_LE(worst, 2) << "at x = " << worst_x;
}

TEST(TensorFastExp, Limits) {
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(exp_vectorizable(0.0f), 1.0f);
  EXPECT_EQ(exp_vectorizable(89.0f), inf);     // e^89 > FLT_MAX
  EXPECT_EQ(exp_vectorizable(1000.0f), inf);
  EXPECT_EQ(exp_vectorizable(inf), inf);
  EXPECT_EQ(exp_vectorizable(-104.0f), 0.0f);  // e^-104 < half the smallest denormal
  EXPECT_EQ(exp_vectorizable(-inf), 0.0f);
  EXPECT_TRUE(std::isnan(exp_vectorizable(std::numeric_limits<float>::quiet_NaN())));
  // The largest finite result and a denormal one.
  EXPECT_LE(ulps(exp_vectorizable(88.72f), float(std::exp(double(88.72f)))), 2);
  EXPECT_LE(ulps(exp_vectorizable(-100.0f), float(std::exp(-100.0))), 2);
}

TEST(TensorFastExp, TensorExpAndSigmoidMatchDouble) {
  const std::vector<float> xs = {-120, -90, -20, -3.5f, -1e-3f, 0, 1e-3f, 0.7f, 5, 30, 88};
  const std::vector<float> e = T::exp(T::from_vector(xs, {int64_t(xs.size())})).to_vector();
  const std::vector<float> s = T::sigmoid(T::from_vector(xs, {int64_t(xs.size())})).to_vector();
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double x = xs[i];
    EXPECT_LE(ulps(e[i], float(std::exp(x))), 2) << x;
    EXPECT_LE(ulps(s[i], float(1.0 / (1.0 + std::exp(-x)))), 3) << x;
  }
}
