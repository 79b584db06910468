#include "linalg/training_kernels.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "linalg/error.hpp"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define AE_X86_KERNELS 1
#endif

namespace ae::linalg {

namespace {

void require(SimdLevel level, const char* kernel) {
  if (!simd_level_available(level))
    throw Error(std::string(kernel) + ": this CPU does not run the " + to_string(level) +
                " kernel (it runs up to " + to_string(cpu_simd_level()) + ")");
}

// ---- Adam ----

// The specification: one element at a time, in the documented order. The fast versions
// finish their ragged tails with it, inlined, so there the compiler may contract its
// multiply-adds into FMAs as well (the results the optimizer has always produced).
[[gnu::always_inline]] inline void adam_scalar(float* p, const float* g, float* m, float* v, int64_t begin, int64_t end,
                 const AdamCoefficients& c) {
  const float one_m_b1 = 1.0f - c.beta1, one_m_b2 = 1.0f - c.beta2;
  for (int64_t i = begin; i < end; ++i) {
    const float pi = p[i] * c.shrink;
    const float gi = g[i] + c.l2 * pi;
    const float mi = c.beta1 * m[i] + one_m_b1 * gi;
    const float vi = c.beta2 * v[i] + one_m_b2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = pi - c.step_size * mi / (std::sqrt(vi) * c.inv_sqrt_bias2 + c.eps);
  }
}

#ifdef AE_X86_KERNELS

// The same operations, 8 lanes wide, with the moment updates as fused multiply-adds.
[[gnu::target("avx2,fma")]] void adam_avx2(float* p, const float* g, float* m, float* v,
                                           int64_t n, const AdamCoefficients& c) {
  const __m256 shrink = _mm256_set1_ps(c.shrink), l2 = _mm256_set1_ps(c.l2);
  const __m256 b1 = _mm256_set1_ps(c.beta1), b2 = _mm256_set1_ps(c.beta2);
  const __m256 one_m_b1 = _mm256_set1_ps(1.0f - c.beta1), one_m_b2 = _mm256_set1_ps(1.0f - c.beta2);
  const __m256 step = _mm256_set1_ps(c.step_size), inv = _mm256_set1_ps(c.inv_sqrt_bias2);
  const __m256 eps = _mm256_set1_ps(c.eps);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 pi = _mm256_mul_ps(_mm256_loadu_ps(p + i), shrink);
    const __m256 gi = _mm256_add_ps(_mm256_loadu_ps(g + i), _mm256_mul_ps(l2, pi));
    const __m256 mi = _mm256_fmadd_ps(b1, _mm256_loadu_ps(m + i), _mm256_mul_ps(one_m_b1, gi));
    const __m256 vi =
        _mm256_fmadd_ps(b2, _mm256_loadu_ps(v + i), _mm256_mul_ps(_mm256_mul_ps(one_m_b2, gi), gi));
    _mm256_storeu_ps(m + i, mi);
    _mm256_storeu_ps(v + i, vi);
    const __m256 denom = _mm256_add_ps(_mm256_mul_ps(_mm256_sqrt_ps(vi), inv), eps);
    _mm256_storeu_ps(p + i, _mm256_sub_ps(pi, _mm256_div_ps(_mm256_mul_ps(step, mi), denom)));
  }
  adam_scalar(p, g, m, v, i, n, c);
}

// 16 lanes wide. The square root is the zero-masking form with every lane selected: the
// same instruction and result as _mm512_sqrt_ps, whose header implementation passes an
// undefined source register that GCC warns about (-Wmaybe-uninitialized).
[[gnu::target("avx512f")]] void adam_avx512(float* p, const float* g, float* m, float* v,
                                            int64_t n, const AdamCoefficients& c) {
  const __m512 shrink = _mm512_set1_ps(c.shrink), l2 = _mm512_set1_ps(c.l2);
  const __m512 b1 = _mm512_set1_ps(c.beta1), b2 = _mm512_set1_ps(c.beta2);
  const __m512 one_m_b1 = _mm512_set1_ps(1.0f - c.beta1), one_m_b2 = _mm512_set1_ps(1.0f - c.beta2);
  const __m512 step = _mm512_set1_ps(c.step_size), inv = _mm512_set1_ps(c.inv_sqrt_bias2);
  const __m512 eps = _mm512_set1_ps(c.eps);
  const __mmask16 all = 0xFFFF;
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m512 pi = _mm512_mul_ps(_mm512_loadu_ps(p + i), shrink);
    const __m512 gi = _mm512_add_ps(_mm512_loadu_ps(g + i), _mm512_mul_ps(l2, pi));
    const __m512 mi = _mm512_fmadd_ps(b1, _mm512_loadu_ps(m + i), _mm512_mul_ps(one_m_b1, gi));
    const __m512 vi =
        _mm512_fmadd_ps(b2, _mm512_loadu_ps(v + i), _mm512_mul_ps(_mm512_mul_ps(one_m_b2, gi), gi));
    _mm512_storeu_ps(m + i, mi);
    _mm512_storeu_ps(v + i, vi);
    const __m512 denom = _mm512_add_ps(_mm512_mul_ps(_mm512_maskz_sqrt_ps(all, vi), inv), eps);
    _mm512_storeu_ps(p + i, _mm512_sub_ps(pi, _mm512_div_ps(_mm512_mul_ps(step, mi), denom)));
  }
  adam_scalar(p, g, m, v, i, n, c);
}

