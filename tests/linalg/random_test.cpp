// linalg's splitmix64 / xoshiro256** against values from an independent implementation of
// the published algorithms, and the moments of the derived distributions.
#include "linalg/random.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "linalg/error.hpp"

TEST(LinalgRandom, SplitMix64MatchesThePublishedSequence) {
  // splitmix64 from state 0: the first output is the widely quoted 0xe220a8397b1dcdaf.
  uint64_t state = 0;
  EXPECT_EQ(ae::linalg::splitmix64(state), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(ae::linalg::splitmix64(state), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(ae::linalg::splitmix64(state), 0x06c45d188009454fULL);
}

TEST(LinalgRandom, Xoshiro256StarStarSeededBySplitMix) {
  // Reference: a separate Python implementation of xoshiro256** (Blackman & Vigna) whose
  // four state words are the first four splitmix64 outputs from the seed.
  ae::linalg::Random rng(42);
  EXPECT_EQ(rng.next(), 0x15780b2e0c2ec716ULL);
  EXPECT_EQ(rng.next(), 0x6104d9866d113a7eULL);
  EXPECT_EQ(rng.next(), 0xae17533239e499a1ULL);
  EXPECT_EQ(rng.next(), 0xecb8ad4703b360a1ULL);
}

TEST(LinalgRandom, Xoshiro256StarStarReferenceVector) {
  // The authors' reference code (xoshiro256starstar.c) from the state {1, 2, 3, 4}: by hand,
  // the first output is rotl(2 * 5, 7) * 9 = 1280 * 9 = 11520; the others were computed by
  // a separate Python transcription of that code. They are the values commonly quoted for
  // checking an implementation.
  ae::linalg::Random rng = ae::linalg::Random::from_state({1, 2, 3, 4});
  EXPECT_EQ(rng.next(), 11520ULL);
  EXPECT_EQ(rng.next(), 0ULL);
  EXPECT_EQ(rng.next(), 1509978240ULL);
  EXPECT_EQ(rng.next(), 1215971899390074240ULL);
  EXPECT_THROW(ae::linalg::Random::from_state({0, 0, 0, 0}), ae::Error);
}

TEST(LinalgRandom, StreamsAreUnchangedSinceTheEngineBecameTheOnlyOne) {
  // Regression anchor, seed 2024: recorded by running Random before it became the engine
  // tensor's Generator draws from, so randomized decompositions keep their results.
  ae::linalg::Random rng(2024);
  EXPECT_EQ(rng.uniform(), 0x1.c90e2b427aeep-5);
  EXPECT_EQ(rng.uniform(), 0x1.906fe7dd14f42p-1);
  EXPECT_EQ(rng.normal(), 0x1.a99688bd5582bp-3);
  EXPECT_EQ(rng.normal(), 0x1.c6e48905a7726p-5);
}

TEST(LinalgRandom, SameSeedSameNumbersAndMomentsWithinCltBounds) {
  ae::linalg::Random a(5), b(5), c(6);
  EXPECT_EQ(a.next(), b.next());
  EXPECT_NE(a.next(), c.next());
  ae::linalg::Random rng(123);
  const int n = 200000;
  double su = 0, sn = 0, sn2 = 0, sn4 = 0;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    su += u;
    const double z = rng.normal();
    ASSERT_TRUE(std::isfinite(z));
    sn += z;
    sn2 += z * z;
    sn4 += z * z * z * z;
  }
  // Standard errors: uniform mean sqrt(1/12/n), normal mean 1/sqrt(n), variance sqrt(2/n),
  // fourth moment sqrt(96/n); 5 standard errors each.
  EXPECT_NEAR(su / n, 0.5, 5 * std::sqrt(1.0 / 12 / n));
  EXPECT_NEAR(sn / n, 0.0, 5 / std::sqrt(double(n)));
  EXPECT_NEAR(sn2 / n, 1.0, 5 * std::sqrt(2.0 / n));
  EXPECT_NEAR(sn4 / n, 3.0, 5 * std::sqrt(96.0 / n));
}
