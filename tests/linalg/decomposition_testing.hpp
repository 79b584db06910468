#pragma once
// Test matrices with known factors, built independently of the code under test: random
// orthogonal matrices as products of Householder reflections drawn from std::mt19937_64,
// and plain triple-loop products in long double.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <vector>

#include "linalg/matrix.hpp"

namespace ae::linalg::testing {

/// True in the ASan/UBSan pass, where heavy tests shrink their sizes.
inline bool sanitizer_build() {
  const char* env = std::getenv("AELAB_SANITIZER_BUILD");
  return env != nullptr && *env != '\0' && *env != '0';
}

/// A random n x n orthogonal matrix: the product of n Householder reflections
/// I - 2 v v^T / (v^T v) with Gaussian v, applied to the identity.
inline Matrix random_orthogonal(int64_t n, uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> normal;
  Matrix q = Matrix::identity(n);
  std::vector<double> v(static_cast<size_t>(n));
  for (int64_t r = 0; r < n; ++r) {
    double vv = 0.0;
    for (double& x : v) {
      x = normal(gen);
      vv += x * x;
    }
    // q <- q (I - 2 v v^T / vv): each row x of q becomes x - (2 x.v / vv) v.
    for (int64_t i = 0; i < n; ++i) {
      double xv = 0.0;
      for (int64_t k = 0; k < n; ++k) xv += q(i, k) * v[static_cast<size_t>(k)];
      const double f = 2.0 * xv / vv;
      for (int64_t k = 0; k < n; ++k) q(i, k) -= f * v[static_cast<size_t>(k)];
    }
  }
  return q;
}

/// op(a) * op(b), accumulated in long double.
inline Matrix product(const Matrix& a, const Matrix& b, bool ta = false, bool tb = false) {
  const int64_t m = ta ? a.cols : a.rows, k = ta ? a.rows : a.cols;
  const int64_t n = tb ? b.rows : b.cols;
  Matrix c(m, n);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      long double s = 0.0L;
      for (int64_t p = 0; p < k; ++p)
        s += static_cast<long double>(ta ? a(p, i) : a(i, p)) * (tb ? b(j, p) : b(p, j));
      c(i, j) = static_cast<double>(s);
    }
  return c;
}

/// Q diag(values) Q^T.
inline Matrix with_spectrum(const Matrix& q, const std::vector<double>& values) {
  Matrix scaled = q;
  for (int64_t i = 0; i < q.rows; ++i)
    for (int64_t j = 0; j < q.cols; ++j) scaled(i, j) *= values[static_cast<size_t>(j)];
  return product(scaled, q, false, true);
}

/// The first `cols` columns of a.
inline Matrix first_columns(const Matrix& a, int64_t cols) {
  Matrix out(a.rows, cols);
  for (int64_t i = 0; i < a.rows; ++i)
    for (int64_t j = 0; j < cols; ++j) out(i, j) = a(i, j);
  return out;
}

/// max_ij |a_ij - b_ij|
inline double max_abs_diff(const Matrix& a, const Matrix& b) {
  double worst = 0.0;
  for (size_t i = 0; i < a.data.size(); ++i)
    worst = std::max(worst, std::abs(a.data[i] - b.data[i]));
  return worst;
}

/// max_ij |(q^T q - I)_ij|: how far the columns of q are from orthonormal.
inline double orthonormality_error(const Matrix& q) {
  const Matrix g = product(q, q, true, false);
  return max_abs_diff(g, Matrix::identity(q.cols));
}

/// The orthogonal projector onto the span of the given columns of q (orthonormal).
inline Matrix projector(const Matrix& q, int64_t first, int64_t count) {
  Matrix cols(q.rows, count);
  for (int64_t i = 0; i < q.rows; ++i)
    for (int64_t j = 0; j < count; ++j) cols(i, j) = q(i, first + j);
  return product(cols, cols, false, true);
}

}  // namespace ae::linalg::testing
