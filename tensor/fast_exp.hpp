#pragma once
// exp_vectorizable — e^x in float with no library call, so that a loop calling it vectorises
// (a call to std::exp cannot be vectorised without -ffast-math).
//
//   e^x = 2^n e^r,   n = round(x / ln 2),   r = x - n ln 2  in [-ln2/2, ln2/2]
//
// n ln 2 is subtracted in two parts (Cody and Waite): ln2_hi has few significant bits, so
// n * ln2_hi is exact, and ln2_lo corrects the rest. e^r is its Taylor series to degree 7:
// the truncation error |r|^8 / 8! < 6e-9 is far below float precision. 2^n is built in the
// exponent bits, as 2^(n/2) 2^(n - n/2), so that results down into the denormals (x near
// -103) come out right. Overflow gives inf, x < -104 gives 0, NaN stays NaN.
//
// The clamps below are selects; GCC turns them into vector blends only when it may assume
// that float operations do not trap, so files that need the vector loop say
// #pragma GCC optimize("no-trapping-math") (aelab never enables floating-point traps).
#include <bit>
#include <cstdint>

namespace ae::tensor::detail {

inline float exp_vectorizable(float x) {
  const bool is_nan = x != x;
  float c = x < -104.0f ? -104.0f : x;
  c = c > 89.0f ? 89.0f : c;
  c = is_nan ? 0.0f : c;
  // Adding and subtracting 1.5 * 2^23 rounds to the nearest integer in float arithmetic.
  constexpr float kRound = 12582912.0f;
  const float n = (c * 1.44269504f + kRound) - kRound;  // 1.44269504 = 1 / ln 2
  constexpr float kLn2Hi = 0.693359375f;
  constexpr float kLn2Lo = -2.12194440e-4f;
  const float r = (c - n * kLn2Hi) - n * kLn2Lo;
  float p = 1.0f / 5040.0f;
  p = p * r + 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const int32_t ni = static_cast<int32_t>(n);  // in [-150, 128]
  const int32_t half = ni / 2;
  const float scale_a = std::bit_cast<float>((half + 127) << 23);
  const float scale_b = std::bit_cast<float>((ni - half + 127) << 23);
  const float result = p * scale_a * scale_b;
  return is_nan ? x : result;
}

}  // namespace ae::tensor::detail
