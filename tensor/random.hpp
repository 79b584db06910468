#pragma once
// Generator — the random numbers of tensors and models. Always constructed from an explicit
// seed; the same seed gives the same numbers (bit for bit) on every run.
//
// Its 64-bit draws come from linalg::Random (linalg/random.hpp), the one random engine in
// aelab (xoshiro256** seeded by splitmix64); Generator adds what the models need on top:
// float uniforms and normals, unbiased integers below n, and independent sub-generators.
#include <cstdint>

#include "linalg/random.hpp"

namespace ae {

class Generator {
 public:
  explicit Generator(uint64_t seed);
  /// 64 uniformly random bits (xoshiro256**, state seeded by splitmix64).
  uint64_t next_u64();
  /// Uniform on [0, 1), 24 random bits.
  float uniform();
  /// Standard normal.
  float normal();
  /// Uniform integer in [0, n).
  uint64_t below(uint64_t n);
  /// An independent generator derived from this one (for a sub-task).
  Generator split();

 private:
  linalg::Random engine_;
  bool has_spare_ = false;
  float spare_ = 0.0f;
};

}  // namespace ae
