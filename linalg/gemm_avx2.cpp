// The AVX2 + FMA gemm kernel: a 6 x 16 register tile and the block sizes around it.
//
// This file is compiled with -mavx2 -mfma (linalg/CMakeLists.txt) and is only called
// after cpu_has_avx2_fma() said yes. The loops that block the matrices for the caches
// are in gemm_blocked.cpp, the packing in gemm_pack.hpp; what is specific to AVX2 is
// here: how big the register tile is, how big the blocks are, and the micro-kernel.
//
// Where the speed comes from. One core can start two 8-wide fused multiply-adds per
// cycle (32 flop/cycle on Haswell .. Zen 4), each with a latency of 4-5 cycles, so at
// least 2 x 5 = 10 independent accumulators must be in flight, and the loads that feed
// them must not outnumber what the core can issue. Each float of C computed in a register
// tile MR x NR needs, per step p of the depth, one multiply-add, while the tile needs only
// MR + NR loaded values: the bigger the tile, the fewer loads per flop. The tile is
// bounded by the 16 ymm registers.
#include <immintrin.h>

#include "linalg/gemm_blocked.hpp"
#include "linalg/gemm_pack.hpp"

namespace ae::linalg::detail {

namespace {

// --- Register tile ---------------------------------------------------------------------
// MR = 6 rows by NR = 16 columns (two ymm of 8 floats) of C:
//   ymm0 .. ymm11   the 6 x 2 accumulators of the tile (96 floats of C)
//   ymm12, ymm13    the current row of the B panel, b[p][0..7] and b[p][8..15]
//   ymm14           a[i][p] broadcast to all 8 lanes, one row i at a time
// 15 of the 16 registers, no spills. Per step p: 2 loads of B, 6 broadcasts of A and 12
// FMAs, i.e. 6 cycles at two FMAs per cycle with 8 loads, well within the 2-3 loads per
// cycle the core sustains. 12 independent accumulators cover the FMA latency.
constexpr int64_t MR = 6;
constexpr int64_t NR = 16;

// --- Cache blocks -----------------------------------------------------------------------
// Sized for one core of the machine this was tuned on (AMD Zen 4: L1d 32 KiB, L2 1 MiB,
// shared L3 32 MiB) and safe on Intel cores of the same era (L1d 32-48 KiB, L2 >= 1 MiB).
//
// KC = 256: the micro-kernel streams one A panel (MR x KC = 6 KiB) while it rereads one
//   B panel (KC x NR = 16 KiB) for every A panel of the block, so the B panel must stay
//   in L1: 16 + 6 KiB leaves a third of the 32 KiB free for C and the next A panel. A
//   deeper KC would also amortise the load and store of the C tile (once per KC steps)
//   better, but the B panel would stop fitting in L1.
// MC = 144: the A block (MC x KC = 144 KiB) is reread for every B panel of the B block
//   and must stay in L2. Using much less than the 1 MiB leaves room for the B panels
//   passing through and the C tiles, and keeps MC a multiple of MR.
// NC = 4080: the B block (KC x NC = 4 MiB) lives in L3 and is reused by all MC-row blocks;
//   only wide matrices reach this limit. A multiple of NR.
constexpr int64_t MC = 144;
constexpr int64_t KC = 256;
constexpr int64_t NC = 4080;

// --- Micro-kernel -----------------------------------------------------------------------
// C[0..rows, 0..cols] = alpha * (a_panel * b_panel) + beta * C, with the panels `depth`
// deep in the packed layout: a[p * MR + i] and b[p * NR + j].
void micro_kernel_6x16(int64_t depth, const float* a, const float* b, float* C, int64_t ldc,
                       int64_t rows, int64_t cols, float alpha, float beta) {
  // The C tile is needed only after the depth loop; asking for it now hides its cache
  // misses behind the loop (C is too big for the caches and is revisited once per KC).
  for (int64_t i = 0; i < rows; ++i) {
    _mm_prefetch(reinterpret_cast<const char*>(C + i * ldc), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(C + i * ldc + cols - 1), _MM_HINT_T0);
  }
  __m256 acc[MR][2];
#pragma GCC unroll 6
  for (int i = 0; i < MR; ++i) acc[i][0] = acc[i][1] = _mm256_setzero_ps();

  // The rank-1 updates: C_tile += a[.][p] (column of 6) x b[p][.] (row of 16).
#pragma GCC unroll 4
  for (int64_t p = 0; p < depth; ++p) {
    const __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
#pragma GCC unroll 6
    for (int i = 0; i < MR; ++i) {
      const __m256 ai = _mm256_broadcast_ss(a + i);
      acc[i][0] = _mm256_fmadd_ps(ai, b0, acc[i][0]);
      acc[i][1] = _mm256_fmadd_ps(ai, b1, acc[i][1]);
    }
    a += MR;
    b += NR;
  }

  const __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
  if (rows == MR && cols == NR) {
    // A full tile: C row by row, two vectors each. beta == 0 must not read C (it may
    // hold NaN that 0 * NaN would keep).
#pragma GCC unroll 6
    for (int i = 0; i < MR; ++i) {
      float* c = C + i * ldc;
#pragma GCC unroll 2
      for (int h = 0; h < 2; ++h) {
        __m256 v = _mm256_mul_ps(va, acc[i][h]);
        if (beta != 0.0f) v = _mm256_fmadd_ps(vb, _mm256_loadu_ps(c + 8 * h), v);
        _mm256_storeu_ps(c + 8 * h, v);
      }
    }
    return;
  }
  // An edge tile: the part of the tile inside C goes through a buffer, element by
  // element, so nothing outside the rows x cols corner of C is read or written.
  alignas(32) float tile[MR][NR];
#pragma GCC unroll 6
  for (int i = 0; i < MR; ++i) {
    _mm256_store_ps(&tile[i][0], _mm256_mul_ps(va, acc[i][0]));
    _mm256_store_ps(&tile[i][8], _mm256_mul_ps(va, acc[i][1]));
  }
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      float& c = C[i * ldc + j];
      c = beta == 0.0f ? tile[i][j] : tile[i][j] + beta * c;
    }
}

}  // namespace

constinit const BlockedKernel avx2_kernel = {
    MR, NR, MC, KC, NC, pack_a_panel<MR>, pack_b_panel<NR>, micro_kernel_6x16,
};

}  // namespace ae::linalg::detail
