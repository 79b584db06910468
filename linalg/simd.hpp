#pragma once
// Which vector instructions the kernels may use: the one CPU dispatch of aelab.
//
// The library is compiled for plain x86-64 (SSE2) so that it runs on any such CPU. Each hot
// loop (gemm, the f64 matrix multiply, the Jacobi dot products and rotations, the Adam step,
// the squared-error sums here in linalg; the element-wise tensor ops, activations and their
// fused gradients in tensor/map.hpp, and the bias gradient's row sum in tensor/reduce.cpp) is
// written once as a readable scalar specification and again for AVX2 + FMA and for AVX-512,
// the fast versions compiled with per-file -m flags or per-function target attributes (for
// the tensor ops: the same template loop instantiated inside target("avx2,fma") and
// target("avx512f") functions). Every such kernel asks simd_level() which one to run:
//
//   1. CPUID is read once, in simd.cpp (the only file that asks the CPU), through the
//      compiler's helper, which also checks that the operating system saves the wider
//      registers on a context switch (XGETBV). That gives cpu_simd_level().
//   2. The environment variable AELAB_SIMD=scalar|avx2|avx512, read once, clamps the level:
//      the kernels use the lower of it and the CPU's. AELAB_SIMD=scalar runs every
//      specification; asking for more than the CPU has runs what the CPU has.
//   3. set_simd_level() overrides the level for the process (tests, benchmarks).
//
// simd_summary() says in one line what is in use, and why; the benchmarks print it.
#include <string>

namespace ae::linalg {

/// Ordered from narrowest to widest: each level's CPUs also run the levels below it.
enum class SimdLevel { Scalar, Avx2, Avx512 };

/// The widest level this CPU runs (Avx2 means AVX2 and FMA; Avx512 means AVX-512F as well).
SimdLevel cpu_simd_level();
/// Whether this CPU runs `level`.
bool simd_level_available(SimdLevel level);

/// The level every kernel uses: cpu_simd_level() clamped by AELAB_SIMD, unless
/// set_simd_level() chose another. Throws ae::Error if AELAB_SIMD names no level.
SimdLevel simd_level();
/// Overrides the level for this process (throws ae::Error if the CPU lacks it).
void set_simd_level(SimdLevel level);

/// The clamp AELAB_SIMD applies: the lower of `cpu` and the level `setting` names
/// ("scalar", "avx2", "avx512"); `cpu` itself when `setting` is empty.
/// Throws ae::Error naming AELAB_SIMD if `setting` is none of those.
SimdLevel clamp_simd_level(SimdLevel cpu, const std::string& setting);

/// "scalar", "avx2" or "avx512".
std::string to_string(SimdLevel level);
/// The level in use and where it came from, e.g. "avx2 (CPU: avx512, AELAB_SIMD=avx2)".
std::string simd_summary();

}  // namespace ae::linalg
