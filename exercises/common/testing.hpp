#pragma once
// Helpers every graded set's tests may use: dense double matrices for reference
// computations, inputs with a known answer (orthogonal matrices, a given spectrum), a
// Jacobi eigenvalue check, element-wise comparisons, the data folder of the tests and a
// PNG check. None of it calls a student's function.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "linalg/error.hpp"
#include "nn/data/locate.hpp"
#include "tensor/ops.hpp"
#include "tensor/random.hpp"

namespace ae::exercises::testing {

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

/// True when the file exists and starts with the 8-byte PNG signature.
inline bool is_png(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  char head[8] = {};
  if (!in.read(head, 8)) return false;
  return std::string(head, 8) == std::string("\x89PNG\r\n\x1a\n", 8);
}

/// The folder of the first of `names` (e.g. "mnist", "fashion-mnist") found as the data
/// sets are found ($AELAB_DATA, ./data and ../shared/data next to `source_dir`).
inline std::filesystem::path find_data_dir(const std::vector<std::string>& names,
                                           const std::filesystem::path& source_dir) {
  for (const std::string& name : names) {
    auto search = ae::data::DataSearch::from_environment(name, std::nullopt);
    search.working_dir = source_dir;
    try {
      return ae::data::locate_dataset(name, search);
    } catch (const ae::Error&) {
    }
  }
  std::string all;
  for (const std::string& name : names) all += (all.empty() ? "" : " or ") + name;
  throw ae::Error("tests: no " + all + " data found (set AELAB_DATA)");
}

}  // namespace ae::exercises::testing
