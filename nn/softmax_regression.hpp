#pragma once
// Softmax regression — the classifier the course puts on top of learned features (UFLDL's
// self-taught learning and deep-network exercises; the features-for-classification
// comparisons of lecture 002).
//
// For features x (d) and classes 1..K, p(y = k | x) = exp(w_kᵀx + b_k) / Σ_j exp(w_jᵀx + b_j),
// and the cost over m examples is UFLDL's
//
//   J(W, b) = -(1/m) Σ_i log p(y_i | x_i) + (λ/2) ||W||²_F        (the bias is not decayed)
//
// with gradient ∂J/∂W = (1/m) (P - Y)ᵀ X + λ W, where P holds the probabilities and Y the
// one-hot labels. J is convex, so full-batch L-BFGS finds its minimum.
#include <span>

#include "autograd/variable.hpp"
#include "nn/layers.hpp"
#include "nn/lbfgs.hpp"

namespace ae::nn {

struct SoftmaxOptions {
  double weight_decay = 1e-4;  ///< λ (UFLDL's softmax exercise uses 1e-4)
  LbfgsOptions lbfgs{};        ///< 400 iterations by default, as UFLDL
};

/// J(W, b) above for `classifier` (features -> K logits) on a whole set.
Variable softmax_cost(Linear& classifier, const Variable& features, std::span<const int> labels,
                      double weight_decay);

/// Minimises softmax_cost over the classifier's weight and bias by L-BFGS. Labels must lie
/// in [0, K); features is (m x d) with d = classifier.in_features().
LbfgsReport fit_softmax(Linear& classifier, const Tensor& features, std::span<const int> labels,
                        const SoftmaxOptions& options = {}, const LbfgsMonitor& monitor = {});

}  // namespace ae::nn
