#pragma once
// Input checks shared by the decompositions. Each throws ae::Error with a message that
// starts with the operation's name and names the shape and the element at fault.
#include <cmath>
#include <sstream>
#include <string>

#include "linalg/error.hpp"
#include "linalg/matrix.hpp"

namespace ae::linalg::detail {

/// Every element finite.
template <class T>
void check_finite(View<T> a, const char* op) {
  for (int64_t i = 0; i < a.rows; ++i) {
    const auto* row = a.row(i);
    for (int64_t j = 0; j < a.cols; ++j)
      if (!std::isfinite(row[j])) {
        std::ostringstream msg;
        msg << op << ": the " << shape_string(a.rows, a.cols) << " input has a(" << i << ", " << j
            << ") = " << row[j] << "; every element must be finite";
        throw Error(msg.str());
      }
  }
}

/// Square, finite, and |a_ij - a_ji| <= tolerance * max|a|.
inline void check_symmetric(ViewD a, double tolerance, const char* op) {
  if (a.rows != a.cols)
    throw Error(std::string(op) + ": expects a square matrix, got " + shape_string(a.rows, a.cols));
  check_finite(a, op);
  double max_abs = 0.0;
  for (int64_t i = 0; i < a.rows; ++i)
    for (int64_t j = 0; j < a.cols; ++j) max_abs = std::max(max_abs, std::abs(a(i, j)));
  for (int64_t i = 0; i < a.rows; ++i)
    for (int64_t j = i + 1; j < a.cols; ++j)
      if (std::abs(a(i, j) - a(j, i)) > tolerance * max_abs) {
        std::ostringstream msg;
        msg.precision(17);
        msg << op << ": the " << shape_string(a.rows, a.cols) << " input is not symmetric: a(" << i
            << ", " << j << ") = " << a(i, j) << " but a(" << j << ", " << i << ") = " << a(j, i)
            << " (allowed difference " << tolerance << " * max|a| = " << tolerance * max_abs << ")";
        throw Error(msg.str());
      }
}

/// 1 <= k <= limit.
inline void check_rank(int64_t k, int64_t limit, const std::string& op, const std::string& of) {
  if (k < 1 || k > limit)
    throw Error(op + ": k = " + std::to_string(k) + " must be in [1, " + std::to_string(limit) +
                "] (" + of + ")");
}

}  // namespace ae::linalg::detail
