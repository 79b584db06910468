// The AVX-512 gemm kernel: a 12 x 32 register tile and the block sizes around it.
//
// Compiled with -mavx512f -mavx2 -mfma (linalg/CMakeLists.txt) and only called when
// simd_level_available(SimdLevel::Avx512) said yes (linalg/simd.hpp). The structure is that of the AVX2 kernel (gemm_avx2.cpp
// explains it step by step); what AVX-512 changes:
//  * 32 registers of 16 floats instead of 16 of 8: the tile grows from 96 to 384 floats
//    of C, so each loaded value feeds more multiply-adds.
//  * Write masks: an edge tile loads and stores C under a mask of its valid columns, with
//    no scratch buffer, and masked-off lanes are never touched (no fault, no write).
// On cores that split a 512-bit operation into two 256-bit halves (AMD Zen 4) the peak
// flop rate is the same as AVX2's; the gain is fewer instructions and loads per flop.
#include <immintrin.h>

#include <array>
#include <utility>

#include "linalg/gemm_blocked.hpp"
#include "linalg/gemm_pack.hpp"

namespace ae::linalg::detail {

namespace {

// Register tile: 12 rows x 32 columns (two zmm) of C.
//   24 zmm   the 12 x 2 accumulators (384 floats of C)
//   2 zmm    b[p][0..15], b[p][16..31]
//   1 zmm    a[i][p] broadcast
// 27 of 32 registers. Per step p: 2 loads, 12 broadcasts, 24 FMAs. A 14 x 32 tile (28
// accumulators) has the same flop-to-load ratio within a few percent, but wastes more of
// its last row panel on the batch sizes of training (128 = 10 x 12 + 8 = 9 x 14 + 2), and
// measured slower there.
constexpr int64_t MR = 12;
constexpr int64_t NR = 32;

// Blocks, measured on AMD Zen 4 (L1d 32 KiB, L2 1 MiB per core) against the L1-sized
// choice of the AVX2 kernel. KC = 512 makes the B panel (KC x NR = 64 KiB) too big for L1,
// yet it is faster than KC = 128 or 256 (bench/gemm/RESULTS.md): L2 delivers the panel's 128
// bytes per 24-cycle step easily, and a deeper KC halves the passes over C. The A block
// (MC x KC = 480 KiB at MC = 240) takes half of L2 and is reread for every B panel.
constexpr int64_t MC = 240;
constexpr int64_t KC = 512;
constexpr int64_t NC = 4096;

// C[0..ROWS, 0..cols] = alpha * (a_panel * b_panel) + beta * C for ROWS <= MR rows and
// cols <= 16 * HALVES columns. The full tile is <MR, 2>; the smaller instances serve the
// edges of C, so that a last panel of 8 rows (m = 128) costs 8 rows of multiply-adds, not 12.
template <int ROWS, int HALVES>
void tile_kernel(int64_t depth, const float* a, const float* b, float* C, int64_t ldc,
                 int64_t cols, float alpha, float beta) {
  // The C tile is needed only after the depth loop; asking for it now hides the cache
  // misses behind the loop (C is too big for the caches and is revisited once per KC).
  // (A rolled loop: unrolled, the compiler keeps all row addresses alive until the stores
  // below and runs out of registers in the depth loop.)
#pragma GCC unroll 1
  for (int64_t i = 0; i < ROWS; ++i) {
    _mm_prefetch(reinterpret_cast<const char*>(C + i * ldc), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(C + i * ldc + cols - 1), _MM_HINT_T0);
  }
  __m512 acc[ROWS][HALVES];
#pragma GCC unroll 12
  for (int i = 0; i < ROWS; ++i)
#pragma GCC unroll 2
    for (int h = 0; h < HALVES; ++h) acc[i][h] = _mm512_setzero_ps();

#pragma GCC unroll 2
  for (int64_t p = 0; p < depth; ++p) {
    const __m512 b0 = _mm512_load_ps(b);
    const __m512 b1 = HALVES == 2 ? _mm512_load_ps(b + 16) : b0;
#pragma GCC unroll 12
    for (int i = 0; i < ROWS; ++i) {
      const __m512 ai = _mm512_set1_ps(a[i]);
      acc[i][0] = _mm512_fmadd_ps(ai, b0, acc[i][0]);
      if constexpr (HALVES == 2) acc[i][1] = _mm512_fmadd_ps(ai, b1, acc[i][1]);
    }
    a += MR;  // the packed panels keep their full width; the edge rows are zeros
    b += NR;
  }

  // Column masks: all 16 lanes inside C, fewer at its right edge; masked-off lanes are
  // neither read nor written.
  __mmask16 mask[HALVES];
#pragma GCC unroll 2
  for (int h = 0; h < HALVES; ++h) {
    const int64_t left = cols - 16 * h;
    mask[h] = __mmask16(left >= 16 ? 0xFFFFu : (1u << left) - 1u);
  }
  const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
#pragma GCC unroll 12
  for (int i = 0; i < ROWS; ++i) {
#pragma GCC unroll 2
    for (int h = 0; h < HALVES; ++h) {
      float* c = C + i * ldc + 16 * h;
      __m512 v = _mm512_mul_ps(va, acc[i][h]);
      // beta == 0 must not read C (NaN there must not survive)
      if (beta != 0.0f) v = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(mask[h], c), v);
      _mm512_mask_storeu_ps(c, mask[h], v);
    }
  }
}

using TileKernel = void (*)(int64_t, const float*, const float*, float*, int64_t, int64_t, float,
                            float);

// tile_kernel<rows, HALVES> for rows = 1 .. MR, indexed by rows - 1.
template <int HALVES, int... R>
constexpr std::array<TileKernel, sizeof...(R)> tiles_by_rows(std::integer_sequence<int, R...>) {
  return {tile_kernel<R + 1, HALVES>...};
}
constexpr auto kOneHalf = tiles_by_rows<1>(std::make_integer_sequence<int, MR>());
constexpr auto kTwoHalves = tiles_by_rows<2>(std::make_integer_sequence<int, MR>());

void micro_kernel_12x32(int64_t depth, const float* a, const float* b, float* C, int64_t ldc,
                        int64_t rows, int64_t cols, float alpha, float beta) {
  if (rows == MR && cols > 16)
    tile_kernel<MR, 2>(depth, a, b, C, ldc, cols, alpha, beta);
  else
    (cols > 16 ? kTwoHalves : kOneHalf)[rows - 1](depth, a, b, C, ldc, cols, alpha, beta);
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
    if (p + 8 < depth) prefetch_span(src + (p + 8) * ldb, NR);
    // Masked-off lanes load as zero: the padding of an edge panel comes for free.
    _mm512_store_ps(dst + p * NR, _mm512_maskz_loadu_ps(m0, src + p * ldb));
    _mm512_store_ps(dst + p * NR + 16, _mm512_maskz_loadu_ps(m1, src + p * ldb + 16));
  }
}

}  // namespace

constinit const BlockedKernel avx512_kernel = {
    MR, NR, MC, KC, NC, pack_a_panel<MR>, pack_b_avx512, micro_kernel_12x32,
    dot_rows_avx2, axpy_rows_avx2,
};

}  // namespace ae::linalg::detail
