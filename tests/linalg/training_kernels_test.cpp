// The training kernels (Adam step, squared-error sum, scaled difference): each scalar
// specification against its formula, and every SIMD level this CPU has against the scalar
// one on odd lengths. The Adam kernels use fused multiply-adds, so they may differ from the
// specification in the last bit or two; the bounds below say how far.
#include "linalg/training_kernels.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "linalg/error.hpp"
#include "linalg/random.hpp"
#include "linalg/simd.hpp"

using ae::linalg::AdamCoefficients;
using ae::linalg::SimdLevel;

namespace {

struct State {
  std::vector<float> p, g, m, v;
};

State random_state(int64_t n, uint64_t seed) {
  ae::linalg::Random gen(seed);
  State s;
  for (int64_t i = 0; i < n; ++i) {
    s.p.push_back(static_cast<float>(gen.normal()));
    s.g.push_back(static_cast<float>(gen.normal() * 0.1));
    s.m.push_back(static_cast<float>(gen.normal() * 0.01));
    s.v.push_back(static_cast<float>(gen.uniform() * 1e-3));
  }
  return s;
}

// The SIMD levels this CPU runs, narrowest first.
std::vector<SimdLevel> available_levels() {
  std::vector<SimdLevel> out;
  for (SimdLevel l : {SimdLevel::Scalar, SimdLevel::Avx2, SimdLevel::Avx512})
    if (ae::linalg::simd_level_available(l)) out.push_back(l);
  return out;
}

AdamCoefficients coefficients(float l2, float shrink) {
  // t = 3, lr = 1e-3
  const double bias1 = 1 - std::pow(0.9, 3), bias2 = 1 - std::pow(0.999, 3);
  return {0.9f,
          0.999f,
          1e-8f,
          static_cast<float>(1e-3 / bias1),
          static_cast<float>(1 / std::sqrt(bias2)),
          l2,
          shrink};
}

// The update in double, and how far a float evaluation may be from it: a few roundings
// (relative 6e-8 each) of every term, propagated. The terms may cancel — g + l2 p, and
// beta1 m + (1 - beta1) g — so the bounds are relative to the terms, not to the results.
struct Reference {
  double p, m, v;     // the exact update of the float inputs
  double ep, em, ev;  // error bounds for a float computation
};

Reference reference(float p0, float g0, float m0, float v0, const AdamCoefficients& c) {
  constexpr double u = 1e-6;  // generous: ~8 roundings of 2^-24
  // The coefficients as the kernel holds them (0.9f is not 0.9).
  const double b1 = c.beta1, b2 = c.beta2, omb1 = 1.0f - c.beta1, omb2 = 1.0f - c.beta2;
  Reference r;
  const double p = p0 * static_cast<double>(c.shrink);
  const double g = g0 + static_cast<double>(c.l2) * p;
  const double eg = u * (std::abs(g0) + std::abs(c.l2 * p));
  r.m = b1 * m0 + omb1 * g;
  r.em = u * (std::abs(b1 * m0) + std::abs(omb1 * g)) + omb1 * eg;
  r.v = b2 * v0 + omb2 * g * g;
  r.ev = u * r.v + 2 * omb2 * std::abs(g) * eg;
  const double denom = std::sqrt(r.v) * c.inv_sqrt_bias2 + c.eps;
  const double step = c.step_size * r.m / denom;
  r.p = p - step;
  // d step / d m = step_size / denom;  d step / d v = -step / denom * inv / (2 sqrt v)
  r.ep = u * (std::abs(p) + std::abs(step)) + c.step_size * r.em / denom +
         std::abs(step) / denom * c.inv_sqrt_bias2 * r.ev / (2 * std::sqrt(r.v));
  return r;
}

}  // namespace

