#include "linalg/simd.hpp"

#include <cstdlib>

#include "linalg/cpu.hpp"
#include "linalg/error.hpp"

namespace ae::linalg {

namespace {

SimdLevel from_environment() {
  SimdLevel best = SimdLevel::Scalar;
  if (simd_level_available(SimdLevel::Avx512))
    best = SimdLevel::Avx512;
  else if (simd_level_available(SimdLevel::Avx2))
    best = SimdLevel::Avx2;
  const char* env = std::getenv("AELAB_LINALG_SIMD");
  if (env == nullptr || *env == '\0') return best;
  const std::string name = env;
  SimdLevel wanted;
  if (name == "scalar")
    wanted = SimdLevel::Scalar;
  else if (name == "avx2")
    wanted = SimdLevel::Avx2;
  else if (name == "avx512")
    wanted = SimdLevel::Avx512;
  else
    throw Error("AELAB_LINALG_SIMD='" + name + "' is not one of scalar, avx2, avx512");
  if (!simd_level_available(wanted))
    throw Error("AELAB_LINALG_SIMD=" + name + ": this CPU does not support it");
  return wanted;
}

SimdLevel& active() {
  static SimdLevel level = from_environment();
  return level;
}

}  // namespace

bool simd_level_available(SimdLevel level) {
  switch (level) {
    case SimdLevel::Scalar:
      return true;
    case SimdLevel::Avx2:
      return cpu_has_avx2_fma();
    case SimdLevel::Avx512:
      return cpu_has_avx512();
  }
  return false;
}

SimdLevel simd_level() { return active(); }

void set_simd_level(SimdLevel level) {
  if (!simd_level_available(level))
    throw Error("set_simd_level: this CPU does not support " + to_string(level));
  active() = level;
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

}  // namespace ae::linalg
