#include "linalg/vector_kernels.hpp"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define AE_X86_KERNELS 1
#endif

#include <omp.h>

#include <algorithm>

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

// The specification of rotate_rows_f64: one rotation after another.
void rotate_rows_scalar(double* a, int64_t ld, int64_t cols, int64_t count, const double* c,
                        const double* s) {
  for (int64_t k = 0; k < count; ++k) rotate_scalar(a + k * ld, a + (k + 1) * ld, cols, c[k], s[k]);
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

// Strips of 4 vectors (16 columns with AVX2, 32 with AVX-512): four independent carries
// hide the latency of the chain row k -> row k + 1. Per element the operations are those of
// the vector part of rotate_f64 (c * x - s * y as a fused multiply-subtract of s * y).
[[gnu::target("avx2,fma")]] void rotate_rows_avx2(double* a, int64_t ld, int64_t cols,
                                                  int64_t count, const double* c, const double* s) {
  int64_t j = 0;
  for (; j + 16 <= cols; j += 16) {
    double* col = a + j;
    __m256d x0 = _mm256_loadu_pd(col), x1 = _mm256_loadu_pd(col + 4);
    __m256d x2 = _mm256_loadu_pd(col + 8), x3 = _mm256_loadu_pd(col + 12);
    for (int64_t k = 0; k < count; ++k) {
      const __m256d vc = _mm256_set1_pd(c[k]), vs = _mm256_set1_pd(s[k]);
      double* xr = col + k * ld;
      const double* yr = xr + ld;
      const __m256d y0 = _mm256_loadu_pd(yr), y1 = _mm256_loadu_pd(yr + 4);
      const __m256d y2 = _mm256_loadu_pd(yr + 8), y3 = _mm256_loadu_pd(yr + 12);
      _mm256_storeu_pd(xr, _mm256_fmsub_pd(vc, x0, _mm256_mul_pd(vs, y0)));
      _mm256_storeu_pd(xr + 4, _mm256_fmsub_pd(vc, x1, _mm256_mul_pd(vs, y1)));
      _mm256_storeu_pd(xr + 8, _mm256_fmsub_pd(vc, x2, _mm256_mul_pd(vs, y2)));
      _mm256_storeu_pd(xr + 12, _mm256_fmsub_pd(vc, x3, _mm256_mul_pd(vs, y3)));
      x0 = _mm256_fmadd_pd(vs, x0, _mm256_mul_pd(vc, y0));
      x1 = _mm256_fmadd_pd(vs, x1, _mm256_mul_pd(vc, y1));
      x2 = _mm256_fmadd_pd(vs, x2, _mm256_mul_pd(vc, y2));
      x3 = _mm256_fmadd_pd(vs, x3, _mm256_mul_pd(vc, y3));
    }
    double* last = col + count * ld;
    _mm256_storeu_pd(last, x0);
    _mm256_storeu_pd(last + 4, x1);
    _mm256_storeu_pd(last + 8, x2);
    _mm256_storeu_pd(last + 12, x3);
  }
  for (; j + 4 <= cols; j += 4) {
    double* col = a + j;
    __m256d x0 = _mm256_loadu_pd(col);
    for (int64_t k = 0; k < count; ++k) {
      const __m256d vc = _mm256_set1_pd(c[k]), vs = _mm256_set1_pd(s[k]);
      double* xr = col + k * ld;
      const __m256d y0 = _mm256_loadu_pd(xr + ld);
      _mm256_storeu_pd(xr, _mm256_fmsub_pd(vc, x0, _mm256_mul_pd(vs, y0)));
      x0 = _mm256_fmadd_pd(vs, x0, _mm256_mul_pd(vc, y0));
    }
    _mm256_storeu_pd(col + count * ld, x0);
  }
  if (j < cols) {
    for (int64_t k = 0; k < count; ++k)  // the last columns, as rotate_f64 does its tail
      rotate_scalar(a + k * ld + j, a + (k + 1) * ld + j, cols - j, c[k], s[k]);
  }
}

[[gnu::target("avx512f")]] void rotate_rows_avx512(double* a, int64_t ld, int64_t cols,
                                                   int64_t count, const double* c,
                                                   const double* s) {
  int64_t j = 0;
  for (; j + 32 <= cols; j += 32) {
    double* col = a + j;
    __m512d x0 = _mm512_loadu_pd(col), x1 = _mm512_loadu_pd(col + 8);
    __m512d x2 = _mm512_loadu_pd(col + 16), x3 = _mm512_loadu_pd(col + 24);
    for (int64_t k = 0; k < count; ++k) {
      const __m512d vc = _mm512_set1_pd(c[k]), vs = _mm512_set1_pd(s[k]);
      double* xr = col + k * ld;
      const double* yr = xr + ld;
      const __m512d y0 = _mm512_loadu_pd(yr), y1 = _mm512_loadu_pd(yr + 8);
      const __m512d y2 = _mm512_loadu_pd(yr + 16), y3 = _mm512_loadu_pd(yr + 24);
      _mm512_storeu_pd(xr, _mm512_fmsub_pd(vc, x0, _mm512_mul_pd(vs, y0)));
      _mm512_storeu_pd(xr + 8, _mm512_fmsub_pd(vc, x1, _mm512_mul_pd(vs, y1)));
      _mm512_storeu_pd(xr + 16, _mm512_fmsub_pd(vc, x2, _mm512_mul_pd(vs, y2)));
      _mm512_storeu_pd(xr + 24, _mm512_fmsub_pd(vc, x3, _mm512_mul_pd(vs, y3)));
      x0 = _mm512_fmadd_pd(vs, x0, _mm512_mul_pd(vc, y0));
      x1 = _mm512_fmadd_pd(vs, x1, _mm512_mul_pd(vc, y1));
      x2 = _mm512_fmadd_pd(vs, x2, _mm512_mul_pd(vc, y2));
      x3 = _mm512_fmadd_pd(vs, x3, _mm512_mul_pd(vc, y3));
    }
    double* last = col + count * ld;
    _mm512_storeu_pd(last, x0);
    _mm512_storeu_pd(last + 8, x1);
    _mm512_storeu_pd(last + 16, x2);
    _mm512_storeu_pd(last + 24, x3);
  }
  if (j < cols) rotate_rows_avx2(a + j, ld, cols - j, count, c, s);
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

void rotate_rows_f64(double* a, int64_t ld, int64_t cols, int64_t count, const double* c,
                     const double* s) {
  if (count <= 0 || cols <= 0) return;
  const SimdLevel level = simd_level();
  auto strip = [&](int64_t j0, int64_t j1) {
    switch (level) {
#ifdef AE_X86_KERNELS
      case SimdLevel::Avx512:
        rotate_rows_avx512(a + j0, ld, j1 - j0, count, c, s);
        return;
      case SimdLevel::Avx2:
        rotate_rows_avx2(a + j0, ld, j1 - j0, count, c, s);
        return;
#endif
      default:
        rotate_rows_scalar(a + j0, ld, j1 - j0, count, c, s);
    }
  };
  // Two threads pay for their meeting (a few microseconds) from about 64 x 256 rotations.
  const int threads = count * cols >= 16384 && !omp_in_parallel()
                          ? static_cast<int>(std::min<int64_t>(omp_get_max_threads(), cols / 64))
                          : 1;
  if (threads <= 1) {
    strip(0, cols);
    return;
  }
#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num(), nt = omp_get_num_threads();
    // Column ranges on 32-column boundaries, so that every strip but the last is whole.
    const int64_t strips = (cols + 31) / 32;
    const int64_t j0 = std::min(cols, strips * t / nt * 32);
    const int64_t j1 = std::min(cols, strips * (t + 1) / nt * 32);
    if (j1 > j0) strip(j0, j1);
  }
}

}  // namespace ae::linalg
