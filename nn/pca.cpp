#include "nn/pca.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "linalg/covariance.hpp"
#include "linalg/eigen_jacobi.hpp"
#include "linalg/eigen_symmetric_qr.hpp"
#include "linalg/error.hpp"
#include "linalg/matrix.hpp"
#include "linalg/power_iteration.hpp"
#include "linalg/randomized_svd.hpp"
#include "nn/matrix_bridge.hpp"
#include "tensor/ops.hpp"

namespace ae::nn {

std::string to_string(PcaSolver solver) {
  switch (solver) {
    case PcaSolver::Jacobi: return "Jacobi";
    case PcaSolver::SymmetricQr: return "symmetric QR";
    case PcaSolver::BlockPower: return "block power";
    case PcaSolver::Randomized: return "randomized";
  }
  return "?";
}

namespace {

using Clock = std::chrono::steady_clock;

// W (k x d): the first k columns of a d x k' matrix of eigenvectors (one per column), as rows.
Tensor components_from_columns(const linalg::Matrix& vectors, int64_t k) {
  return to_tensor(vectors.transposed()).slice(0, 0, k).contiguous();
}

Tensor mean_tensor(const std::vector<double>& mean) {
  std::vector<float> values(mean.begin(), mean.end());
  return tensor::from_vector(values, {static_cast<int64_t>(values.size())});
}

double trace(const linalg::Matrix& c) {
  double t = 0;
  for (int64_t i = 0; i < c.rows; ++i) t += c(i, i);
  return t;
}

}  // namespace

PCA PCA::fit(const Tensor& x, int64_t k, PcaSolver solver, uint64_t seed) {
  if (x.dim() != 2 || x.shape()[0] < 2 || x.shape()[1] < 1)
    throw Error("PCA::fit: expected an n x d matrix with n >= 2, got " + ae::to_string(x.shape()));
  const int64_t d = x.shape()[1];
  if (k < 1 || k > d)
    throw Error("PCA::fit: k = " + std::to_string(k) + " must be in 1.." + std::to_string(d) +
                " for data of shape " + ae::to_string(x.shape()));
  const auto start = Clock::now();
  const Tensor xc = x.contiguous();
  const linalg::ViewF rows = float_view(xc);
  const std::vector<double> mean = linalg::column_means(rows);

  PCA pca;
  pca.mean_ = mean_tensor(mean);
  pca.report_.solver = solver;
  // Jacobi, symmetric QR and block power work on the covariance; the randomized SVD on the
  // data itself.
  linalg::Matrix c;
  if (solver != PcaSolver::Randomized) {
    c = linalg::covariance(rows);
    pca.total_variance_ = trace(c);
  }
  switch (solver) {
    case PcaSolver::Jacobi: {
      const linalg::SymmetricEigen eig = linalg::eigen_jacobi(c);
      pca.eigenvalues_ = eig.values;
      pca.components_ = components_from_columns(eig.vectors, k);
      pca.report_.iterations = eig.sweeps;
      pca.report_.residual = eig.off_norm;
      break;
    }
    case PcaSolver::SymmetricQr: {
      const linalg::SymmetricEigen eig = linalg::eigen_symmetric_qr(c);
      pca.eigenvalues_ = eig.values;
      pca.components_ = components_from_columns(eig.vectors, k);
      pca.report_.iterations = eig.sweeps;
      pca.report_.residual = eig.off_norm;
      break;
    }
    case PcaSolver::BlockPower: {
      linalg::PowerOptions options;
      options.seed = seed;
      const linalg::PowerResult power = linalg::block_power_iteration(c, k, options);
      pca.eigenvalues_ = power.values;
      pca.components_ = components_from_columns(power.vectors, k);
      pca.report_.iterations = power.iterations.empty() ? 0 : power.iterations.front();
      pca.report_.residual = power.residual;
      break;
    }
    case PcaSolver::Randomized: {
      // The SVD of the centred data X_c = U Σ Vᵀ: the right singular vectors are the
      // eigenvectors of C, with eigenvalues σ_i² / (n - 1).
      const int64_t n = xc.shape()[0];
      const Tensor centred = tensor::sub(xc, pca.mean_);
      linalg::RandomizedSvdOptions options;
      options.seed = seed;
      // The spectrum of images decays slowly past the first few dozen components, so the
      // sketch is twice as wide as k and sharpened four times: on Fashion-MNIST (k = 50)
      // this brings the 50th eigenvalue to ~1e-4 of Jacobi's, where l = k + 10 and two
      // power iterations leave it 10% off.
      options.oversampling = k;
      options.power_iterations = 4;
      const linalg::RandomizedSvd svd =
          linalg::randomized_svd(float_view(centred), k, options);
      for (double sigma : svd.sigma) pca.eigenvalues_.push_back(sigma * sigma / double(n - 1));
      pca.components_ = components_from_columns(svd.v, k);
      pca.report_.iterations = svd.power_iterations;
      pca.report_.residual = svd.relative_residual;
      pca.total_variance_ = svd.frobenius_norm2 / double(n - 1);  // ||X_c||²_F / (n - 1) = trace(C)
      break;
    }
  }
  // Eigenvalues of a covariance are >= 0; rounding can leave the smallest at -1e-17.
  for (auto& v : pca.eigenvalues_) v = std::max(v, 0.0);
  pca.report_.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return pca;
}

Tensor PCA::encode(const Tensor& x) {
  if (!components_.defined()) throw Error("PCA::encode: the model has not been fitted");
  if (x.dim() != 2 || x.shape()[1] != dim())
    throw Error("PCA::encode: expected n x " + std::to_string(dim()) + " inputs, got " +
                ae::to_string(x.shape()));
  return tensor::matmul(tensor::sub(x, mean_), components_.t());
}

Tensor PCA::decode(const Tensor& z) {
  if (!components_.defined()) throw Error("PCA::decode: the model has not been fitted");
  if (z.dim() != 2 || z.shape()[1] != k())
    throw Error("PCA::decode: expected n x " + std::to_string(k()) + " codes, got " +
                ae::to_string(z.shape()));
  // z W + μ: the mean row is broadcast into the output and the product added by one gemm.
  return tensor::addmm(mean_, z, components_);
}

std::string PCA::name() const { return "PCA k=" + std::to_string(k()); }

double PCA::explained_variance_ratio(int64_t j) const {
  if (j < 0 || j > static_cast<int64_t>(eigenvalues_.size()))
    throw Error("PCA::explained_variance_ratio: j = " + std::to_string(j) + " but " +
                std::to_string(eigenvalues_.size()) + " eigenvalues are known");
  double kept = 0;
  for (int64_t i = 0; i < j; ++i) kept += eigenvalues_[i];
  return kept / total_variance_;
}

PCA PCA::truncated(int64_t j) const {
  if (j < 1 || j > k())
    throw Error("PCA::truncated: j = " + std::to_string(j) + " must be in 1.." + std::to_string(k()));
  PCA p = *this;
  p.components_ = components_.slice(0, 0, j).contiguous();
  return p;
}

}  // namespace ae::nn
