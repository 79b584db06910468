#include "linalg/fpmode.hpp"

#if defined(__x86_64__) || defined(_M_X64)
#include <xmmintrin.h>
#define AE_HAS_MXCSR 1
#endif

namespace ae::linalg {

namespace {
// MXCSR bit 15 is FTZ, bit 6 is DAZ.
constexpr unsigned kFtzDaz = 0x8040;
}  // namespace

bool enable_flush_to_zero() {
#ifdef AE_HAS_MXCSR
  _mm_setcsr(_mm_getcsr() | kFtzDaz);
#pragma omp parallel
  { _mm_setcsr(_mm_getcsr() | kFtzDaz); }
  return true;
#else
  return false;
#endif
}

bool flush_to_zero_enabled() {
#ifdef AE_HAS_MXCSR
  return (_mm_getcsr() & kFtzDaz) == kFtzDaz;
#else
  return false;
#endif
}

}  // namespace ae::linalg
