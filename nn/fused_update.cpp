#include "nn/fused_update.hpp"

#include <cmath>

#include "linalg/error.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#define AE_UPDATE_X86 1
#endif

namespace ae::nn {

namespace {

// The specification: one element at a time, in the documented order.
inline void adam_scalar(float* p, const float* g, float* m, float* v, int64_t begin, int64_t end,
                        const AdamCoefficients& c) {
  const float one_m_b1 = 1.0f - c.beta1, one_m_b2 = 1.0f - c.beta2;
  for (int64_t i = begin; i < end; ++i) {
    const float pi = p[i] * c.shrink;
    const float gi = g[i] + c.l2 * pi;
    const float mi = c.beta1 * m[i] + one_m_b1 * gi;
    const float vi = c.beta2 * v[i] + one_m_b2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = pi - c.step_size * mi / (std::sqrt(vi) * c.inv_sqrt_bias2 + c.eps);
  }
}

#ifdef AE_UPDATE_X86

// The same operations, 8 lanes wide, with the moment updates as fused multiply-adds.
__attribute__((target("avx2,fma"))) void adam_avx2(float* p, const float* g, float* m, float* v,
                                                   int64_t n, const AdamCoefficients& c) {
  const __m256 shrink = _mm256_set1_ps(c.shrink), l2 = _mm256_set1_ps(c.l2);
  const __m256 b1 = _mm256_set1_ps(c.beta1), b2 = _mm256_set1_ps(c.beta2);
  const __m256 one_m_b1 = _mm256_set1_ps(1.0f - c.beta1), one_m_b2 = _mm256_set1_ps(1.0f - c.beta2);
  const __m256 step = _mm256_set1_ps(c.step_size), inv = _mm256_set1_ps(c.inv_sqrt_bias2);
  const __m256 eps = _mm256_set1_ps(c.eps);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 pi = _mm256_mul_ps(_mm256_loadu_ps(p + i), shrink);
    const __m256 gi = _mm256_add_ps(_mm256_loadu_ps(g + i), _mm256_mul_ps(l2, pi));
    const __m256 mi = _mm256_fmadd_ps(b1, _mm256_loadu_ps(m + i), _mm256_mul_ps(one_m_b1, gi));
    const __m256 vi =
        _mm256_fmadd_ps(b2, _mm256_loadu_ps(v + i), _mm256_mul_ps(_mm256_mul_ps(one_m_b2, gi), gi));
    _mm256_storeu_ps(m + i, mi);
    _mm256_storeu_ps(v + i, vi);
    const __m256 denom = _mm256_add_ps(_mm256_mul_ps(_mm256_sqrt_ps(vi), inv), eps);
    _mm256_storeu_ps(p + i, _mm256_sub_ps(pi, _mm256_div_ps(_mm256_mul_ps(step, mi), denom)));
  }
  adam_scalar(p, g, m, v, i, n, c);
}

__attribute__((target("avx512f"))) void adam_avx512(float* p, const float* g, float* m, float* v,
                                                    int64_t n, const AdamCoefficients& c) {
  const __m512 shrink = _mm512_set1_ps(c.shrink), l2 = _mm512_set1_ps(c.l2);
  const __m512 b1 = _mm512_set1_ps(c.beta1), b2 = _mm512_set1_ps(c.beta2);
  const __m512 one_m_b1 = _mm512_set1_ps(1.0f - c.beta1), one_m_b2 = _mm512_set1_ps(1.0f - c.beta2);
  const __m512 step = _mm512_set1_ps(c.step_size), inv = _mm512_set1_ps(c.inv_sqrt_bias2);
  const __m512 eps = _mm512_set1_ps(c.eps);
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m512 pi = _mm512_mul_ps(_mm512_loadu_ps(p + i), shrink);
    const __m512 gi = _mm512_add_ps(_mm512_loadu_ps(g + i), _mm512_mul_ps(l2, pi));
    const __m512 mi = _mm512_fmadd_ps(b1, _mm512_loadu_ps(m + i), _mm512_mul_ps(one_m_b1, gi));
    const __m512 vi =
        _mm512_fmadd_ps(b2, _mm512_loadu_ps(v + i), _mm512_mul_ps(_mm512_mul_ps(one_m_b2, gi), gi));
    _mm512_storeu_ps(m + i, mi);
    _mm512_storeu_ps(v + i, vi);
    const __m512 denom = _mm512_add_ps(_mm512_mul_ps(_mm512_sqrt_ps(vi), inv), eps);
    _mm512_storeu_ps(p + i, _mm512_sub_ps(pi, _mm512_div_ps(_mm512_mul_ps(step, mi), denom)));
  }
  adam_scalar(p, g, m, v, i, n, c);
}

#endif

UpdateKernel best_kernel() {
#ifdef AE_UPDATE_X86
  // __builtin_cpu_supports also checks that the OS saves the wide registers (XGETBV).
  if (__builtin_cpu_supports("avx512f")) return UpdateKernel::Avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return UpdateKernel::Avx2;
#endif
  return UpdateKernel::Scalar;
}

}  // namespace

UpdateKernel update_kernel() {
  static const UpdateKernel kernel = best_kernel();
  return kernel;
}

bool update_kernel_available(UpdateKernel kernel) {
  switch (kernel) {
    case UpdateKernel::Scalar:
      return true;
    case UpdateKernel::Avx2:
      return update_kernel() != UpdateKernel::Scalar;
    case UpdateKernel::Avx512:
      return update_kernel() == UpdateKernel::Avx512;
  }
  return false;
}

namespace {

void dispatch(UpdateKernel kernel, float* p, const float* g, float* m, float* v, int64_t n,
              const AdamCoefficients& c) {
  switch (kernel) {
#ifdef AE_UPDATE_X86
    case UpdateKernel::Avx2:
      adam_avx2(p, g, m, v, n, c);
      return;
    case UpdateKernel::Avx512:
      adam_avx512(p, g, m, v, n, c);
      return;
#endif
    default:
      adam_scalar(p, g, m, v, 0, n, c);
      return;
  }
}

}  // namespace

std::string to_string(UpdateKernel kernel) {
  switch (kernel) {
    case UpdateKernel::Scalar:
      return "scalar";
    case UpdateKernel::Avx2:
      return "avx2";
    case UpdateKernel::Avx512:
      return "avx512";
  }
  return "?";
}

void adam_update_with(UpdateKernel kernel, float* p, const float* g, float* m, float* v, int64_t n,
                      const AdamCoefficients& c) {
  if (!update_kernel_available(kernel))
    throw Error("adam_update: the " + to_string(kernel) + " kernel is not available on this CPU");
  dispatch(kernel, p, g, m, v, n, c);
}

void adam_update(float* p, const float* g, float* m, float* v, int64_t n,
                 const AdamCoefficients& c) {
  dispatch(update_kernel(), p, g, m, v, n, c);
}

}  // namespace ae::nn
