#pragma once
// Helpers of the HW1 tests: inputs whose answers are known from the way they are built
// (the set-independent ones are in exercises/common/testing.hpp). None of it calls the
// functions under test, which run in the student runner (hw1_student.hpp).
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
#include "exercises/common/testing.hpp"
#include "exercises/hw1/hw1.hpp"
#include "tensor/ops.hpp"
#include "tensor/random.hpp"

namespace hw1_testing {

using namespace ae::exercises::testing;

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
inline std::filesystem::path test_data_dir() { return find_data_dir({"mnist", "fashion-mnist"}, AELAB_SOURCE_DIR); }

/// The top-k eigenvectors of the symmetric positive semi-definite C: V <- orth(C V),
/// repeated until the subspace settles (all k at once, so no deflation is involved). The
/// products run on tensor::matmul; Gram-Schmidt in double. An independent solver for
/// checking a student's PCA basis.
inline Matrix top_subspace(const ae::Tensor& C, size_t k, int iterations) {
  ae::Generator gen(606);
  Matrix V = orthonormal_columns(gaussian(static_cast<size_t>(C.size(0)), k, gen));
  for (int it = 0; it < iterations; ++it)
    V = orthonormal_columns(to_matrix(ae::tensor::matmul(C, to_tensor(V))));
  return V;
}

/// trace(Wᵀ C W): the variance of the data with covariance C captured by W's columns.
inline double captured_variance(const ae::Tensor& C, const ae::Tensor& W) {
  return ae::tensor::sum(W * ae::tensor::matmul(C, W)).item();
}

}  // namespace hw1_testing
