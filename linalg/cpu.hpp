#pragma once
// What the CPU we run on can execute, asked once through CPUID.
//
// The library is compiled for plain x86-64; only the fast gemm kernels are compiled with
// AVX2 / AVX-512 flags, and they may run only where these answer true. Each answer also
// requires the operating system to save the wider registers on a context switch (XGETBV),
// which the compiler's CPUID helper checks.
namespace ae::linalg {

/// AVX2 and FMA3: 16 ymm registers of 8 floats, fused multiply-add.
bool cpu_has_avx2_fma();
/// AVX-512 Foundation (with AVX2 and FMA): 32 zmm registers of 16 floats, write masks.
bool cpu_has_avx512();

}  // namespace ae::linalg
