#pragma once
// Internals shared by the two Jacobi eigen solvers (single rotations, blocks).
// Not part of the public API.
#include <cstdint>

#include "linalg/matrix.hpp"

namespace ae::linalg::detail {

struct SweepStats {
  int sweeps = 0;
  int64_t rotations = 0;
  bool converged = false;  ///< a quiet sweep (every |a_pq| <= floor) or off <= off_target
};

/// Cyclic Jacobi with single rotations on the symmetric n x n matrix `a` (row stride lda,
/// both triangles stored and kept). Each rotation J is also applied to the rows of `vt`
/// (vt <- J^T vt, so starting from I, vt ends as V^T; vt has n rows of `vt_cols`, stride
/// ldv). Pairs with |a_pq| <= floor are never rotated. With `thresholds`, the first three
/// sweeps also skip pairs below a fifth of the current mean off-diagonal element.
/// Runs until a sweep at the floor rotates nothing, off(a) <= off_target after a sweep, or
/// `max_sweeps`.
SweepStats jacobi_single(double* a, int64_t n, int64_t lda, double* vt, int64_t ldv,
                         int64_t vt_cols, double floor, double off_target, int max_sweeps,
                         bool thresholds);

/// Block Jacobi in round-robin order (see linalg/eigen_jacobi.hpp) on the symmetric
/// matrix `a`, accumulating into `vt` (n x n, vt <- Q^T vt). Same floor and stopping rules.
SweepStats jacobi_blocked(Matrix& a, Matrix& vt, int64_t block, double floor, double off_target,
                          int max_sweeps);

/// sqrt(sum_{i != j} a_ij^2).
double off_diagonal_norm(const double* a, int64_t n, int64_t lda);

}  // namespace ae::linalg::detail
