// Power iteration with deflation, and block power (subspace) iteration with Rayleigh-Ritz.
#include "linalg/power_iteration.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "linalg/checks.hpp"
#include "linalg/eigen_jacobi.hpp"
#include "linalg/matmul_f64.hpp"
#include "linalg/orthonormal.hpp"
#include "linalg/random.hpp"
#include "linalg/vector_kernels.hpp"

namespace ae::linalg {

namespace {

void check_arguments(ViewD a, int64_t k, const PowerOptions& options, const char* op) {
  detail::check_symmetric(a, 1e-10, op);
  detail::check_rank(k, a.rows, op, "the matrix is " + shape_string(a.rows, a.cols));
  if (!(options.tolerance > 0.0) || options.max_iterations < 1 || options.oversampling < 0)
    throw Error(std::string(op) +
                ": tolerance must be > 0, max_iterations >= 1 and oversampling >= 0 (got " +
                std::to_string(options.tolerance) + ", " + std::to_string(options.max_iterations) +
                ", " + std::to_string(options.oversampling) + ")");
}

// w = A v
void multiply(ViewD a, const double* v, double* w) {
  for (int64_t i = 0; i < a.rows; ++i) w[i] = dot_f64(a.row(i), v, a.cols);
}

double norm(const std::vector<double>& x) {
  return std::sqrt(dot_f64(x.data(), x.data(), int64_t(x.size())));
}

// x <- x - sum_f (u_f . x) u_f over the rows u_f of `found` (first `count` of them).
void project_out(const Matrix& found, int64_t count, std::vector<double>& x) {
  const int64_t n = static_cast<int64_t>(x.size());
  for (int64_t f = 0; f < count; ++f) {
    const double c = dot_f64(found.row(f), x.data(), n);
    for (int64_t i = 0; i < n; ++i) x[i] -= c * found(f, i);
  }
}

// max_j |A v_j - lambda_j v_j| / scale over the columns of v.
double residual(ViewD a, const std::vector<double>& values, const Matrix& v, double scale) {
  const int64_t n = a.rows, k = v.cols;
  Matrix av(n, k);
  matmul_f64(Trans::No, Trans::No, n, k, n, 1.0, a.data, a.ld, v.data.data(), k, 0.0,
             av.data.data(), k);
  double worst = 0.0;
  for (int64_t j = 0; j < k; ++j) {
    double r = 0.0;
    for (int64_t i = 0; i < n; ++i) {
      const double d = av(i, j) - values[j] * v(i, j);
      r += d * d;
    }
    worst = std::max(worst, std::sqrt(r));
  }
  return scale > 0.0 ? worst / scale : worst;
}

}  // namespace

PowerResult power_iteration(ViewD a, int64_t k, const PowerOptions& options) {
  check_arguments(a, k, options, "power_iteration");
  const int64_t n = a.rows;
  Random rng(options.seed);
  Matrix found(k, n);  // row j: eigenvector j
  PowerResult out;
  out.values.resize(static_cast<size_t>(k));
  out.iterations.assign(static_cast<size_t>(k), 0);
  out.converged = true;
  double scale = 0.0;  // |lambda_1|, the size of A the tolerance is relative to
  std::vector<double> v(static_cast<size_t>(n)), w(v.size());
  for (int64_t j = 0; j < k; ++j) {
    for (double& x : v) x = rng.normal();
    project_out(found, j, v);
    project_out(found, j, v);
    double len = norm(v);
    for (double& x : v) x /= len;
    double lambda = 0.0;
    bool done = false;
    int it = 0;
    while (it < options.max_iterations) {
      ++it;
      multiply(a, v.data(), w.data());
      project_out(found, j, w);  // P A P v, with P v = v
      lambda = dot_f64(v.data(), w.data(), n);
      double r2 = 0.0;
      for (int64_t i = 0; i < n; ++i) r2 += (w[i] - lambda * v[i]) * (w[i] - lambda * v[i]);
      if (std::sqrt(r2) <= options.tolerance * std::max(scale, std::abs(lambda))) {
        done = true;
        break;
      }
      len = norm(w);
      if (len == 0.0) {  // v is in the null space of the deflated matrix: lambda = 0
        done = true;
        break;
      }
      for (int64_t i = 0; i < n; ++i) v[i] = w[i] / len;
      // Rounding lets the found directions creep back in; they would grow again.
      project_out(found, j, v);
      len = norm(v);
      for (double& x : v) x /= len;
    }
    out.iterations[static_cast<size_t>(j)] = it;
    out.converged = out.converged && done;
    out.values[static_cast<size_t>(j)] = lambda;
    std::copy(v.begin(), v.end(), found.row(j));
    if (j == 0) scale = std::abs(lambda);
  }
  // Deflation finds them in decreasing magnitude unless some pair did not converge.
  std::vector<int64_t> order(static_cast<size_t>(k));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t x, int64_t y) {
    return std::abs(out.values[x]) > std::abs(out.values[y]);
  });
  std::vector<double> values(static_cast<size_t>(k));
  std::vector<int> iterations(static_cast<size_t>(k));
  out.vectors = Matrix(n, k);
  for (int64_t j = 0; j < k; ++j) {
    const int64_t src = order[static_cast<size_t>(j)];
    values[j] = out.values[src];
    iterations[j] = out.iterations[src];
    for (int64_t i = 0; i < n; ++i) out.vectors(i, j) = found(src, i);
  }
  out.values = std::move(values);
  out.iterations = std::move(iterations);
  out.residual = residual(a, out.values, out.vectors, std::abs(out.values[0]));
  return out;
}

