#pragma once
// Householder QR:  A = Q R  for a tall matrix (m >= n).
//
// Step j reflects column j, from its diagonal down, onto a multiple of e_j with
// H_j = I - 2 v v^T (|v| = 1), which zeros everything below the diagonal; the same H_j is
// applied to the columns right of it. Q = H_0 H_1 ... H_{n-1} restricted to its first n
// columns. Reflections are orthogonal to working precision whatever the input, so Q is
// orthonormal even when A is rank-deficient (Golub & Van Loan, section 5.2).
#include "linalg/matrix.hpp"

namespace ae::linalg {

struct QR {
  Matrix q;  ///< m x n, orthonormal columns
  Matrix r;  ///< n x n, upper triangular
};

/// Thin QR of the m x n matrix `a`, m >= n. Throws ae::Error if m < n.
QR householder_qr(ViewD a);

}  // namespace ae::linalg
