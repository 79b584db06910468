#pragma once
// Helpers of the HW1 tests: inputs whose answers are known from the way they are built,
// and plain double-precision arithmetic to check results with. None of it calls the
// functions under test.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "autograd/variable.hpp"
#include "exercises/hw1/hw1.hpp"
#include "nn/data/locate.hpp"
#include "tensor/ops.hpp"
#include "tensor/random.hpp"

namespace hw1_testing {

/// A dense row-major matrix in double, for reference computations.
using Matrix = std::vector<std::vector<double>>;

inline Matrix zeros(size_t rows, size_t cols) { return Matrix(rows, std::vector<double>(cols, 0.0)); }

inline ae::Tensor to_tensor(const Matrix& m) {
  std::vector<float> values;
  for (const auto& row : m)
    for (double x : row) values.push_back(static_cast<float>(x));
  return ae::tensor::from_vector(values, {static_cast<int64_t>(m.size()),
                                          static_cast<int64_t>(m.empty() ? 0 : m[0].size())});
}

inline ae::Tensor to_tensor(const std::vector<double>& v) {
  std::vector<float> values(v.begin(), v.end());
  return ae::tensor::from_vector(values, {static_cast<int64_t>(v.size())});
}

inline Matrix to_matrix(const ae::Tensor& t) {
  const ae::Tensor c = t.contiguous();
  const std::vector<float> values = c.to_vector();
  const auto rows = static_cast<size_t>(t.size(0));
  const auto cols = static_cast<size_t>(t.size(1));
  Matrix m = zeros(rows, cols);
  for (size_t i = 0; i < rows; ++i)
    for (size_t j = 0; j < cols; ++j) m[i][j] = values[i * cols + j];
  return m;
}

inline Matrix transpose(const Matrix& a) {
  Matrix t = zeros(a[0].size(), a.size());
  for (size_t i = 0; i < a.size(); ++i)
    for (size_t j = 0; j < a[0].size(); ++j) t[j][i] = a[i][j];
  return t;
}

inline Matrix multiply(const Matrix& a, const Matrix& b) {
  Matrix c = zeros(a.size(), b[0].size());
  for (size_t i = 0; i < a.size(); ++i)
    for (size_t l = 0; l < b.size(); ++l)
      for (size_t j = 0; j < b[0].size(); ++j) c[i][j] += a[i][l] * b[l][j];
  return c;
}

inline Matrix gaussian(size_t rows, size_t cols, ae::Generator& gen) {
  Matrix m = zeros(rows, cols);
  for (auto& row : m)
    for (double& x : row) x = gen.normal();
  return m;
}

/// The columns of a made orthonormal by modified Gram-Schmidt (a has full column rank).
inline Matrix orthonormal_columns(Matrix a) {
  const size_t rows = a.size(), cols = a[0].size();
  for (size_t j = 0; j < cols; ++j) {
    for (size_t p = 0; p < j; ++p) {
      double dot = 0;
      for (size_t i = 0; i < rows; ++i) dot += a[i][p] * a[i][j];
      for (size_t i = 0; i < rows; ++i) a[i][j] -= dot * a[i][p];
    }
    double norm = 0;
    for (size_t i = 0; i < rows; ++i) norm += a[i][j] * a[i][j];
    norm = std::sqrt(norm);
    for (size_t i = 0; i < rows; ++i) a[i][j] /= norm;
  }
  return a;
}

/// A random d x d orthogonal matrix: Gram-Schmidt on Gaussian columns.
inline Matrix random_orthogonal(size_t d, uint64_t seed) {
  ae::Generator gen(seed);
  return orthonormal_columns(gaussian(d, d, gen));
}

/// Q diag(lambda) Qᵀ: a symmetric matrix with eigenvalues lambda and eigenvectors the
/// columns of Q.
inline Matrix with_spectrum(const Matrix& Q, const std::vector<double>& lambda) {
  Matrix scaled = Q;
  for (auto& row : scaled)
    for (size_t j = 0; j < lambda.size(); ++j) row[j] *= lambda[j];
  return multiply(scaled, transpose(Q));
}

/// Data with a known sample mean and covariance.
struct ConstructedData {
  Matrix X;                  ///< n x d
  std::vector<double> mean;  ///< the exact sample mean of X
  Matrix Q;                  ///< d x d orthogonal: the eigenvectors of the covariance
  std::vector<double> lambda;  ///< its eigenvalues (the covariance is Q diag(lambda) Qᵀ)
  Matrix covariance() const { return with_spectrum(Q, lambda); }
};

/// X = 1 meanᵀ + Z diag(√λ) Qᵀ, where Z (n x d) has centred, orthogonal columns of squared
/// norm n - 1. Then the sample mean of X is `mean` and its sample covariance (divided by
/// n - 1) is exactly Q diag(λ) Qᵀ. Needs n > d.
inline ConstructedData constructed_data(size_t n, const std::vector<double>& mean,
                                        const std::vector<double>& lambda, uint64_t seed) {
  const size_t d = mean.size();
  ae::Generator gen(seed);
  Matrix Z = gaussian(n, d, gen);
  for (size_t j = 0; j < d; ++j) {
    double column_mean = 0;
    for (size_t i = 0; i < n; ++i) column_mean += Z[i][j];
    column_mean /= static_cast<double>(n);
    for (size_t i = 0; i < n; ++i) Z[i][j] -= column_mean;
  }
  // Combinations of centred columns stay centred, so Gram-Schmidt keeps the mean at zero.
  Z = orthonormal_columns(Z);
  ConstructedData data{zeros(n, d), mean, random_orthogonal(d, seed + 1), lambda};
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < d; ++j) {
      double x = mean[j];
      for (size_t l = 0; l < d; ++l)
        x += Z[i][l] * std::sqrt(static_cast<double>(n - 1)) * std::sqrt(lambda[l]) * data.Q[j][l];
      data.X[i][j] = x;
    }
  return data;
}

