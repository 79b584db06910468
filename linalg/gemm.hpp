#pragma once
// gemm — the BLAS-like matrix multiply every layer's forward and backward runs on.
//
//   C = alpha * op(A) * op(B) + beta * C
//
// All matrices are row-major. op(A) is m x k, op(B) is k x n, C is m x n.
// With Trans::No, A is stored as m x k with row stride lda (lda >= k);
// with Trans::Yes, A is stored as k x m with row stride lda (lda >= m) and used transposed.
// Likewise for B (n or k columns). ldc >= n.
// When beta == 0, C is overwritten and never read (NaN in C does not leak through).
// When alpha == 0 or k == 0, A and B are not read and C = beta * C (as in BLAS).
//
// The kernel behind the entry point is picked at run time (see gemm_kernel()). The fast
// kernels run on OpenMP threads (see gemm_threads()); the reference runs on the caller's.
#include <cstdint>
#include <string>

#include "linalg/simd.hpp"

namespace ae::linalg {

enum class Trans { No, Yes };

/// Kernels that can compute gemm. Ref is the readable specification.
enum class GemmKernel { Ref, Avx2, Avx512 };

/// The entry point: validates the arguments (throws ae::Error) and dispatches.
void gemm(Trans trans_a, Trans trans_b, int64_t m, int64_t n, int64_t k, float alpha,
          const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
          int64_t ldc);

/// The reference kernel: three loops, the specification every fast kernel must equal.
void gemm_ref(Trans trans_a, Trans trans_b, int64_t m, int64_t n, int64_t k, float alpha,
              const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
              int64_t ldc);

/// Runs gemm on a named kernel (tests and benchmarks use this to compare kernels).
/// Throws ae::Error if that kernel is not available on this CPU or in this build.
void gemm_with(GemmKernel kernel, Trans trans_a, Trans trans_b, int64_t m, int64_t n, int64_t k,
               float alpha, const float* A, int64_t lda, const float* B, int64_t ldb, float beta,
               float* C, int64_t ldc);

/// The kernel gemm() uses: the one for simd_level() (linalg/simd.hpp), so AELAB_SIMD and
/// set_simd_level() choose it along with every other kernel.
GemmKernel gemm_kernel();
/// The kernel that runs at a SIMD level: Scalar -> Ref, Avx2 -> Avx2, Avx512 -> Avx512.
GemmKernel gemm_kernel_for(SimdLevel level);
/// Whether this CPU runs `kernel`.
bool gemm_kernel_available(GemmKernel kernel);
std::string to_string(GemmKernel kernel);

/// How many threads the fast kernels use for an m x n x k product: omp_get_max_threads()
/// (set by OMP_NUM_THREADS or omp_set_num_threads), fewer for small products, where
/// starting threads costs more than it saves, 1 for matrix-vector products (m or n = 1),
/// and 1 when called from inside an OpenMP parallel region (the caller's threads are the
/// one pool). The result is the same for any thread count. On a machine busy with other
/// work, OpenMP's default of spinning while it waits makes threaded products slow;
/// OMP_WAIT_POLICY=passive avoids that (figures in bench/gemm/RESULTS.md).
int gemm_threads(int64_t m, int64_t n, int64_t k);

}  // namespace ae::linalg
