// The reference gemm: the readable specification of linalg/gemm.hpp.
// Three loops; accumulation in double so the reference is the more accurate side
// of every comparison.
#include "linalg/gemm.hpp"

namespace ae::linalg {

void gemm_ref(Trans trans_a, Trans trans_b, int64_t m, int64_t n, int64_t k, float alpha,
              const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
              int64_t ldc) {
  // op(A)[i][p] and op(B)[p][j], reading through the transpose flags.
  auto a = [&](int64_t i, int64_t p) {
    return trans_a == Trans::No ? A[i * lda + p] : A[p * lda + i];
  };
  auto b = [&](int64_t p, int64_t j) {
    return trans_b == Trans::No ? B[p * ldb + j] : B[j * ldb + p];
  };
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      double acc = 0.0;
      for (int64_t p = 0; p < k; ++p) acc += double(a(i, p)) * double(b(p, j));
      float& c = C[i * ldc + j];
      // beta == 0 overwrites C without reading it (BLAS convention).
      c = beta == 0.0f ? float(alpha * acc) : float(alpha * acc + double(beta) * c);
    }
  }
}

}  // namespace ae::linalg
