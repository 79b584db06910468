#pragma once
// Metrics — the numbers chapters report about a model, computed one way for every chapter.
//
// Every function checks its inputs and throws ae::Error naming the shapes or sizes at fault.
// Sums are accumulated in double: a test set has ~10^7 pixels, more than float's 24 bits
// can add up exactly.
#include <cstdint>
#include <vector>

#include "tensor/tensor.hpp"

namespace ae::nn {

// ---- subspaces ------------------------------------------------------------------------------

/// Cosines of the principal angles between the span of the rows of a (k_a x d) and the span
/// of the rows of b (k_b x d), largest first, min(k_a, k_b) of them (Björck & Golub, 1973):
/// with orthonormal bases Q_a, Q_b of the two spans (from a Householder QR of aᵀ and bᵀ), the
/// singular values of Q_aᵀ Q_b are cos θ_1 >= ... >= cos θ_k. The rows need not be orthonormal
/// (only independent). All equal to 1: the same subspace; the last one is the worst direction.
std::vector<double> principal_cosines(const Tensor& a, const Tensor& b);

// ---- reconstruction -------------------------------------------------------------------------

/// Σ x², over every element, in double.
double sum_of_squares(const Tensor& x);

/// Share of the input's energy the reconstruction loses: ||x - x̂||² / ||x||² (same shapes).
double relative_error(const Tensor& x, const Tensor& x_hat);

/// Peak signal-to-noise ratio in decibels, 10 log10(peak² / MSE), for images whose pixels
/// span [0, peak]. +infinity for a perfect reconstruction.
double psnr(const Tensor& x, const Tensor& x_hat, double peak = 1.0);

/// Root mean squared error sqrt(mean (p - t)²) and mean absolute error mean |p - t| over all
/// elements of two tensors of the same shape.
double rmse(const Tensor& predicted, const Tensor& target);
double mae(const Tensor& predicted, const Tensor& target);

/// The same over the observed entries only: those where `observed` (same shape) is non-zero,
/// as for a rating matrix in which most entries are unknown. Throws when none is observed.
double rmse(const Tensor& predicted, const Tensor& target, const Tensor& observed);
double mae(const Tensor& predicted, const Tensor& target, const Tensor& observed);

// ---- classification -------------------------------------------------------------------------

/// The class with the largest score in each row of an (n, classes) tensor; the first on a tie.
std::vector<int> predicted_classes(const Tensor& scores);

/// Share of positions where predicted[i] == truth[i]. The two must be equally long, non-empty.
double accuracy(const std::vector<int>& predicted, const std::vector<int>& truth);
/// Accuracy of the row-wise argmax of (n, classes) scores against n labels.
double accuracy(const Tensor& scores, const std::vector<int>& truth);

/// counts(t, p): how many items of true class t were predicted as class p.
struct ConfusionMatrix {
  int classes = 0;
  std::vector<int64_t> counts;  ///< classes x classes, row-major, row = true class
  int64_t operator()(int truth, int predicted) const {
    return counts[static_cast<size_t>(truth * classes + predicted)];
  }
  /// Σ_t counts(t, t) / Σ counts: the accuracy again, read off the diagonal.
  double accuracy() const;
};
/// Labels must lie in 0 .. classes-1.
ConfusionMatrix confusion_matrix(const std::vector<int>& predicted, const std::vector<int>& truth,
                                 int classes);

/// Accuracy of a k-nearest-neighbour vote: each query row takes the majority label of its
/// `neighbours` nearest reference rows (squared Euclidean distance); a tied vote goes to the
/// label whose nearest member is nearer. A code in which classes form separate regions scores
/// high, one in which they overlap low. Labels must be >= 0.
double knn_accuracy(const Tensor& reference, const std::vector<int>& reference_labels,
                    const Tensor& query, const std::vector<int>& query_labels, int neighbours);

// ---- recommendation -------------------------------------------------------------------------

struct PrecisionRecall {
  double precision = 0;  ///< mean over users of |top k ∩ relevant| / k
  double recall = 0;     ///< mean over users of |top k ∩ relevant| / |relevant|
  int64_t users = 0;     ///< users averaged over: those with at least one relevant item
};

/// Precision and recall at k of a top-k recommendation. scores is (users, items); each user's
/// k highest-scoring items are recommended (the lower index first on equal scores), skipping
/// the items where `exclude` (same shape, optional) is non-zero — typically those already
/// rated in training. relevant[u] lists the item indices that count as hits for user u; users
/// with none are left out of both means.
PrecisionRecall precision_recall_at_k(const Tensor& scores,
                                      const std::vector<std::vector<int64_t>>& relevant,
                                      int64_t k, const Tensor& exclude = Tensor());

// ---- codes ----------------------------------------------------------------------------------

/// Mean activation of each unit over the rows of an (n, units) tensor: ρ̂_j = (1/n) Σ_i h_ij,
/// what a sparsity penalty pushes towards its target ρ.
std::vector<double> mean_activation(const Tensor& activations);

}  // namespace ae::nn
