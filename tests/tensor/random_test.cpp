// Generator and random creation: determinism, independence of seeds, and moments within
// bounds from the central limit theorem.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "tensor/ops.hpp"
#include "tensor/random.hpp"
#include "linalg/random.hpp"

using ae::Error;
using ae::Generator;
using ae::Tensor;
namespace T = ae::tensor;

namespace {

// Bitwise equality, so that -0.0 != 0.0 and NaN payloads count.
bool same_bits(const Tensor& a, const Tensor& b) {
  const std::vector<float> x = a.to_vector(), y = b.to_vector();
  return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size() * sizeof(float)) == 0;
}

struct Moments {
  double mean = 0, var = 0;
};
Moments moments(const Tensor& t) {
  const std::vector<float> v = t.to_vector();
  Moments m;
  for (float x : v) m.mean += x;
  m.mean /= double(v.size());
  for (float x : v) m.var += (x - m.mean) * (x - m.mean);
  m.var /= double(v.size() - 1);
  return m;
}

constexpr int64_t kN = 200000;
// Five standard errors: a correct generator fails one of these checks with probability
// about 6e-7 each, and the seeds are fixed, so the outcome is reproducible anyway.
constexpr double kSigmas = 5.0;

}  // namespace

TEST(TensorGenerator, MatchesTheAlgorithmsReference) {
  // First outputs of xoshiro256** seeded through splitmix64 with seed 42, from a separate
  // Python implementation of the published algorithms (Blackman and Vigna). That
  // implementation reproduces the widely published splitmix64 stream for seed 0
  // (0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, ...).
  Generator g(42);
  EXPECT_EQ(g.next_u64(), 0x15780b2e0c2ec716ULL);
  EXPECT_EQ(g.next_u64(), 0x6104d9866d113a7eULL);
  EXPECT_EQ(g.next_u64(), 0xae17533239e499a1ULL);
  // uniform() keeps the top 24 bits: 0x15780b / 2^24
  Generator h(42);
  EXPECT_EQ(h.uniform(), float(0x15780b) / float(1 << 24));
}

TEST(TensorGenerator, StreamsAreUnchangedSinceTheEngineMovedToLinalg) {
  // Regression anchor for every draw Generator offers, seed 2024. These values were
  // recorded by running Generator before its xoshiro256** engine was replaced by
  // linalg::Random, so seeded results (initial weights, noise, shuffles) stay identical.
  // The first next_u64 is also what a separate Python transcription of the published
  // splitmix64 + xoshiro256** gives for seed 2024.
  Generator g(2024);
  EXPECT_EQ(g.next_u64(), 0x0e48715a13d7772eULL);
  EXPECT_EQ(g.uniform(), 0x1.906fe6p-1f);
  EXPECT_EQ(g.uniform(), 0x1.27231p-4f);
  EXPECT_EQ(g.uniform(), 0x1.471918p-3f);
  EXPECT_EQ(g.normal(), 0x1.7a1ff8p-6f);
  EXPECT_EQ(g.normal(), 0x1.6e9f0ap-1f);  // the spare of the Box-Muller pair
  EXPECT_EQ(g.normal(), -0x1.ebe272p-5f);
  EXPECT_EQ(g.below(1000), 765u);
  EXPECT_EQ(g.below(1000), 124u);
  EXPECT_EQ(g.below(1000), 376u);
  Generator child = g.split();
  EXPECT_EQ(child.next_u64(), 0x5df0bb224c4a86e1ULL);
  EXPECT_EQ(g.next_u64(), 0xe1ca930597a23686ULL);
}

TEST(TensorGenerator, DrawsTheSameBitsAsLinalgsEngine) {
  // One engine in aelab: Generator's 64-bit draws are linalg::Random's, seed for seed.
  Generator g(99);
  ae::linalg::Random r(99);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(g.next_u64(), r.next()) << i;
}

TEST(TensorGenerator, SameSeedGivesBitIdenticalTensors) {
  Generator a(7), b(7);
  EXPECT_TRUE(same_bits(T::rand({100, 3}, a), T::rand({100, 3}, b)));
  EXPECT_TRUE(same_bits(T::randn({1001}, a, 1.0f, 2.0f), T::randn({1001}, b, 1.0f, 2.0f)));
  EXPECT_TRUE(same_bits(T::bernoulli({64}, 0.3f, a), T::bernoulli({64}, 0.3f, b)));
  EXPECT_EQ(a.below(1000), b.below(1000));
  Generator sa = a.split(), sb = b.split();
  EXPECT_TRUE(same_bits(T::randn({10}, sa), T::randn({10}, sb)));
}

