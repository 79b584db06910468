#include "linalg/householder_qr.hpp"

#include <cmath>
#include <vector>

#include "linalg/error.hpp"

namespace ae::linalg {

namespace {
double dot(const double* __restrict x, const double* __restrict y, int64_t n) {
  double s = 0.0;
#pragma omp simd reduction(+ : s)
  for (int64_t k = 0; k < n; ++k) s += x[k] * y[k];
  return s;
}
// y <- y - f x
void axpy(double f, const double* __restrict x, double* __restrict y, int64_t n) {
#pragma omp simd
  for (int64_t k = 0; k < n; ++k) y[k] -= f * x[k];
}
}  // namespace

QR householder_qr(ViewD a) {
  const int64_t m = a.rows, n = a.cols;
  if (m < n)
    throw Error("householder_qr: expects a tall matrix (rows >= cols), got " + shape_string(m, n));
  // The columns of A as contiguous rows: w(j, :) is column j.
  Matrix w(n, m);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) w(j, i) = a(i, j);
  // v(j, j..m-1) is the unit Householder vector of step j (a zero row: no reflection).
  Matrix v(n, m);
  QR out{Matrix(m, n), Matrix(n, n)};
  for (int64_t j = 0; j < n; ++j) {
    double* x = w.row(j) + j;
    const int64_t len = m - j;
    const double norm = std::sqrt(dot(x, x, len));
    if (norm == 0.0) {  // nothing to zero: H_j = I, row j of R is read off as it stands
      for (int64_t i = j + 1; i < n; ++i) out.r(j, i) = w(i, j);
      continue;
    }
    // Reflect x onto alpha e_1 with alpha = -sign(x_0) |x|, so v = x - alpha e_1 has no
    // cancellation in its first element.
    const double alpha = x[0] >= 0 ? -norm : norm;
    double* vj = v.row(j) + j;
    for (int64_t k = 0; k < len; ++k) vj[k] = x[k];
    vj[0] -= alpha;
    const double vnorm = std::sqrt(dot(vj, vj, len));
    for (int64_t k = 0; k < len; ++k) vj[k] /= vnorm;
    out.r(j, j) = alpha;
    for (int64_t i = j + 1; i < n; ++i) {
      double* y = w.row(i) + j;
      axpy(2.0 * dot(vj, y, len), vj, y, len);
      out.r(j, i) = y[0];
    }
  }
  // Column i of Q is H_0 ... H_{n-1} e_i; H_j leaves e_i alone for j > i.
  std::vector<double> col(static_cast<size_t>(m));
  for (int64_t i = 0; i < n; ++i) {
    std::fill(col.begin(), col.end(), 0.0);
    col[static_cast<size_t>(i)] = 1.0;
    for (int64_t j = i; j >= 0; --j) {
      const double* vj = v.row(j) + j;
      double* y = col.data() + j;
      axpy(2.0 * dot(vj, y, m - j), vj, y, m - j);
    }
    for (int64_t k = 0; k < m; ++k) out.q(k, i) = col[static_cast<size_t>(k)];
  }
  return out;
}

}  // namespace ae::linalg
