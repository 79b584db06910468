#include "linalg/cpu.hpp"

namespace ae::linalg {

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

bool cpu_has_avx2_fma() {
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  }();
  return has;
}

bool cpu_has_avx512() {
  static const bool has = [] {
    __builtin_cpu_init();
    return cpu_has_avx2_fma() && __builtin_cpu_supports("avx512f");
  }();
  return has;
}

#else

bool cpu_has_avx2_fma() { return false; }
bool cpu_has_avx512() { return false; }

#endif

}  // namespace ae::linalg
