#pragma once
// The random engine of aelab: xoshiro256** (Blackman & Vigna, "Scrambled linear
// pseudorandom number generators", 2018), its 256-bit state filled from the seed by
// splitmix64 as its authors recommend, so that nearby seeds give unrelated streams.
//
// It lives here, in the lowest layer, so that there is one: the randomized decompositions
// draw from Random directly, and tensor's Generator (tensor/random.hpp), which every model
// uses, draws its bits from a Random. Every draw comes from an explicit seed.
#include <array>
#include <cstdint>

namespace ae::linalg {

/// splitmix64: advances `state` by the golden-ratio increment and returns a mixed value.
uint64_t splitmix64(uint64_t& state);

class Random {
 public:
  explicit Random(uint64_t seed);
  /// An engine whose state is exactly `state` (not all zero), as in the authors' reference
  /// code, which seeds nothing itself; for checking the stream against published values.
  static Random from_state(const std::array<uint64_t, 4>& state);
  /// The next 64 random bits (xoshiro256**). Inline: models draw millions per epoch.
  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// Uniform in [0, 1), with 53 random bits.
  double uniform();
  /// Standard normal, by the Box-Muller transform.
  double normal();

 private:
  Random() = default;
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> s_{};
};

}  // namespace ae::linalg
