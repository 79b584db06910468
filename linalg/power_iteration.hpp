#pragma once
// Power iteration for the top k eigenpairs of a symmetric matrix.
//
// Repeatedly applying A to a vector multiplies its component along eigenvector i by
// lambda_i, so the direction of the largest |lambda| takes over at the rate
// |lambda_2 / lambda_1| per step, and the Rayleigh quotient v^T A v converges to lambda_1.
//
// power_iteration finds the k pairs one at a time with deflation: once v_1 ... v_j are
// found, the iteration runs on P A P with P = I - V V^T (the found directions projected
// out), whose dominant eigenpair is the next one of A. It is the textbook method and fine for
// a few well-separated eigenvalues; each vector converges at its own ratio |lambda_{j+1} /
// lambda_j|.
//
// block_power_iteration (subspace iteration) moves l = k + oversampling vectors at once,
// Q <- orth(A Q), and extracts the best approximations from span(Q) each step with
// Rayleigh-Ritz: the eigenpairs (theta, w) of the small l x l matrix Q^T A Q give Ritz pairs
// (theta, Q w). Eigenpair j then converges at the rate |lambda_{l+1} / lambda_j| — the
// oversampled vectors buy speed — and all of them advance in matrix-matrix products.
//
// Both find the eigenvalues largest in magnitude (for a semidefinite matrix such as a
// covariance: the largest) and return them in decreasing magnitude.
#include <cstdint>
#include <vector>

#include "linalg/matrix.hpp"

namespace ae::linalg {

struct PowerOptions {
  /// A pair (lambda, v) is accepted when |A v - lambda v| <= tolerance * |lambda_1|.
  double tolerance = 1e-10;
  /// power_iteration: iterations per eigenpair; block_power_iteration: iterations in all.
  int max_iterations = 5000;
  /// block_power_iteration: l = k + oversampling vectors are iterated (capped at n).
  int64_t oversampling = 10;
  /// The random start vectors come from this seed only.
  uint64_t seed = 0;
};

struct PowerResult {
  std::vector<double> values;  ///< k eigenvalues, decreasing in magnitude
  Matrix vectors;              ///< n x k, orthonormal; column j belongs to values[j]
  /// power_iteration: iterations spent on each eigenpair; block: one entry, the total.
  std::vector<int> iterations;
  /// max_j |A v_j - lambda_j v_j| / |lambda_1| at the end (of A itself, not the deflated one)
  double residual = 0.0;
  bool converged = false;  ///< every pair met the tolerance within max_iterations
};

/// The top k eigenpairs of the symmetric n x n matrix `a` by power iteration with deflation.
/// Throws ae::Error if `a` is not square, symmetric and finite, or k is not in [1, n].
PowerResult power_iteration(ViewD a, int64_t k, const PowerOptions& options = {});

/// The top k eigenpairs of the symmetric n x n matrix `a` by block power (subspace) iteration
/// with Rayleigh-Ritz. Same errors as power_iteration.
PowerResult block_power_iteration(ViewD a, int64_t k, const PowerOptions& options = {});

}  // namespace ae::linalg
