#pragma once
// Symmetric eigen-decomposition by tridiagonalisation and implicit QR:  A = V diag(lambda) V^T.
//
// The textbook direct method (Golub & Van Loan, Matrix Computations, 4th ed., ch. 8: Alg.
// 8.3.1 for the reduction, 8.3.3 for the QR iteration), in three stages:
//
// 1. Householder tridiagonalisation, A = Q T Q^T. Reflector c, H_c = I - tau_c v_c v_c^T,
//    zeroes column c below the subdiagonal. Applied one at a time each costs a matrix-vector
//    product and a rank-2 update of the trailing matrix, both memory-bound. The blocked
//    form (LAPACK's dsytrd/dlatrd) keeps the matrix-vector products but defers the rank-2
//    updates of a panel of `block_size` columns: with V the panel's reflectors and W the
//    vectors they are paired with, the current matrix is A - V W^T - W V^T, and after the
//    panel that correction is applied to the trailing matrix as one product (matmul_f64).
// 2. Q = H_0 H_1 ... H_{n-2}, formed from the back in the compact WY form: each panel's
//    reflectors multiply to I - V T V^T with T upper triangular (LAPACK's dlarft), applied
//    to the trailing part of Q with two matmul_f64 products.
// 3. Implicit symmetric QR with the Wilkinson shift on T: each step chases a bulge down the
//    unreduced block with plane rotations; off-diagonal elements below eps (|d_i| + |d_i+1|)
//    are set to zero, splitting the problem. The iteration itself is O(n^2); its rotations
//    are logged and then applied to the rows of Q^T (rotate_rows_f64) one strip of 32
//    columns at a time, every step on a strip while it sits in the L2 cache; the strips
//    are independent and shared among the OpenMP threads.
//
// About 4/3 n^3 flops for the reduction (half in products), 4/3 n^3 for Q (all products)
// and roughly 6 n^3 for the rotations; against the Jacobi methods' 8 n^3 per sweep over
// 10-14 sweeps. The results follow eigen_jacobi's conventions (largest eigenvalue first,
// unit eigenvectors as columns); eigenvectors of repeated eigenvalues are some orthonormal
// basis of their space, signs are arbitrary.
#include <cstdint>

#include "linalg/eigen_jacobi.hpp"
#include "linalg/matrix.hpp"

namespace ae::linalg {

struct SymmetricQrOptions {
  /// The input is accepted as symmetric when |a_ij - a_ji| <= symmetry_tolerance * max|a|;
  /// it is then symmetrised as (A + A^T) / 2.
  double symmetry_tolerance = 1e-10;
  /// Panel width of the reduction and of the formation of Q; 0 picks the default (32).
  /// 1 runs the unblocked reduction (every rank-2 update applied at once).
  int64_t block_size = 0;
  /// QR steps allowed per eigenvalue (LAPACK's dsteqr allows 30); `converged` says whether
  /// the iteration finished within n times this.
  int max_steps_per_value = 30;
};

/// Eigenvalues (largest first) and unit eigenvectors (columns) of the symmetric matrix `a`.
/// The returned SymmetricEigen reports: sweeps = QR steps, rotations = plane rotations,
/// off_norm = the norm of the off-diagonal elements set to zero, converged, rank = n,
/// method = TwoSided (the field names Jacobi routes; this is neither).
/// Throws ae::Error if `a` is not square, holds a NaN or infinity, or is not symmetric.
SymmetricEigen eigen_symmetric_qr(ViewD a, const SymmetricQrOptions& options = {});

}  // namespace ae::linalg
