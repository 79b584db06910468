#pragma once
// AutoRec: an autoencoder that completes a rating matrix (Sedhain, Menon, Sanner and Xie,
// "AutoRec: Autoencoders Meet Collaborative Filtering", WWW 2015; lecture 001, "An
// Autoencoder based Approach").
//
// I-AutoRec reconstructs each item's vector of ratings r^(i) ∈ R^users (U-AutoRec each
// user's r^(u) ∈ R^items), unknown ratings entered as 0:
//   h(r) = V sigmoid(W r + μ) + b          (sigmoid encoder, identity decoder)
// and is trained on the observed entries only, with L2 weight decay:
//   min  Σ_rows ‖r - h(r)‖²_O + (λ/2) (‖W‖²_F + ‖V‖²_F)
// where ‖·‖²_O sums over the observed entries of the row. A missing entry adds nothing to
// the loss, so the output weights that produce it receive exactly zero gradient from it:
// "only the weights connected to observed ratings are updated". The prediction for (u, i)
// is h(r^(i))_u, read off the reconstruction of the item's row.
//
// The paper finds I-AutoRec better and says why: the average number of ratings per item is
// much larger than per user (ML-1M: ~270 vs ~165), and the number of ratings per user varies
// a lot, which makes user-based prediction less reliable. On ml-100k an item has ~59 ratings
// and a user ~106, but the item model still has more training rows (1,682 items vs 943
// users) and fewer weights (943 inputs vs 1,682) to fit from them.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nn/layers.hpp"
#include "nn/losses.hpp"
#include "nn/module.hpp"
#include "nn/recommender.hpp"
#include "tensor/random.hpp"

namespace ae::nn {

/// The AutoRec network: inputs -> hidden (sigmoid) -> inputs (identity).
class AutoRec : public Module {
 public:
  AutoRec(int64_t inputs, int64_t hidden, Generator& gen);
  /// h(r) = V sigmoid(W r + μ) + b for a batch of rows (batch, inputs).
  Variable forward(const Variable& x) override;
  /// sigmoid(W r + μ): the row's code (batch, hidden).
  Variable encode(const Variable& x);
  std::string describe() const override;

  std::shared_ptr<Linear> encoder;  ///< W, μ
  std::shared_ptr<Linear> decoder;  ///< V, b
};

/// The AutoRec objective on a batch of `rows` rows taken from a data set of `data_rows` rows:
///   "reconstruction": (1/rows) Σ_observed (h(r) - r)²
///   "weight decay":   (λ / (2 data_rows)) (‖W‖²_F + ‖V‖²_F)
/// Summed over the batches of an epoch this is the paper's objective divided by data_rows, so
/// it has the same minimiser, and batch sizes do not change its scale. ratings and mask have
/// shape (rows, inputs); biases are not decayed (as in the paper).
LossTerms autorec_loss(AutoRec& model, const Tensor& ratings, const Tensor& mask, float lambda,
                       int64_t data_rows);

enum class AutoRecKind {
  ItemBased,  ///< I-AutoRec: one input row per item (inputs = users)
  UserBased   ///< U-AutoRec: one input row per user (inputs = items)
};

struct AutoRecOptions {
  AutoRecKind kind = AutoRecKind::ItemBased;
  int64_t hidden = 500;
  float lambda = 1.0f;  ///< λ of the weight decay
  int epochs = 30;
  int64_t batch_size = 32;
  float lr = 1e-3f;  ///< Adam's learning rate
  uint64_t seed = 0;
  /// Score with these held-out ratings after every epoch (monitor_rmse); none when empty.
  /// Only watched, never used to stop or choose.
  std::vector<Rating> monitor;
  /// Validation ratings carved from the training data (never the test fold): with them,
  /// training stops once the validation RMSE has not improved for `patience` epochs, and
  /// the model returned is the one of the best epoch (best_epoch).
  std::vector<Rating> validation;
  int patience = 10;
};

struct AutoRecResult {
  std::shared_ptr<AutoRec> model;
  /// (users, items) estimates, clipped, with 3 stars for users / items without training
  /// ratings (the paper's default).
  std::unique_ptr<MatrixPredictor> predictor;
  std::vector<double> train_rmse;    ///< per epoch, on the training ratings
  std::vector<double> monitor_rmse;  ///< per epoch, on options.monitor (empty without)
  std::vector<double> validation_rmse;  ///< per epoch, on options.validation (empty without)
  /// The epoch whose model is returned: the lowest validation RMSE, or the last epoch.
  int best_epoch = 0;
  double seconds = 0;                ///< wall time of the training
};

/// The AutoRec input for one kind: the rating matrix as rows to reconstruct, (items, users)
/// for I-AutoRec and (users, items) for U-AutoRec, with its mask.
RatingMatrix autorec_rows(const std::vector<Rating>& train, int64_t users, int64_t items,
                          AutoRecKind kind);

/// The (users, items) reconstruction of every row (evaluation mode, no graph).
Tensor autorec_estimates(AutoRec& model, const RatingMatrix& rows, AutoRecKind kind);

/// Trains I- or U-AutoRec with Adam on the training ratings (fit, nn/train.hpp), one epoch
/// at a time, with early stopping when options.validation is given. Throws ae::Error on
/// bad options or a validation rating outside the grid.
AutoRecResult train_autorec(const std::vector<Rating>& train, int64_t users, int64_t items,
                            const AutoRecOptions& options);

}  // namespace ae::nn
