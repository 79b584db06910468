// HW3 task 2: the softmax classifier — its probabilities, its cost with weight decay and the
// gradient of the cost by hand (lecture 002, UFLDL's softmax regression), written with plain
// tensor ops (tensor/ops.hpp) and loops, no autograd.
#include <cmath>

#include <fmt/core.h>

#include "exercises/hw3/hw3.hpp"
#include "tensor/ops.hpp"

namespace ae::hw3 {

namespace {

// W (K x d), b (K), X (m x d) and m labels in [0, K).
void check_classifier(const char* op, const Tensor& W, const Tensor& b, const Tensor& X,
                      const std::vector<int>& labels, double lambda) {
  require_dims(W, 2, op, "W");
  require_dims(X, 2, op, "X");
  if (!b.defined() || b.dim() != 1 || b.size(0) != W.size(0) || X.size(1) != W.size(1))
    throw Error(fmt::format("{}: W {}, b {} and X {} do not fit (expected (K x d), (K) and (m x d))", op,
                            to_string(W.shape()), b.defined() ? to_string(b.shape()) : "undefined",
                            to_string(X.shape())));
  if (static_cast<int64_t>(labels.size()) != X.size(0) || labels.empty())
    throw Error(fmt::format("{}: {} labels for X of shape {}", op, labels.size(), to_string(X.shape())));
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0 || labels[i] >= W.size(0))
      throw Error(fmt::format("{}: label {} of example {} is outside [0, {})", op, labels[i], i, W.size(0)));
  if (!(lambda >= 0)) throw Error(fmt::format("{}: lambda = {}, expected >= 0", op, lambda));
}

}  // namespace

Tensor softmax(const Tensor& Z) {
  require_dims(Z, 2, "softmax", "Z");
  // BEGIN SOLUTION task 2 softmax
  // exp(z - m) / Σ exp(z - m): the largest term is exp(0) = 1, so nothing overflows.
  const Tensor E = tensor::exp(Z - tensor::max(Z, {1}, /*keepdim=*/true));
  return E / tensor::sum(E, {1}, /*keepdim=*/true);
  // END SOLUTION
}

double softmax_cost(const Tensor& W, const Tensor& b, const Tensor& X, const std::vector<int>& labels,
                    double lambda) {
  check_classifier("softmax_cost", W, b, X, labels, lambda);
  // BEGIN SOLUTION task 2 softmax_cost
  const Tensor Z = tensor::matmul(X, W.t()) + b;
  const int64_t m = Z.size(0), K = Z.size(1);
  const std::vector<float> z = Z.contiguous().to_vector();
  double data = 0;
  for (int64_t i = 0; i < m; ++i) {
    const float* row = z.data() + i * K;
    double top = row[0];
    for (int64_t k = 1; k < K; ++k) top = std::max(top, double{row[k]});
    double total = 0;
    for (int64_t k = 0; k < K; ++k) total += std::exp(row[k] - top);
    // log P_iy = z_iy - m_i - log Σ_k exp(z_ik - m_i)
    data -= row[labels[static_cast<size_t>(i)]] - top - std::log(total);
  }
  double decay = 0;
  for (float w : W.contiguous().to_vector()) decay += double{w} * w;
  return data / static_cast<double>(m) + 0.5 * lambda * decay;
  // END SOLUTION
}

SoftmaxGradient softmax_cost_grad(const Tensor& W, const Tensor& b, const Tensor& X,
                                  const std::vector<int>& labels, double lambda) {
  check_classifier("softmax_cost_grad", W, b, X, labels, lambda);
  // BEGIN SOLUTION task 2 softmax_cost_grad
  const Tensor P = softmax(tensor::matmul(X, W.t()) + b);
  const int64_t m = X.size(0), K = W.size(0);
  std::vector<float> y(static_cast<size_t>(m * K), 0.0f);
  for (int64_t i = 0; i < m; ++i) y[static_cast<size_t>(i * K + labels[static_cast<size_t>(i)])] = 1.0f;
  // (P - Y) / m: the derivative of the mean cross-entropy with respect to the logits.
  const Tensor D = (P - tensor::from_vector(y, {m, K})) / static_cast<float>(m);
  SoftmaxGradient g;
  g.dW = tensor::matmul(D.t(), X) + W * static_cast<float>(lambda);
  g.db = tensor::sum(D, {0});
  return g;
  // END SOLUTION
}

}  // namespace ae::hw3
