// The eigen_jacobi entry point, its two routes, and cyclic Jacobi with single rotations.
#include "linalg/eigen_jacobi.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <numeric>

#include "linalg/checks.hpp"
#include "linalg/eigen_jacobi_detail.hpp"
#include "linalg/error.hpp"
#include "linalg/jacobi_rotation.hpp"
#include "linalg/orthonormal.hpp"
#include "linalg/pivoted_cholesky.hpp"
#include "linalg/svd_jacobi.hpp"
#include "linalg/vector_kernels.hpp"

namespace ae::linalg {

namespace detail {

double off_diagonal_norm(const double* a, int64_t n, int64_t lda) {
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j)
      if (i != j) sum += a[i * lda + j] * a[i * lda + j];
  return std::sqrt(sum);
}

SweepStats jacobi_single(double* a, int64_t n, int64_t lda, double* vt, int64_t ldv,
                         int64_t vt_cols, double floor, double off_target, int max_sweeps,
                         bool thresholds) {
  SweepStats stats;
  auto at = [&](int64_t i, int64_t j) -> double& { return a[i * lda + j]; };
  while (stats.sweeps < max_sweeps) {
    // Rutishauser's threshold: early on, skip pairs far below the average off-diagonal
    // element; rotating them now is wasted, the big rotations will refill them anyway.
    double threshold = floor;
    if (thresholds && stats.sweeps < 3 && n > 1)
      threshold = std::max(floor, 0.2 * off_diagonal_norm(a, n, lda) / double(n));
    ++stats.sweeps;
    int64_t rotated = 0;
    for (int64_t p = 0; p + 1 < n; ++p) {
      for (int64_t q = p + 1; q < n; ++q) {
        const double apq = at(p, q);
        if (!(std::abs(apq) > threshold)) continue;
        const Rotation r = jacobi_rotation(at(p, p), at(q, q), apq);
        const double app = at(p, p), aqq = at(q, q);
        // Rows p and q of J^T A (contiguous); by symmetry they are also columns p and q
        // of J^T A J outside the 2 x 2 block, so they are copied there.
        rotate_f64(a + p * lda, a + q * lda, n, r.c, r.s);
        for (int64_t k = 0; k < n; ++k) {
          at(k, p) = at(p, k);
          at(k, q) = at(q, k);
        }
        at(p, p) = app - r.t * apq;
        at(q, q) = aqq + r.t * apq;
        at(p, q) = at(q, p) = 0.0;
        rotate_f64(vt + p * ldv, vt + q * ldv, vt_cols, r.c, r.s);
        ++rotated;
      }
    }
    stats.rotations += rotated;
    if ((rotated == 0 && threshold == floor) ||
        (off_target > 0.0 && off_diagonal_norm(a, n, lda) <= off_target)) {
      stats.converged = true;
      break;
    }
  }
  return stats;
}

}  // namespace detail

namespace {

constexpr int64_t kDefaultBlock = 32;

void check_input(ViewD a, const JacobiOptions& options) {
  detail::check_symmetric(a, options.symmetry_tolerance, "eigen_jacobi");
  if (!(options.tolerance > 0.0) || options.max_sweeps < 1)
    throw Error("eigen_jacobi: tolerance must be > 0 and max_sweeps >= 1 (got tolerance " +
                std::to_string(options.tolerance) + ", max_sweeps " +
                std::to_string(options.max_sweeps) + ")");
}

// Sorts the eigenpairs (value[j], column j of `vectors`) by decreasing value.
void sort_descending(SymmetricEigen& e) {
  const auto n = static_cast<int64_t>(e.values.size());
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t x, int64_t y) { return e.values[x] > e.values[y]; });
  std::vector<double> values(static_cast<size_t>(n));
  Matrix vectors(n, n);
  for (int64_t j = 0; j < n; ++j) {
    const int64_t src = order[static_cast<size_t>(j)];
    values[static_cast<size_t>(j)] = e.values[src];
    for (int64_t k = 0; k < n; ++k) vectors(k, j) = e.vectors(k, src);
  }
  e.values = std::move(values);
  e.vectors = std::move(vectors);
}

