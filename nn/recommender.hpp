#pragma once
// Rating prediction: the evaluation protocols and the classical collaborative-filtering
// baselines that AutoRec (nn/autorec.hpp) is compared with (lecture 000, "Recommendation
// System"; lecture 001, "Applications in Recommender Systems").
//
// A rating matrix R (users x items) is mostly empty: r_ui is known for the pairs in a
// training list and the task is to predict the held-out ones. Every predictor here learns
// from a list of training ratings and answers predict(u, i), clipped to [1, 5]; a user or
// item with no training rating gets a stated default (RatingPredictor::fallback).
//
// Protocols
//   k-fold:    the ratings shuffled with a seed and cut into k disjoint folds of sizes that
//              differ by at most one; fold f is the test set, the others train (as
//              surprise.model_selection.KFold with shuffle=True).
//   u1..u5:    ml-100k's published 80/20 splits (u1.base / u1.test ...), read with the ids
//              of the whole u.data so that indices agree across the splits.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "nn/data/movielens.hpp"
#include "tensor/tensor.hpp"

namespace ae::nn {

using data::Rating;

/// Ratings on a users x items grid. Indices are dense (0 .. users-1, 0 .. items-1).
struct RatingSplit {
  std::vector<Rating> train;
  std::vector<Rating> test;
};

/// k folds of a shuffled rating list: split f tests on fold f and trains on the rest.
/// Throws ae::Error unless 2 <= folds <= ratings.size().
std::vector<RatingSplit> kfold_splits(const std::vector<Rating>& ratings, int folds,
                                      uint64_t seed);

/// A held-out validation part of a training list: the last `fraction` of a seeded shuffle
/// (for tuning on the training fold, never on the test fold). Throws unless 0 < fraction < 1.
RatingSplit holdout_split(const std::vector<Rating>& ratings, double fraction, uint64_t seed);

/// ml-100k's published split u<k>.base / u<k>.test (k = 1..5, or "a" / "b" as a string) in
/// `dir`, indexed like `full` (read from u.data): the same user and item ids give the same
/// dense indices. Throws ae::Error naming the file when an id is not in `full`.
RatingSplit movielens_published_split(const std::filesystem::path& dir, const std::string& k,
                                      const data::RatingTable& full);

/// Ratings of a list as a dense (users, items) matrix, 0 where unknown, and the mask of the
/// known entries (1 / 0). Throws ae::Error naming the rating when an index is out of range
/// or a (user, item) pair appears twice.
struct RatingMatrix {
  Tensor values;  ///< (users, items)
  Tensor mask;    ///< (users, items), 1 where rated
};
RatingMatrix rating_matrix(const std::vector<Rating>& ratings, int64_t users, int64_t items);

/// Share of the users x items grid that holds no rating: 1 - |ratings| / (users * items).
double sparsity(int64_t ratings, int64_t users, int64_t items);

/// Mean of the ratings (double accumulation); throws on an empty list.
double mean_rating(const std::vector<Rating>& ratings);

/// Cosine similarity between the rows of a rating matrix over their co-rated entries:
///   s(a, b) = Σ_{j ∈ J_a ∩ J_b} r_aj r_bj / ( sqrt(Σ_{j ∈ J_a ∩ J_b} r_aj²) sqrt(Σ_{j ∈ J_a ∩ J_b} r_bj²) )
/// (surprise.similarities.cosine). Pairs with no co-rated column, or a zero norm, get 0.
/// With mean_centred, each row's mean over its own rated entries is subtracted from them
/// first (the adjusted / centred cosine). Computed with three matrix products:
///   numerator = R Rᵀ,  d_ab = Σ_j r_aj² m_bj = ((R∘R) Mᵀ)_ab,  s = numerator / sqrt(d ∘ dᵀ).
/// Returns (rows, rows). For items, pass the transposed matrix and mask.
Tensor cosine_similarity(const Tensor& ratings, const Tensor& mask, bool mean_centred = false);

// ---- predictors -----------------------------------------------------------------------------

/// Something that predicts r_ui after learning from training ratings.
class RatingPredictor {
 public:
  virtual ~RatingPredictor() = default;
  /// The prediction for dense indices (user, item), in [1, 5].
  virtual float predict(int64_t user, int64_t item) const = 0;
  /// "item mean", "user-based CF (k = 40)", ...
  virtual std::string name() const = 0;
};

/// Predictions for a list of pairs (the ratings' user and item; their stars are ignored).
std::vector<float> predict_all(const RatingPredictor& model, const std::vector<Rating>& pairs);

struct RatingErrors {
  double rmse = 0;
  double mae = 0;
};
/// RMSE and MAE of the predictions on a test list (through nn/metrics' rmse / mae).
RatingErrors rating_errors(const RatingPredictor& model, const std::vector<Rating>& test);

/// The whole (users, items) matrix of predictions, for top-N recommendation.
Tensor predict_matrix(const RatingPredictor& model, int64_t users, int64_t items);

/// The default for a user or an item without training ratings.
enum class Fallback {
  GlobalMean,  ///< the mean training rating (Surprise's default)
  Three        ///< 3 stars, the middle of the scale (AutoRec's paper, Sedhain et al. 2015)
};

/// Clips to [1, 5] (ml-100k's whole-star scale); NaN stays NaN so a bug stays visible.
float clip_rating(double r);

/// Global, user and item means:  r̂ = μ,  r̂ = μ_u,  r̂ = μ_i. A user (item) without training
/// ratings falls back to μ.
enum class MeanKind { Global, User, Item };
std::unique_ptr<RatingPredictor> fit_mean(const std::vector<Rating>& train, int64_t users,
                                          int64_t items, MeanKind kind);

/// Neighbourhood CF with the lecture's formulas. User-based (rows = users):
///   r̂_ui = Σ_{v ∈ N_k(u; i)} s_uv r_vi / Σ_{v ∈ N_k(u; i)} s_uv
/// where N_k(u; i) are the k users most similar to u (s > 0) among those who rated i.
/// Item-based swaps the roles: r̂_ui = Σ_{m ∈ N_k(i; u)} s_im r_um / Σ s_im.
/// Mean-centred: r̂_ui = μ_u + Σ s_uv (r_vi - μ_v) / Σ |s_uv| (μ of the row), with
/// centred cosine similarities. Without any neighbour the prediction is the row mean
/// (centred) or the global mean (plain), as Surprise's KNNWithMeans / KNNBasic.
enum class Neighbourhood { UserBased, ItemBased };
struct KnnOptions {
  int k = 40;  ///< Surprise's default
  bool mean_centred = false;
};
class KnnCF : public RatingPredictor {
 public:
  KnnCF(const std::vector<Rating>& train, int64_t users, int64_t items, Neighbourhood kind,
        KnnOptions options = {});
  float predict(int64_t user, int64_t item) const override;
  std::string name() const override;
  /// (rows, rows) similarities: users x users or items x items.
  const Tensor& similarity() const { return similarity_; }

