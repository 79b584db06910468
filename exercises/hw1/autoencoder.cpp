// HW1 tasks 4–5: a one-hidden-layer sigmoid autoencoder (lecture 001) — its forward pass,
// its squared loss, and one training step with Adam.
//
// The forward pass and the loss are written with autograd ops (autograd/ops.hpp,
// namespace ae): linear(x, W, b) = x Wᵀ + b, sigmoid, square, sum, mean, and the
// operators. Then loss.backward() fills every parameter's grad(). The Adam update is plain
// tensor arithmetic (tensor/ops.hpp) on the parameters' values, in place; it must not be
// recorded in the graph.
#include <cmath>

#include <fmt/core.h>

#include "autograd/ops.hpp"
#include "exercises/hw1/hw1.hpp"
#include "tensor/ops.hpp"

namespace ae::hw1 {

// ---------------------------------------------------------------- task 4

AeOutput ae_forward(const Autoencoder& ae, const Variable& X) {
  require_matrix(X.value(), "ae_forward", "X");
  if (X.shape()[1] != ae.input_size())
    throw Error(fmt::format("ae_forward: X has shape {}, the autoencoder takes {} inputs",
                            to_string(X.shape()), ae.input_size()));
  // BEGIN SOLUTION task 4 ae_forward
  // linear(x, W, b) = x Wᵀ + b is the row-per-image form of W x + b.
  Variable code = sigmoid(linear(X, ae.W, ae.b));
  Variable reconstruction = sigmoid(linear(code, ae.W_star, ae.c));
  return {code, reconstruction};
  // END SOLUTION
}

Variable squared_loss(const Variable& X_hat, const Variable& X) {
  if (X_hat.shape() != X.shape() || X.dim() != 2)
    throw Error(fmt::format("squared_loss: X_hat has shape {} and X {}, expected equal (n, d)",
                            to_string(X_hat.shape()), to_string(X.shape())));
  // BEGIN SOLUTION task 4 squared_loss
  // Summed over the pixels of an image, averaged over the images of the batch.
  const auto n = static_cast<float>(X.shape()[0]);
  return sum(square(X_hat - X)) / n;
  // END SOLUTION
}

// ---------------------------------------------------------------- task 5

void adam_update(std::vector<Variable> parameters, Adam& adam) {
  for (const Variable& p : parameters)
    if (!p.grad().defined())
      throw Error("adam_update: a parameter has no gradient (call backward() first)");
  if (!adam.m.empty() && adam.m.size() != parameters.size())
    throw Error(fmt::format("adam_update: the state holds {} parameters, got {}", adam.m.size(),
                            parameters.size()));
  // BEGIN SOLUTION task 5 adam_update
  const AdamOptions& o = adam.options;
  if (adam.m.empty()) {
    for (const Variable& p : parameters) {
      adam.m.push_back(tensor::zeros(p.shape()));
      adam.v.push_back(tensor::zeros(p.shape()));
    }
  }
  adam.step += 1;
  const auto t = static_cast<double>(adam.step);
  // The moments start at zero, so early averages are biased towards zero by exactly
  // the factors 1 - β^t; dividing by them removes the bias.
  const auto correction1 = static_cast<float>(1.0 - std::pow(o.beta1, t));
  const auto correction2 = static_cast<float>(1.0 - std::pow(o.beta2, t));
  for (size_t i = 0; i < parameters.size(); ++i) {
    const Tensor g = parameters[i].grad().value();
    adam.m[i].mul_(o.beta1).add_(g, 1.0f - o.beta1);
    adam.v[i].mul_(o.beta2).add_(g * g, 1.0f - o.beta2);
    const Tensor m_hat = adam.m[i] / correction1;
    const Tensor v_hat = adam.v[i] / correction2;
    parameters[i].value().add_(m_hat / (tensor::sqrt(v_hat) + o.eps), -o.lr);
  }
  // END SOLUTION
}

float train_step(Autoencoder& ae, const Tensor& batch, Adam& adam) {
  require_matrix(batch, "train_step", "batch");
  // BEGIN SOLUTION task 5 train_step
  // backward() adds into grad(); without clearing, this step would also apply the
  // gradients of every earlier step.
  for (Variable& p : ae.parameters()) p.zero_grad();
  const Variable X(batch);
  const Variable loss = squared_loss(ae_forward(ae, X).reconstruction, X);
  loss.backward();
  adam_update(ae.parameters(), adam);
  return loss.item();
  // END SOLUTION
}

}  // namespace ae::hw1
