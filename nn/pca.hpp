#pragma once
// PCA as a model — the best linear autoencoder (lectures 000, 001, 004).
//
// For the rows of X (n x d) with mean μ and covariance C = (X - μ)ᵀ(X - μ) / (n - 1),
// PCA keeps the k eigenvectors of C with the largest eigenvalues as the rows of W (k x d):
//   encode: z = W (x - μ)        decode: x̂ = Wᵀ z + μ
// This W maximises the variance of the codes and, equivalently, minimises the squared
// reconstruction error over all W with orthonormal rows.
#include <cstdint>
#include <string>
#include <vector>

#include "nn/codec.hpp"
#include "tensor/tensor.hpp"

namespace ae::nn {

/// How the components are computed (all in double; see linalg/).
enum class PcaSolver {
  Jacobi,      ///< covariance + cyclic Jacobi: every eigenpair of C (the course's default)
  BlockPower,  ///< block (subspace) power iteration on C: the top k
  Randomized,  ///< randomized SVD of the centred data: the top k
  SymmetricQr, ///< covariance + Householder tridiagonalisation and implicit QR: every
               ///< eigenpair of C, several times faster than Jacobi on large d
};
std::string to_string(PcaSolver solver);

struct PcaFitReport {
  PcaSolver solver = PcaSolver::Jacobi;
  int64_t iterations = 0;  ///< Jacobi sweeps, QR steps, or power / range-finder iterations
  double residual = 0;     ///< final off-diagonal norm (Jacobi, QR) or residual of the solver
  double seconds = 0;      ///< time of the decomposition (covariance included)
};

class PCA : public Codec {
 public:
  PCA() = default;
  /// Fits k components to the rows of x (n x d, n >= 2). Throws ae::Error on a bad k or shape.
  static PCA fit(const Tensor& x, int64_t k, PcaSolver solver = PcaSolver::Jacobi,
                 uint64_t seed = 0);

  Tensor encode(const Tensor& x) override;  ///< (x - μ) Wᵀ : n x k
  Tensor decode(const Tensor& z) override;  ///< z W + μ    : n x d
  std::string name() const override;

  int64_t k() const { return components_.defined() ? components_.shape()[0] : 0; }
  int64_t dim() const { return mean_.defined() ? mean_.shape()[0] : 0; }
  /// μ, shape (d).
  const Tensor& mean() const { return mean_; }
  /// W, shape (k, d): orthonormal rows, by decreasing eigenvalue.
  const Tensor& components() const { return components_; }
  /// Eigenvalues of the covariance, decreasing: all d of them for Jacobi and symmetric QR,
  /// k otherwise.
  const std::vector<double>& eigenvalues() const { return eigenvalues_; }
  /// trace(C), the total variance (exact for every solver).
  double total_variance() const { return total_variance_; }
  /// (λ_1 + ... + λ_j) / trace(C) for j <= the number of eigenvalues known.
  double explained_variance_ratio(int64_t j) const;
  /// The same model keeping only the first j components.
  PCA truncated(int64_t j) const;
  const PcaFitReport& report() const { return report_; }

 private:
  Tensor mean_;
  Tensor components_;
  std::vector<double> eigenvalues_;
  double total_variance_ = 0;
  PcaFitReport report_;
};

}  // namespace ae::nn
