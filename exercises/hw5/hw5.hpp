#pragma once
// HW5 — recommender systems: neighbourhood collaborative filtering and AutoRec (lectures 000
// and 001).
//
// A rating matrix R holds what n users said about m items; most entries are unknown, and a
// recommender fills them in. Task 1 writes the cosine similarity of two sparse rating
// vectors, task 2 the item-based prediction of lecture 000 built on it, task 3 the masked
// loss of AutoRec (lecture 001: "only observed ratings update W") and its gradient, task 4
// the offline evaluation protocol (folds, baselines from the training fold only, RMSE), and
// task 5 shows on MovieLens-100K that an item-based AutoRec predicts held-out ratings better
// than every item's mean rating.
//
// The student writes the functions marked "Task N" in similarity.cpp (tasks 1 and 2),
// autorec.cpp (task 3), evaluation.cpp (task 4) and experiment.cpp (task 5). The functions
// marked "Given" are written already (support.cpp). README.md has the points.
//
// Conventions: a rating is a number of stars > 0 (MovieLens: 1 .. 5), and 0 means "not
// rated". A rating vector (1-D) or matrix (2-D) is dense, with 0 at the unknown entries;
// in a rating matrix R (n x m) row u is user u and column i item i.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "autograd/variable.hpp"
#include "nn/data/movielens.hpp"
#include "tensor/random.hpp"
#include "tensor/tensor.hpp"

