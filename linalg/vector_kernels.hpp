#pragma once
// The two level-1 loops the Jacobi methods spend their time in, with AVX2 and AVX-512
// versions picked at run time (linalg/simd.hpp).
//
// A dot product written as one running sum is limited by the latency of the additions
// (each waits for the previous one); the kernels keep several independent partial sums
// in vector registers instead, which also changes the order of the additions. So results
// may differ in the last bits between SIMD levels, never by more than rounding.
#include <cstdint>

namespace ae::linalg {

/// sum_k x[k] y[k]
double dot_f64(const double* x, const double* y, int64_t n);

/// The plane rotation of two vectors: x' = c x - s y,  y' = s x + c y.
void rotate_f64(double* x, double* y, int64_t n, double c, double s);

}  // namespace ae::linalg
