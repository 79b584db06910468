// The AVX-512 gemm kernel: a 14 x 32 register tile and the block sizes around it.
//
// Compiled with -mavx512f -mavx2 -mfma (linalg/CMakeLists.txt) and only called after
// cpu_has_avx512() said yes. The structure is that of the AVX2 kernel (gemm_avx2.cpp
// explains it step by step); what AVX-512 changes:
//  * 32 registers of 16 floats instead of 16 of 8: the tile grows from 96 to 448 floats
//    of C, so each loaded value feeds more multiply-adds.
//  * Write masks: an edge tile loads and stores C under a mask of its valid columns, with
//    no scratch buffer, and masked-off lanes are never touched (no fault, no write).
// On cores that split a 512-bit operation into two 256-bit halves (AMD Zen 4) the peak
// flop rate is the same as AVX2's; the gain is fewer instructions and loads per flop.
#include <immintrin.h>

#include "linalg/gemm_blocked.hpp"
#include "linalg/gemm_pack.hpp"

namespace ae::linalg::detail {

namespace {

// Register tile: 14 rows x 32 columns (two zmm) of C.
//   zmm0 .. zmm27   the 14 x 2 accumulators
//   zmm28, zmm29    b[p][0..15], b[p][16..31]
//   zmm30           a[i][p] broadcast
// Per step p: 2 loads, 14 broadcasts, 28 FMAs.
constexpr int64_t MR = 14;
constexpr int64_t NR = 32;

// Blocks: the B panel (KC x NR x 4 bytes = 16 KiB at KC = 128) stays in L1 while the A
// panels (14 x KC) stream from the A block (MC x KC = 168 KiB at MC = 336) in L2.
constexpr int64_t MC = 336;
constexpr int64_t KC = 128;
constexpr int64_t NC = 4096;

void micro_kernel_14x32(int64_t depth, const float* a, const float* b, float* C, int64_t ldc,
                        int64_t rows, int64_t cols, float alpha, float beta) {
  __m512 acc[MR][2];
#pragma GCC unroll 14
  for (int i = 0; i < MR; ++i) acc[i][0] = acc[i][1] = _mm512_setzero_ps();

#pragma GCC unroll 2
  for (int64_t p = 0; p < depth; ++p) {
    const __m512 b0 = _mm512_load_ps(b), b1 = _mm512_load_ps(b + 16);
#pragma GCC unroll 14
    for (int i = 0; i < MR; ++i) {
      const __m512 ai = _mm512_set1_ps(a[i]);
      acc[i][0] = _mm512_fmadd_ps(ai, b0, acc[i][0]);
      acc[i][1] = _mm512_fmadd_ps(ai, b1, acc[i][1]);
    }
    a += MR;
    b += NR;
  }

  // Column masks of the two halves: all 16 lanes inside a full tile, fewer at the right
  // edge of C. Rows past the bottom edge are skipped.
  const int64_t cols0 = cols < 16 ? cols : 16, cols1 = cols - cols0;
  const __mmask16 m0 = __mmask16((1u << cols0) - 1u);
  const __mmask16 m1 = __mmask16((1u << cols1) - 1u);
  const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
#pragma GCC unroll 14
  for (int i = 0; i < MR; ++i) {
    if (i >= rows) break;
    float* c = C + i * ldc;
    __m512 v0 = _mm512_mul_ps(va, acc[i][0]), v1 = _mm512_mul_ps(va, acc[i][1]);
    if (beta != 0.0f) {  // beta == 0 must not read C (NaN there must not survive)
      v0 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m0, c), v0);
      v1 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m1, c + 16), v1);
    }
    _mm512_mask_storeu_ps(c, m0, v0);
    _mm512_mask_storeu_ps(c + 16, m1, v1);
  }
}

// op(B) rows are copied 16 floats at a time by the masked loads of AVX-512 when B is not
// transposed; the transposed cases use the shared 8 x 8 transposes.
void pack_b_avx512(Trans trans_b, const float* B, int64_t ldb, int64_t p0, int64_t j0,
                   int64_t depth, int64_t cols, float* dst) {
  if (trans_b == Trans::Yes) {
    pack_b_panel<NR>(trans_b, B, ldb, p0, j0, depth, cols, dst);
    return;
  }
  const int64_t cols0 = cols < 16 ? cols : 16, cols1 = cols - cols0;
  const __mmask16 m0 = __mmask16((1u << cols0) - 1u);
  const __mmask16 m1 = __mmask16((1u << cols1) - 1u);
  const float* src = B + p0 * ldb + j0;
  for (int64_t p = 0; p < depth; ++p) {
    // Masked-off lanes load as zero: the padding of an edge panel comes for free.
    _mm512_store_ps(dst + p * NR, _mm512_maskz_loadu_ps(m0, src + p * ldb));
    _mm512_store_ps(dst + p * NR + 16, _mm512_maskz_loadu_ps(m1, src + p * ldb + 16));
  }
}

}  // namespace

constinit const BlockedKernel avx512_kernel = {
    MR, NR, MC, KC, NC, pack_a_panel<MR>, pack_b_avx512, micro_kernel_14x32,
};

}  // namespace ae::linalg::detail
