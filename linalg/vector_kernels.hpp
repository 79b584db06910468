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

/// A sequence of rotations of neighbouring rows, as one QR step on a tridiagonal matrix
/// produces them: for k = 0, 1, ..., count - 1 in turn, rows k and k + 1 of `a` (row stride
/// ld, `cols` columns) are rotated by (c[k], s[k]) as rotate_f64 rotates (x = row k,
/// y = row k + 1). The specification is that loop of rotate_f64 calls; the fast versions
/// run down a strip of columns at a time, carrying row k + 1 in registers, so the count + 1
/// rows are read and written once per sweep instead of twice per rotation. The strips are
/// independent and are shared among the OpenMP threads when the sweep is large and the
/// caller is not already in a parallel region. Results agree with the specification to
/// rounding (the vector versions fuse multiply and add, as rotate_f64's do).
void rotate_rows_f64(double* a, int64_t ld, int64_t cols, int64_t count, const double* c,
                     const double* s);

}  // namespace ae::linalg
