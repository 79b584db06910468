#include "linalg/eigen_symmetric_qr.hpp"

#include <omp.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "linalg/checks.hpp"
#include "linalg/error.hpp"
#include "linalg/matmul_f64.hpp"
#include "linalg/vector_kernels.hpp"

namespace ae::linalg {

namespace {

constexpr int64_t kDefaultBlock = 32;

// The reduction's output: T's diagonal d and subdiagonal e, and the reflectors: row c of
// `v` holds v_c (v_c[c + 1] = 1, zero up to c), tau[c] its factor.
struct Tridiagonal {
  std::vector<double> d, e, tau;
  Matrix v;
};

// y[r] = sum_j a(r, j) x[j] for r, j in [lo, n): the trailing block of the full symmetric
// matrix, row by row (contiguous), on the OpenMP threads when it is large.
void trailing_matvec(const Matrix& a, int64_t lo, const double* x, double* y) {
  const int64_t n = a.rows, m = n - lo;
  const int threads = m >= 384 && !omp_in_parallel() ? omp_get_max_threads() : 1;
#pragma omp parallel for schedule(static) num_threads(threads)
  for (int64_t r = lo; r < n; ++r) y[r] = dot_f64(a.row(r) + lo, x + lo, m);
}

// A = Q T Q^T by Householder reflectors, `nb` columns per panel (see the header). `a` is the
// full symmetric matrix; its trailing block is overwritten.
Tridiagonal tridiagonalise(Matrix& a, int64_t nb) {
  const int64_t n = a.rows;
  Tridiagonal t;
  t.d.assign(static_cast<size_t>(n), 0.0);
  t.e.assign(static_cast<size_t>(std::max<int64_t>(n - 1, 0)), 0.0);
  t.tau.assign(static_cast<size_t>(n), 0.0);
  t.v = Matrix(n, n);
  std::vector<double> col(static_cast<size_t>(n)), y(static_cast<size_t>(n));
  std::vector<double> p(static_cast<size_t>(nb)), q(static_cast<size_t>(nb));
  std::vector<double> vw, wv;
  // Reflectors c = 0 .. n - 2 (the last one is the identity: nothing below the subdiagonal).
  for (int64_t k0 = 0; k0 < n - 1; k0 += nb) {
    const int64_t b = std::min(nb, n - 1 - k0), m = n - k0;
    // V and W of the panel, m x b, row r is global row k0 + r.
    std::vector<double> V(static_cast<size_t>(m * b), 0.0), W(static_cast<size_t>(m * b), 0.0);
    auto Vat = [&](int64_t g, int64_t j) -> double& { return V[static_cast<size_t>((g - k0) * b + j)]; };
    auto Wat = [&](int64_t g, int64_t j) -> double& { return W[static_cast<size_t>((g - k0) * b + j)]; };
    for (int64_t i = 0; i < b; ++i) {
      const int64_t c = k0 + i;
      // Column c of the current matrix A - V W^T - W V^T, rows c .. n - 1.
      for (int64_t g = c; g < n; ++g) {
        double s = a(g, c);
        for (int64_t j = 0; j < i; ++j) s -= Vat(g, j) * Wat(c, j) + Wat(g, j) * Vat(c, j);
        col[static_cast<size_t>(g)] = s;
      }
      t.d[static_cast<size_t>(c)] = col[static_cast<size_t>(c)];
      // The reflector taking col[c + 1 .. n - 1] to beta e_1 (LAPACK's dlarfg).
      const double alpha = col[static_cast<size_t>(c + 1)];
      double xnorm2 = 0.0;
      for (int64_t g = c + 2; g < n; ++g) xnorm2 += col[static_cast<size_t>(g)] * col[static_cast<size_t>(g)];
      double* v = t.v.row(c);
      v[c + 1] = 1.0;
      if (xnorm2 == 0.0) {
        t.e[static_cast<size_t>(c)] = alpha;  // already reduced: H_c = I
        continue;                              // tau = 0, V and W columns stay zero
      }
      const double beta = -std::copysign(std::sqrt(alpha * alpha + xnorm2), alpha);
      const double tau = (beta - alpha) / beta;
      const double scale = 1.0 / (alpha - beta);
      for (int64_t g = c + 2; g < n; ++g) v[g] = col[static_cast<size_t>(g)] * scale;
      t.e[static_cast<size_t>(c)] = beta;
      t.tau[static_cast<size_t>(c)] = tau;
      for (int64_t g = c + 1; g < n; ++g) Vat(g, i) = v[g];
      // w = tau (A - V W^T - W V^T) v - (tau^2 / 2)(v^T (...) v) v on rows c + 1 .. n - 1,
      // so that H A H = A - v w^T - w v^T.
      trailing_matvec(a, c + 1, v, y.data());
      for (int64_t j = 0; j < i; ++j) {
        double pj = 0.0, qj = 0.0;
        for (int64_t g = c + 1; g < n; ++g) {
          pj += Wat(g, j) * v[g];
          qj += Vat(g, j) * v[g];
        }
        p[static_cast<size_t>(j)] = pj;
        q[static_cast<size_t>(j)] = qj;
      }
      double yv = 0.0;
      for (int64_t g = c + 1; g < n; ++g) {
        double s = y[static_cast<size_t>(g)];
        for (int64_t j = 0; j < i; ++j)
          s -= Vat(g, j) * p[static_cast<size_t>(j)] + Wat(g, j) * q[static_cast<size_t>(j)];
        s *= tau;
        y[static_cast<size_t>(g)] = s;
        yv += s * v[g];
      }
      const double shift = -0.5 * tau * yv;
      for (int64_t g = c + 1; g < n; ++g) Wat(g, i) = y[static_cast<size_t>(g)] + shift * v[g];
    }
    // The trailing matrix, rows and columns t0 .. n - 1: A -= [V W] [W V]^T.
    const int64_t t0 = k0 + b, mt = n - t0;
    if (mt <= 0) continue;
    vw.assign(static_cast<size_t>(mt * 2 * b), 0.0);
    wv.assign(static_cast<size_t>(mt * 2 * b), 0.0);
    for (int64_t r = 0; r < mt; ++r)
      for (int64_t j = 0; j < b; ++j) {
        const double vv = Vat(t0 + r, j), ww = Wat(t0 + r, j);
        vw[static_cast<size_t>(r * 2 * b + j)] = vv;
        vw[static_cast<size_t>(r * 2 * b + b + j)] = ww;
        wv[static_cast<size_t>(r * 2 * b + j)] = ww;
        wv[static_cast<size_t>(r * 2 * b + b + j)] = vv;
      }
    matmul_f64(Trans::No, Trans::Yes, mt, mt, 2 * b, -1.0, vw.data(), 2 * b, wv.data(), 2 * b, 1.0,
               a.row(t0) + t0, n);
  }
  if (n >= 1) t.d[static_cast<size_t>(n - 1)] = a(n - 1, n - 1);
  return t;
}

// Q = H_0 H_1 ... H_{n-2}, panels of nb reflectors from the last to the first: when panel
// [j1, j2) is applied, Q differs from I only in rows and columns > j2, so the panel's block
// reflector I - V T V^T only touches Q's rows and columns j1 + 1 .. n - 1.
Matrix form_q(const Tridiagonal& t, int64_t nb) {
  const int64_t n = t.v.rows;
  Matrix q = Matrix::identity(n);
  const int64_t reflectors = std::max<int64_t>(n - 1, 0);
  const int64_t panels = (reflectors + nb - 1) / nb;
  std::vector<double> V, T, Y;
  for (int64_t pnl = panels - 1; pnl >= 0; --pnl) {
    const int64_t j1 = pnl * nb, b = std::min(nb, reflectors - j1);
    const int64_t s = j1 + 1, m = n - s;
    if (m <= 0) continue;
    // V (m x b): column i is v_{j1+i} on rows s .. n - 1 (unit at local row i, zero above).
    V.assign(static_cast<size_t>(m * b), 0.0);
    for (int64_t i = 0; i < b; ++i) {
      const double* v = t.v.row(j1 + i);
      for (int64_t r = i; r < m; ++r) V[static_cast<size_t>(r * b + i)] = v[s + r];
    }
    // T (b x b, upper): T(i, i) = tau_i, T(0:i, i) = -tau_i T(0:i, 0:i) V(:, 0:i)^T v_i.
    T.assign(static_cast<size_t>(b * b), 0.0);
    std::vector<double> z(static_cast<size_t>(b));
    for (int64_t i = 0; i < b; ++i) {
      const double tau = t.tau[static_cast<size_t>(j1 + i)];
      T[static_cast<size_t>(i * b + i)] = tau;
      for (int64_t l = 0; l < i; ++l) {
        double dot = 0.0;
        for (int64_t r = i; r < m; ++r)
          dot += V[static_cast<size_t>(r * b + l)] * V[static_cast<size_t>(r * b + i)];
        z[static_cast<size_t>(l)] = dot;
      }
      for (int64_t j = 0; j < i; ++j) {
        double sum = 0.0;
        for (int64_t l = j; l < i; ++l) sum += T[static_cast<size_t>(j * b + l)] * z[static_cast<size_t>(l)];
        T[static_cast<size_t>(j * b + i)] = -tau * sum;
      }
    }
    // Q_s <- Q_s - V (T (V^T Q_s)), Q_s = Q(s:, s:).
    double* qs = q.row(s) + s;
    Y.assign(static_cast<size_t>(b * m), 0.0);
    matmul_f64(Trans::Yes, Trans::No, b, m, m, 1.0, V.data(), b, qs, n, 0.0, Y.data(), m);
    for (int64_t i = 0; i < b; ++i) {  // Y <- T Y, row i uses rows i.. (not yet overwritten)
      double* yi = Y.data() + i * m;
      const double tii = T[static_cast<size_t>(i * b + i)];
      for (int64_t c = 0; c < m; ++c) yi[c] *= tii;
      for (int64_t j = i + 1; j < b; ++j) {
        const double tij = T[static_cast<size_t>(i * b + j)];
        if (tij == 0.0) continue;
        const double* yj = Y.data() + j * m;
        for (int64_t c = 0; c < m; ++c) yi[c] += tij * yj[c];
      }
    }
    matmul_f64(Trans::No, Trans::No, m, m, b, -1.0, V.data(), b, Y.data(), m, 1.0, qs, n);
  }
  return q;
}

struct QrStats {
  int steps = 0;
  int64_t rotations = 0;
  double neglected2 = 0.0;  // sum of the squares of the off-diagonal elements set to zero
  bool converged = true;
};

// The rotations of the QR steps, in order: step i rotated rows first[i] .. first[i] +
// count[i] of Q^T with the cosines and sines c[offset[i] ..], s[offset[i] ..].
struct RotationLog {
  std::vector<int64_t> first, count, offset;
  std::vector<double> c, s;
};

// Implicit symmetric QR with the Wilkinson shift on the tridiagonal (d, e). Every rotation
// G (T <- G T G^T) is logged, to be applied to Q^T as G Q^T afterwards (apply_rotations).
QrStats tridiagonal_qr(std::vector<double>& d, std::vector<double>& e, RotationLog& log,
                       int max_steps) {
  const int64_t n = static_cast<int64_t>(d.size());
  QrStats st;
  auto negligible = [&](int64_t i) {  // e_i against its neighbours on the diagonal
    return std::abs(e[i]) <= DBL_EPSILON * (std::abs(d[i]) + std::abs(d[i + 1]));
  };
  int64_t u = n - 1;
  while (u > 0) {
    if (negligible(u - 1)) {
      st.neglected2 += e[u - 1] * e[u - 1];
      e[u - 1] = 0.0;
      --u;
      continue;
    }
    int64_t l = u - 1;
    while (l > 0 && !negligible(l - 1)) --l;
    if (l > 0) {
      st.neglected2 += e[l - 1] * e[l - 1];
      e[l - 1] = 0.0;
    }
    if (st.steps >= max_steps) {
      st.converged = false;
      break;
    }
    ++st.steps;
    log.first.push_back(l);
    log.count.push_back(u - l);
    log.offset.push_back(static_cast<int64_t>(log.c.size()));
    // Wilkinson shift: the eigenvalue of the trailing 2 x 2 block nearer d_u.
    const double delta = 0.5 * (d[u - 1] - d[u]), eu = e[u - 1];
    const double denom = delta + std::copysign(std::hypot(delta, eu), delta);
    const double mu = d[u] - eu * (eu / denom);
    // Chase the bulge: rotation k acts on rows and columns k, k + 1.
    double x = d[l] - mu, z = e[l];
    for (int64_t k = l; k < u; ++k) {
      const double r = std::hypot(x, z);
      const double c = r == 0.0 ? 1.0 : x / r, s = r == 0.0 ? 0.0 : z / r;
      if (k > l) e[k - 1] = r;  // the bulge folded back into the subdiagonal
      const double a = d[k], bk = e[k], cc = d[k + 1];
      // T <- G T G^T, G = [c s; -s c] on (k, k + 1).
      const double cs2 = 2.0 * c * s * bk;
      d[k] = c * c * a + cs2 + s * s * cc;
      d[k + 1] = s * s * a - cs2 + c * c * cc;
      e[k] = c * s * (cc - a) + (c * c - s * s) * bk;
      if (k + 1 < u) {
        z = s * e[k + 1];  // the new bulge, at (k + 2, k)
        e[k + 1] *= c;
        x = e[k];
      }
      // Row k of Q^T <- c row_k + s row_k+1: rotate_f64's convention with sine -s.
      log.c.push_back(c);
      log.s.push_back(-s);
    }
    st.rotations += u - l;
  }
  return st;
}

// Q^T <- G_last ... G_1 Q^T. The columns of Q^T are independent, so the log is replayed
// on one strip of kStrip columns at a time: the strip (n x 32 doubles, 200 KB for n = 784)
// stays in the core's L2 cache for all the steps, where one step at a time over whole rows
// would stream Q^T from L3 once per step. The strips are shared among the threads in one
// parallel region, with no meeting in between.
void apply_rotations(Matrix& qt, const RotationLog& log) {
  constexpr int64_t kStrip = 32;
  const int64_t n = qt.cols, strips = (n + kStrip - 1) / kStrip;
  const double work = double(log.c.size()) * double(n);
  const int threads = work > 1e6 && !omp_in_parallel()
                          ? static_cast<int>(std::min<int64_t>(omp_get_max_threads(), strips))
                          : 1;
#pragma omp parallel num_threads(threads)
  {
    // The strip is copied to a dense n x kStrip block first: its rows are then 256 bytes
    // apart instead of n * 8, so walking down them stays within a few pages and the
    // hardware prefetcher follows.
    std::vector<double> block(static_cast<size_t>(qt.rows * kStrip));
#pragma omp for schedule(static)
    for (int64_t strip = 0; strip < strips; ++strip) {
      const int64_t j0 = strip * kStrip, width = std::min(kStrip, n - j0);
      for (int64_t r = 0; r < qt.rows; ++r)
        std::copy_n(qt.row(r) + j0, width, block.data() + r * kStrip);
      for (size_t i = 0; i < log.first.size(); ++i)
        rotate_rows_f64(block.data() + log.first[i] * kStrip, kStrip, width, log.count[i],
                        log.c.data() + log.offset[i], log.s.data() + log.offset[i]);
      for (int64_t r = 0; r < qt.rows; ++r)
        std::copy_n(block.data() + r * kStrip, width, qt.row(r) + j0);
    }
  }
}

}  // namespace

SymmetricEigen eigen_symmetric_qr(ViewD input, const SymmetricQrOptions& options) {
  detail::check_symmetric(input, options.symmetry_tolerance, "eigen_symmetric_qr");
  if (options.block_size < 0 || options.max_steps_per_value < 1)
    throw Error("eigen_symmetric_qr: block_size must be >= 0 and max_steps_per_value >= 1 (got " +
                std::to_string(options.block_size) + ", " +
                std::to_string(options.max_steps_per_value) + ")");
  const int64_t n = input.rows;
  const int64_t nb = options.block_size > 0 ? options.block_size : kDefaultBlock;
  Matrix a(n, n);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j) a(i, j) = 0.5 * (input(i, j) + input(j, i));