TEST(TensorGenerator, DifferentSeedsDiffer) {
  Generator a(1), b(2);
  EXPECT_FALSE(same_bits(T::rand({100}, a), T::rand({100}, b)));
  Generator c(1);
  Generator child = c.split();
  EXPECT_FALSE(same_bits(T::rand({100}, c), T::rand({100}, child)));
}

TEST(TensorRand, UniformRangeAndMoments) {
  Generator g(123);
  const Tensor u = T::rand({kN}, g);
  EXPECT_GE(T::max(T::neg(u)).item(), -1.0f);
  EXPECT_LT(T::max(u).item(), 1.0f);
  EXPECT_GE(-T::max(T::neg(u)).item(), 0.0f);
  // Uniform[0,1): mean 1/2, variance 1/12; var of the sample variance ~ (mu4 - s^4)/n
  // with mu4 = 1/80.
  const Moments m = moments(u);
  EXPECT_NEAR(m.mean, 0.5, kSigmas * std::sqrt(1.0 / 12.0 / kN));
  EXPECT_NEAR(m.var, 1.0 / 12.0, kSigmas * std::sqrt((1.0 / 80.0 - 1.0 / 144.0) / kN));
  const Tensor r = T::rand({kN}, g, -2.0f, 6.0f);
  EXPECT_GE(-T::max(T::neg(r)).item(), -2.0f);
  EXPECT_LT(T::max(r).item(), 6.0f);
  EXPECT_NEAR(moments(r).mean, 2.0, kSigmas * 8.0 * std::sqrt(1.0 / 12.0 / kN));
  EXPECT_THROW(T::rand({2}, g, 1.0f, 1.0f), Error);
}

TEST(TensorRandn, NormalMomentsAndTails) {
  Generator g(2024);
  const Tensor z = T::randn({kN}, g);
  const Moments m = moments(z);
  // N(0,1): sd of the mean 1/sqrt(n), sd of the sample variance sqrt(2/n).
  EXPECT_NEAR(m.mean, 0.0, kSigmas / std::sqrt(double(kN)));
  EXPECT_NEAR(m.var, 1.0, kSigmas * std::sqrt(2.0 / kN));
  // P(|z| > 1.959964) = 0.05 for a normal, not for a uniform of the same variance.
  const double tail = T::sum(T::gt(T::abs(z), T::scalar(1.959964f))).item() / double(kN);
  EXPECT_NEAR(tail, 0.05, kSigmas * std::sqrt(0.05 * 0.95 / kN));
  const Moments s = moments(T::randn({kN}, g, 3.0f, 0.5f));
  EXPECT_NEAR(s.mean, 3.0, kSigmas * 0.5 / std::sqrt(double(kN)));
  EXPECT_NEAR(s.var, 0.25, kSigmas * 0.25 * std::sqrt(2.0 / kN));
  EXPECT_THROW(T::randn({2}, g, 0.0f, -1.0f), Error);
}

TEST(TensorBernoulli, Frequency) {
  Generator g(5);
  const Tensor b = T::bernoulli({kN}, 0.3f, g);
  const std::vector<float> v = b.to_vector();
  for (float x : v) ASSERT_TRUE(x == 0.0f || x == 1.0f);
  EXPECT_NEAR(moments(b).mean, 0.3, kSigmas * std::sqrt(0.3 * 0.7 / kN));
  EXPECT_EQ(T::sum(T::bernoulli({100}, 0.0f, g)).item(), 0.0f);
  EXPECT_EQ(T::sum(T::bernoulli({100}, 1.0f, g)).item(), 100.0f);
  EXPECT_THROW(T::bernoulli({2}, 1.5f, g), Error);
}

TEST(TensorGenerator, BelowIsUniform) {
  Generator g(99);
  const int buckets = 7;
  std::vector<int64_t> count(buckets, 0);
  const int64_t n = 70000;
  for (int64_t i = 0; i < n; ++i) {
    const uint64_t r = g.below(buckets);
    ASSERT_LT(r, uint64_t(buckets));
    ++count[r];
  }
  const double p = 1.0 / buckets;
  for (int64_t c : count) EXPECT_NEAR(double(c) / n, p, kSigmas * std::sqrt(p * (1 - p) / n));
  EXPECT_THROW(g.below(0), Error);
}