/// The eigenvalues of a small symmetric matrix, largest first, by cyclic Jacobi rotations.
inline std::vector<double> jacobi_eigenvalues(Matrix a) {
  const size_t n = a.size();
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0;
    for (size_t p = 0; p < n; ++p)
      for (size_t q = p + 1; q < n; ++q) off += a[p][q] * a[p][q];
    if (off < 1e-30) break;
    for (size_t p = 0; p < n; ++p)
      for (size_t q = p + 1; q < n; ++q) {
        if (a[p][q] == 0) continue;
        // The rotation angle that zeroes a[p][q]: tan(2θ) = 2 a_pq / (a_qq - a_pp).
        const double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const double t = (theta >= 0 ? 1 : -1) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (size_t k = 0; k < n; ++k) {  // columns p, q
          const double akp = a[k][p], akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (size_t k = 0; k < n; ++k) {  // rows p, q
          const double apk = a[p][k], aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
      }
  }
  std::vector<double> values;
  for (size_t i = 0; i < n; ++i) values.push_back(a[i][i]);
  std::sort(values.rbegin(), values.rend());
  return values;
}

/// The largest |t - m| over all elements (shapes must agree; a mismatch returns infinity).
inline double max_abs_diff(const ae::Tensor& t, const Matrix& m) {
  if (t.dim() != 2 || static_cast<size_t>(t.size(0)) != m.size() ||
      static_cast<size_t>(t.size(1)) != m[0].size())
    return INFINITY;
  const Matrix a = to_matrix(t);
  double worst = 0;
  for (size_t i = 0; i < m.size(); ++i)
    for (size_t j = 0; j < m[0].size(); ++j) {
      const double diff = std::abs(a[i][j] - m[i][j]);
      if (!(diff <= worst)) worst = diff;  // NaN becomes the worst
    }
  return worst;
}

inline double max_abs_diff(const ae::Tensor& t, const std::vector<double>& v) {
  if (t.dim() != 1 || static_cast<size_t>(t.size(0)) != v.size()) return INFINITY;
  const std::vector<float> a = t.contiguous().to_vector();
  double worst = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const double diff = std::abs(a[i] - v[i]);
    if (!(diff <= worst)) worst = diff;
  }
  return worst;
}

/// An autoencoder 3-2-3 whose pre-activations on tiny_batch() are 0 and ±ln 3 (and a
/// few others), so that its forward pass can be done by hand: σ(0) = 1/2,
/// σ(ln 3) = 3/4, σ(-ln 3) = 1/4.
///   W = [[ln3, 0, 0], [0, 0, -4 ln3]], b = [0, ln3]
///   W* = [[0, 0], [4/3 ln3, 0], [0, -4 ln3]], c = [ln3, 0, 0]
inline ae::hw1::Autoencoder tiny_autoencoder() {
  const double l = std::log(3.0);
  auto param = [](const Matrix& m) { return ae::Variable(to_tensor(m), true); };
  auto vec = [](const std::vector<double>& v) { return ae::Variable(to_tensor(v), true); };
  return {param({{l, 0, 0}, {0, 0, -4 * l}}), vec({0, l}),
          param({{0, 0}, {4 * l / 3, 0}, {0, -4 * l}}), vec({l, 0, 0})};
}

/// Two images of 3 pixels for tiny_autoencoder().
inline Matrix tiny_batch() { return {{1, 0, 0.5}, {0, 0, 0}}; }

/// Its codes and reconstructions, by hand:
///   row 1: z = (ln3, -2 ln3 + ln3) -> h = (3/4, 1/4); then (ln3, ln3, -ln3) -> (3/4, 3/4, 1/4)
///   row 2: z = (0, ln3) -> h = (1/2, 3/4); then (ln3, 2/3 ln3, -3 ln3)
///          -> (3/4, 1 / (1 + 3^(-2/3)), 1/28)
inline Matrix tiny_codes() { return {{0.75, 0.25}, {0.5, 0.75}}; }
inline Matrix tiny_reconstructions() {
  return {{0.75, 0.75, 0.25}, {0.75, 1.0 / (1.0 + std::pow(3.0, -2.0 / 3.0)), 1.0 / 28.0}};
}

/// The folder the task 6 tests read: MNIST from $AELAB_DATA, or ./data and ../shared/data
/// next to the repository; Fashion-MNIST when there is no MNIST.
inline std::filesystem::path test_data_dir() {
  for (const char* name : {"mnist", "fashion-mnist"}) {
    auto search = ae::data::DataSearch::from_environment(name, std::nullopt);
    search.working_dir = AELAB_SOURCE_DIR;
    try {
      return ae::data::locate_dataset(name, search);
    } catch (const ae::Error&) {
    }
  }
  throw ae::Error("HW1 tests: neither MNIST nor Fashion-MNIST found (set AELAB_DATA)");
}

/// True when the file exists and starts with the 8-byte PNG signature.
inline bool is_png(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  char head[8] = {};
  if (!in.read(head, 8)) return false;
  return std::string(head, 8) == std::string("\x89PNG\r\n\x1a\n", 8);
}

}  // namespace hw1_testing
