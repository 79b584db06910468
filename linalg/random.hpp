#pragma once
// Random numbers for the randomized decompositions (random starts, Gaussian test matrices).
//
// tensor/ has the Generator the models use, but linalg sits below tensor/, so it carries
// its own: xoshiro256** (Blackman & Vigna, 2018), seeded through splitmix64 as its authors
// recommend. Every draw comes from an explicit seed, so a decomposition is reproducible.
#include <cstdint>

namespace ae::linalg {

/// splitmix64: advances `state` by the golden-ratio increment and returns a mixed value.
uint64_t splitmix64(uint64_t& state);

class Random {
 public:
  explicit Random(uint64_t seed);
  /// The next 64 random bits (xoshiro256**).
  uint64_t next();
  /// Uniform in [0, 1), with 53 random bits.
  double uniform();
  /// Standard normal, by the Box-Muller transform.
  double normal();

 private:
  uint64_t s_[4];
};

}  // namespace ae::linalg
