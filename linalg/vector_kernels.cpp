#include "linalg/vector_kernels.hpp"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define AE_X86_KERNELS 1
#endif

#include "linalg/simd.hpp"

namespace ae::linalg {

namespace {

double dot_scalar(const double* x, const double* y, int64_t n) {
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  int64_t k = 0;
  for (; k + 4 <= n; k += 4) {
    s0 += x[k] * y[k];
    s1 += x[k + 1] * y[k + 1];
    s2 += x[k + 2] * y[k + 2];
    s3 += x[k + 3] * y[k + 3];
  }
  for (; k < n; ++k) s0 += x[k] * y[k];
  return (s0 + s1) + (s2 + s3);
}

void rotate_scalar(double* __restrict x, double* __restrict y, int64_t n, double c, double s) {
  for (int64_t k = 0; k < n; ++k) {
    const double xk = x[k], yk = y[k];
    x[k] = c * xk - s * yk;
    y[k] = s * xk + c * yk;
  }
}

#ifdef AE_X86_KERNELS
[[gnu::target("avx2,fma")]] double dot_avx2(const double* x, const double* y, int64_t n) {
  __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
  int64_t k = 0;
  for (; k + 16 <= n; k += 16) {
    s0 = _mm256_fmadd_pd(_mm256_loadu_pd(x + k), _mm256_loadu_pd(y + k), s0);
    s1 = _mm256_fmadd_pd(_mm256_loadu_pd(x + k + 4), _mm256_loadu_pd(y + k + 4), s1);
    s2 = _mm256_fmadd_pd(_mm256_loadu_pd(x + k + 8), _mm256_loadu_pd(y + k + 8), s2);
    s3 = _mm256_fmadd_pd(_mm256_loadu_pd(x + k + 12), _mm256_loadu_pd(y + k + 12), s3);
  }
  for (; k + 4 <= n; k += 4)
    s0 = _mm256_fmadd_pd(_mm256_loadu_pd(x + k), _mm256_loadu_pd(y + k), s0);
  const __m256d s = _mm256_add_pd(_mm256_add_pd(s0, s1), _mm256_add_pd(s2, s3));
  const __m128d h = _mm_add_pd(_mm256_castpd256_pd128(s), _mm256_extractf128_pd(s, 1));
  double total = _mm_cvtsd_f64(_mm_add_sd(h, _mm_unpackhi_pd(h, h)));
  for (; k < n; ++k) total += x[k] * y[k];
  return total;
}

[[gnu::target("avx2,fma")]] void rotate_avx2(double* x, double* y, int64_t n, double c, double s) {
  const __m256d vc = _mm256_set1_pd(c), vs = _mm256_set1_pd(s);
  int64_t k = 0;
  for (; k + 4 <= n; k += 4) {
    const __m256d xk = _mm256_loadu_pd(x + k), yk = _mm256_loadu_pd(y + k);
    _mm256_storeu_pd(x + k, _mm256_fmsub_pd(vc, xk, _mm256_mul_pd(vs, yk)));
    _mm256_storeu_pd(y + k, _mm256_fmadd_pd(vs, xk, _mm256_mul_pd(vc, yk)));
  }
  rotate_scalar(x + k, y + k, n - k, c, s);
}

[[gnu::target("avx512f")]] double dot_avx512(const double* x, const double* y, int64_t n) {
  __m512d s0 = _mm512_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
  int64_t k = 0;
  for (; k + 32 <= n; k += 32) {
    s0 = _mm512_fmadd_pd(_mm512_loadu_pd(x + k), _mm512_loadu_pd(y + k), s0);
    s1 = _mm512_fmadd_pd(_mm512_loadu_pd(x + k + 8), _mm512_loadu_pd(y + k + 8), s1);
    s2 = _mm512_fmadd_pd(_mm512_loadu_pd(x + k + 16), _mm512_loadu_pd(y + k + 16), s2);
    s3 = _mm512_fmadd_pd(_mm512_loadu_pd(x + k + 24), _mm512_loadu_pd(y + k + 24), s3);
  }
  for (; k + 8 <= n; k += 8)
    s0 = _mm512_fmadd_pd(_mm512_loadu_pd(x + k), _mm512_loadu_pd(y + k), s0);
  alignas(64) double lanes[8];
  _mm512_store_pd(lanes, _mm512_add_pd(_mm512_add_pd(s0, s1), _mm512_add_pd(s2, s3)));
  double total = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) +
                 ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
  for (; k < n; ++k) total += x[k] * y[k];
  return total;
}

[[gnu::target("avx512f")]] void rotate_avx512(double* x, double* y, int64_t n, double c, double s) {
  const __m512d vc = _mm512_set1_pd(c), vs = _mm512_set1_pd(s);
  int64_t k = 0;
  for (; k + 8 <= n; k += 8) {
    const __m512d xk = _mm512_loadu_pd(x + k), yk = _mm512_loadu_pd(y + k);
    _mm512_storeu_pd(x + k, _mm512_fmsub_pd(vc, xk, _mm512_mul_pd(vs, yk)));
    _mm512_storeu_pd(y + k, _mm512_fmadd_pd(vs, xk, _mm512_mul_pd(vc, yk)));
  }
  rotate_scalar(x + k, y + k, n - k, c, s);
}
#endif

}  // namespace

double dot_f64(const double* x, const double* y, int64_t n) {
  switch (simd_level()) {
#ifdef AE_X86_KERNELS
    case SimdLevel::Avx512:
      return dot_avx512(x, y, n);
    case SimdLevel::Avx2:
      return dot_avx2(x, y, n);
#endif
    default:
      return dot_scalar(x, y, n);
  }
}

void rotate_f64(double* x, double* y, int64_t n, double c, double s) {
  switch (simd_level()) {
#ifdef AE_X86_KERNELS
    case SimdLevel::Avx512:
      rotate_avx512(x, y, n, c, s);
      return;
    case SimdLevel::Avx2:
      rotate_avx2(x, y, n, c, s);
      return;
#endif
    default:
      rotate_scalar(x, y, n, c, s);
  }
}

}  // namespace ae::linalg
