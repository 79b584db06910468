// HW4 tasks 1 and 2: the two pieces of the VAE that concern the latent code — the
// reparameterised sample, and the KL of the encoder's Gaussian to the prior N(0, I) in
// closed form. Written with autograd ops (autograd/ops.hpp: exp, square, sum, the
// operators), so that the gradients come from backward().
#include <fmt/core.h>

#include "autograd/ops.hpp"
#include "exercises/hw4/hw4.hpp"
#include "tensor/ops.hpp"

namespace ae::hw4 {

// ---------------------------------------------------------------- task 1

Variable reparameterize(const Variable& mu, const Variable& logvar, Generator& gen) {
  require_same_shape(mu.value(), logvar.value(), "reparameterize", "mu", "logvar");
  // BEGIN SOLUTION task 1 reparameterize
  // One ε per example and dimension: the rows of a batch are independent samples. ε is a
  // constant of the graph, so the gradient reaches μ and logvar and nothing is sampled
  // inside the derivative.
  const Tensor eps = tensor::randn(mu.shape(), gen);
  // logvar = log σ², so σ = exp(logvar / 2).
  const Variable sigma = exp(logvar * 0.5f);
  return mu + sigma * Variable(eps);
  // END SOLUTION
}

// ---------------------------------------------------------------- task 2

Variable gaussian_kl(const Variable& mu, const Variable& logvar) {
  require_same_shape(mu.value(), logvar.value(), "gaussian_kl", "mu", "logvar");
  // BEGIN SOLUTION task 2 gaussian_kl
  // Per dimension KL(N(μ, σ²) ‖ N(0, 1)) = 1/2 (μ² + σ² - 1 - log σ²), with σ² = exp(logvar).
  const Variable terms = square(mu) + exp(logvar) - 1.0f - logvar;
  return 0.5f * sum(terms, {1});
  // END SOLUTION
}

}  // namespace ae::hw4
