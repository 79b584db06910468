#pragma once
// Packing for the x86 gemm kernels: copies one panel of op(A) or op(B) into the order the
// micro-kernel reads it (layouts in gemm_blocked.hpp), with 256-bit AVX instructions.
//
// Included by gemm_avx2.cpp and gemm_avx512.cpp and compiled with each file's instruction
// flags; everything here is `static`, so each kernel gets its own copy and the linker can
// never hand the AVX-512 build of a routine to the AVX2 kernel.
//
// Two of the four cases are plain copies: op(A) when A is stored transposed (the MR values
// of one column p are adjacent in memory) and op(B) when B is not (the NR values of one
// row p are adjacent). The other two are transposes, done 8 x 8 in registers: 8 rows of
// 8 floats come in, 8 columns go out.
#include <immintrin.h>

#include <cstdint>

#include "linalg/gemm.hpp"

namespace ae::linalg::detail {

// Transposes the 8 x 8 matrix whose rows are r[0..7], in place (3 rounds of shuffles:
// 32-bit pairs, 64-bit pairs, 128-bit halves). Every loop is unrolled so that the arrays
// live in registers.
static inline void transpose8x8(__m256 r[8]) {
  __m256 t[8], u[8];
#pragma GCC unroll 4
  for (int i = 0; i < 4; ++i) {
    t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
#pragma GCC unroll 2
  for (int i = 0; i < 2; ++i) {
#pragma GCC unroll 2
    for (int j = 0; j < 2; ++j) {
      const __m256 x = t[4 * i + j], y = t[4 * i + j + 2];
      u[4 * i + 2 * j] = _mm256_shuffle_ps(x, y, _MM_SHUFFLE(1, 0, 1, 0));
      u[4 * i + 2 * j + 1] = _mm256_shuffle_ps(x, y, _MM_SHUFFLE(3, 2, 3, 2));
    }
  }
#pragma GCC unroll 4
  for (int i = 0; i < 4; ++i) {
    r[i] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x20);
    r[i + 4] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x31);
  }
}

// Stores the first `count` (1..8) lanes of v at dst.
static inline void store_first(float* dst, __m256 v, int64_t count) {
  if (count == 8) {
    _mm256_storeu_ps(dst, v);
  } else if (count == 6) {  // the AVX2 kernel's MR
    _mm_storeu_ps(dst, _mm256_castps256_ps128(v));
    _mm_storel_pi(reinterpret_cast<__m64*>(dst + 4), _mm256_extractf128_ps(v, 1));
  } else if (count >= 4) {
    _mm_storeu_ps(dst, _mm256_castps256_ps128(v));
    alignas(32) float high[4];
    _mm_store_ps(high, _mm256_extractf128_ps(v, 1));
    for (int64_t i = 4; i < count; ++i) dst[i] = high[i - 4];
  } else {
    alignas(32) float all[8];
    _mm256_store_ps(all, v);
    for (int64_t i = 0; i < count; ++i) dst[i] = all[i];
  }
}

// Asks for the cache lines of `bytes` bytes at p, some rows ahead of the copy: the rows of a
// panel are ld floats apart, a stride the hardware prefetchers pick up only slowly.
static inline void prefetch_span(const float* p, int64_t floats) {
  _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T0);
  _mm_prefetch(reinterpret_cast<const char*>(p + floats - 1), _MM_HINT_T0);
}

// Copies W floats (W known at compile time: 8-, 4-, 2- and 1-float moves, no loop).
template <int64_t W>
static inline void copy_row(float* dst, const float* src) {
  int64_t i = 0;
#pragma GCC unroll 8
  for (; i + 8 <= W; i += 8) _mm256_storeu_ps(dst + i, _mm256_loadu_ps(src + i));
  if (W - i >= 4) {
    _mm_storeu_ps(dst + i, _mm_loadu_ps(src + i));
    i += 4;
  }
  if (W - i >= 2) {
    _mm_storel_pi(reinterpret_cast<__m64*>(dst + i),
                  _mm_loadl_pi(_mm_setzero_ps(), reinterpret_cast<const __m64*>(src + i)));
    i += 2;
  }
  if (W - i == 1) dst[i] = src[i];
}

