// gemm entry point: argument checks and run-time kernel dispatch.
#include "linalg/gemm.hpp"

#include <algorithm>
#include <string>

#include "linalg/error.hpp"
#include "linalg/gemm_blocked.hpp"
#include "linalg/simd.hpp"

namespace ae::linalg {

namespace {

void check_args(Trans ta, Trans tb, int64_t m, int64_t n, int64_t k, int64_t lda, int64_t ldb,
                int64_t ldc) {
  auto fail = [&](const std::string& what) {
    throw Error("gemm: " + what + " (m=" + std::to_string(m) + ", n=" + std::to_string(n) +
                ", k=" + std::to_string(k) + ", lda=" + std::to_string(lda) +
                ", ldb=" + std::to_string(ldb) + ", ldc=" + std::to_string(ldc) + ")");
  };
  if (m < 0 || n < 0 || k < 0) fail("negative size");
  const int64_t a_cols = ta == Trans::No ? k : m;
  const int64_t b_cols = tb == Trans::No ? n : k;
  if (lda < std::max<int64_t>(1, a_cols)) fail("lda smaller than the columns of A as stored");
  if (ldb < std::max<int64_t>(1, b_cols)) fail("ldb smaller than the columns of B as stored");
  if (ldc < std::max<int64_t>(1, n)) fail("ldc smaller than n");
}

// C = beta * C, reading C only when beta != 0.
void scale_c(int64_t m, int64_t n, float beta, float* C, int64_t ldc) {
  for (int64_t i = 0; i < m; ++i) {
    float* row = C + i * ldc;
    if (beta == 0.0f)
      std::fill(row, row + n, 0.0f);
    else
      for (int64_t j = 0; j < n; ++j) row[j] *= beta;
  }
}

}  // namespace

std::string to_string(GemmKernel kernel) {
  switch (kernel) {
    case GemmKernel::Ref: return "ref";
    case GemmKernel::Avx2: return "avx2";
    case GemmKernel::Avx512: return "avx512";
  }
  return "?";
}

// The kernel for each level. Cores with two 512-bit FMA units (Intel server cores) have
// twice the AVX2 peak with AVX-512; AMD Zen 4 executes AVX-512 as two 256-bit halves, and
// there the two kernels measure within a few percent of each other (bench/gemm/RESULTS.md).
GemmKernel gemm_kernel_for(SimdLevel level) {
  switch (level) {
    case SimdLevel::Scalar: return GemmKernel::Ref;
    case SimdLevel::Avx2: return GemmKernel::Avx2;
    case SimdLevel::Avx512: return GemmKernel::Avx512;
  }
  return GemmKernel::Ref;
}

bool gemm_kernel_available(GemmKernel kernel) {
  switch (kernel) {
    case GemmKernel::Ref: return true;
    case GemmKernel::Avx2: return simd_level_available(SimdLevel::Avx2);
    case GemmKernel::Avx512: return simd_level_available(SimdLevel::Avx512);
  }
  return false;
}

GemmKernel gemm_kernel() { return gemm_kernel_for(simd_level()); }

void gemm_with(GemmKernel kernel, Trans ta, Trans tb, int64_t m, int64_t n, int64_t k,
               float alpha, const float* A, int64_t lda, const float* B, int64_t ldb, float beta,
               float* C, int64_t ldc) {
  check_args(ta, tb, m, n, k, lda, ldb, ldc);
  if (!gemm_kernel_available(kernel))
    throw Error("gemm kernel " + to_string(kernel) + " is not available on this CPU or build");
  if (m == 0 || n == 0) return;
  if (k == 0 || alpha == 0.0f) {
    scale_c(m, n, beta, C, ldc);
    return;
  }
  switch (kernel) {
    case GemmKernel::Ref:
      gemm_ref(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
      return;
    case GemmKernel::Avx2:
      detail::gemm_blocked(detail::avx2_kernel, ta, tb, m, n, k, alpha, A, lda, B, ldb, beta,
                           C, ldc);
      return;
    case GemmKernel::Avx512:
      detail::gemm_blocked(detail::avx512_kernel, ta, tb, m, n, k, alpha, A, lda, B, ldb,
                           beta, C, ldc);
      return;
  }
}

void gemm(Trans ta, Trans tb, int64_t m, int64_t n, int64_t k, float alpha, const float* A,
          int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  gemm_with(gemm_kernel(), ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

}  // namespace ae::linalg
