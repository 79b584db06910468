#pragma once
// Losses and penalties. Each returns a 0-d Variable, differentiable in its Variable inputs.
//
// Reductions. The reconstruction losses (mse, bce, bce_with_logits) take a Reduction:
//   Mean (default): the mean over ALL elements, e.g. over batch x pixels — PyTorch's
//                   default; a per-pixel error, comparable across batch sizes.
//   Sum:            the sum over all elements (the VAE's "nats per batch" convention).
// The others say in their own comment what they average or sum over.
//
// Stability. Nothing here takes log(0) or exp of a large number:
//   bce clamps the argument of each log at the smallest normal float (log >= -87.3; PyTorch
//   clamps at -100, a bound float32 cannot reach with a normal number), bce_with_logits and
//   cross_entropy are written with softplus / log-sum-exp, and kl_sparsity clamps rho_hat
//   into (0, 1).
//
// Named terms. A regularised autoencoder minimises a sum whose parts the lectures plot
// separately (reconstruction + sparsity, + contraction, + KL, masked error + L2); a loss
// closure returns them as LossTerms, and fit keeps each one per epoch (nn/train.hpp).
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "autograd/variable.hpp"

namespace ae::nn {

enum class Reduction { Mean, Sum };

/// One named part of a loss, e.g. {"sparsity", beta * kl_sparsity(rho, rho_hat)}.
struct LossTerm {
  std::string name;
  Variable value;  ///< one element, recorded for backward
};

/// A loss as an ordered list of named terms; the loss is their sum, total().
///
///   return LossTerms{{"reconstruction", mse(x_hat, x)}, {"sparsity", beta * kl}};
///
/// A plain Variable converts to one term named "loss", so a closure that returns a Variable
/// is still a loss function for fit. Names are unique and non-empty.
class LossTerms {
 public:
  LossTerms() = default;
  LossTerms(Variable loss);  // NOLINT(google-explicit-constructor): one term, "loss"
  LossTerms(std::initializer_list<LossTerm> terms);

  /// Appends a term; returns *this so calls chain. Throws ae::Error for an empty or
  /// repeated name or an undefined value.
  LossTerms& add(std::string name, Variable value);

  const std::vector<LossTerm>& terms() const { return terms_; }
  std::size_t size() const { return terms_.size(); }
  bool empty() const { return terms_.empty(); }
  /// The term called `name`; throws ae::Error listing the names there are.
  const Variable& operator[](std::string_view name) const;
  /// Σ terms, recorded for backward (the term itself when there is one). Throws ae::Error
  /// when there is no term or a term has more than one element.
  Variable total() const;

 private:
  std::vector<LossTerm> terms_;
};

/// Mean squared error  (1/n) sum_i (pred_i - target_i)^2  over all n elements (or the sum).
/// pred and target have the same shape.
Variable mse(const Variable& pred, const Variable& target, Reduction r = Reduction::Mean);

/// Binary cross-entropy on probabilities p in [0, 1]:
///   -[t log p + (1 - t) log(1 - p)]   per element, each log clamped at about -87.3,
/// so p = 0 or 1 gives a large finite loss, not inf. Targets t in [0, 1] (pixel
/// intensities are fine, not only 0/1).
Variable bce(const Variable& prob, const Variable& target, Reduction r = Reduction::Mean);

/// Binary cross-entropy on logits x, p = sigmoid(x), computed without forming p:
///   softplus(x) - t x  =  max(x, 0) - t x + log(1 + e^-|x|)      d/dx = sigmoid(x) - t
Variable bce_with_logits(const Variable& logits, const Variable& target,
                         Reduction r = Reduction::Mean);

/// Softmax cross-entropy over logits (batch, classes) with one class index per row:
///   (1/batch) sum_rows [ logsumexp(x_row) - x_row[label] ]
/// (mean over rows; Sum gives the total). Labels must lie in [0, classes).
Variable cross_entropy(const Variable& logits, const std::vector<int64_t>& labels,
                       Reduction r = Reduction::Mean);
/// The same with labels as data::ImageSet holds them.
Variable cross_entropy(const Variable& logits, std::span<const int> labels,
                       Reduction r = Reduction::Mean);

/// Squared error over the observed entries only (mask 1 = observed, 0 = missing):
///   sum_i m_i (pred_i - target_i)^2 / sum_i m_i
/// — the mean over observed entries (Sum: their sum). Missing entries give no gradient,
/// whatever their target holds. mask has pred's shape; with no observed entry, throws.
Variable masked_mse(const Variable& pred, const Variable& target, const Tensor& mask,
                    Reduction r = Reduction::Mean);

/// L1 activity penalty on a batch of codes h (batch, units):
///   (1/batch) sum_{rows, units} |h|   — summed over units, averaged over the batch.
/// Multiply by the penalty weight lambda yourself.
Variable l1_activity(const Variable& h);

/// KL sparsity penalty (Ng's sparse autoencoder notes), summed over hidden units j:
///   sum_j  rho log(rho / rho_hat_j) + (1 - rho) log((1 - rho) / (1 - rho_hat_j))
/// rho_hat holds each unit's mean activation over the batch (see mean_activation); it is
/// clamped into [1e-6, 1 - 1e-6]. rho must lie in (0, 1).
Variable kl_sparsity(float rho, const Variable& rho_hat);
/// rho_hat for kl_sparsity: the mean of each unit over the batch, h (batch, units) -> (units).
Variable mean_activation(const Variable& h);

/// KL divergence of the diagonal Gaussian N(mu, exp(logvar)) to N(0, I):
///   KL = -1/2 sum_j (1 + logvar_j - mu_j^2 - exp(logvar_j))
/// summed over latent units j; Mean (default) averages it over the batch rows,
/// Sum adds the rows up (the PyTorch VAE example's convention). mu, logvar: (batch, latent).
Variable gaussian_kl(const Variable& mu, const Variable& logvar, Reduction r = Reduction::Mean);

}  // namespace ae::nn
