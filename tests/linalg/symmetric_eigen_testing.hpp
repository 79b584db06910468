#pragma once
// The check every symmetric eigensolver test shares (eigen_jacobi, eigen_symmetric_qr): a
// computed decomposition against a matrix built as Q diag(lambda) Q^T.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "linalg/eigen_jacobi.hpp"
#include "tests/linalg/decomposition_testing.hpp"

namespace ae::linalg::testing {

// Checks values (sorted, to tol * max|lambda|), A v = lambda v, V^T V = I, and, for every
// group of equal eigenvalues, that the computed vectors span the same space as the true ones.
inline void expect_decomposition(const Matrix& a, const Matrix& q, std::vector<double> lambda,
                          const ae::linalg::SymmetricEigen& e, double tol,
                          const std::string& what) {
  const int64_t n = a.rows;
  std::vector<int64_t> order(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) order[static_cast<size_t>(i)] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t x, int64_t y) { return lambda[x] > lambda[y]; });
  double scale = 0.0;
  for (double l : lambda) scale = std::max(scale, std::abs(l));
  const double abs_tol = tol * std::max(scale, 1.0);
  ASSERT_EQ(e.values.size(), static_cast<size_t>(n)) << what;
  for (int64_t j = 0; j < n; ++j)
    EXPECT_NEAR(e.values[j], lambda[order[j]], abs_tol) << what << " eigenvalue " << j;
  EXPECT_TRUE(std::is_sorted(e.values.rbegin(), e.values.rend())) << what;
  EXPECT_LT(orthonormality_error(e.vectors), tol) << what;
  const Matrix av = product(a, e.vectors);
  for (int64_t j = 0; j < n; ++j)
    for (int64_t i = 0; i < n; ++i)
      ASSERT_NEAR(av(i, j), e.values[j] * e.vectors(i, j), abs_tol) << what << " A v, column " << j;
  // Eigenspaces: group the true eigenvalues that are equal.
  Matrix q_sorted(n, n);
  for (int64_t j = 0; j < n; ++j)
    for (int64_t i = 0; i < n; ++i) q_sorted(i, j) = q(i, order[j]);
  for (int64_t start = 0; start < n;) {
    int64_t end = start + 1;
    while (end < n && lambda[order[end]] == lambda[order[start]]) ++end;
    if (end - start == 1) {  // a simple eigenvalue: the vectors agree up to sign
      double cosine = 0.0;
      for (int64_t i = 0; i < n; ++i) cosine += q_sorted(i, start) * e.vectors(i, start);
      EXPECT_LT(std::sqrt(std::max(0.0, 1.0 - cosine * cosine)), 1e3 * tol)
          << what << " eigenvector of " << lambda[order[start]];
    } else {  // a repeated one: only the eigenspace is defined
      const Matrix expected = projector(q_sorted, start, end - start);
      const Matrix got = projector(e.vectors, start, end - start);
      EXPECT_LT(max_abs_diff(expected, got), 1e3 * tol)
          << what << " eigenspace of " << lambda[order[start]] << " (" << end - start
          << " vectors)";
    }
    start = end;
  }
}

}  // namespace ae::linalg::testing
