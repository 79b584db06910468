// HW2 tasks 1 and 3: the penalties of the sparse and the contractive autoencoder, written
// with plain tensor ops (tensor/ops.hpp) and loops — no autograd: the gradient of task 1
// is derived by hand.
#include <cmath>

#include <fmt/core.h>

#include "exercises/hw2/hw2.hpp"
#include "tensor/ops.hpp"

namespace ae::hw2 {

namespace {

void require_rho(double rho, const char* op) {
  if (!(rho > 0.0 && rho < 1.0))
    throw Error(fmt::format("{}: rho = {}, expected 0 < rho < 1", op, rho));
}

// BEGIN SOLUTION
// ρ̂ as doubles, each checked to lie strictly inside (0, 1), where the logs are finite.
std::vector<double> rho_hat_of(const Tensor& H, const char* op) {
  std::vector<double> rho_hat;
  for (float r : mean_activation(H).to_vector()) {
    if (!(r > 0.0f && r < 1.0f))
      throw Error(fmt::format("{}: a mean activation is {}, outside (0, 1)", op, r));
    rho_hat.push_back(r);
  }
  return rho_hat;
}
// END SOLUTION

}  // namespace

// ---------------------------------------------------------------- task 1

Tensor mean_activation(const Tensor& H) {
  require_matrix(H, "mean_activation", "H");
  if (H.size(0) < 1) throw Error("mean_activation: H has no rows");
  // BEGIN SOLUTION task 1 mean_activation
  // Over the batch (axis 0): one number per hidden unit.
  return tensor::mean(H, {0});
  // END SOLUTION
}

double kl_sparsity(const Tensor& H, double rho) {
  require_matrix(H, "kl_sparsity", "H");
  require_rho(rho, "kl_sparsity");
  // BEGIN SOLUTION task 1 kl_sparsity
  double total = 0;
  for (double r : rho_hat_of(H, "kl_sparsity"))
    total += rho * std::log(rho / r) + (1 - rho) * std::log((1 - rho) / (1 - r));
  return total;
  // END SOLUTION
}

Tensor kl_sparsity_grad(const Tensor& H, double rho) {
  require_matrix(H, "kl_sparsity_grad", "H");
  require_rho(rho, "kl_sparsity_grad");
  // BEGIN SOLUTION task 1 kl_sparsity_grad
  // dKL/dρ̂_j = -ρ/ρ̂_j + (1-ρ)/(1-ρ̂_j), and dρ̂_j/dH_ij = 1/n for every row i.
  const std::vector<double> rho_hat = rho_hat_of(H, "kl_sparsity_grad");
  const auto n = static_cast<double>(H.size(0));
  std::vector<float> column(rho_hat.size());
  for (size_t j = 0; j < rho_hat.size(); ++j)
    column[j] = static_cast<float>((-rho / rho_hat[j] + (1 - rho) / (1 - rho_hat[j])) / n);
  const Tensor row = tensor::from_vector(column, {H.size(1)});
  return tensor::zeros(H.shape()) + row;
  // END SOLUTION
}

// ---------------------------------------------------------------- task 3

double contractive_penalty(const Tensor& X, const Tensor& W, const Tensor& b) {
  require_matrix(X, "contractive_penalty", "X");
  require_matrix(W, "contractive_penalty", "W");
  if (W.size(1) != X.size(1) || b.dim() != 1 || b.size(0) != W.size(0))
    throw Error(fmt::format("contractive_penalty: X {}, W {} and b {} do not fit (expected "
                            "(n x d), (k x d) and (k))",
                            to_string(X.shape()), to_string(W.shape()), to_string(b.shape())));
  if (X.size(0) < 1) throw Error("contractive_penalty: X has no rows");
  // BEGIN SOLUTION task 3 contractive_penalty
  const Tensor H = tensor::sigmoid(tensor::matmul(X, W.t()) + b);
  // σ'(a) = σ(a)(1 - σ(a)): row j of J is h_j(1 - h_j) times row j of W, so its squared
  // norm is (h_j(1 - h_j))² ||W_j||².
  const Tensor slope = H * (1.0f - H);
  const Tensor squared_slope = slope * slope;
  const Tensor row_norms = tensor::sum(W * W, {1});
  const Tensor per_image = tensor::sum(squared_slope * row_norms, {1});
  double total = 0;
  for (float p : per_image.to_vector()) total += p;
  return total / static_cast<double>(X.size(0));
  // END SOLUTION
}

}  // namespace ae::hw2