PowerResult block_power_iteration(ViewD a, int64_t k, const PowerOptions& options) {
  check_arguments(a, k, options, "block_power_iteration");
  const int64_t n = a.rows;
  const int64_t l = std::min(n, k + options.oversampling);
  Random rng(options.seed);
  Matrix q(n, l);
  for (double& x : q.data) x = rng.normal();
  orthonormalize_columns(q);

  PowerResult out;
  Matrix z(n, l), x(n, l), ax(n, l), h(l, l);
  std::vector<double> theta(static_cast<size_t>(l));
  JacobiOptions small;
  small.method = JacobiMethod::TwoSided;
  int it = 0;
  double worst = 0.0;
  while (it < options.max_iterations) {
    ++it;
    matmul_f64(Trans::No, Trans::No, n, l, n, 1.0, a.data, a.ld, q.data.data(), l, 0.0,
               z.data.data(), l);  // Z = A Q
    matmul_f64(Trans::Yes, Trans::No, l, l, n, 1.0, q.data.data(), l, z.data.data(), l, 0.0,
               h.data.data(), l);  // H = Q^T A Q
    for (int64_t i = 0; i < l; ++i)
      for (int64_t j = i + 1; j < l; ++j) h(i, j) = h(j, i) = 0.5 * (h(i, j) + h(j, i));
    const SymmetricEigen ritz = eigen_jacobi(h, small);
    // Ritz pairs by decreasing magnitude: (theta_j, Q w_j), with A Q w_j = Z w_j.
    std::vector<int64_t> order(static_cast<size_t>(l));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t p, int64_t r) {
      return std::abs(ritz.values[p]) > std::abs(ritz.values[r]);
    });
    Matrix w(l, l);
    for (int64_t j = 0; j < l; ++j) {
      theta[j] = ritz.values[order[j]];
      for (int64_t i = 0; i < l; ++i) w(i, j) = ritz.vectors(i, order[j]);
    }
    matmul_f64(Trans::No, Trans::No, n, l, l, 1.0, q.data.data(), l, w.data.data(), l, 0.0,
               x.data.data(), l);
    matmul_f64(Trans::No, Trans::No, n, l, l, 1.0, z.data.data(), l, w.data.data(), l, 0.0,
               ax.data.data(), l);
    worst = 0.0;
    for (int64_t j = 0; j < k; ++j) {
      double r2 = 0.0;
      for (int64_t i = 0; i < n; ++i) {
        const double d = ax(i, j) - theta[j] * x(i, j);
        r2 += d * d;
      }
      worst = std::max(worst, std::sqrt(r2));
    }
    const double scale = std::abs(theta[0]);
    worst = scale > 0.0 ? worst / scale : worst;
    if (worst <= options.tolerance) {
      out.converged = true;
      break;
    }
    q = ax;  // the next subspace: A applied to the Ritz vectors
    orthonormalize_columns(q);
  }
  out.values.assign(theta.begin(), theta.begin() + k);
  out.vectors = Matrix(n, k);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < k; ++j) out.vectors(i, j) = x(i, j);
  out.iterations = {it};
  out.residual = worst;
  return out;
}

}  // namespace ae::linalg
