#pragma once
// fit — the training loop every chapter uses.
//
// The loop is generic: it knows batches, epochs, timing and bookkeeping, and leaves what
// a step computes to a closure. The common case is a loss closure, and fit does
// zero_grad / backward / optimizer step around it:
//
//   Dataset train(images);                 // rows = samples; more tensors for targets, masks
//   auto history = fit(model, adam, train, [&](const Batch& b) {
//     return mse(model(b[0]), b[0]);       // an autoencoder reconstructs its input
//   }, {.epochs = 10, .eval_data = Dataset(test_images)});
//
// A model that needs more than one optimizer or a custom update (adversarial training,
// alternating schemes) passes a StepFn to fit_steps instead.
//
// Every epoch: a fresh shuffle from the seed, the progress bar on stderr, an evaluation on
// the held-out set (evaluation mode, no graph), an entry in the History, and the optional
// checkpoints. A loss that turns NaN or infinite stops training with an ae::Error naming
// the epoch and the batch; the step that produced it is not applied.
//
// fit turns flush-to-zero / denormals-are-zero on (linalg/fpmode.hpp) for the calling
// thread and the OpenMP threads, and leaves it on: late in training, denormal gradients and
// Adam moments would otherwise slow epochs by tens of percent.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "autograd/variable.hpp"
#include "nn/module.hpp"
#include "nn/optim.hpp"
#include "nn/progress.hpp"

namespace ae::nn {

/// Tensors that share their first axis (samples): inputs, and targets or masks if any.
class Dataset {
 public:
  Dataset() = default;
  Dataset(Tensor x);  // NOLINT(google-explicit-constructor): a Tensor is a one-column data set
  explicit Dataset(std::vector<Tensor> tensors);
  bool empty() const { return tensors_.empty(); }
  /// Number of samples (rows).
  int64_t size() const;
  const std::vector<Tensor>& tensors() const { return tensors_; }

 private:
  std::vector<Tensor> tensors_;
};

/// One mini-batch: the same rows of every tensor of the data set.
struct Batch {
  std::vector<Tensor> tensors;       ///< rows of each data set tensor, in data set order
  std::span<const int64_t> indices;  ///< which samples (valid during the step only)
  int epoch = 0;                     ///< 1-based
  int64_t index = 0;                 ///< 0-based batch number within the epoch

  const Tensor& operator[](std::size_t i) const { return tensors.at(i); }
  int64_t size() const { return tensors.empty() ? 0 : tensors[0].shape()[0]; }
};

/// Computes a batch's loss (a one-element Variable, recorded for backward).
using LossFn = std::function<Variable(const Batch&)>;
/// Does a whole training step on a batch and returns its loss value.
using StepFn = std::function<double(const Batch&)>;

struct EpochStats {
  int epoch = 0;          ///< 1-based
  double train_loss = 0;  ///< mean of the batch losses, weighted by batch size
  double eval_loss = std::numeric_limits<double>::quiet_NaN();  ///< NaN without eval data
  double seconds = 0;  ///< wall time of the training steps (evaluation excluded)
  double samples_per_second = 0;
  int64_t samples = 0;
};

struct History {
  std::vector<EpochStats> epochs;
  std::vector<double> train_losses() const;
  std::vector<double> eval_losses() const;
  /// 1-based epoch with the lowest eval loss (train loss without eval data); 0 when empty.
  int best_epoch() const;
  double total_seconds() const;
};

struct FitOptions {
  int epochs = 1;
  int64_t batch_size = 128;
  bool shuffle = true;     ///< a fresh permutation every epoch
  bool drop_last = false;  ///< drop a last, smaller batch
  uint64_t seed = 0;       ///< of the shuffling
  /// Held-out data, evaluated after every epoch (with eval_loss, or the training loss).
  Dataset eval_data;
  LossFn eval_loss;
  int64_t eval_batch_size = 1000;
  ProgressMode progress = ProgressMode::Auto;
  std::ostream* progress_stream = nullptr;  ///< default: std::cerr
  std::string label = "epoch";              ///< progress lines start "<label> 3/10"
  /// When set, the model with the best eval loss (train loss without eval data) so far.
  std::filesystem::path best_checkpoint;
  /// When set, the model after every epoch, and the optimizer's state next to it in
  /// "<file>.optim", so a stopped run loses at most one epoch.
  std::filesystem::path last_checkpoint;
  /// Called after each epoch's bookkeeping (e.g. to log, to change the learning rate).
  std::function<void(const EpochStats&)> on_epoch_end;
};

/// Trains with `loss` and `optimizer`: for every batch, zero_grad, loss, backward, step.
History fit(Module& model, Optimizer& optimizer, const Dataset& train, const LossFn& loss,
            const FitOptions& options = {});

/// Trains with a custom step. `eval` (optional) gives an evaluation batch's loss; without
/// it there is no evaluation even with eval_data. Checkpoints hold the model only unless
/// an optimizer is passed.
History fit_steps(Module& model, const Dataset& train, const StepFn& step, const LossFn& eval,
                  const FitOptions& options = {}, Optimizer* optimizer = nullptr);

/// The loss over a whole data set, in evaluation mode and without a graph: the batch
/// losses weighted by batch size (exact for losses that are means over rows or pixels).
double evaluate(Module& model, const Dataset& data, const LossFn& loss, int64_t batch_size = 1000);

}  // namespace ae::nn
