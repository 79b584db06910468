#pragma once
// Orthonormal bases for the iterative methods (block power iteration, randomized SVD).
#include <vector>

#include "linalg/matrix.hpp"

namespace ae::linalg {

/// Replaces the m x l matrix y (m >= l) by Q with orthonormal columns spanning the same
/// space (the Q of y = Q R).
///
/// Tall and thin y is orthonormalised through its Gram matrix, CholeskyQR2: G = y^T y =
/// R^T R (Cholesky), y <- y R^-1, done twice. In exact arithmetic this is Gram-Schmidt; the
/// Gram matrix and the product are matrix products, one pass over y each, which is what makes
/// it fast for 60000 x 60. One pass leaves an orthogonality error of about eps * cond(y)^2,
/// the second brings it to eps while cond(y)^2 << 1/eps. When the Cholesky factorisation
/// breaks down (y is rank-deficient or too ill-conditioned) it falls back to Householder QR,
/// which is orthonormal to working precision for any y. Returns true if it fell back.
/// Throws ae::Error if m < l.
bool orthonormalize_columns(Matrix& y);

/// For every column j of u (m x r, m >= r) with has_direction[j] false, writes a unit vector
/// orthogonal to all other columns (the ones with a direction and the ones filled before it).
/// Used to complete U when singular values are zero. The fill-in vectors are drawn from a
/// fixed seed, so the result is deterministic.
void complete_orthonormal_columns(Matrix& u, const std::vector<bool>& has_direction);

}  // namespace ae::linalg
