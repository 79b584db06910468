// The one place aelab asks the CPU what it can do (see simd.hpp for the mechanism).
#include "linalg/simd.hpp"

#include <atomic>
#include <cstdlib>

#include "linalg/error.hpp"

namespace ae::linalg {

namespace {

SimdLevel read_cpuid() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  // __builtin_cpu_supports answers from CPUID and, for AVX and wider, also requires the
  // OS to have enabled the register state (XGETBV), so a "yes" means the code can run.
  __builtin_cpu_init();
  const bool avx2_fma = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (avx2_fma && __builtin_cpu_supports("avx512f")) return SimdLevel::Avx512;
  if (avx2_fma) return SimdLevel::Avx2;
#endif
  return SimdLevel::Scalar;
}

const char* environment_setting() {
  // The variables the kernels read before AELAB_SIMD replaced them: setting one now would
  // otherwise be ignored without a word.
  for (const char* retired : {"AELAB_GEMM", "AELAB_LINALG_SIMD"})
    if (const char* old = std::getenv(retired); old != nullptr && *old != '\0')
      throw Error(std::string(retired) + " is no longer read: set AELAB_SIMD=scalar|avx2|avx512");
  const char* env = std::getenv("AELAB_SIMD");
  return env == nullptr ? "" : env;
}

std::atomic<SimdLevel>& active() {
  static std::atomic<SimdLevel> level{clamp_simd_level(cpu_simd_level(), environment_setting())};
  return level;
}

}  // namespace

SimdLevel cpu_simd_level() {
  static const SimdLevel level = read_cpuid();
  return level;
}

bool simd_level_available(SimdLevel level) { return level <= cpu_simd_level(); }

SimdLevel clamp_simd_level(SimdLevel cpu, const std::string& setting) {
  if (setting.empty()) return cpu;
  SimdLevel wanted;
  if (setting == "scalar")
    wanted = SimdLevel::Scalar;
  else if (setting == "avx2")
    wanted = SimdLevel::Avx2;
  else if (setting == "avx512")
    wanted = SimdLevel::Avx512;
  else
    throw Error("AELAB_SIMD='" + setting + "' is not one of scalar, avx2, avx512");
  return wanted < cpu ? wanted : cpu;
}

SimdLevel simd_level() { return active().load(std::memory_order_relaxed); }

void set_simd_level(SimdLevel level) {
  if (!simd_level_available(level))
    throw Error("set_simd_level: this CPU does not support " + to_string(level) +
                " (it runs up to " + to_string(cpu_simd_level()) + ")");
  active().store(level, std::memory_order_relaxed);
}

std::string to_string(SimdLevel level) {
  switch (level) {
    case SimdLevel::Scalar:
      return "scalar";
    case SimdLevel::Avx2:
      return "avx2";
    case SimdLevel::Avx512:
      return "avx512";
  }
  return "?";
}

std::string simd_summary() {
  const std::string env = environment_setting();
  const SimdLevel level = simd_level();
  std::string text = to_string(level) + " (CPU: " + to_string(cpu_simd_level()) +
                     ", AELAB_SIMD=" + (env.empty() ? "unset" : env);
  if (level != clamp_simd_level(cpu_simd_level(), env)) text += ", set_simd_level";
  return text + ")";
}

}  // namespace ae::linalg
