#pragma once
// The Jacobi rotation: the 2 x 2 step both Jacobi methods are made of.
//
// For a symmetric 2 x 2 block [[app, apq], [apq, aqq]], the rotation J = [[c, s], [-s, c]]
// with
//     theta = (aqq - app) / (2 apq),   t = sign(theta) / (|theta| + sqrt(theta^2 + 1)),
//     c = 1 / sqrt(t^2 + 1),           s = t c
// makes J^T [[app, apq], [apq, aqq]] J diagonal: app' = app - t apq, aqq' = aqq + t apq.
// t = tan(angle) is the smaller root of t^2 + 2 theta t - 1 = 0, so |angle| <= pi/4: the
// rotation moves as little as possible, which is what makes cyclic Jacobi converge
// (Golub & Van Loan, Matrix Computations, 4th ed., section 8.5.2).
//
// The one-sided (Hestenes) SVD uses the same formula with app = |a_p|^2, aqq = |a_q|^2,
// apq = a_p . a_q (the 2 x 2 Gram matrix of two columns): the rotation makes the two
// columns orthogonal.
#include <cmath>
#include <cstdint>

namespace ae::linalg {

struct Rotation {
  double c = 1.0;
  double s = 0.0;
  double t = 0.0;  ///< tan of the angle: app' = app - t apq, aqq' = aqq + t apq
};

/// The rotation that annihilates apq (requires apq != 0).
inline Rotation jacobi_rotation(double app, double aqq, double apq) {
  const double theta = (aqq - app) / (2.0 * apq);
  // For |theta| > 1e150, theta^2 would overflow; then t = 1 / (2 theta) to full precision.
  const double t = std::abs(theta) > 1e150 ? 0.5 / theta
                                           : (theta >= 0 ? 1.0 : -1.0) /
                                                 (std::abs(theta) + std::sqrt(theta * theta + 1.0));
  const double c = 1.0 / std::sqrt(t * t + 1.0);
  return {c, t * c, t};
}

}  // namespace ae::linalg
