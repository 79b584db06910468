// Matrix-vector products (gemm with m = 1 or n = 1) with AVX2 + FMA.
//
// With a single row (or column) of C, each element of the matrix operand is used once:
// packing it would copy the whole matrix to multiply it once, and the register tile would
// be mostly padding. These two loops read the matrix once, in its stored order, instead;
// their speed is that of memory. Compiled with -mavx2 -mfma and used by both fast kernels
// (an AVX-512 CPU has AVX2, and 256-bit loads already keep up with memory here).
#include <immintrin.h>

#include "linalg/gemm_blocked.hpp"

namespace ae::linalg::detail {

namespace {

float horizontal_sum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

}  // namespace

// y[i] = sum_p M[i * ldm + p] * x[p]: a dot product per row of M, four rows at a time so
// that each load of x serves four rows and four independent sums hide the FMA latency.
void dot_rows_avx2(int64_t rows, int64_t depth, const float* M, int64_t ldm, const float* x,
                   float* y) {
  int64_t i = 0;
  for (; i + 4 <= rows; i += 4) {
    const float* r[4] = {M + i * ldm, M + (i + 1) * ldm, M + (i + 2) * ldm, M + (i + 3) * ldm};
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(),
                     _mm256_setzero_ps()};
    int64_t p = 0;
    for (; p + 8 <= depth; p += 8) {
      const __m256 xv = _mm256_loadu_ps(x + p);
#pragma GCC unroll 4
      for (int q = 0; q < 4; ++q) acc[q] = _mm256_fmadd_ps(_mm256_loadu_ps(r[q] + p), xv, acc[q]);
    }
#pragma GCC unroll 4
    for (int q = 0; q < 4; ++q) {
      float sum = horizontal_sum(acc[q]);
      for (int64_t t = p; t < depth; ++t) sum += r[q][t] * x[t];
      y[i + q] = sum;
    }
  }
  for (; i < rows; ++i) {
    const float* row = M + i * ldm;
    __m256 acc = _mm256_setzero_ps();
    int64_t p = 0;
    for (; p + 8 <= depth; p += 8)
      acc = _mm256_fmadd_ps(_mm256_loadu_ps(row + p), _mm256_loadu_ps(x + p), acc);
    float sum = horizontal_sum(acc);
    for (; p < depth; ++p) sum += row[p] * x[p];
    y[i] = sum;
  }
}

// y[j] = sum_p x[p] * M[p * ldm + j]: the rows of M scaled by x and summed, 32 columns at a
// time in four registers, then 8, then one by one at the right edge.
void axpy_rows_avx2(int64_t cols, int64_t depth, const float* M, int64_t ldm, const float* x,
                    float* y) {
  int64_t j = 0;
  for (; j + 32 <= cols; j += 32) {
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(),
                     _mm256_setzero_ps()};
    for (int64_t p = 0; p < depth; ++p) {
      const float* row = M + p * ldm + j;
      if (p + 8 < depth) {  // rows ldm apart: a stride the hardware prefetchers learn slowly
        _mm_prefetch(reinterpret_cast<const char*>(row + 8 * ldm), _MM_HINT_T0);
        _mm_prefetch(reinterpret_cast<const char*>(row + 8 * ldm + 31), _MM_HINT_T0);
      }
      const __m256 xp = _mm256_broadcast_ss(x + p);
#pragma GCC unroll 4
      for (int q = 0; q < 4; ++q)
        acc[q] = _mm256_fmadd_ps(xp, _mm256_loadu_ps(row + 8 * q), acc[q]);
    }
#pragma GCC unroll 4
    for (int q = 0; q < 4; ++q) _mm256_storeu_ps(y + j + 8 * q, acc[q]);
  }
  for (; j + 8 <= cols; j += 8) {
    __m256 acc = _mm256_setzero_ps();
    for (int64_t p = 0; p < depth; ++p)
      acc = _mm256_fmadd_ps(_mm256_broadcast_ss(x + p), _mm256_loadu_ps(M + p * ldm + j), acc);
    _mm256_storeu_ps(y + j, acc);
  }
  for (; j < cols; ++j) {
    float sum = 0.0f;
    for (int64_t p = 0; p < depth; ++p) sum += x[p] * M[p * ldm + j];
    y[j] = sum;
  }
}

}  // namespace ae::linalg::detail
