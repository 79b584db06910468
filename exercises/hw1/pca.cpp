// HW1 tasks 1–3: PCA from scratch — centering, the covariance matrix, its top
// eigenvectors by power iteration, and encoding / decoding with them (lecture 000).
//
// Tensor ops you will need are in tensor/ops.hpp (namespace ae::tensor): matmul, sum,
// mean, sqrt, ... and the operators + - * / that broadcast like NumPy. Views such as
// W.t() and W.slice(1, 0, 2) cost nothing. The argument checks at the top of each function
// are given; write the code after them.
#include <cmath>
#include <string>

#include <fmt/core.h>

#include "exercises/hw1/hw1.hpp"
#include "tensor/ops.hpp"

namespace ae::hw1 {

using tensor::matmul;

// ---------------------------------------------------------------- task 1

Tensor column_mean(const Tensor& X) {
  require_matrix(X, "column_mean", "X");
  if (X.size(0) < 1) throw Error("column_mean: X has no rows");
  // BEGIN SOLUTION task 1 column_mean
  return tensor::mean(X, {0});
  // END SOLUTION
}

Tensor center(const Tensor& X, const Tensor& mean) {
  require_matrix(X, "center", "X");
  if (mean.dim() != 1 || mean.size(0) != X.size(1))
    throw Error(fmt::format("center: mean has shape {}, expected [{}] for X of shape {}",
                            to_string(mean.shape()), X.size(1), to_string(X.shape())));
  // BEGIN SOLUTION task 1 center
  // Broadcasting repeats the (d) mean along the n rows.
  return X - mean;
  // END SOLUTION
}

Tensor covariance(const Tensor& Xc) {
  require_matrix(Xc, "covariance", "Xc");
  if (Xc.size(0) < 2)
    throw Error(fmt::format("covariance: needs at least 2 rows, Xc has shape {}",
                            to_string(Xc.shape())));
  // BEGIN SOLUTION task 1 covariance
  // Xc.t() is a view; matmul hands it to gemm as a transpose flag, without a copy.
  const auto n = static_cast<float>(Xc.size(0));
  return matmul(Xc.t(), Xc) / (n - 1.0f);
  // END SOLUTION
}

// ---------------------------------------------------------------- task 2

namespace {

// BEGIN SOLUTION
// ||v|| of a vector, accumulated in double so that long vectors keep their precision.
double norm(const Tensor& v) {
  double sum = 0;
  for (float x : v.to_vector()) sum += static_cast<double>(x) * x;
  return std::sqrt(sum);
}

// The dominant eigenvector of the symmetric positive semi-definite A (d x d): repeated
// multiplication by A grows the component along the largest eigenvalue fastest, by
// (λ_1 / λ_2)^t relative to the next one, so the normalised iterate turns towards it.
Tensor power_iteration(const Tensor& A, Generator& gen, const PowerIterationOptions& options,
                       int& iterations) {
  const int64_t d = A.size(0);
  Tensor v = tensor::randn({d, 1}, gen);
  v = v / static_cast<float>(norm(v));
  iterations = 0;
  while (iterations < options.max_iterations) {
    ++iterations;
    Tensor w = matmul(A, v);
    const double length = norm(w);
    // A v = 0: v lies in the null space, where every vector is an eigenvector (of 0).
    if (length == 0.0) break;
    w = w / static_cast<float>(length);
    const double change = norm(w - v);
    v = w;
    if (change < options.tolerance) break;
  }
  return v;
}
// END SOLUTION

}  // namespace

Eigenpairs top_eigenpairs(const Tensor& C, int64_t k, const PowerIterationOptions& options) {
  require_matrix(C, "top_eigenpairs", "C");
  if (C.size(0) != C.size(1))
    throw Error(fmt::format("top_eigenpairs: C must be square, got {}", to_string(C.shape())));
  if (k < 1 || k > C.size(0))
    throw Error(fmt::format("top_eigenpairs: k = {} is outside 1..{} for C of shape {}", k,
                            C.size(0), to_string(C.shape())));
  if (options.max_iterations < 1)
    throw Error(fmt::format("top_eigenpairs: max_iterations = {}, expected >= 1",
                            options.max_iterations));
  // BEGIN SOLUTION task 2 top_eigenpairs
  const int64_t d = C.size(0);
  Generator gen(options.seed);
  Tensor A = C.clone();
  Eigenpairs result;
  result.values = tensor::zeros({k});
  result.vectors = tensor::zeros({d, k});
  for (int64_t i = 0; i < k; ++i) {
    int iterations = 0;
    Tensor v = power_iteration(A, gen, options, iterations);
    // The Rayleigh quotient vᵀ A v is the eigenvalue of a unit eigenvector v.
    const float lambda = matmul(v.t(), matmul(A, v)).item();
    // Deflation: A - λ v vᵀ has the same eigenvectors, with λ replaced by 0, so the
    // next power iteration converges to the next largest eigenvalue.
    A = A - lambda * matmul(v, v.t());
    result.values.at({i}) = lambda;
    result.vectors.slice(1, i, i + 1).copy_(v);
    result.iterations.push_back(iterations);
  }
  return result;
  // END SOLUTION
}

// ---------------------------------------------------------------- task 3

namespace {

void require_basis(const Tensor& mean, const Tensor& W, int64_t d, const char* op) {
  require_matrix(W, op, "W");
  if (W.size(0) != d || mean.dim() != 1 || mean.size(0) != d)
    throw Error(fmt::format("{}: W has shape {} and mean {}, expected [{}, k] and [{}]", op,
                            to_string(W.shape()), to_string(mean.shape()), d, d));
}

}  // namespace

Tensor pca_encode(const Tensor& X, const Tensor& mean, const Tensor& W) {
  require_matrix(X, "pca_encode", "X");
  require_basis(mean, W, X.size(1), "pca_encode");
  // BEGIN SOLUTION task 3 pca_encode
  return matmul(X - mean, W);
  // END SOLUTION
}

Tensor pca_decode(const Tensor& Z, const Tensor& mean, const Tensor& W) {
  require_matrix(Z, "pca_decode", "Z");
  require_basis(mean, W, mean.dim() == 1 ? mean.size(0) : -1, "pca_decode");
  if (Z.size(1) != W.size(1))
    throw Error(fmt::format("pca_decode: Z has shape {} but W has {} columns",
                            to_string(Z.shape()), W.size(1)));
  // BEGIN SOLUTION task 3 pca_decode
  return tensor::addmm(mean, Z, W.t());
  // END SOLUTION
}

double reconstruction_error(const Tensor& X, const Tensor& X_hat) {
  require_matrix(X, "reconstruction_error", "X");
  if (X.shape() != X_hat.shape())
    throw Error(fmt::format("reconstruction_error: X has shape {} but X_hat has {}",
                            to_string(X.shape()), to_string(X_hat.shape())));
  if (X.size(0) == 0)
    throw Error("reconstruction_error: X has no rows (the mean over no images is undefined)");
  // BEGIN SOLUTION task 3 reconstruction_error
  // The per-row sums are short (d terms) and exact enough in float; the n of them are
  // added in double.
  const Tensor diff = X - X_hat;
  const Tensor per_row = tensor::sum(diff * diff, {1});
  double total = 0;
  for (float e : per_row.to_vector()) total += e;
  return total / static_cast<double>(X.size(0));
  // END SOLUTION
}

Tensor project_2d(const Tensor& X, const Tensor& mean, const Tensor& W) {
  require_matrix(X, "project_2d", "X");
  require_basis(mean, W, X.size(1), "project_2d");
  if (W.size(1) < 2)
    throw Error(fmt::format("project_2d: W has shape {}, needs at least 2 columns",
                            to_string(W.shape())));
  // BEGIN SOLUTION task 3 project_2d
  return pca_encode(X, mean, W.slice(1, 0, 2));
  // END SOLUTION
}

}  // namespace ae::hw1
