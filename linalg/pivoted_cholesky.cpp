// Pivoted Cholesky, blocked: each panel of kPanel columns is computed left-looking (the
// panel's own earlier columns are subtracted column by column), then the trailing Schur
// complement receives the whole panel at once as one matrix product, S -= L_panel L_panel^T.
#include "linalg/pivoted_cholesky.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <numeric>
#include <sstream>

#include "linalg/matmul_f64.hpp"

namespace ae::linalg {

namespace {
constexpr int64_t kPanel = 32;
}

PivotedCholesky pivoted_cholesky(ViewD a, double tolerance) {
  const int64_t n = a.rows;
  PivotedCholesky out;
  out.perm.resize(static_cast<size_t>(n));
  std::iota(out.perm.begin(), out.perm.end(), 0);
  // s: the Schur complement, up to date for the indices of the panels not yet factorised.
  Matrix s(n, n);
  double max_diag = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j <= i; ++j) s(i, j) = s(j, i) = a(i, j);
    max_diag = std::max(max_diag, a(i, i));
  }
  if (tolerance < 0.0) tolerance = double(n) * DBL_EPSILON * max_diag;
  std::vector<double> d(static_cast<size_t>(n));  // diagonal of the current complement
  for (int64_t i = 0; i < n; ++i) d[i] = s(i, i);
  out.lt = Matrix(n, n);
  Matrix& lt = out.lt;

  int64_t rank = n;
  int64_t panel_start = 0;
  for (int64_t j0 = 0; j0 < n && rank == n; j0 += kPanel) {
    panel_start = j0;
    const int64_t j1 = std::min(n, j0 + kPanel);
    for (int64_t j = j0; j < j1; ++j) {
      const int64_t p = std::max_element(d.begin() + j, d.end()) - d.begin();
      if (!(d[p] > tolerance)) {
        rank = j;
        break;
      }
      if (p != j) {
        for (int64_t k = 0; k < n; ++k) std::swap(s(j, k), s(p, k));
        for (int64_t k = 0; k < n; ++k) std::swap(s(k, j), s(k, p));
        std::swap(d[j], d[p]);
        std::swap(out.perm[j], out.perm[p]);
        for (int64_t k = 0; k < j; ++k) std::swap(lt(k, j), lt(k, p));
      }
      const double ljj = std::sqrt(d[j]);
      lt(j, j) = ljj;
      // L(i, j) = (S(i, j) - sum over the panel's earlier columns of L(i, k) L(j, k)) / L(j, j)
      double* col = lt.row(j);
      for (int64_t i = j + 1; i < n; ++i) col[i] = s(i, j);
      for (int64_t k = j0; k < j; ++k) {
        const double ljk = lt(k, j);
        const double* lk = lt.row(k);
#pragma omp simd
        for (int64_t i = j + 1; i < n; ++i) col[i] -= lk[i] * ljk;
      }
      const double inv = 1.0 / ljj;
      for (int64_t i = j + 1; i < n; ++i) {
        col[i] *= inv;
        d[i] -= col[i] * col[i];
      }
    }
    if (rank == n && j1 < n) {
      // S[j1:, j1:] -= L[j1:, panel] L[j1:, panel]^T
      const int64_t rest = n - j1;
      gram_f64(j1 - j0, rest, -1.0, lt.row(j0) + j1, n, 1.0, &s(j1, j1), n);
    }
  }

  out.rank = rank;
  if (rank < n) {
    // The complement left over: S - (panel columns computed so far) products.
    double worst_diag = 0.0, worst_off = 0.0;
    int64_t wi = 0, wj = 0;
    for (int64_t i = rank; i < n; ++i)
      for (int64_t k = rank; k <= i; ++k) {
        double v = s(i, k);
        for (int64_t c = panel_start; c < rank; ++c) v -= lt(c, i) * lt(c, k);
        if (i == k) {
          worst_diag = std::min(worst_diag, v);
        } else if (std::abs(v) > worst_off) {
          worst_off = std::abs(v);
          wi = i;
          wj = k;
        }
      }
    std::ostringstream why;
    why.precision(6);
    if (worst_diag < -tolerance) {
      out.semidefinite = false;
      why << "after " << rank << " steps the Schur complement has diagonal entry " << worst_diag
          << " < 0";
    } else if (worst_off > 2.0 * tolerance) {
      // For a semidefinite matrix |s_ik| <= sqrt(s_ii s_kk) <= tolerance.
      out.semidefinite = false;
      why << "after " << rank << " steps the Schur complement has diagonal <= " << tolerance
          << " but off-diagonal entry " << worst_off << " (indices " << out.perm[wi] << ", "
          << out.perm[wj] << ")";
    }
    out.reason = why.str();
    lt.rows = rank;
    lt.data.resize(static_cast<size_t>(rank * n));
  }
  return out;
}

}  // namespace ae::linalg