TEST(AdamUpdate, ScalarFollowsTheFormula) {
  const AdamCoefficients c = coefficients(0.01f, 0.999f);
  State s = random_state(100, 1);
  const State before = s;
  ae::linalg::adam_update_with(SimdLevel::Scalar, s.p.data(), s.g.data(), s.m.data(), s.v.data(),
                               100, c);
  for (int i = 0; i < 100; ++i) {
    const Reference r = reference(before.p[i], before.g[i], before.m[i], before.v[i], c);
    EXPECT_NEAR(s.m[i], r.m, r.em) << i;
    EXPECT_NEAR(s.v[i], r.v, r.ev) << i;
    EXPECT_NEAR(s.p[i], r.p, r.ep) << i;
  }
}

TEST(AdamUpdate, EveryLevelMatchesScalar) {
  using ae::linalg::adam_update_with;
  for (SimdLevel k : {SimdLevel::Avx2, SimdLevel::Avx512}) {
    if (!ae::linalg::simd_level_available(k)) {
      EXPECT_THROW(adam_update_with(k, nullptr, nullptr, nullptr, nullptr, 0, coefficients(0, 1)),
                   ae::Error);
      continue;
    }
    for (int64_t n : {0, 1, 7, 8, 15, 16, 17, 33, 1000, 4099}) {
      for (auto [l2, shrink] :
           {std::pair{0.0f, 1.0f}, std::pair{0.01f, 1.0f}, std::pair{0.0f, 0.99f}}) {
        const AdamCoefficients c = coefficients(l2, shrink);
        const State before = random_state(n, 10 + n);
        State a = before, b = before;
        adam_update_with(SimdLevel::Scalar, a.p.data(), a.g.data(), a.m.data(), a.v.data(), n, c);
        adam_update_with(k, b.p.data(), b.g.data(), b.m.data(), b.v.data(), n, c);
        // Both within the float error bound of the exact update, so within twice it of
        // each other.
        for (int64_t i = 0; i < n; ++i) {
          const Reference r = reference(before.p[i], before.g[i], before.m[i], before.v[i], c);
          ASSERT_NEAR(b.m[i], a.m[i], 2 * r.em) << to_string(k) << " n=" << n << " i=" << i;
          ASSERT_NEAR(b.v[i], a.v[i], 2 * r.ev) << to_string(k) << " n=" << n << " i=" << i;
          ASSERT_NEAR(b.p[i], a.p[i], 2 * r.ep) << to_string(k) << " n=" << n << " i=" << i;
        }
      }
    }
  }
}

TEST(AdamUpdate, RunsAtTheLevelInUse) {
  // adam_update is adam_update_with(simd_level()): bit for bit the same result.
  const AdamCoefficients c = coefficients(0.01f, 1.0f);
  const State before = random_state(1000, 3);
  State a = before, b = before;
  ae::linalg::adam_update(a.p.data(), a.g.data(), a.m.data(), a.v.data(), 1000, c);
  ae::linalg::adam_update_with(ae::linalg::simd_level(), b.p.data(), b.g.data(), b.m.data(),
                               b.v.data(), 1000, c);
  EXPECT_EQ(std::memcmp(a.p.data(), b.p.data(), a.p.size() * sizeof(float)), 0);
}

