// Generator: float, normal and integer draws on top of linalg's xoshiro256** engine.
#include "tensor/random.hpp"

#include <cmath>
#include <numbers>
#include <string>

#include "linalg/error.hpp"

namespace ae {

Generator::Generator(uint64_t seed) : engine_(seed) {}

uint64_t Generator::next_u64() { return engine_.next(); }

float Generator::uniform() {
  // The top 24 bits: every float k / 2^24 in [0, 1) is equally likely and exact.
  return static_cast<float>(next_u64() >> 40) * 0x1.0p-24f;
}

float Generator::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  // Box–Muller in double: u1 in (0, 1] so log(u1) is finite; the pair
  //   r cos(2 pi u2), r sin(2 pi u2),  r = sqrt(-2 ln u1)
  // are two independent standard normals.
  const double u1 = static_cast<double>((next_u64() >> 11) + 1) * 0x1.0p-53;
  const double u2 = static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
  const double r = std::sqrt(-2.0 * std::log(u1));
  const double angle = 2.0 * std::numbers::pi * u2;
  spare_ = static_cast<float>(r * std::sin(angle));
  has_spare_ = true;
  return static_cast<float>(r * std::cos(angle));
}

uint64_t Generator::below(uint64_t n) {
  if (n == 0) throw Error("Generator::below: n must be positive");
  // Reject the lowest (2^64 mod n) values so every residue is equally likely.
  const uint64_t threshold = (0 - n) % n;
  for (;;) {
    const uint64_t r = next_u64();
    if (r >= threshold) return r % n;
  }
}

Generator Generator::split() { return Generator(next_u64()); }

}  // namespace ae
