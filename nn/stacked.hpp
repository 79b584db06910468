#pragma once
// Stacked autoencoders: greedy layer-wise pre-training, a softmax classifier on the top code,
// and fine-tuning of the whole stack (lectures 000 and 002; UFLDL's "Stacked Autoencoders";
// Bengio et al., "Greedy layer-wise training of deep networks", NIPS 2007; Vincent et al.,
// "Stacked denoising autoencoders", JMLR 2010).
//
// Greedy pre-training: autoencoder 1 learns h1 = sigmoid(W1 x + b1) by rebuilding x; it is then
// frozen and autoencoder 2 learns h2 = sigmoid(W2 h1 + b2) by rebuilding h1, and so on. Each
// layer only ever sees the codes of the layers below as fixed data, so nothing flows back into
// them. The encoders, stacked, with a softmax layer on h_L, initialise a deep classifier that
// backpropagation then fine-tunes as one network.
//
// Two kinds of layer are trained here:
//
// The UFLDL sparse autoencoder (sigmoid hidden and output units, untied weights), cost over
// m examples, minimised by full-batch L-BFGS:
//   J = (1/2m) Σ_i ||x̂_i - x_i||²  +  (λ/2)(||W||²_F + ||W'||²_F)  +  β Σ_j KL(ρ || ρ̂_j)
//   ρ̂_j = (1/m) Σ_i h_ij,   KL(ρ || ρ̂) = ρ log(ρ/ρ̂) + (1 - ρ) log((1 - ρ)/(1 - ρ̂))
// (UFLDL's sparseAutoencoderCost; its three parts are the LossTerms "reconstruction",
// "weight decay" and "sparsity").
//
// The denoising autoencoder of Vincent et al. (tied weights W' = Wᵀ, sigmoid units, masking
// noise that zeroes each input with probability v), trained by minibatch SGD on the
// cross-entropy between the clean input and the reconstruction of its corrupted copy:
//   L = (1/batch) Σ_i Σ_k -[x_ik log x̂_ik + (1 - x_ik) log(1 - x̂_ik)],   x̂ = g(f(x̃))
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "autograd/variable.hpp"
#include "nn/layers.hpp"
#include "nn/lbfgs.hpp"
#include "nn/losses.hpp"
#include "nn/module.hpp"
#include "nn/train.hpp"
#include "tensor/random.hpp"

namespace ae::nn {

/// One autoencoder of a stack: the encoder h = sigmoid(W x + b) that the stack keeps, and the
/// decoder x̂ = sigmoid(decoder(h)) used only while the layer is trained (a Linear, or a
/// TiedLinear sharing W).
struct AutoencoderLayer {
  std::shared_ptr<Linear> encoder;
  ModulePtr decoder;

  /// sigmoid(W x + b) for the rows of x, without a graph.
  Tensor encode(const Tensor& x) const;
  /// sigmoid(decoder(encode(x))), without a graph.
  Tensor reconstruct(const Tensor& x) const;
};

// ---- the UFLDL sparse autoencoder --------------------------------------------------------

struct SparseAutoencoderOptions {
  double sparsity_target = 0.1;  ///< ρ (UFLDL's sparsityParam)
  double sparsity_weight = 3;    ///< β
  double weight_decay = 3e-3;    ///< λ
  LbfgsOptions lbfgs{};          ///< 400 iterations by default, as UFLDL
};

/// J above (computed by nn/sparse_autoencoder.hpp's one sparse autoencoder cost, with the KL
/// penalty), as the named terms "reconstruction", "weight decay" and "sparsity", for the
/// encoder (in -> hidden) and decoder (hidden -> in) on the whole batch x (m, in). Throws
/// ae::Error naming the shapes when they do not fit, or when ρ is outside (0, 1).
LossTerms sparse_autoencoder_cost(Linear& encoder, Linear& decoder, const Variable& x,
                                  const SparseAutoencoderOptions& options);

struct SparseAutoencoderFit {
  AutoencoderLayer layer;
  LbfgsReport report;
};

/// Trains an in -> hidden -> in sparse autoencoder on x (m, in) by L-BFGS from UFLDL's start:
/// W, W' ~ U(-r, r) with r = sqrt(6 / (in + hidden + 1)), biases 0.
SparseAutoencoderFit train_sparse_autoencoder(const Tensor& x, int64_t hidden, Generator& gen,
                                              const SparseAutoencoderOptions& options = {},
                                              const LbfgsMonitor& monitor = {});

// ---- the denoising autoencoder (Vincent et al. 2010) ---------------------------------------

struct DenoisingAutoencoderOptions {
  float corruption = 0.1f;   ///< v: the probability that masking noise zeroes an input
  int epochs = 15;           ///< the Theano tutorial's pretraining_epochs
  float learning_rate = 0.01f;
  int64_t batch_size = 10;
  uint64_t seed = 0;         ///< of the shuffling and the noise
  std::function<void(const EpochStats&)> on_epoch_end;
};

struct DenoisingAutoencoderFit {
  AutoencoderLayer layer;
  History history;
};

/// Trains an in -> hidden -> in denoising autoencoder with tied weights on x (m, in), pixels
/// in [0, 1], by SGD. W ~ U(-4a, 4a) with a = sqrt(6 / (in + hidden)) (Glorot and Bengio's
/// range for sigmoid units, as the Theano tutorial), biases 0. Throws ae::Error for a
/// corruption outside [0, 1).
DenoisingAutoencoderFit train_denoising_autoencoder(const Tensor& x, int64_t hidden, Generator& gen,
                                                    const DenoisingAutoencoderOptions& options = {});

// ---- the stack -----------------------------------------------------------------------------

/// Trains the autoencoder of one layer: `layer` counts from 0, `input` is the data (layer 0)
/// or the codes of the layers below, `hidden` the size of its code.
using LayerTrainer = std::function<AutoencoderLayer(std::size_t layer, const Tensor& input, int64_t hidden)>;
/// Called after each layer with its number and the codes it gives of the training data.
using LayerDone = std::function<void(std::size_t layer, const AutoencoderLayer& trained, const Tensor& codes)>;

/// Greedy layer-wise pre-training: layer l is trained by `train_layer` on the codes of the
/// frozen layers 0..l-1 (computed once, without a graph). hidden = {200, 200} gives two
/// layers. Throws ae::Error for no layer or a size below 1.
std::vector<AutoencoderLayer> greedy_pretrain(const Tensor& x, const std::vector<int64_t>& hidden,
                                              const LayerTrainer& train_layer, const LayerDone& done = {});

/// The deep network x → sigmoid(W1 x + b1) → ... → sigmoid(W_L h + b_L) → softmax layer (logits).
class StackedClassifier : public Module {
 public:
  /// Throws ae::Error when a layer's input does not match the size below it, or the softmax
  /// layer's input the top code.
  StackedClassifier(std::vector<std::shared_ptr<Linear>> encoders, std::shared_ptr<Linear> softmax);
  /// The encoders of pre-trained layers (shared, not copied) and a new softmax layer.
  static std::shared_ptr<StackedClassifier> from_layers(const std::vector<AutoencoderLayer>& layers,
                                                        int64_t classes, Generator& gen);

