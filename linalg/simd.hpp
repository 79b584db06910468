#pragma once
// Which vector instructions the double-precision kernels of the decompositions may use.
//
// The library is compiled for plain x86-64 (SSE2) so that it runs on any CPU. The few hot
// loops of the decompositions (the f64 matrix-multiply micro-kernel) also exist in AVX2 and
// AVX-512 versions compiled with per-function target attributes; one is picked at run time
// from CPUID. The environment variable AELAB_LINALG_SIMD=scalar|avx2|avx512 overrides the
// choice, so tests can run every path on one machine.
#include <string>

namespace ae::linalg {

enum class SimdLevel { Scalar, Avx2, Avx512 };

/// The level the kernels use: the best the CPU supports unless AELAB_LINALG_SIMD says lower.
/// Throws ae::Error if the variable names an unknown level or one this CPU lacks.
SimdLevel simd_level();
/// Overrides the level for this process (throws ae::Error if the CPU lacks it).
void set_simd_level(SimdLevel level);
bool simd_level_available(SimdLevel level);
std::string to_string(SimdLevel level);

}  // namespace ae::linalg