  Tridiagonal t = tridiagonalise(a, nb);
  RotationLog log;
  const QrStats st =
      tridiagonal_qr(t.d, t.e, log, static_cast<int>(std::min<int64_t>(
                                        int64_t{options.max_steps_per_value} * std::max<int64_t>(n, 1),
                                        int64_t{1} << 30)));
  Matrix qt = form_q(t, nb).transposed();
  apply_rotations(qt, log);

  SymmetricEigen out;
  out.method = JacobiMethod::TwoSided;
  out.rank = n;
  out.sweeps = st.steps;
  out.rotations = st.rotations;
  double off2 = st.neglected2;
  for (double v : t.e) off2 += v * v;  // what is left if the iteration stopped early
  out.off_norm = std::sqrt(off2);
  out.converged = st.converged;
  // Largest first; column j of the result is row order[j] of Q^T.
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t x, int64_t y) { return t.d[x] > t.d[y]; });
  out.values.resize(static_cast<size_t>(n));
  out.vectors = Matrix(n, n);
  for (int64_t j = 0; j < n; ++j) {
    const int64_t src = order[static_cast<size_t>(j)];
    out.values[static_cast<size_t>(j)] = t.d[static_cast<size_t>(src)];
    const double* row = qt.row(src);
    for (int64_t i = 0; i < n; ++i) out.vectors(i, j) = row[i];
  }
  return out;
}

}  // namespace ae::linalg