SymmetricEigen two_sided(Matrix a, double norm, const JacobiOptions& options) {
  const int64_t n = a.rows;
  // |a_pq| <= floor for every pair means off(A) <= n * floor = tolerance * ||A||_F.
  const double floor = options.tolerance * norm / double(std::max<int64_t>(n, 1));
  const double off_target = options.tolerance * norm;
  Matrix vt = Matrix::identity(n);
  const int64_t block = options.block_size > 0 ? options.block_size : kDefaultBlock;
  const detail::SweepStats stats =
      n > 2 * block ? detail::jacobi_blocked(a, vt, block, floor, off_target, options.max_sweeps)
                    : detail::jacobi_single(a.data.data(), n, n, vt.data.data(), n, n, floor,
                                            off_target, options.max_sweeps, true);
  SymmetricEigen e;
  e.method = JacobiMethod::TwoSided;
  e.rank = n;
  e.sweeps = stats.sweeps;
  e.rotations = stats.rotations;
  e.off_norm = detail::off_diagonal_norm(a.data.data(), n, n);
  e.converged = stats.converged || e.off_norm <= off_target;
  e.values.resize(static_cast<size_t>(n));
  for (int64_t j = 0; j < n; ++j) e.values[static_cast<size_t>(j)] = a(j, j);
  e.vectors = vt.transposed();
  return e;
}

SymmetricEigen one_sided(PivotedCholesky chol, const JacobiOptions& options) {
  const int64_t n = chol.lt.cols, r = chol.rank;
  const double tolerance = std::max(options.tolerance, std::sqrt(double(n)) * DBL_EPSILON);
  const detail::OneSidedStats stats = detail::one_sided_jacobi(
      chol.lt.data.data(), r, n, n, nullptr, 0, tolerance, options.max_sweeps);
  SymmetricEigen e;
  e.method = JacobiMethod::OneSided;
  e.rank = r;
  e.sweeps = stats.sweeps;
  e.rotations = stats.rotations;
  e.off_norm = stats.off_norm;
  e.converged = stats.quiet;
  e.values.assign(static_cast<size_t>(n), 0.0);
  e.vectors = Matrix(n, n);
  std::vector<bool> has_direction(static_cast<size_t>(n), false);
  // Column j of L V is w_j: lambda_j = |w_j|^2, eigenvector P w_j / |w_j|. The n - r
  // directions the factorisation left out have eigenvalue 0 (to the tolerance); their
  // eigenvectors are any orthonormal completion.
  for (int64_t j = 0; j < r; ++j) {
    const double* w = chol.lt.row(j);
    const double norm2 = dot_f64(w, w, n);
    e.values[static_cast<size_t>(j)] = norm2;
    if (norm2 == 0.0) continue;
    has_direction[static_cast<size_t>(j)] = true;
    const double inv = 1.0 / std::sqrt(norm2);
    for (int64_t i = 0; i < n; ++i) e.vectors(chol.perm[static_cast<size_t>(i)], j) = w[i] * inv;
  }
  sort_descending(e);
  // Sorting moved the columns without a direction (value 0) after the positive ones.
  std::vector<bool> sorted_has(static_cast<size_t>(n), false);
  for (int64_t j = 0; j < n; ++j) {
    double s = 0.0;
    for (int64_t i = 0; i < n; ++i) s += e.vectors(i, j) * e.vectors(i, j);
    sorted_has[static_cast<size_t>(j)] = s > 0.5;
  }
  complete_orthonormal_columns(e.vectors, sorted_has);
  return e;
}

}  // namespace

SymmetricEigen eigen_jacobi(ViewD input, const JacobiOptions& options) {
  check_input(input, options);
  const int64_t n = input.rows;
  Matrix a(n, n);
  double norm2 = 0.0;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j) {
      a(i, j) = 0.5 * (input(i, j) + input(j, i));
      norm2 += a(i, j) * a(i, j);
    }
  SymmetricEigen e;
  if (options.method != JacobiMethod::TwoSided) {
    PivotedCholesky chol = pivoted_cholesky(a);
    if (chol.semidefinite) {
      e = one_sided(std::move(chol), options);
      return e;
    }
    if (options.method == JacobiMethod::OneSided)
      throw Error(
          "eigen_jacobi: JacobiMethod::OneSided needs a positive semidefinite matrix, "
          "but the " +
          shape_string(n, n) + " input is not: " + chol.reason);
  }
  e = two_sided(std::move(a), std::sqrt(norm2), options);
  sort_descending(e);
  return e;
}

std::string to_string(JacobiMethod method) {
  switch (method) {
    case JacobiMethod::Auto:
      return "auto";
    case JacobiMethod::TwoSided:
      return "two-sided";
    case JacobiMethod::OneSided:
      return "one-sided (pivoted Cholesky)";
  }
  return "?";
}

double explained_variance_ratio(const std::vector<double>& values, int64_t k) {
  if (k < 0 || k > static_cast<int64_t>(values.size()))
    throw Error("explained_variance_ratio: k = " + std::to_string(k) + " is outside [0, " +
                std::to_string(values.size()) + "]");
  const double total = std::accumulate(values.begin(), values.end(), 0.0);
  const double top = std::accumulate(values.begin(), values.begin() + k, 0.0);
  return total == 0.0 ? 0.0 : top / total;
}

}  // namespace ae::linalg
