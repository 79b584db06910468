#pragma once
// The sparse autoencoder of the UFLDL tutorial (Ng, "Sparse autoencoder", CS294A notes) and
// lectures 001 and 003: one hidden layer of sigmoid units, h = σ(W1 x + b1), x̂ = σ(W2 h + b2),
// trained on the whole data set at once by L-BFGS on
//
//   J = (1/2m) Σ_i ||x̂_i - x_i||²                      "reconstruction"
//     + (λ/2) (||W1||²_F + ||W2||²_F)                  "weight decay"  (biases are not decayed)
//     + β Σ_j KL(ρ || ρ̂_j),  ρ̂_j = (1/m) Σ_i h_ij      "sparsity"      (KL penalty, lecture 003)
//   or + β (1/m) Σ_i Σ_j |h_ij|                         "sparsity"      (L1 penalty, lectures 001, 003)
//
// with KL(ρ || ρ̂) = ρ log(ρ/ρ̂) + (1 - ρ) log((1 - ρ)/(1 - ρ̂)). The cost comes back as named
// terms (LossTerms), so tables and the L-BFGS monitor can show each part.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nn/autoencoder.hpp"
#include "nn/lbfgs.hpp"
#include "nn/losses.hpp"
#include "tensor/random.hpp"

namespace ae::nn {

enum class SparsityPenalty { None, L1, KL };
std::string to_string(SparsityPenalty p);

/// The weights of UFLDL's cost (its sparse autoencoder exercise: ρ = 0.1, β = 3, λ = 3e-3).
struct SparseAeCost {
  SparsityPenalty penalty = SparsityPenalty::KL;
  float rho = 0.1f;            ///< target mean activation ρ (KL only), in (0, 1)
  double beta = 3.0;           ///< weight β of the sparsity term (KL or L1), >= 0
  double weight_decay = 3e-3;  ///< λ, >= 0
};

/// d - k - d with sigmoid hidden and output units, weights ~ U(-r, r) with
/// r = sqrt(6 / (d + k)) (UFLDL's initialisation uses d + k + 1) and biases 0.
std::shared_ptr<Autoencoder> sigmoid_autoencoder(int64_t d, int64_t k, Generator& gen, std::string name = "");

/// The first layer's weight W1 (k x d) and the decoder's W2 (d x k) of a one-hidden-layer
/// autoencoder (encoder and decoder each start with a Linear); ae::Error otherwise.
Linear& encoder_linear(Autoencoder& model);
Linear& decoder_linear(Autoencoder& model);

/// J above on the batch x (m x d) as terms "reconstruction", "sparsity" (left out when the
/// penalty is None or β = 0) and "weight decay" (left out when λ = 0). The hidden code is
/// model.encoder()(x); for the KL penalty it must lie in (0, 1) (a sigmoid code).
/// Throws ae::Error when x's width is not the model's input size or a weight is out of range.
LossTerms sparse_autoencoder_cost(Autoencoder& model, const Variable& x, const SparseAeCost& cost);

/// J for an explicit pair of layers, h = σ(encoder(x)), x̂ = σ(decoder(h)): the same terms,
/// for the layers of a stack (nn/stacked.hpp). Throws ae::Error naming the shapes when the
/// layers and x do not fit.
LossTerms sparse_autoencoder_cost(Linear& encoder, Linear& decoder, const Variable& x, const SparseAeCost& cost);

/// Minimises J on all of x by L-BFGS (full batch, as UFLDL trains). The monitor sees the
/// iteration and J after it.
LbfgsReport fit_sparse_autoencoder(Autoencoder& model, const Tensor& x, const SparseAeCost& cost,
                                   const LbfgsOptions& options = {}, const LbfgsMonitor& monitor = {});


}  // namespace ae::nn
