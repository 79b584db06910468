#pragma once
// matmul_f64 — the double-precision matrix product the decompositions are built on.
//
//   C = alpha * op(A) * op(B) + beta * C
//
// Same conventions as gemm() (linalg/gemm.hpp): row-major, op(A) is m x k, op(B) is k x n,
// Trans::Yes reads the stored matrix transposed, and beta == 0 overwrites C without
// reading it. gemm() is the float product of the training layers; the decompositions need
// double accumulation everywhere, so they use this one. It is organised like gemm's fast
// kernels in miniature: B is packed into NR-wide column panels and A into MR-high row
// panels, and a register-tile micro-kernel (scalar, AVX2 or AVX-512, see linalg/simd.hpp)
// accumulates an MR x NR tile of C over a block of k.
#include <cstdint>

#include "linalg/gemm.hpp"
#include "linalg/matrix.hpp"

namespace ae::linalg {

/// C = alpha * op(A) * op(B) + beta * C in double. Throws ae::Error on negative sizes or
/// leading dimensions smaller than the stored rows. Runs on the OpenMP threads when the
/// product is large enough and the caller is not already inside a parallel region.
void matmul_f64(Trans trans_a, Trans trans_b, int64_t m, int64_t n, int64_t k, double alpha,
                const double* A, int64_t lda, const double* B, int64_t ldb, double beta, double* C,
                int64_t ldc);

/// C = alpha * A^T A + beta * C for A stored k x n (row stride lda); C is n x n.
/// Only the tiles on or above the diagonal are computed (half the work of matmul_f64);
/// the lower triangle is then copied from the upper one. With beta != 0 the upper
/// triangle of C is read and C is assumed symmetric.
void gram_f64(int64_t k, int64_t n, double alpha, const double* A, int64_t lda, double beta,
              double* C, int64_t ldc);

/// gram_f64 without the copy into the lower triangle: only elements (i, j) with j >= i are
/// read (when beta != 0) and written. For accumulating A^T A over many row blocks.
void gram_upper_f64(int64_t k, int64_t n, double alpha, const double* A, int64_t lda, double beta,
                    double* C, int64_t ldc);

/// op(A) * op(B) as a new matrix.
Matrix matmul(ViewD a, ViewD b, Trans trans_a = Trans::No, Trans trans_b = Trans::No);

}  // namespace ae::linalg
