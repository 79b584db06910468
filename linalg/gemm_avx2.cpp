// The AVX2 + FMA gemm kernel: a 6 x 16 register tile and the block sizes around it.
//
// This file is compiled with -mavx2 -mfma (linalg/CMakeLists.txt) and is only called
// when simd_level_available(SimdLevel::Avx2) said yes (linalg/simd.hpp). The loops that block the matrices for the caches
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
// MR = 6 rows by NR = 16 columns (two ymm of 8 floats) of C. Each step p of the depth is a
// rank-1 update of the tile: column p of the A panel times row p of the B panel.
//
//                     b[p][0..7]   b[p][8..15]      <- 2 loads (ymm)
//     a[0][p]  ->   [ acc[0][0]    acc[0][1]  ]
//     a[1][p]  ->   [ acc[1][0]    acc[1][1]  ]
//       ...                 ...                     12 FMAs: acc[i][h] += a[i][p] * b[p][h]
//     a[5][p]  ->   [ acc[5][0]    acc[5][1]  ]
//     ^ 6 broadcasts, one at a time
//
// Registers: 12 ymm accumulators (96 floats of C), 2 for the B row, 1 for the broadcast:
// 15 of the 16, so nothing spills to the stack (the compiler chooses which register is
// which). Per step: 12 FMAs take 6 cycles at two per cycle, and the 8 loads fit easily in
// the 2-3 loads per cycle the core sustains; 12 independent accumulators cover the FMA
// latency. A 4 x 24 tile (also 12 accumulators) measures the same; 6 x 16 is the classic.
constexpr int64_t MR = 6;
constexpr int64_t NR = 16;

// --- Packing ----------------------------------------------------------------------------
// gemm_pack.hpp copies blocks of op(A) and op(B) into panels laid out for this loop:
//   A panel (6 x depth):  a[p * 6 + i]  = op(A)[row i of the panel][p]: the 6 values the
//                         broadcasts of step p need, side by side.
//   B panel (depth x 16): b[p * 16 + j] = op(B)[p][column j of the panel]: one 64-byte,
//                         aligned row per step, two ymm loads.
// So the micro-kernel walks both panels front to back with unit stride whatever the
// transposes and leading dimensions of the caller, and panels at the edges of C are padded
// with zeros, so the loop is always the full 6 x 16 (only the write to C is clipped).

// --- Cache blocks -----------------------------------------------------------------------
// Sized for one core of the machine this was tuned on (AMD Zen 4: L1d 32 KiB, L2 1 MiB,
// shared L3 32 MiB) and safe on Intel cores of the same era (L1d 32-48 KiB, L2 >= 1 MiB).
//
// KC = 256: the micro-kernel streams one A panel (MR x KC = 6 KiB) while it rereads one
//   B panel (KC x NR = 16 KiB) for every A panel of the block, so the B panel should stay
//   in L1: 16 + 6 KiB leaves a third of the 32 KiB free for C and the next A panel. A
//   deeper KC amortises the load and store of the C tile (once per KC steps) better;
//   on Zen 4, whose L2 refills L1 fast, KC = 384 or 512 measured the same.
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
  // acc is 12 registers only if every loop that indexes it is unrolled (the pragmas):
  // with one loop left rolled, the compiler keeps the array on the stack, stores it on
  // every step and the kernel runs at about half speed (bench/gemm measures it; its
// figures are in bench/gemm/RESULTS.md).
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
  // element, so nothing outside the rows x cols corner of C is read or written. The update
  // is the same fused multiply-add as above: every element of C gets the same formula.
  alignas(32) float tile[MR][NR];
#pragma GCC unroll 6
  for (int i = 0; i < MR; ++i) {
    _mm256_store_ps(&tile[i][0], _mm256_mul_ps(va, acc[i][0]));
    _mm256_store_ps(&tile[i][8], _mm256_mul_ps(va, acc[i][1]));
  }
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      float& c = C[i * ldc + j];
      c = beta == 0.0f ? tile[i][j]
                       : _mm_cvtss_f32(_mm_fmadd_ss(_mm_set_ss(beta), _mm_set_ss(c),
                                                    _mm_set_ss(tile[i][j])));
    }
}

}  // namespace

constinit const BlockedKernel avx2_kernel = {
    MR, NR, MC, KC, NC, pack_a_panel<MR>, pack_b_panel<NR>, micro_kernel_6x16,
    dot_rows_avx2, axpy_rows_avx2,
};

}  // namespace ae::linalg::detail
