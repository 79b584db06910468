#pragma once
// Matrix and View: the two shapes of data the decompositions work on.
//
// linalg sits below tensor/, so it has its own minimal types. A View is a borrowed
// row-major block: element (i, j) is at data[i * ld + j], ld >= cols. A Matrix owns a
// dense row-major block of doubles (ld == cols) — the decompositions accumulate in
// double and return their factors as Matrix.
#include <cstdint>
#include <string>
#include <vector>

namespace ae::linalg {

/// A borrowed row-major view: element (i, j) is data[i * ld + j].
template <class T>
struct View {
  T* data = nullptr;
  int64_t rows = 0;
  int64_t cols = 0;
  int64_t ld = 0;  ///< distance between the starts of two rows, >= cols

  View() = default;
  View(T* d, int64_t r, int64_t c, int64_t l) : data(d), rows(r), cols(c), ld(l) {}
  View(T* d, int64_t r, int64_t c) : data(d), rows(r), cols(c), ld(c) {}
  /// A view of non-const elements converts to a view of const elements.
  template <class U>
  View(const View<U>& other)  // NOLINT(google-explicit-constructor)
      : data(other.data), rows(other.rows), cols(other.cols), ld(other.ld) {}

  T& operator()(int64_t i, int64_t j) const { return data[i * ld + j]; }
  T* row(int64_t i) const { return data + i * ld; }
};

using ViewF = View<const float>;
using ViewD = View<const double>;

/// A dense row-major matrix of doubles that owns its elements.
struct Matrix {
  int64_t rows = 0;
  int64_t cols = 0;
  std::vector<double> data;

  Matrix() = default;
  Matrix(int64_t r, int64_t c, double fill = 0.0)
      : rows(r), cols(c), data(static_cast<size_t>(r * c), fill) {}

  static Matrix identity(int64_t n) {
    Matrix m(n, n);
    for (int64_t i = 0; i < n; ++i) m(i, i) = 1.0;
    return m;
  }

  double& operator()(int64_t i, int64_t j) { return data[static_cast<size_t>(i * cols + j)]; }
  double operator()(int64_t i, int64_t j) const { return data[static_cast<size_t>(i * cols + j)]; }
  double* row(int64_t i) { return data.data() + i * cols; }
  const double* row(int64_t i) const { return data.data() + i * cols; }

  View<double> view() { return {data.data(), rows, cols, cols}; }
  ViewD view() const { return {data.data(), rows, cols, cols}; }
  operator ViewD() const { return view(); }  // NOLINT(google-explicit-constructor)

  Matrix transposed() const {
    Matrix t(cols, rows);
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j) t(j, i) = (*this)(i, j);
    return t;
  }
};

/// Copies a view into an owning double matrix.
template <class T>
Matrix to_matrix(View<T> v) {
  Matrix m(v.rows, v.cols);
  for (int64_t i = 0; i < v.rows; ++i)
    for (int64_t j = 0; j < v.cols; ++j) m(i, j) = static_cast<double>(v(i, j));
  return m;
}

/// "rows x cols" for error messages.
inline std::string shape_string(int64_t rows, int64_t cols) {
  return std::to_string(rows) + "x" + std::to_string(cols);
}

}  // namespace ae::linalg
