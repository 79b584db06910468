// Randomized SVD: range finder with power iterations, then a small one-sided Jacobi SVD.
#include "linalg/randomized_svd.hpp"

#include <algorithm>
#include <cmath>

#include "linalg/checks.hpp"
#include "linalg/eigen_jacobi.hpp"
#include "linalg/gemm.hpp"
#include "linalg/matmul_f64.hpp"
#include "linalg/orthonormal.hpp"
#include "linalg/random.hpp"

namespace ae::linalg {

namespace {

// out = op(X) q for the m x n data X: q has n rows (Trans::No, out is m x l) or m rows
// (Trans::Yes, out is n x l); out has row stride ldo. Float data multiply in float on gemm
// (the float copies of q and of the product live in `scratch`, reused from call to call);
// q and out are double.
struct Scratch {
  std::vector<float> q, y;
};

void times_into(ViewF x, ViewD q, Trans t, double* out, int64_t ldo, Scratch& scratch) {
  const int64_t l = q.cols, out_rows = t == Trans::No ? x.rows : x.cols;
  const int64_t depth = t == Trans::No ? x.cols : x.rows;
  scratch.q.resize(static_cast<size_t>(depth * l));
  for (int64_t i = 0; i < depth; ++i)
    for (int64_t j = 0; j < l; ++j) scratch.q[i * l + j] = static_cast<float>(q(i, j));
  scratch.y.resize(static_cast<size_t>(out_rows * l));
  gemm(t, Trans::No, out_rows, l, depth, 1.0f, x.data, x.ld, scratch.q.data(), l, 0.0f,
       scratch.y.data(), l);
  for (int64_t i = 0; i < out_rows; ++i)
    for (int64_t j = 0; j < l; ++j) out[i * ldo + j] = scratch.y[i * l + j];
}

void times_into(ViewD x, ViewD q, Trans t, double* out, int64_t ldo, Scratch&) {
  const int64_t l = q.cols, out_rows = t == Trans::No ? x.rows : x.cols;
  const int64_t depth = t == Trans::No ? x.cols : x.rows;
  matmul_f64(t, Trans::No, out_rows, l, depth, 1.0, x.data, x.ld, q.data, q.ld, 0.0, out, ldo);
}

template <class T>
Matrix times(View<const T> x, ViewD q, Trans t, Scratch& scratch) {
  Matrix out(t == Trans::No ? x.rows : x.cols, q.cols);
  times_into(x, q, t, out.data.data(), out.cols, scratch);
  return out;
}

// z <- z - basis (basis^T z): the part of z's columns orthogonal to span(basis).
void project_out_columns(const Matrix& basis, Matrix& z) {
  if (basis.cols == 0) return;
  const int64_t n = z.rows, l = z.cols, c = basis.cols;
  Matrix coef(c, l);
  matmul_f64(Trans::Yes, Trans::No, c, l, n, 1.0, basis.data.data(), c, z.data.data(), l, 0.0,
             coef.data.data(), l);
  matmul_f64(Trans::No, Trans::No, n, l, c, -1.0, basis.data.data(), c, coef.data.data(), l, 1.0,
             z.data.data(), l);
}

Matrix first_columns(const Matrix& a, int64_t cols) {
  Matrix out(a.rows, cols);
  for (int64_t i = 0; i < a.rows; ++i) std::copy_n(a.row(i), cols, out.row(i));
  return out;
}

Matrix append_columns(const Matrix& a, const Matrix& b) {
  Matrix out(a.rows, a.cols + b.cols);
  for (int64_t i = 0; i < a.rows; ++i) {
    std::copy_n(a.row(i), a.cols, out.row(i));
    std::copy_n(b.row(i), b.cols, out.row(i) + a.cols);
  }
  return out;
}

// The columns of z (orthonormal) that are orthogonal to span(basis) up to `tolerance`.
// When a new block lies inside the kept span — X's row space is already captured, as for a
// matrix of rank below the basis size — orthonormalize_columns returns arbitrary
// completions for its vanished columns, which need not be orthogonal to the basis.
Matrix columns_orthogonal_to(const Matrix& basis, const Matrix& z, double tolerance) {
  if (basis.cols == 0) return z;
  const int64_t n = z.rows, l = z.cols, c = basis.cols;
  Matrix coef(c, l);
  matmul_f64(Trans::Yes, Trans::No, c, l, n, 1.0, basis.data.data(), c, z.data.data(), l, 0.0,
             coef.data.data(), l);
  std::vector<int64_t> keep;
  for (int64_t j = 0; j < l; ++j) {
    double worst = 0.0;
    for (int64_t i = 0; i < c; ++i) worst = std::max(worst, std::abs(coef(i, j)));
    if (worst <= tolerance) keep.push_back(j);
  }
  Matrix out(n, static_cast<int64_t>(keep.size()));
  for (int64_t i = 0; i < n; ++i)
    for (size_t j = 0; j < keep.size(); ++j) out(i, static_cast<int64_t>(j)) = z(i, keep[j]);
  return out;
}

template <class T>
double frobenius_norm2(View<const T> x) {
  double s = 0.0;
#pragma omp parallel for reduction(+ : s) if (x.rows * x.cols > 1000000)
  for (int64_t i = 0; i < x.rows; ++i) {
    const T* row = x.row(i);
    double r = 0.0;
    for (int64_t j = 0; j < x.cols; ++j) r += double(row[j]) * double(row[j]);
    s += r;
  }
  return s;
}

template <class T>
RandomizedSvd randomized(View<const T> x, int64_t k, const RandomizedSvdOptions& options) {
  const int64_t m = x.rows, n = x.cols;
  detail::check_rank(k, std::min(m, n), "randomized_svd", "the matrix is " + shape_string(m, n));
  if (options.oversampling < 0 || options.power_iterations < 0)
    throw Error("randomized_svd: oversampling and power_iterations must be >= 0 (got " +
                std::to_string(options.oversampling) + ", " +
                std::to_string(options.power_iterations) + ")");
  RandomizedSvd out;
  out.frobenius_norm2 = frobenius_norm2(x);
  // One pass finds both the norm and, if it is not finite, the element to blame.
  if (!std::isfinite(out.frobenius_norm2)) detail::check_finite(x, "randomized_svd");

  const int64_t l = std::min(std::min(m, n), k + options.oversampling);
  Random rng(options.seed);
  Matrix w(n, l);  // W_0: the Gaussian start, orthonormalised
  for (double& v : w.data) v = rng.normal();
  orthonormalize_columns(w);

  // The iteration W_{i+1} = orth(X^T X W_i), with every new block made orthogonal to the
  // ones kept before it (block Krylov) or replacing them (classic). basis holds the kept
  // blocks side by side (n x c), yall the products X W of the kept blocks (m x c, row
  // stride `most`), each written in place by its product.
  const int64_t most =
      options.krylov ? std::min<int64_t>(n, l * (options.power_iterations + 1)) : l;
  Matrix basis(n, 0), yall(m, most);
  Scratch scratch;
  int64_t y_col = 0, y_width = l;  // the last product: columns [y_col, y_col + y_width)
  Matrix y0 = times(x, w, Trans::No, scratch);  // X W_0
  int rounds = 0;
  for (int i = 0; i <= options.power_iterations; ++i) {
    const ViewD y = i == 0 ? ViewD(y0) : ViewD(yall.data.data() + y_col, m, y_width, most);
    Matrix z = times(x, y, Trans::Yes, scratch);  // X^T X W_i
    if (!options.krylov) basis = Matrix(n, 0);
    // The kept blocks cannot hold more than n directions: a full basis ends the iteration.
    const int64_t width = std::min(l, n - basis.cols);
    if (width == 0) break;
    ++rounds;
    // When the kept blocks leave fewer than l free directions, only `width` columns can be
    // orthonormal in what is left: cut the block first, or orthonormalize_columns would fill
    // the surplus with arbitrary directions that need not be orthogonal to the basis.
    if (width < l) z = first_columns(z, width);
    // Orthogonalise against the kept blocks: project out, orthonormalise, and once more,
    // because a block with exact zero columns comes back from orthonormalize_columns with
    // arbitrary directions that the first projection never saw.
    for (int round = 0; round < 2; ++round) {
      project_out_columns(basis, z);
      project_out_columns(basis, z);
      orthonormalize_columns(z);
    }
    z = columns_orthogonal_to(basis, z, 1e-8);
    if (z.cols == 0) break;  // nothing new: the kept span is invariant under X^T X
    y_col = basis.cols;
    y_width = z.cols;
    times_into(x, z, Trans::No, yall.data.data() + y_col, most, scratch);  // X W_{i+1}
    basis = append_columns(basis, z);
  }
  out.power_iterations = rounds - 1;
  const int64_t c = basis.cols;
  out.basis_size = c;

  // X P with P = basis basis^T the projector on span(basis): Y = [X W_1 ... X W_{q+1}].
  // Its SVD through the Gram matrix: Y^T Y = V L V^T (Jacobi), sigma = sqrt(L), and
  // U = Y V S^-1, so X P = U S (basis V)^T. Squaring costs no accuracy that matters here:
  // the top k of L are far above the rounding of Y^T Y (|Y|^2 eps).
  Matrix gram(c, c);
  gram_f64(m, c, 1.0, yall.data.data(), most, 0.0, gram.data.data(), c);
  const SymmetricEigen g = eigen_jacobi(gram);
  out.sweeps = g.sweeps;
  // Eigenvalues below 1e-12 of the largest are rounding noise of Y^T Y, not directions of X:
  // they count as zero singular values.
  int64_t found = 0;
  while (found < k && found < c && g.values[found] > 1e-12 * g.values[0]) ++found;
  Matrix v_scaled(c, found), v_small(c, found);
  out.sigma.assign(static_cast<size_t>(k), 0.0);
  for (int64_t j = 0; j < found; ++j) {
    const double sigma = std::sqrt(g.values[j]);
    out.sigma[j] = sigma;
    for (int64_t i = 0; i < c; ++i) {
      v_small(i, j) = g.vectors(i, j);
      v_scaled(i, j) = g.vectors(i, j) / sigma;
    }
  }
  out.u = Matrix(m, k);
  matmul_f64(Trans::No, Trans::No, m, found, c, 1.0, yall.data.data(), most, v_scaled.data.data(),
             found, 0.0, out.u.data.data(), k);
  out.v = Matrix(n, k);
  matmul_f64(Trans::No, Trans::No, n, found, c, 1.0, basis.data.data(), c, v_small.data.data(),
             found, 0.0, out.v.data.data(), k);
  if (found < k) {
    // X has rank < k: the missing singular values are 0, with any orthonormal vectors.
    std::vector<bool> has(static_cast<size_t>(k), false);
    std::fill(has.begin(), has.begin() + found, true);
    complete_orthonormal_columns(out.u, has);
    complete_orthonormal_columns(out.v, has);
  }
  double captured = 0.0;
  for (double s : out.sigma) captured += s * s;
  out.relative_residual =
      out.frobenius_norm2 > 0.0
          ? std::sqrt(std::max(0.0, out.frobenius_norm2 - captured) / out.frobenius_norm2)
          : 0.0;
  return out;
}

}  // namespace

RandomizedSvd randomized_svd(ViewF x, int64_t k, const RandomizedSvdOptions& options) {
  return randomized(x, k, options);
}

RandomizedSvd randomized_svd(ViewD x, int64_t k, const RandomizedSvdOptions& options) {
  return randomized(x, k, options);
}

}  // namespace ae::linalg
