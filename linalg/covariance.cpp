#include "linalg/covariance.hpp"

#include <algorithm>

#include "linalg/checks.hpp"
#include "linalg/error.hpp"
#include "linalg/matmul_f64.hpp"

namespace ae::linalg {

namespace {

constexpr int64_t kRowBlock = 256;  // rows centred and multiplied at a time

template <class T>
std::vector<double> means(View<const T> x, const char* op) {
  if (x.rows < 1) throw Error(std::string(op) + ": the data have no rows (" +
                              shape_string(x.rows, x.cols) + ")");
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
  Matrix c(n, n);
  std::vector<double> block(static_cast<size_t>(kRowBlock * n));
  for (int64_t i0 = 0; i0 < m; i0 += kRowBlock) {
    const int64_t rows = std::min(kRowBlock, m - i0);
    for (int64_t i = 0; i < rows; ++i) {
      const T* src = x.row(i0 + i);
      double* dst = block.data() + i * n;
      for (int64_t j = 0; j < n; ++j) dst[j] = static_cast<double>(src[j]) - mu[j];
    }
    gram_upper_f64(rows, n, 1.0 / double(m - 1), block.data(), n, i0 == 0 ? 0.0 : 1.0,
                   c.data.data(), n);
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
