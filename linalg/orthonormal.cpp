#include "linalg/orthonormal.hpp"

#include <cmath>

#include "linalg/error.hpp"
#include "linalg/householder_qr.hpp"
#include "linalg/matmul_f64.hpp"
#include "linalg/random.hpp"

namespace ae::linalg {

namespace {

// Upper-triangular R with G = R^T R, or false if a pivot is not safely positive: a pivot
// below sqrt(eps) of its diagonal entry means cond(y) > ~1e8 and the next pass could not
// repair the orthogonality.
bool cholesky_upper(const Matrix& g, Matrix& r) {
  const int64_t l = g.rows;
  r = Matrix(l, l);
  for (int64_t j = 0; j < l; ++j) {
    double d = g(j, j);
    for (int64_t k = 0; k < j; ++k) d -= r(k, j) * r(k, j);
    if (!(d > 1e-15 * g(j, j)) || !(g(j, j) > 0.0)) return false;
    r(j, j) = std::sqrt(d);
    for (int64_t i = j + 1; i < l; ++i) {
      double s = g(j, i);
      for (int64_t k = 0; k < j; ++k) s -= r(k, j) * r(k, i);
      r(j, i) = s / r(j, j);
    }
  }
  return true;
}

// The inverse of an upper-triangular matrix (upper triangular), column by column:
// R X = I, back substitution.
Matrix upper_inverse(const Matrix& r) {
  const int64_t l = r.rows;
  Matrix x(l, l);
  for (int64_t c = 0; c < l; ++c)
    for (int64_t i = c; i >= 0; --i) {
      double s = i == c ? 1.0 : 0.0;
      for (int64_t k = i + 1; k <= c; ++k) s -= r(i, k) * x(k, c);
      x(i, c) = s / r(i, i);
    }
  return x;
}

bool cholesky_qr_pass(Matrix& y) {
  const int64_t m = y.rows, l = y.cols;
  Matrix g(l, l), r;
  gram_f64(m, l, 1.0, y.data.data(), l, 0.0, g.data.data(), l);
  if (!cholesky_upper(g, r)) return false;
  const Matrix rinv = upper_inverse(r);
  Matrix q(m, l);
  matmul_f64(Trans::No, Trans::No, m, l, l, 1.0, y.data.data(), l, rinv.data.data(), l, 0.0,
             q.data.data(), l);
  y = std::move(q);
  return true;
}

}  // namespace

bool orthonormalize_columns(Matrix& y) {
  if (y.rows < y.cols)
    throw Error("orthonormalize_columns: expects rows >= cols, got " +
                shape_string(y.rows, y.cols));
  if (y.cols == 0) return false;
  Matrix copy = y;
  if (cholesky_qr_pass(y) && cholesky_qr_pass(y)) return false;
  y = householder_qr(copy).q;
  return true;
}

void complete_orthonormal_columns(Matrix& u, const std::vector<bool>& has_direction) {
  const int64_t m = u.rows, r = u.cols;
  std::vector<bool> done = has_direction;
  Random rng(0x5eed0f0a7701e5ULL);
  std::vector<double> x(static_cast<size_t>(m));
  for (int64_t j = 0; j < r; ++j) {
    if (done[static_cast<size_t>(j)]) continue;
    for (int attempt = 0;; ++attempt) {
      for (double& e : x) e = rng.normal();
      double start = 0.0;
      for (double e : x) start += e * e;
      // Two rounds of Gram-Schmidt against every finished column ("twice is enough").
      for (int round = 0; round < 2; ++round)
        for (int64_t c = 0; c < r; ++c) {
          if (!done[static_cast<size_t>(c)]) continue;
          double d = 0.0;
          for (int64_t k = 0; k < m; ++k) d += u(k, c) * x[static_cast<size_t>(k)];
          for (int64_t k = 0; k < m; ++k) x[static_cast<size_t>(k)] -= d * u(k, c);
        }
      double left = 0.0;
      for (double e : x) left += e * e;
      // A draw almost inside the span loses its digits to cancellation; draw again.
      if (left > 1e-6 * start || attempt > 20) {
        const double inv = 1.0 / std::sqrt(left);
        for (int64_t k = 0; k < m; ++k) u(k, j) = x[static_cast<size_t>(k)] * inv;
        break;
      }
    }
    done[static_cast<size_t>(j)] = true;
  }
}

}  // namespace ae::linalg
