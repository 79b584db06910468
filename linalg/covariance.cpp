#include "linalg/covariance.hpp"

#include <omp.h>

#include <algorithm>

#include "linalg/checks.hpp"
#include "linalg/error.hpp"
#include "linalg/matmul_f64.hpp"

namespace ae::linalg {

namespace {

constexpr int64_t kRowBlock = 256;  // rows centred and multiplied at a time

template <class T>
std::vector<double> means(View<const T> x, const char* op) {
  if (x.rows < 1)
    throw Error(std::string(op) + ": the data have no rows (" + shape_string(x.rows, x.cols) + ")");
  std::vector<double> mu(static_cast<size_t>(x.cols), 0.0);
  for (int64_t i = 0; i < x.rows; ++i) {
    const T* row = x.row(i);
    for (int64_t j = 0; j < x.cols; ++j) mu[j] += static_cast<double>(row[j]);
  }
  for (double& v : mu) v /= double(x.rows);
  return mu;
}

template <class T>
Matrix covariance_of(View<const T> x) {
  if (x.rows < 2)
    throw Error("covariance: needs at least 2 rows (samples), got " + shape_string(x.rows, x.cols));
  detail::check_finite(x, "covariance");
  const int64_t m = x.rows, n = x.cols;
  const std::vector<double> mu = means(x, "covariance");
  // Each thread sums the products of its own rows into its own upper triangle; the partial
  // sums are added at the end. One parallel region, no thread waiting on another meanwhile.
  const int threads = double(m) * double(n) * double(n) > 5e7 && !omp_in_parallel()
                          ? std::max(1, omp_get_max_threads())
                          : 1;
  std::vector<Matrix> partial(static_cast<size_t>(threads));
#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num();
    const int64_t lo = m * t / threads, hi = m * (t + 1) / threads;
    Matrix& sum = partial[static_cast<size_t>(t)];
    sum = Matrix(n, n);
    std::vector<double> block(static_cast<size_t>(kRowBlock * n));
    for (int64_t i0 = lo; i0 < hi; i0 += kRowBlock) {
      const int64_t rows = std::min(kRowBlock, hi - i0);
      for (int64_t i = 0; i < rows; ++i) {
        const T* src = x.row(i0 + i);
        double* dst = block.data() + i * n;
        for (int64_t j = 0; j < n; ++j) dst[j] = static_cast<double>(src[j]) - mu[j];
      }
      gram_upper_f64(rows, n, 1.0, block.data(), n, i0 == lo ? 0.0 : 1.0, sum.data.data(), n);
    }
  }
  Matrix c(n, n);
  const double scale = 1.0 / double(m - 1);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = i; j < n; ++j) {
      double s = 0.0;
      for (const Matrix& p : partial) s += p(i, j);
      c(i, j) = s * scale;
    }
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = i + 1; j < n; ++j) c(j, i) = c(i, j);
  return c;
}

}  // namespace

std::vector<double> column_means(ViewF x) { return means(x, "column_means"); }
std::vector<double> column_means(ViewD x) { return means(x, "column_means"); }
Matrix covariance(ViewF x) { return covariance_of(x); }
Matrix covariance(ViewD x) { return covariance_of(x); }

}  // namespace ae::linalg
