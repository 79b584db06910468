// The fused Adam update: the scalar kernel against the formula evaluated in double, and
// every vector kernel this CPU has against the scalar one on odd lengths (the vector
// kernels use fused multiply-adds, so they may differ in the last bit or two).
#include "nn/fused_update.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "linalg/error.hpp"
#include "tensor/random.hpp"

using namespace ae::nn;

namespace {

struct State {
  std::vector<float> p, g, m, v;
};

State random_state(int64_t n, uint64_t seed) {
  ae::Generator gen(seed);
  State s;
  for (int64_t i = 0; i < n; ++i) {
    s.p.push_back(gen.normal());
    s.g.push_back(gen.normal() * 0.1f);
    s.m.push_back(gen.normal() * 0.01f);
    s.v.push_back(gen.uniform() * 1e-3f);
  }
  return s;
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

TEST(NnAdamUpdate, ScalarFollowsTheFormula) {
  const AdamCoefficients c = coefficients(0.01f, 0.999f);
  State s = random_state(100, 1);
  const State before = s;
  adam_update_with(UpdateKernel::Scalar, s.p.data(), s.g.data(), s.m.data(), s.v.data(), 100, c);
  for (int i = 0; i < 100; ++i) {
    const Reference r = reference(before.p[i], before.g[i], before.m[i], before.v[i], c);
    EXPECT_NEAR(s.m[i], r.m, r.em) << i;
    EXPECT_NEAR(s.v[i], r.v, r.ev) << i;
    EXPECT_NEAR(s.p[i], r.p, r.ep) << i;
  }
}

TEST(NnAdamUpdate, EveryKernelMatchesScalar) {
  for (UpdateKernel k : {UpdateKernel::Avx2, UpdateKernel::Avx512}) {
    if (!update_kernel_available(k)) {
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
        adam_update_with(UpdateKernel::Scalar, a.p.data(), a.g.data(), a.m.data(), a.v.data(), n,
                         c);
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

TEST(NnAdamUpdate, DefaultKernelIsAvailable) {
  EXPECT_TRUE(update_kernel_available(update_kernel()));
  EXPECT_TRUE(update_kernel_available(UpdateKernel::Scalar));
}
