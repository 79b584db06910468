#pragma once
// One-sided (Hestenes) Jacobi SVD:  A = U diag(sigma) V^T.
//
// Instead of rotating rows and columns of a symmetric matrix, rotate pairs of columns of A
// itself until all columns are mutually orthogonal:  A V = W with W^T W diagonal. The
// rotation for columns p, q is the Jacobi rotation of their 2 x 2 Gram matrix
// [[|a_p|^2, a_p.a_q], [a_p.a_q, |a_q|^2]] (linalg/jacobi_rotation.hpp), i.e. one two-sided
// Jacobi step on A^T A without ever forming A^T A (whose condition number is squared).
// At the end sigma_j = |w_j|, u_j = w_j / sigma_j, and V is the product of the rotations.
// The columns are stored transposed (as rows), so every rotation and every dot product
// runs over contiguous memory.
#include <cstdint>
#include <vector>

#include "linalg/matrix.hpp"

namespace ae::linalg {

struct SvdOptions {
  /// Columns p, q count as orthogonal when |a_p . a_q| <= tolerance * |a_p| |a_q|;
  /// the iteration stops after a sweep in which every pair does. 0 means sqrt(m) eps, the
  /// rounding level of a dot product of length m (a column of the tall matrix).
  double tolerance = 0.0;
  int max_sweeps = 60;
};

struct Svd {
  Matrix u;                   ///< m x r, orthonormal columns (r = min(m, n))
  std::vector<double> sigma;  ///< r singular values, largest first, >= 0
  Matrix v;                   ///< n x r, orthonormal columns
  int sweeps = 0;             ///< sweeps performed
  int64_t rotations = 0;      ///< column rotations applied
  /// max over pairs of |a_p . a_q| / (|a_p| |a_q|) in the last sweep: how far from
  /// orthogonal the rotated columns were when the iteration stopped.
  double off_norm = 0.0;
  bool converged = false;  ///< off_norm <= tolerance was reached
};

/// Thin SVD of the m x n matrix `a`: U is m x r, V is n x r, r = min(m, n). Columns of U
/// that belong to zero singular values are completed to an orthonormal set.
/// Throws ae::Error if `a` holds a NaN or infinity or the options are invalid.
Svd svd_jacobi(ViewD a, const SvdOptions& options = {});

namespace detail {
/// One-sided Jacobi on the n rows (length m, stride ldg) of g, rotating the rows of vt
/// (n x n, stride ldv) alongside unless vt is null. Pairs with |cos| <= tolerance are left.
struct OneSidedStats {
  int sweeps = 0;
  int64_t rotations = 0;
  double max_cosine = 0.0;  ///< the largest |cos| met in the last sweep
  /// sqrt(sum_{p != q} (g_p . g_q)^2) over the pairs as the last sweep met them: when that
  /// sweep rotated nothing, exactly the off-diagonal norm of the Gram matrix g g^T.
  double off_norm = 0.0;
  bool quiet = false;  ///< the last sweep rotated nothing
};
OneSidedStats one_sided_jacobi(double* g, int64_t n, int64_t m, int64_t ldg, double* vt,
                               int64_t ldv, double tolerance, int max_sweeps);
}  // namespace detail

}  // namespace ae::linalg
