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
// A loss with parts returns them named (LossTerms, nn/losses.hpp), and the History keeps
// each part per epoch, on the training and the held-out data:
//
//   auto history = fit(model, adam, train, [&](const Batch& b) {
//     const Variable h = model.encoder()(b[0]);
//     return LossTerms{{"reconstruction", mse(model.decoder()(h), b[0])},
//                      {"sparsity", beta * kl_sparsity(rho, mean_activation(h))}};
//   }, {.epochs = 10, .lr_schedule = LrSchedule::cut_last(0.25, 0.1)});
//   history.train_term("sparsity");     // one mean per epoch
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
#include <string_view>
#include <vector>

#include "autograd/variable.hpp"
#include "nn/losses.hpp"
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

/// Computes a batch's loss: its named terms, each a one-element Variable recorded for
/// backward. A closure returning a plain Variable fits too (one term, "loss").
using LossFn = std::function<LossTerms(const Batch&)>;

/// A loss as numbers: the total and its named terms. A plain double is one term, "loss".
struct LossValues {
  double total = 0;
  NamedValues terms;
  LossValues(double loss);  // NOLINT(google-explicit-constructor): one term, "loss"
  /// total = Σ terms.
  explicit LossValues(NamedValues named_terms);
};

/// Does a whole training step on a batch and returns its loss (a double, or LossValues
/// for a loss with named terms).
using StepFn = std::function<LossValues(const Batch&)>;

struct EpochStats {
  int epoch = 0;          ///< 1-based
  double train_loss = 0;  ///< mean of the batch losses, weighted by batch size
  double eval_loss = std::numeric_limits<double>::quiet_NaN();  ///< NaN without eval data
  /// Each named term's mean over the epoch's batches, weighted like train_loss, in the
  /// loss's order; they add up to train_loss. A loss without parts has one term, "loss".
  NamedValues train_terms;
  NamedValues eval_terms;  ///< the same on the held-out data; empty without eval data
  /// The optimizer's learning rate during the epoch; NaN when fit_steps has no optimizer.
  double learning_rate = std::numeric_limits<double>::quiet_NaN();
  double seconds = 0;  ///< wall time of the training steps (evaluation excluded)
  double samples_per_second = 0;
  int64_t samples = 0;
};

struct History {
  std::vector<EpochStats> epochs;
  std::vector<double> train_losses() const;
  std::vector<double> eval_losses() const;
  /// The names of the loss's terms, in order of first appearance.
  std::vector<std::string> term_names() const;
  /// The term's mean per epoch on the training data (NaN in an epoch without it). Throws
  /// ae::Error naming the terms there are when no epoch has it.
  std::vector<double> train_term(std::string_view name) const;
  /// The same on the held-out data (NaN without eval data).
  std::vector<double> eval_term(std::string_view name) const;
  std::vector<double> learning_rates() const;
  /// 1-based epoch with the lowest eval loss (train loss without eval data); 0 when empty.
  int best_epoch() const;
  double total_seconds() const;
};

struct FitOptions {
  int epochs = 1;
  /// The first epoch to train (1-based): a resumed run passes the epochs done + 1. The
  /// epochs before it are taken as done: their shuffles are drawn and dropped, so the later
  /// epochs see the batches of an uninterrupted run, and the learning-rate schedule goes on
  /// where it stopped. The History holds the epochs trained in this call only.
  int first_epoch = 1;
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
  /// The learning rate of each epoch, as a factor of the optimizer's rate when fit starts,
  /// set at the start of every epoch. The default (constant) leaves the rate alone.
  LrSchedule lr_schedule;
  /// Called after each epoch's bookkeeping (e.g. to log).
  std::function<void(const EpochStats&)> on_epoch_end;
};

/// Trains with `loss` and `optimizer`: for every batch, zero_grad, loss, backward, step.
History fit(Module& model, Optimizer& optimizer, const Dataset& train, const LossFn& loss,
            const FitOptions& options = {});

/// Trains with a custom step. `eval` (optional) gives an evaluation batch's loss; without
/// it there is no evaluation even with eval_data. Checkpoints hold the model only unless
/// an optimizer is passed; a learning-rate schedule needs it (ae::Error otherwise).
History fit_steps(Module& model, const Dataset& train, const StepFn& step, const LossFn& eval,
                  const FitOptions& options = {}, Optimizer* optimizer = nullptr);

/// The loss over a whole data set, in evaluation mode and without a graph: the batch
/// losses weighted by batch size (exact for losses that are means over rows or pixels).
double evaluate(Module& model, const Dataset& data, const LossFn& loss, int64_t batch_size = 1000);
/// The same with each named term's mean, weighted the same way.
LossValues evaluate_terms(Module& model, const Dataset& data, const LossFn& loss,
                          int64_t batch_size = 1000);

}  // namespace ae::nn
