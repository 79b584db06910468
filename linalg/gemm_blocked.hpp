#pragma once
// The cache-blocked gemm shared by the fast kernels (the BLIS algorithm).
//
// A fast kernel (gemm_avx2.cpp, gemm_avx512.cpp) supplies three small pieces, compiled
// with its own instruction-set flags: two packing routines and a register-tile
// micro-kernel, plus the block sizes that suit them. The loops around them, the
// blocking and the threads are the same for every kernel and live in gemm_blocked.cpp,
// which is compiled for plain x86-64.
//
// Packed layouts (MR x NR is the micro-kernel's register tile):
//   A block (mc x kc)  ->  ceil(mc / MR) panels; panel r holds rows r*MR .. r*MR+MR-1
//                          column after column: a[p * MR + i] = op(A)[r*MR + i][p].
//   B block (kc x nc)  ->  ceil(nc / NR) panels; panel s holds columns s*NR .. s*NR+NR-1
//                          row after row:       b[p * NR + j] = op(B)[p][s*NR + j].
// Rows or columns past the edge of the matrix are packed as zeros, so the micro-kernel
// always multiplies full panels and only its write to C has to respect the edge.
#include <cstdint>

#include "linalg/gemm.hpp"

namespace ae::linalg::detail {

/// Packs one A panel at dst: op(A)[i0 .. i0+rows, p0 .. p0+depth], rows <= MR.
using PackAFn = void (*)(Trans trans_a, const float* A, int64_t lda, int64_t i0, int64_t p0,
                         int64_t rows, int64_t depth, float* dst);
/// Packs one B panel at dst: op(B)[p0 .. p0+depth, j0 .. j0+cols], cols <= NR.
using PackBFn = void (*)(Trans trans_b, const float* B, int64_t ldb, int64_t p0, int64_t j0,
                         int64_t depth, int64_t cols, float* dst);
/// One register tile: C[0..rows, 0..cols] = alpha * a_panel * b_panel + beta * C, where the
/// panels are depth deep, rows <= MR and cols <= NR. With beta == 0, C is not read.
using MicroKernelFn = void (*)(int64_t depth, const float* a_panel, const float* b_panel,
                               float* C, int64_t ldc, int64_t rows, int64_t cols, float alpha,
                               float beta);

/// Matrix-vector products for m = 1 or n = 1 (gemm_vector_avx2.cpp), with M read in place:
/// dot rows:  y[i] = sum_p M[i * ldm + p] * x[p]  for i < count;
/// axpy rows: y[j] = sum_p x[p] * M[p * ldm + j]  for j < count.
using VectorFn = void (*)(int64_t count, int64_t depth, const float* M, int64_t ldm,
                          const float* x, float* y);
void dot_rows_avx2(int64_t rows, int64_t depth, const float* M, int64_t ldm, const float* x,
                   float* y);
void axpy_rows_avx2(int64_t cols, int64_t depth, const float* M, int64_t ldm, const float* x,
                    float* y);

/// A fast kernel as the blocked driver sees it.
struct BlockedKernel {
  int64_t mr, nr;  // register tile of the micro-kernel
  int64_t mc;      // rows of op(A) per packed A block (multiple of mr), sized for L2
  int64_t kc;      // depth of a packed block, sized so a B panel stays in L1
  int64_t nc;      // columns of op(B) per packed B block (multiple of nr), sized for L3
  PackAFn pack_a;
  PackBFn pack_b;
  MicroKernelFn micro_kernel;
  VectorFn dot_rows;   // m = 1 or n = 1: no packing, no tiles
  VectorFn axpy_rows;
};

/// C = alpha * op(A) op(B) + beta * C through `kernel`, on gemm_threads(m, n, k) threads.
/// Arguments are already checked by the entry point; m, n, k > 0 and alpha != 0.
void gemm_blocked(const BlockedKernel& kernel, Trans trans_a, Trans trans_b, int64_t m,
                  int64_t n, int64_t k, float alpha, const float* A, int64_t lda,
                  const float* B, int64_t ldb, float beta, float* C, int64_t ldc);

// Defined in the kernel files, constant-initialised (no code compiled with AVX flags runs
// until the driver calls through these pointers, after the CPU check).
extern const BlockedKernel avx2_kernel;
extern const BlockedKernel avx512_kernel;

}  // namespace ae::linalg::detail
