// HW2 task 2: the two corruption processes of the denoising autoencoder (lecture 002).
// tensor/ops.hpp has what you need: tensor::rand, tensor::randn, tensor::bernoulli (all
// drawing from a Generator), and the element-wise operators.
#include <fmt/core.h>

#include "exercises/hw2/hw2.hpp"
#include "tensor/ops.hpp"

namespace ae::hw2 {

Tensor masking_noise(const Tensor& X, float v, Generator& gen) {
  require_matrix(X, "masking_noise", "X");
  if (!(v >= 0.0f && v <= 1.0f))
    throw Error(fmt::format("masking_noise: v = {}, expected a probability in [0, 1]", v));
  // BEGIN SOLUTION task 2 masking_noise
  // A pixel survives with probability 1 - v; the product makes a new tensor.
  return X * tensor::bernoulli(X.shape(), 1.0f - v, gen);
  // END SOLUTION
}

Tensor gaussian_noise(const Tensor& X, float sigma, Generator& gen) {
  require_matrix(X, "gaussian_noise", "X");
  if (!(sigma >= 0.0f))
    throw Error(fmt::format("gaussian_noise: sigma = {}, expected >= 0", sigma));
  // BEGIN SOLUTION task 2 gaussian_noise
  return X + tensor::randn(X.shape(), gen, 0.0f, sigma);
  // END SOLUTION
}

}  // namespace ae::hw2