// Panel layout: dst[p * W + i] = row i, column p of a `rows x depth` source whose row i
// starts at src + i * ld; rows from `rows` up to W are zero. Used for op(A) with A not
// transposed (W = MR) and op(B) with B transposed (W = NR): in both the panel needs the
// stored rows side by side.
template <int64_t W>
static void pack_transposed(const float* src, int64_t ld, int64_t rows, int64_t depth,
                            float* dst) {
  if (rows < W) {  // an edge panel: element by element, it is rare
    for (int64_t p = 0; p < depth; ++p)
      for (int64_t i = 0; i < W; ++i) dst[p * W + i] = i < rows ? src[i * ld + p] : 0.0f;
    return;
  }
  int64_t p = 0;
  // 8 columns at a time: each group of 8 source rows becomes 8 panel rows of 8 values.
  // The W source rows are W streams through memory, more than the hardware prefetchers
  // follow, so each row's next cache line is requested one line ahead.
  for (; p + 8 <= depth; p += 8) {
#pragma GCC unroll 4
    for (int64_t g = 0; g < W; g += 8) {
      __m256 r[8];
#pragma GCC unroll 8
      for (int64_t i = 0; i < 8; ++i) {
        if (g + i < W) {
          const float* row = src + (g + i) * ld + p;
          if (p % 16 == 0 && p + 32 < depth)
            _mm_prefetch(reinterpret_cast<const char*>(row + 32), _MM_HINT_T0);
          r[i] = _mm256_loadu_ps(row);
        } else {
          r[i] = _mm256_setzero_ps();
        }
      }
      transpose8x8(r);
#pragma GCC unroll 8
      for (int64_t q = 0; q < 8; ++q)
        store_first(dst + (p + q) * W + g, r[q], W - g < 8 ? W - g : 8);
    }
  }
  for (; p < depth; ++p)
    for (int64_t i = 0; i < W; ++i) dst[p * W + i] = src[i * ld + p];
}

// Panel layout: dst[p * W + i] = src[p * ld + i] for i < count, zero up to W. Used for
// op(A) with A transposed (W = MR) and op(B) with B not transposed (W = NR).
template <int64_t W>
static void pack_copied(const float* src, int64_t ld, int64_t count, int64_t depth, float* dst) {
  if (count < W) {  // an edge panel
    for (int64_t p = 0; p < depth; ++p)
      for (int64_t i = 0; i < W; ++i) dst[p * W + i] = i < count ? src[p * ld + i] : 0.0f;
    return;
  }
  for (int64_t p = 0; p < depth; ++p) {
    if (p + 8 < depth) prefetch_span(src + (p + 8) * ld, W);
    copy_row<W>(dst + p * W, src + p * ld);
  }
}

// One A panel: op(A)[i0 .. i0+rows, p0 .. p0+depth], rows <= MR.
template <int64_t MR>
static void pack_a_panel(Trans trans_a, const float* A, int64_t lda, int64_t i0, int64_t p0,
                         int64_t rows, int64_t depth, float* dst) {
  if (trans_a == Trans::No)
    pack_transposed<MR>(A + i0 * lda + p0, lda, rows, depth, dst);
  else
    pack_copied<MR>(A + p0 * lda + i0, lda, rows, depth, dst);
}

// One B panel: op(B)[p0 .. p0+depth, j0 .. j0+cols], cols <= NR.
template <int64_t NR>
static void pack_b_panel(Trans trans_b, const float* B, int64_t ldb, int64_t p0, int64_t j0,
                         int64_t depth, int64_t cols, float* dst) {
  if (trans_b == Trans::No)
    pack_copied<NR>(B + p0 * ldb + j0, ldb, cols, depth, dst);
  else
    pack_transposed<NR>(B + j0 * ldb + p0, ldb, cols, depth, dst);
}

}  // namespace ae::linalg::detail
