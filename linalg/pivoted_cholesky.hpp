#pragma once
// Pivoted Cholesky factorisation of a symmetric positive semidefinite matrix:
//
//     P^T A P = L L^T,   L lower triangular (n x r), diagonal of L non-increasing.
//
// Step j picks the largest remaining diagonal entry of the Schur complement as pivot, so
// the factor comes out graded (big columns first) and the factorisation stops at the
// numerical rank r: when every remaining diagonal entry is <= tolerance. For a
// semidefinite matrix the remaining complement is then negligible (|s_ij| <= sqrt(s_ii s_jj)).
// A negative pivot, or a remaining complement with a large off-diagonal entry, proves the
// matrix indefinite. (Higham, "Cholesky factorization", 2009; LAPACK's dpstrf.)
#include <cstdint>
#include <string>
#include <vector>

#include "linalg/matrix.hpp"

namespace ae::linalg {

struct PivotedCholesky {
  /// r x n: row j is column j of L, in the pivoted order (lt(j, i) = L(i, j), zero for i < j).
  Matrix lt;
  std::vector<int64_t> perm;  ///< index i of the pivoted matrix is index perm[i] of A
  int64_t rank = 0;
  /// False if A is not positive semidefinite (to the tolerance); `reason` says why.
  bool semidefinite = true;
  std::string reason;
};

/// Factorises the symmetric n x n matrix `a` (only its lower triangle is read). Stops at
/// the first step whose largest remaining diagonal is <= tolerance (default, when
/// tolerance < 0: n * eps * max_i a_ii). Never throws on indefinite input: it reports it.
PivotedCholesky pivoted_cholesky(ViewD a, double tolerance = -1.0);

}  // namespace ae::linalg