#endif

// ---- Squared error ----
//
// The specification is the plain loop; the compiler vectorises it for whichever instruction
// set the function it is inlined into targets. The fast versions below are that loop
// compiled for AVX2 and for AVX-512 (the same target sets the loss used before it moved
// here, so the values are unchanged bit for bit).

[[gnu::always_inline]] inline double squared_error_sum_loop(const float* a, const float* b,
                                                            int64_t n) {
  constexpr int64_t kBlock = 1024;
  double total = 0.0;
  for (int64_t start = 0; start < n; start += kBlock) {
    const int64_t stop = std::min(n, start + kBlock);
    float block = 0.0f;
#pragma omp simd reduction(+ : block)
    for (int64_t i = start; i < stop; ++i) {
      const float d = a[i] - b[i];
      block += d * d;
    }
    total += block;
  }
  return total;
}

[[gnu::always_inline]] inline void scaled_difference_loop(const float* a, const float* b,
                                                          float scale, float* out, int64_t n) {
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) out[i] = scale * (a[i] - b[i]);
}

double squared_error_sum_scalar(const float* a, const float* b, int64_t n) {
  return squared_error_sum_loop(a, b, n);
}
void scaled_difference_scalar(const float* a, const float* b, float scale, float* out,
                              int64_t n) {
  scaled_difference_loop(a, b, scale, out, n);
}

#ifdef AE_X86_KERNELS
[[gnu::target("avx2")]] double squared_error_sum_avx2(const float* a, const float* b,
                                                      int64_t n) {
  return squared_error_sum_loop(a, b, n);
}
[[gnu::target("avx512f")]] double squared_error_sum_avx512(const float* a, const float* b,
                                                           int64_t n) {
  return squared_error_sum_loop(a, b, n);
}
[[gnu::target("avx2")]] void scaled_difference_avx2(const float* a, const float* b, float scale,
                                                    float* out, int64_t n) {
  scaled_difference_loop(a, b, scale, out, n);
}
[[gnu::target("avx512f")]] void scaled_difference_avx512(const float* a, const float* b,
                                                         float scale, float* out, int64_t n) {
  scaled_difference_loop(a, b, scale, out, n);
}
#endif

}  // namespace

void adam_update_with(SimdLevel level, float* p, const float* g, float* m, float* v, int64_t n,
                      const AdamCoefficients& c) {
  require(level, "adam_update");
  switch (level) {
#ifdef AE_X86_KERNELS
    case SimdLevel::Avx512:
      adam_avx512(p, g, m, v, n, c);
      return;
    case SimdLevel::Avx2:
      adam_avx2(p, g, m, v, n, c);
      return;
#endif
    default:
      adam_scalar(p, g, m, v, 0, n, c);
  }
}

void adam_update(float* p, const float* g, float* m, float* v, int64_t n,
                 const AdamCoefficients& c) {
  adam_update_with(simd_level(), p, g, m, v, n, c);
}

double squared_error_sum_with(SimdLevel level, const float* a, const float* b, int64_t n) {
  require(level, "squared_error_sum");
  switch (level) {
#ifdef AE_X86_KERNELS
    case SimdLevel::Avx512:
      return squared_error_sum_avx512(a, b, n);
    case SimdLevel::Avx2:
      return squared_error_sum_avx2(a, b, n);
#endif
    default:
      return squared_error_sum_scalar(a, b, n);
  }
}

double squared_error_sum(const float* a, const float* b, int64_t n) {
  return squared_error_sum_with(simd_level(), a, b, n);
}

void scaled_difference_with(SimdLevel level, const float* a, const float* b, float scale,
                            float* out, int64_t n) {
  require(level, "scaled_difference");
  switch (level) {
#ifdef AE_X86_KERNELS
    case SimdLevel::Avx512:
      scaled_difference_avx512(a, b, scale, out, n);
      return;
    case SimdLevel::Avx2:
      scaled_difference_avx2(a, b, scale, out, n);
      return;
#endif
    default:
      scaled_difference_scalar(a, b, scale, out, n);
  }
}

void scaled_difference(const float* a, const float* b, float scale, float* out, int64_t n) {
  scaled_difference_with(simd_level(), a, b, scale, out, n);
}

}  // namespace ae::linalg
