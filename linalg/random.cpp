#include "linalg/random.hpp"

#include <cmath>
#include <numbers>

#include "linalg/error.hpp"

namespace ae::linalg {

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Random::Random(uint64_t seed) {
  uint64_t state = seed;
  for (uint64_t& word : s_) word = splitmix64(state);
}

Random Random::from_state(const std::array<uint64_t, 4>& state) {
  if (state == std::array<uint64_t, 4>{})
    throw Error("Random::from_state: the all-zero state is a fixed point of xoshiro256**");
  Random r;
  r.s_ = state;
  return r;
}

double Random::uniform() { return double(next() >> 11) * 0x1.0p-53; }

double Random::normal() {
  // u1 in (0, 1] so that log(u1) is finite.
  const double u1 = 1.0 - uniform();
  const double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

}  // namespace ae::linalg
