// HW5 task 3: AutoRec's loss over the observed ratings only, with L2 weight decay, and its
// gradient with respect to the reconstruction, by hand — no autograd. Task 5 feeds that
// gradient to reconstruct(...).backward(grad), which carries it on to the weights.
#include <fmt/core.h>

#include "exercises/hw5/hw5.hpp"
#include "tensor/ops.hpp"

namespace ae::hw5 {

namespace {

void require_same_shape(const Tensor& X_hat, const Tensor& X, const char* op) {
  require_dims(X_hat, 2, op, "X_hat");
  require_dims(X, 2, op, "X");
  if (X_hat.shape() != X.shape())
    throw Error(fmt::format("{}: X_hat has shape {} and X {}, expected equal", op,
                            to_string(X_hat.shape()), to_string(X.shape())));
}

// BEGIN SOLUTION
// |O|: the number of observed (non-zero) entries of X, at least one.
int64_t observed_count(const std::vector<float>& x, const char* op) {
  int64_t count = 0;
  for (float v : x)
    if (v != 0.0f) ++count;
  if (count == 0) throw Error(fmt::format("{}: X has no observed rating", op));
  return count;
}
// END SOLUTION

}  // namespace

double autorec_loss(const Tensor& X_hat, const Tensor& X, const Tensor& W, const Tensor& V,
                    double lambda) {
  require_same_shape(X_hat, X, "autorec_loss");
  require_dims(W, 2, "autorec_loss", "W");
  require_dims(V, 2, "autorec_loss", "V");
  if (!(lambda >= 0)) throw Error(fmt::format("autorec_loss: lambda = {}, expected >= 0", lambda));
  // BEGIN SOLUTION task 3 autorec_loss
  const std::vector<float> x_hat = X_hat.to_vector(), x = X.to_vector();
  const int64_t observed = observed_count(x, "autorec_loss");
  double squared = 0;
  for (size_t t = 0; t < x.size(); ++t) {
    if (x[t] == 0.0f) continue;  // an unknown rating is no target
    const double e = static_cast<double>(x_hat[t]) - x[t];
    squared += e * e;
  }
  double norms = 0;
  for (float w : W.to_vector()) norms += static_cast<double>(w) * w;
  for (float v : V.to_vector()) norms += static_cast<double>(v) * v;
  return squared / static_cast<double>(observed) + 0.5 * lambda * norms;
  // END SOLUTION
}

Tensor autorec_loss_grad(const Tensor& X_hat, const Tensor& X) {
  require_same_shape(X_hat, X, "autorec_loss_grad");
  // BEGIN SOLUTION task 3 autorec_loss_grad
  const std::vector<float> x_hat = X_hat.to_vector(), x = X.to_vector();
  const auto observed = static_cast<double>(observed_count(x, "autorec_loss_grad"));
  std::vector<float> grad(x.size(), 0.0f);
  for (size_t t = 0; t < x.size(); ++t)
    if (x[t] != 0.0f) grad[t] = static_cast<float>(2.0 * (static_cast<double>(x_hat[t]) - x[t]) / observed);
  return tensor::from_vector(grad, X.shape());
  // END SOLUTION
}

}  // namespace ae::hw5
