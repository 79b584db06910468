#pragma once
// Cyclic Jacobi eigen-decomposition of a symmetric matrix:  A = V diag(lambda) V^T.
//
// Jacobi's method applies plane rotations J_pq, each chosen to zero one off-diagonal pair
// (p, q):  A <- J^T A J. A rotation can refill elements zeroed earlier, but it always moves
// exactly a_pq^2 of "off-diagonal mass" onto the diagonal, so
//     off(A)^2 = sum_{i != j} a_ij^2
// falls with every rotation; sweeping over all pairs repeatedly (cyclic Jacobi) makes it
// converge, quadratically once it is small. The diagonal is then the eigenvalues and the
// product of the rotations, V = J_1 J_2 ..., the eigenvectors.
//
// Two routes, both cyclic Jacobi:
//
// * Two-sided, for any symmetric matrix: the rotations above, on A's rows and columns.
//   Threshold strategy: during the first three sweeps, pairs whose |a_pq| is below a fifth of
//   the current mean off-diagonal element are skipped (a big rotation would refill them
//   anyway); afterwards only pairs below the convergence floor are skipped, and a sweep that
//   rotates nothing ends the iteration. Small matrices are solved with single rotations.
//   Large ones use the same method one level up (block Jacobi): the indices are cut into
//   blocks of `block_size`; a step pairs two blocks I, J, diagonalises the small block
//   A[I u J, I u J] with single rotations, and applies the resulting orthogonal Q to A's rows
//   and columns and to V as matrix products. The block pairs follow the round-robin
//   (tournament) order, so the n_blocks / 2 pairs of one round are disjoint and run on the
//   OpenMP threads side by side.
//
// * One-sided on the Cholesky factor, for positive semidefinite matrices such as covariances
//   (Veselic & Hari, Numer. Math. 56, 1989). Factor P^T A P = L L^T with pivoted Cholesky
//   (linalg/pivoted_cholesky.hpp), then make the columns of L orthogonal with one-sided Jacobi
//   (linalg/svd_jacobi.hpp): L V = W with W^T W diagonal, so A = P W W^T P^T and
//       lambda_j = |w_j|^2,   eigenvector_j = P w_j / |w_j|.
//   This is two-sided Jacobi run implicitly on L^T L, which has A's eigenvalues. A rotation
//   touches two contiguous columns of L instead of two rows and two columns of A, and V
//   never has to be accumulated (the eigenvectors are the rotated columns themselves), so a
//   sweep costs about half the arithmetic and far less memory traffic.
//
// JacobiMethod::Auto tries the pivoted Cholesky factorisation (n^3 / 3 operations) and takes
// the one-sided route when it proves A semidefinite, the two-sided route otherwise.
#include <cstdint>
#include <string>
#include <vector>

#include "linalg/matrix.hpp"

namespace ae::linalg {

enum class JacobiMethod {
  Auto,      ///< one-sided when A is positive semidefinite, two-sided otherwise
  TwoSided,  ///< rotations of A's rows and columns, any symmetric A
  OneSided,  ///< pivoted Cholesky + one-sided Jacobi; throws if A is not semidefinite
};

struct JacobiOptions {
  /// Two-sided: converged when off(A) <= tolerance * ||A||_F; a pair is never rotated when
  /// |a_pq| <= tolerance * ||A||_F / n, which guarantees that bound after a quiet sweep.
  /// One-sided: two columns count as orthogonal when |cos| <= max(tolerance, sqrt(n) eps),
  /// the second being the rounding level of a dot product of length n.
  double tolerance = 1e-15;
  /// Sweeps (over all pairs, or all block pairs) before giving up; `converged` says which.
  int max_sweeps = 60;
  /// The input is accepted as symmetric when |a_ij - a_ji| <= symmetry_tolerance * max|a|;
  /// it is then symmetrised as (A + A^T) / 2.
  double symmetry_tolerance = 1e-10;
  /// Block width of the block method; matrices with n <= 2 * block_size use single rotations.
  /// 0 picks the default (32). A very large value forces single rotations.
  int64_t block_size = 0;
  JacobiMethod method = JacobiMethod::Auto;
};

struct SymmetricEigen {
  std::vector<double> values;  ///< eigenvalues, largest first
  Matrix vectors;              ///< n x n; column j is the unit eigenvector of values[j]
  int sweeps = 0;              ///< sweeps performed (the last one may have rotated nothing)
  int64_t rotations = 0;       ///< rotations applied (inside the blocks, for the block method)
  /// The off-diagonal norm sqrt(sum_{i != j} m_ij^2) of the matrix the rotations
  /// diagonalise, at the end: m = V^T A V (two-sided) or m = W^T W, the Gram matrix of the
  /// rotated Cholesky columns (one-sided; its eigenvalues are A's).
  double off_norm = 0.0;
  bool converged = false;                        ///< the tolerance was reached within max_sweeps
  JacobiMethod method = JacobiMethod::TwoSided;  ///< the route that ran
  int64_t rank = 0;  ///< one-sided: the numerical rank found by pivoted Cholesky; else n
};

/// Eigenvalues and eigenvectors of the symmetric matrix `a` (n x n), largest eigenvalue first.
/// Throws ae::Error if `a` is not square, holds a NaN or infinity, or is not symmetric, or if
/// JacobiMethod::OneSided is asked for and `a` is not positive semidefinite.
SymmetricEigen eigen_jacobi(ViewD a, const JacobiOptions& options = {});

std::string to_string(JacobiMethod method);

/// Sum of the k largest eigenvalues divided by their sum: the explained-variance ratio of
/// PCA when `values` are the eigenvalues of a covariance (largest first).
/// Throws ae::Error unless 0 <= k <= values.size().
double explained_variance_ratio(const std::vector<double>& values, int64_t k);

}  // namespace ae::linalg
