// gemm entry point: argument checks and run-time kernel dispatch.
#include "linalg/gemm.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>

#include "linalg/cpu.hpp"
#include "linalg/error.hpp"
#include "linalg/gemm_blocked.hpp"

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

// The widest kernel the CPU runs. Cores with two 512-bit FMA units (Intel server cores)
// have twice the AVX2 peak with AVX-512; AMD Zen 4 executes AVX-512 as two 256-bit halves,
// and there the two kernels measure within a few percent of each other
// (bench/gemm/RESULTS.md).
GemmKernel best_available() {
  if (cpu_has_avx512()) return GemmKernel::Avx512;
  if (cpu_has_avx2_fma()) return GemmKernel::Avx2;
  return GemmKernel::Ref;
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

GemmKernel kernel_from_env() {
  const char* env = std::getenv("AELAB_GEMM");
  if (env == nullptr || *env == '\0') return best_available();
  const std::string name = env;
  GemmKernel k;
  if (name == "ref") k = GemmKernel::Ref;
  else if (name == "avx2") k = GemmKernel::Avx2;
  else if (name == "avx512") k = GemmKernel::Avx512;
  else throw Error("AELAB_GEMM='" + name + "' is not one of ref, avx2, avx512");
  if (!gemm_kernel_available(k))
    throw Error("AELAB_GEMM=" + name + ": this kernel is not available on this CPU or build");
  return k;
}

GemmKernel& active_kernel() {
  static GemmKernel kernel = kernel_from_env();
  return kernel;
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

bool gemm_kernel_available(GemmKernel kernel) {
  switch (kernel) {
    case GemmKernel::Ref: return true;
    case GemmKernel::Avx2: return cpu_has_avx2_fma();
    case GemmKernel::Avx512: return cpu_has_avx512();
  }
  return false;
}

GemmKernel gemm_kernel() { return active_kernel(); }

void set_gemm_kernel(GemmKernel kernel) {
  if (!gemm_kernel_available(kernel))
    throw Error("gemm kernel " + to_string(kernel) + " is not available on this CPU or build");
  active_kernel() = kernel;
}

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
