#pragma once
// Column means and the sample covariance of a data matrix (one sample per row), in double.
//
//     mu = (1/m) sum_i x_i,        C = (X - 1 mu^T)^T (X - 1 mu^T) / (m - 1)
//
// The divisor m - 1 is NumPy's np.cov default. The data are centred before the product
// (not C = X^T X / (m-1) - ... afterwards), which would cancel digits when the mean is large
// compared with the spread. The product is computed on the upper triangle only, row block
// by row block, with the f64 matrix-multiply kernels.
#include <vector>

#include "linalg/matrix.hpp"

namespace ae::linalg {

/// Mean of each column, accumulated in double. Throws ae::Error if x has no rows.
std::vector<double> column_means(ViewF x);
std::vector<double> column_means(ViewD x);

/// The n x n sample covariance of the m x n data x (m >= 2). Throws ae::Error if m < 2 or
/// an element is not finite.
Matrix covariance(ViewF x);
Matrix covariance(ViewD x);

}  // namespace ae::linalg
