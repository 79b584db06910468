// One-sided (Hestenes) Jacobi SVD.
#include "linalg/svd_jacobi.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <numeric>

#include <omp.h>

#include "linalg/checks.hpp"
#include "linalg/error.hpp"
#include "linalg/jacobi_rotation.hpp"
#include "linalg/orthonormal.hpp"
#include "linalg/vector_kernels.hpp"

namespace ae::linalg {

namespace detail {

namespace {

struct Columns {
  double* g;
  int64_t m, ldg;
  double* vt;  // may be null: no accumulation of V
  int64_t nv, ldv;
  double* norm2;
  double tolerance;
};

// Orthogonalises columns p and q if their cosine exceeds the tolerance. Returns the cosine
// and adds their inner product squared to off2.
double rotate_pair(const Columns& c, int64_t p, int64_t q, int64_t& rotated, double& off2) {
  const double alpha = c.norm2[p], beta = c.norm2[q];
  if (alpha == 0.0 || beta == 0.0) return 0.0;
  double* gp = c.g + p * c.ldg;
  double* gq = c.g + q * c.ldg;
  const double gamma = dot_f64(gp, gq, c.m);
  off2 += 2.0 * gamma * gamma;
  const double cosine = std::abs(gamma) / std::sqrt(alpha * beta);
  if (!(cosine > c.tolerance)) return cosine;
  const Rotation r = jacobi_rotation(alpha, beta, gamma);
  rotate_f64(gp, gq, c.m, r.c, r.s);
  if (c.vt != nullptr) rotate_f64(c.vt + p * c.ldv, c.vt + q * c.ldv, c.nv, r.c, r.s);
  // The rotated Gram diagonal: a' = a - t g, b' = b + t g. When a' is much smaller than a
  // it was computed by cancellation, so measure it again.
  const double new_alpha = alpha - r.t * gamma, new_beta = beta + r.t * gamma;
  c.norm2[p] = new_alpha < 0.1 * alpha ? dot_f64(gp, gp, c.m) : new_alpha;
  c.norm2[q] = new_beta < 0.1 * beta ? dot_f64(gq, gq, c.m) : new_beta;
  ++rotated;
  return cosine;
}

// de Rijk's pivoting: order the columns by decreasing norm at the start of each sweep, so
// that each sweep meets the big columns first; on the Fashion-MNIST covariance's Cholesky
// factor it saved 5-12% of the rotations. The order of the columns is free to change: the
// callers read the singular values off the final columns and sort them anyway.
void sort_by_norm(double* g, int64_t ldg, int64_t m, double* vt, int64_t ldv, int64_t n,
                  std::vector<double>& norm2) {
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t a, int64_t b) { return norm2[a] > norm2[b]; });
  auto permute_rows = [&](double* rows, int64_t ld, int64_t len) {
    std::vector<double> copy(static_cast<size_t>(n * len));
    for (int64_t j = 0; j < n; ++j) std::copy_n(rows + order[j] * ld, len, copy.data() + j * len);
    for (int64_t j = 0; j < n; ++j) std::copy_n(copy.data() + j * len, len, rows + j * ld);
  };
  permute_rows(g, ldg, m);
  if (vt != nullptr) permute_rows(vt, ldv, n);
  std::vector<double> sorted(static_cast<size_t>(n));
  for (int64_t j = 0; j < n; ++j) sorted[j] = norm2[order[j]];
  std::copy(sorted.begin(), sorted.end(), norm2.begin());  // in place: others hold norm2.data()
}

}  // namespace

OneSidedStats one_sided_jacobi(double* g, int64_t n, int64_t m, int64_t ldg, double* vt,
                               int64_t ldv, double tolerance, int max_sweeps) {
  OneSidedStats stats;
  std::vector<double> norm2(static_cast<size_t>(n));
  const Columns cols{g, m, ldg, vt, n, ldv, norm2.data(), tolerance};
  // The sweep order: the columns are cut into 2T blocks for T threads. A sweep first rotates
  // the pairs inside each block, then, round by round of a tournament (block 0 stays, the
  // others move one seat per round), the pairs between two blocks: 2T - 1 rounds of T
  // disjoint block pairs, one per thread. So the threads meet only 2T + 1 times a sweep;
  // on a machine shared with other jobs every meeting can cost a scheduler time slice.
  // Inside a block (pair) the pairs are visited tile by tile, 2 x `tile` columns at a time,
  // so that the columns being rotated (and their rows of V^T) stay in the L2 cache.
  const int64_t row_bytes = 8 * (m + (vt != nullptr ? n : 0));
  const int64_t tile = std::clamp<int64_t>((256 << 10) / std::max<int64_t>(row_bytes, 1), 1, 32);
  // Threads only when a sweep holds several milliseconds of rotations.
  const int threads = double(n) * double(n) * double(m) > 5e7 && !omp_in_parallel()
                          ? std::max(1, omp_get_max_threads())
                          : 1;
  const int64_t n_blocks = std::max<int64_t>(1, std::min<int64_t>(n, 2 * threads));
  const int64_t seats = n_blocks + n_blocks % 2;  // odd: a phantom block sits each round out
  auto block_at_seat = [&](int64_t seat, int64_t round) {
    return seat == 0 ? 0 : 1 + (seat - 1 + round) % (seats - 1);
  };
  auto begin_of = [&](int64_t b) { return b * n / n_blocks; };
  // Every pair p < q with p in [p0, p1) and q in [q0, q1): a block with itself when
  // q0 == p0, two blocks when q0 >= p1.
  auto rotate_all = [&](int64_t p0, int64_t p1, int64_t q0, int64_t q1, int64_t& rotated,
                        double& off2, double& max_cosine) {
    for (int64_t tp = p0; tp < p1; tp += tile)
      for (int64_t tq = q0 == p0 ? tp : q0; tq < q1; tq += tile)
        for (int64_t p = tp; p < std::min(p1, tp + tile); ++p)
          for (int64_t q = std::max(tq, p + 1); q < std::min(q1, tq + tile); ++q)
            max_cosine = std::max(max_cosine, rotate_pair(cols, p, q, rotated, off2));
  };

  while (stats.sweeps < max_sweeps) {
    ++stats.sweeps;
    double max_cosine = 0.0, off2 = 0.0;
    int64_t rotated = 0;
#pragma omp parallel num_threads(threads) reduction(+ : rotated, off2) reduction(max : max_cosine)
    {
      // Squared column norms, fresh each sweep; within it the rotations update them.
#pragma omp for schedule(static)
      for (int64_t j = 0; j < n; ++j) norm2[j] = dot_f64(g + j * ldg, g + j * ldg, m);
#pragma omp single
      sort_by_norm(g, ldg, m, vt, ldv, n, norm2);
#pragma omp for schedule(static)
      for (int64_t b = 0; b < n_blocks; ++b)
        rotate_all(begin_of(b), begin_of(b + 1), begin_of(b), begin_of(b + 1), rotated, off2,
                   max_cosine);
      for (int64_t round = 0; round + 1 < seats; ++round) {
#pragma omp for schedule(static)
        for (int64_t pair = 0; pair < seats / 2; ++pair) {
          int64_t b1 = block_at_seat(pair, round), b2 = block_at_seat(seats - 1 - pair, round);
          if (b1 >= n_blocks || b2 >= n_blocks) continue;
          if (b1 > b2) std::swap(b1, b2);
          rotate_all(begin_of(b1), begin_of(b1 + 1), begin_of(b2), begin_of(b2 + 1), rotated,
                     off2, max_cosine);
        }
      }
    }
    stats.rotations += rotated;
    stats.max_cosine = max_cosine;
    stats.off_norm = std::sqrt(off2);
    if (rotated == 0) {
      stats.quiet = true;
      break;
    }
  }
  return stats;
}

}  // namespace detail