 private:
  Neighbourhood kind_;
  KnnOptions options_;
  int64_t rows_ = 0, cols_ = 0;
  double global_mean_ = 0;
  std::vector<double> row_mean_;
  std::vector<bool> row_known_;
  // Per column, the rows that rated it and their ratings (compressed columns).
  std::vector<int64_t> col_start_;
  std::vector<int64_t> col_rows_;
  std::vector<float> col_values_;
  Tensor similarity_;
};

/// Biased matrix factorisation by SGD (Funk; Koren, Bell and Volinsky 2009), as
/// surprise.SVD: r̂_ui = μ + b_u + b_i + q_iᵀ p_u, and for each training rating in list order
///   e = r_ui - r̂_ui
///   b_u += lr (e - reg b_u)        b_i += lr (e - reg b_i)
///   p_u += lr (e q_i - reg p_u)    q_i += lr (e p_u - reg q_i)     (both from the old values)
/// with p, q drawn from N(0, init_std²) and the biases starting at 0.
struct FunkSvdOptions {
  int factors = 100;
  int epochs = 20;
  double lr = 0.005;
  double reg = 0.02;
  double init_std = 0.1;
  uint64_t seed = 0;
};
class FunkSVD : public RatingPredictor {
 public:
  FunkSVD(const std::vector<Rating>& train, int64_t users, int64_t items,
          FunkSvdOptions options = {});
  float predict(int64_t user, int64_t item) const override;
  std::string name() const override;
  /// Training RMSE after each epoch (computed during the pass, as the SGD goes).
  const std::vector<double>& epoch_rmse() const { return epoch_rmse_; }

 private:
  FunkSvdOptions options_;
  int64_t users_, items_;
  double mu_ = 0;
  std::vector<double> bu_, bi_, p_, q_;
  std::vector<bool> user_known_, item_known_;
  std::vector<double> epoch_rmse_;
};

/// A predictor that holds a dense (users, items) matrix of estimates (from SVD, NMF or an
/// autoencoder) and answers lookups, clipped; users and items without training ratings get
/// the fallback.
class MatrixPredictor : public RatingPredictor {
 public:
  MatrixPredictor(std::string name, Tensor estimates, const std::vector<Rating>& train,
                  Fallback fallback);
  float predict(int64_t user, int64_t item) const override;
  std::string name() const override { return name_; }
  const Tensor& estimates() const { return estimates_; }

 private:
  std::string name_;
  Tensor estimates_;
  float fallback_value_;
  std::vector<bool> user_known_, item_known_;
};

/// Truncated SVD of the mean-imputed matrix (lecture 000: "use the mean value of the row /
/// column", then SVD): every unknown r_ui is replaced by the item's mean (the global mean for
/// an item without ratings), the rank-`rank` Eckart–Young approximation U_k Σ_k V_kᵀ of
/// that full matrix is the estimate. The imputed values pull every estimate towards the
/// item mean: the bias of mean imputation, since most of the matrix is imputed.
/// Uses linalg::randomized_svd.
std::unique_ptr<MatrixPredictor> fit_imputed_svd(const std::vector<Rating>& train,
                                                 int64_t users, int64_t items, int64_t rank,
                                                 uint64_t seed = 0);

/// Non-negative matrix factorisation R ≈ P Qᵀ (P, Q >= 0) fitted on the known entries only,
/// by multiplicative updates (Lee and Seung 2001, with the mask; as surprise.NMF):
///   P ← P ∘ ((M∘R) Q) / ((M∘(P Qᵀ)) Q + reg_p n_u P)
///   Q ← Q ∘ ((M∘R)ᵀ P) / ((M∘(P Qᵀ))ᵀ P + reg_q n_i Q)
/// with n_u, n_i the number of ratings of the user / item. Each update cannot increase the
/// masked squared error plus the penalty, and keeps the factors non-negative.
struct NmfOptions {
  int factors = 15;
  int epochs = 50;
  double reg_p = 0.06;
  double reg_q = 0.06;
  double init_low = 0.0;
  double init_high = 1.0;
  uint64_t seed = 0;
};
struct NmfResult {
  std::unique_ptr<MatrixPredictor> predictor;
  std::vector<double> objective;  ///< masked squared error + penalty after each epoch
};
NmfResult fit_nmf(const std::vector<Rating>& train, int64_t users, int64_t items,
                  NmfOptions options = {});

}  // namespace ae::nn