// sum (a_i - b_i)^2 with a_i = i, b_i = 0.5 i: the differences i / 2 and their squares
// i^2 / 4 are exact in float, and so is every partial sum while it stays below 2^24, so
// every level must give the closed form sum_{i<n} i^2 / 4 = (n-1) n (2n-1) / 24 exactly,
// whatever order it adds in. The lengths cover empty, shorter than one vector, exact
// multiples of 8 and 16, ragged tails, and more than one 1024-element block.
TEST(SquaredErrorSum, EveryLevelGivesTheClosedFormOnExactInputs) {
  for (SimdLevel level : available_levels()) {
    for (int64_t n : {0, 1, 7, 8, 15, 16, 17, 33, 64, 100, 1023, 1024, 1025, 2100}) {
      std::vector<float> a(static_cast<size_t>(n)), b(a.size());
      for (int64_t i = 0; i < n; ++i) {
        a[static_cast<size_t>(i)] = static_cast<float>(i);
        b[static_cast<size_t>(i)] = static_cast<float>(i) / 2;
      }
      // Up to n = 200 every partial sum is below 200^3 / 12 < 2^24, so exact; longer
      // inputs round, and are held to the bound of the random-input test below.
      const double expected = double(n - 1) * double(n) * double(2 * n - 1) / 24.0;
      const double got = ae::linalg::squared_error_sum_with(level, a.data(), b.data(), n);
      if (n <= 200)
        EXPECT_EQ(got, expected) << to_string(level) << " n=" << n;
      else
        EXPECT_NEAR(got, expected, expected * 1024 * 0x1.0p-24) << to_string(level) << " n=" << n;
    }
  }
}

TEST(SquaredErrorSum, EveryLevelMatchesScalarOnRandomInputs) {
  // A float sum of at most 1024 non-negative terms is within 1023 roundings (relative
  // 2^-24 each) of the exact sum; the blocks are then added in double. So each level is
  // within 1024 * 2^-24 of the exact total, and two levels within twice that.
  ae::linalg::Random gen(11);
  for (int64_t n : {3, 31, 257, 1000, 5000}) {
    std::vector<float> a(static_cast<size_t>(n)), b(a.size());
    for (float& x : a) x = static_cast<float>(gen.normal());
    for (float& x : b) x = static_cast<float>(gen.normal());
    long double exact = 0.0L;
    for (size_t i = 0; i < a.size(); ++i) {
      const long double d = static_cast<long double>(a[i]) - b[i];
      exact += d * d;
    }
    const double scalar = ae::linalg::squared_error_sum_with(SimdLevel::Scalar, a.data(),
                                                             b.data(), n);
    const double bound = double(exact) * 1024 * 0x1.0p-24;
    EXPECT_NEAR(scalar, double(exact), bound) << "n=" << n;
    for (SimdLevel level : available_levels())
      EXPECT_NEAR(ae::linalg::squared_error_sum_with(level, a.data(), b.data(), n), scalar,
                  2 * bound)
          << to_string(level) << " n=" << n;
  }
}

TEST(ScaledDifference, EveryLevelIsExactlyTheFloatFormula) {
  // scale * (a - b) is two float roundings in a fixed order at every level, so the results
  // are equal bit for bit; the element past the end is never written.
  ae::linalg::Random gen(12);
  const float scale = -0.37f;
  for (SimdLevel level : available_levels()) {
    for (int64_t n : {0, 1, 7, 8, 15, 16, 17, 33, 100, 1000}) {
      std::vector<float> a(static_cast<size_t>(n)), b(a.size());
      for (float& x : a) x = static_cast<float>(gen.normal());
      for (float& x : b) x = static_cast<float>(gen.normal());
      std::vector<float> out(a.size() + 1, 42.0f);
      ae::linalg::scaled_difference_with(level, a.data(), b.data(), scale, out.data(), n);
      for (size_t i = 0; i < a.size(); ++i) {
        const float d = a[i] - b[i];
        ASSERT_EQ(out[i], scale * d) << to_string(level) << " n=" << n << " i=" << i;
      }
      EXPECT_EQ(out.back(), 42.0f) << to_string(level) << " n=" << n;
    }
  }
}

TEST(TrainingKernels, ALevelTheCpuLacksIsAnError) {
  for (SimdLevel level : {SimdLevel::Avx2, SimdLevel::Avx512}) {
    if (ae::linalg::simd_level_available(level)) continue;
    float x = 0;
    EXPECT_THROW(ae::linalg::squared_error_sum_with(level, &x, &x, 1), ae::Error);
    EXPECT_THROW(ae::linalg::scaled_difference_with(level, &x, &x, 1.0f, &x, 1), ae::Error);
  }
}