  /// The logits (batch, classes).
  Variable forward(const Variable& x) override;
  /// The top code h_L, recorded for backward.
  Variable features(const Variable& x);
  /// The top code without a graph.
  Tensor encode(const Tensor& x);
  /// The predicted class of each row, without a graph.
  std::vector<int> predict(const Tensor& x);
  std::string describe() const override;

  const std::vector<std::shared_ptr<Linear>>& encoders() const { return encoders_; }
  Linear& softmax() const { return *softmax_; }
  /// A deep copy: the same values in new parameters.
  std::shared_ptr<StackedClassifier> clone() const;

 private:
  std::vector<std::shared_ptr<Linear>> encoders_;
  std::shared_ptr<Linear> softmax_;
};

/// A new Linear holding copies of `layer`'s weight and bias.
std::shared_ptr<Linear> copy_linear(const Linear& layer);

struct FineTuneOptions {
  double weight_decay = 1e-4;  ///< λ on the softmax weights only, as UFLDL's stackedAECost
  LbfgsOptions lbfgs{};
};

/// Fine-tuning by backpropagation through the whole stack, full batch, by L-BFGS on UFLDL's
///   J = -(1/m) Σ_i log p(y_i | x_i) + (λ/2) ||W_softmax||²_F
/// (softmax_cost on the stack's top code). Labels must lie in [0, classes).
LbfgsReport fine_tune_lbfgs(StackedClassifier& network, const Tensor& x, std::span<const int> labels,
                            const FineTuneOptions& options = {}, const LbfgsMonitor& monitor = {});

struct EarlyStoppingOptions {
  int max_epochs = 1000;
  int patience = 10;           ///< epochs without a better validation error before stopping
  float learning_rate = 0.1f;  ///< the Theano tutorial's finetune_lr
  int64_t batch_size = 10;
  uint64_t seed = 0;
  /// After each epoch: its number, the training loss and the validation error.
  std::function<void(int epoch, double train_loss, double validation_error)> on_epoch_end;
};

struct EarlyStoppingReport {
  int epochs = 0;              ///< epochs trained
  int best_epoch = 0;          ///< the epoch whose parameters the network ends with
  double best_validation_error = 1;
};

/// Supervised fine-tuning by minibatch SGD on the mean cross-entropy, with early stopping on a
/// validation split: after every epoch the validation error (share misclassified) is measured,
/// and the network ends with the parameters of the best epoch.
EarlyStoppingReport fine_tune_sgd(StackedClassifier& network, const Tensor& x, std::span<const int> labels,
                                  const Tensor& validation_x, std::span<const int> validation_labels,
                                  const EarlyStoppingOptions& options = {});

/// Features of a higher layer drawn in pixel space: row j of W_l · ... · W_2 · W_1 (each W
/// (out, in)), the weighted combination of first-layer filters that unit j of layer l reads
/// most strongly (UFLDL and Erhan et al. 2009 show second-layer features this way, a linear
/// approximation that ignores the sigmoids in between). weights = {W1, W2, ...}; returns
/// (units of the last, in of the first).
Tensor composed_filters(const std::vector<Tensor>& weights);

}  // namespace ae::nn