namespace {

void check_svd_input(ViewD a, const SvdOptions& options) {
  if (!(options.tolerance >= 0.0) || options.max_sweeps < 1)
    throw Error("svd_jacobi: tolerance must be >= 0 and max_sweeps >= 1 (got tolerance " +
                std::to_string(options.tolerance) + ", max_sweeps " +
                std::to_string(options.max_sweeps) + ")");
  detail::check_finite(a, "svd_jacobi");
}

// The SVD of a tall matrix given as its transpose g (n rows of length m, m >= n).
Svd svd_of_columns(Matrix g, const SvdOptions& options) {
  const int64_t n = g.rows, m = g.cols;
  Matrix vt = Matrix::identity(n);
  const double tolerance =
      options.tolerance > 0.0 ? options.tolerance : std::sqrt(double(m)) * DBL_EPSILON;
  const detail::OneSidedStats stats = detail::one_sided_jacobi(
      g.data.data(), n, m, m, vt.data.data(), n, tolerance, options.max_sweeps);

  std::vector<double> sigma(static_cast<size_t>(n));
  for (int64_t j = 0; j < n; ++j) {
    double s = 0.0;
    for (int64_t k = 0; k < m; ++k) s += g(j, k) * g(j, k);
    sigma[j] = std::sqrt(s);
  }
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t x, int64_t y) { return sigma[x] > sigma[y]; });

  Svd out;
  out.u = Matrix(m, n);
  out.v = Matrix(n, n);
  out.sigma.resize(static_cast<size_t>(n));
  // A column whose norm is at rounding level of the largest carries no direction; its u
  // is chosen orthogonal to the others instead.
  const double negligible = sigma.empty() ? 0.0 : sigma[order[0]] * 1e-300;
  std::vector<bool> has_direction(static_cast<size_t>(n));
  for (int64_t j = 0; j < n; ++j) {
    const int64_t src = order[static_cast<size_t>(j)];
    out.sigma[static_cast<size_t>(j)] = sigma[src];
    has_direction[static_cast<size_t>(j)] = sigma[src] > negligible && sigma[src] > 0.0;
    for (int64_t k = 0; k < m; ++k)
      out.u(k, j) = has_direction[static_cast<size_t>(j)] ? g(src, k) / sigma[src] : 0.0;
    for (int64_t k = 0; k < n; ++k) out.v(k, j) = vt(src, k);
  }
  complete_orthonormal_columns(out.u, has_direction);
  out.sweeps = stats.sweeps;
  out.rotations = stats.rotations;
  out.off_norm = stats.max_cosine;
  out.converged = stats.quiet;
  return out;
}

}  // namespace

Svd svd_jacobi(ViewD a, const SvdOptions& options) {
  check_svd_input(a, options);
  if (a.rows >= a.cols) {
    // Columns of A as rows of g.
    Matrix g(a.cols, a.rows);
    for (int64_t i = 0; i < a.rows; ++i)
      for (int64_t j = 0; j < a.cols; ++j) g(j, i) = a(i, j);
    return svd_of_columns(std::move(g), options);
  }
  // Wide: A^T = U' S V'^T is tall, and A = V' S U'^T. The columns of A^T are A's rows.
  Matrix g(a.rows, a.cols);
  for (int64_t i = 0; i < a.rows; ++i)
    for (int64_t j = 0; j < a.cols; ++j) g(i, j) = a(i, j);
  Svd t = svd_of_columns(std::move(g), options);
  std::swap(t.u, t.v);
  return t;
}

}  // namespace ae::linalg