namespace ae::hw5 {

using data::Rating;

// ============ Task 1 (15 points): cosine similarity over co-rated entries ============

/// The cosine similarity of two rating vectors a and b (1-D, the same length) over their
/// CO-RATED entries only, C = { j : a_j != 0 and b_j != 0 }:
///   s(a, b) = Σ_{j∈C} a_j b_j / ( sqrt(Σ_{j∈C} a_j²) · sqrt(Σ_{j∈C} b_j²) ).
/// An entry only one of the two rated says nothing about how alike they are, so it counts
/// in neither the product nor the norms. With no co-rated entry (C empty) the result is 0:
/// no evidence of similarity, so such a pair never acts as a neighbour (task 2 uses only
/// positive similarities). Accumulate in double.
double cosine_similarity(const Tensor& a, const Tensor& b);

// ============ Task 2 (20 points): the item-based prediction ============

/// The item-based CF prediction of lecture 000 for user u and item i, from a rating matrix
/// R (n x m) and item similarities S (m x m, S_ij the similarity of items i and j):
///   neighbours N: the (at most) k items j != i that user u has rated (R_uj != 0) with
///                 S_ij > 0, the most similar first (equal similarities: smaller j first);
///   plain         P_ui = Σ_{j∈N} S_ij R_uj / Σ_{j∈N} S_ij;
///   mean-centred  P_ui = μ_i + Σ_{j∈N} S_ij (R_uj - μ_j) / Σ_{j∈N} S_ij,
/// where μ_j is the mean of item j's ratings in R (over the users who rated it). When N is
/// empty both give μ_i, and when item i has no rating either, the mean of all of R's
/// ratings (0 when R has none). k >= 1; 0 <= u < n, 0 <= i < m. Accumulate in double.
double predict_item_based(const Tensor& R, const Tensor& S, int64_t u, int64_t i, int64_t k,
                          bool mean_centred);

// ============ Task 3 (20 points): the masked AutoRec loss ============

/// AutoRec (Sedhain et al., 2015) reconstructs a batch of rating vectors X (b x d, one per
/// row; 0 = unobserved) as X̂ (b x d). Only the observed entries O = { (r, j) : X_rj != 0 }
/// count, so the loss is the squared error averaged over O, plus L2 weight decay on the two
/// weight matrices W (d x h) and V (h x d):
///   L = (1/|O|) Σ_{(r,j)∈O} (X̂_rj - X_rj)²  +  (λ/2) (||W||²_F + ||V||²_F).
/// λ >= 0. X̂'s unobserved entries do not matter. ae::Error when X has no observed entry.
/// Accumulate in double.
double autorec_loss(const Tensor& X_hat, const Tensor& X, const Tensor& W, const Tensor& V,
                    double lambda);

/// dL/dX̂ (b x d), by hand: 2 (X̂_rj - X_rj) / |O| at an observed entry and exactly 0 at an
/// unobserved one, so back-propagating it changes no weight through a rating nobody gave
/// (the weight decay does not depend on X̂).
Tensor autorec_loss_grad(const Tensor& X_hat, const Tensor& X);

// ============ Task 4 (20 points): the evaluation protocol ============

/// k folds of the rating indices 0 .. num_ratings-1: a seeded random permutation of them
/// (draw from Generator(seed)) cut into k consecutive pieces, fold f holding positions
/// [f N / k, (f + 1) N / k) of the permutation (integer division, N = num_ratings). So the
/// folds are disjoint, cover every rating exactly once and differ in size by at most one.
/// 1 <= k <= num_ratings.
using Folds = std::vector<std::vector<int64_t>>;
Folds k_fold_split(int64_t num_ratings, int64_t k, uint64_t seed);

/// The mean rating of every item 0 .. num_items-1 over `ratings`; an item without a rating
/// gets the mean of all of them. Shape (num_items). ae::Error when `ratings` is empty or
/// names an item outside [0, num_items).
Tensor item_means(const std::vector<Rating>& ratings, int64_t num_items);

/// The item-mean baseline of one round of cross-validation: item_means of the ratings in
/// every fold but `test_fold` — nothing of the test fold may reach the baseline.
Tensor training_item_means(const std::vector<Rating>& ratings, const Folds& folds,
                           int64_t test_fold, int64_t num_items);

/// sqrt( (1/N) Σ_t (predicted_t - actual_t)² ) of two 1-D tensors of N >= 1 numbers.
/// Accumulate in double.
double rmse(const Tensor& predicted, const Tensor& actual);

// ============ Task 5 (25 points): the experiment ============

/// I-AutoRec: an autoencoder of one item's ratings by all n users, x ∈ R^n (0 = unknown),
/// with h hidden sigmoid units and a linear output:
///   x̂ = W σ(V x + μ) + b,    V (h x n), μ (h), W (n x h), b (n).
/// The predicted rating of user u for item i is x̂_u of item i's training vector, clamped
/// to [1, 5].
struct AutoRec {
  Variable V;
  Variable mu;
  Variable W;
  Variable b;
  std::vector<Variable> parameters() const { return {V, mu, W, b}; }
  int64_t num_inputs() const { return V.shape()[1]; }
  int64_t hidden_size() const { return V.shape()[0]; }
};

struct ExperimentOptions {
  /// --data: the ml-100k folder (or its parent). Unset: $AELAB_DATA, ./data, ../shared/data.
  std::optional<std::filesystem::path> data_dir;
  std::string split = "u1";  ///< train on <split>.base, test on <split>.test (u1 .. u5)
  int64_t hidden = 200;      ///< AutoRec's hidden units h
  int epochs = 40;
  int64_t batch_size = 32;   ///< items per mini-batch
  float lr = 0.003f;         ///< Adam's learning rate (nn::Adam, otherwise its defaults)
  float lambda = 0.001f;     ///< λ of the weight decay on W and V
  uint64_t seed = 0;         ///< of the initial weights and the batch order
  bool verbose = true;       ///< print the epochs
};

struct ExperimentResult {
  std::filesystem::path data_dir;
  int64_t num_users = 0;
  int64_t num_items = 0;
  AutoRec model;                     ///< trained on the training ratings
  std::vector<double> epoch_losses;  ///< the mean autorec_loss of the batches of each epoch
  Tensor baseline_predictions;       ///< item_means(training ratings) at every test rating
  Tensor autorec_predictions;        ///< predict_ratings(model, ...) at every test rating
  double baseline_rmse = 0;          ///< rmse of baseline_predictions against the test ratings
  double autorec_rmse = 0;           ///< rmse of autorec_predictions against the test ratings
};

/// Trains an I-AutoRec on the split's training ratings with nn::Adam and the hand-written
/// gradient of task 3, and compares it with the item-mean baseline on the test ratings.
ExperimentResult run_experiment(const ExperimentOptions& options);

// ============ Given (support.cpp) ============

struct Hw5Data {
  std::filesystem::path dir;
  int64_t num_users = 0;  ///< users and items of u.data: every split indexes them alike
  int64_t num_items = 0;
  std::vector<Rating> train;  ///< <split>.base, user and item as dense indices
  std::vector<Rating> test;   ///< <split>.test, indexed alike
};

/// MovieLens-100K's split `split` ("u1" .. "u5", "ua", "ub"), found as ExperimentOptions
/// says. Users and items are indexed by their ids minus one (ml-100k numbers them 1 .. n).
Hw5Data load_data(const std::optional<std::filesystem::path>& data_dir,
                  const std::string& split, bool verbose = false);

/// The dense (num_users x num_items) matrix of the ratings, 0 where there is none.
Tensor rating_matrix(const std::vector<Rating>& ratings, int64_t num_users, int64_t num_items);

/// X̂ = σ(X Vᵀ + μ) Wᵀ + b for a batch of item vectors X (b x n), with autograd ops.
Variable reconstruct(const AutoRec& model, const Variable& X);

/// The predicted ratings at `queries` (their user and item), clamped to [1, 5]: item i's
/// row of X_items (num_items x n, every item's training vector) through the model, entry
/// user. No graph is recorded. Shape (queries.size()).
Tensor predict_ratings(const AutoRec& model, const Tensor& X_items, const std::vector<Rating>& queries);

/// Xavier-uniform V and W, μ = 0, b = 3 (the middle of the star scale). All parameters
/// require gradients.
AutoRec make_autorec(int64_t num_inputs, int64_t hidden, Generator& gen);

/// The ratings' values as a 1-D tensor, in order.
Tensor rating_values(const std::vector<Rating>& ratings);

/// Throws ae::Error naming `op` unless t is defined and has `dims` dimensions.
void require_dims(const Tensor& t, int64_t dims, const char* op, const char* name);

}  // namespace ae::hw5
