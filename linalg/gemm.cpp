// gemm entry point: argument checks and run-time kernel dispatch.
#include "linalg/gemm.hpp"

#include <cstdlib>
#include <string>

#include "linalg/error.hpp"

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

GemmKernel best_available() { return GemmKernel::Ref; }

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

bool gemm_kernel_available(GemmKernel kernel) { return kernel == GemmKernel::Ref; }

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
  gemm_ref(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

void gemm(Trans ta, Trans tb, int64_t m, int64_t n, int64_t k, float alpha, const float* A,
          int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  gemm_with(gemm_kernel(), ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

}  // namespace ae::linalg
