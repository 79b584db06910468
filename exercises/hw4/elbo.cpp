// HW4 tasks 3 and 4: the negative ELBO of a batch, and the VAE's loss and training step
// built from tasks 1-3 and the given networks (encode, decode_logits in support.cpp).
// Autograd ops throughout (autograd/ops.hpp: softplus, sum, mean, the operators); the
// update is the optimizer's (nn/optim.hpp): zero_grad() and step().
#include <cmath>

#include <fmt/core.h>

#include "autograd/ops.hpp"
#include "exercises/hw4/hw4.hpp"
#include "tensor/ops.hpp"

namespace ae::hw4 {

// ---------------------------------------------------------------- task 3

Variable bernoulli_nll(const Variable& logits, const Tensor& x) {
  require_same_shape(logits.value(), x, "bernoulli_nll", "logits", "x");
  // BEGIN SOLUTION task 3 bernoulli_nll
  // -[x log σ(l) + (1 - x) log(1 - σ(l))] = softplus(l) - x l, since log σ(l) = l - softplus(l)
  // and log(1 - σ(l)) = -softplus(l); softplus(l) = max(l, 0) + log(1 + e^{-|l|}) never
  // takes the exp of a large number nor the log of 0.
  const Variable per_pixel = softplus(logits) - logits * Variable(x);
  return sum(per_pixel, {1});
  // END SOLUTION
}

Variable negative_elbo(const Variable& logits, const Tensor& x, const Variable& kl, double beta) {
  require_same_shape(logits.value(), x, "negative_elbo", "logits", "x");
  if (!kl.value().defined() || kl.dim() != 1 || kl.shape()[0] != x.size(0))
    throw Error(fmt::format("negative_elbo: kl has shape {}, expected [{}] (one KL per example)",
                            kl.value().defined() ? to_string(kl.shape()) : std::string("undefined"),
                            x.size(0)));
  if (!(beta >= 0.0 && std::isfinite(beta)))
    throw Error(fmt::format("negative_elbo: beta = {}, expected a finite number >= 0", beta));
  // BEGIN SOLUTION task 3 negative_elbo
  // Sums over pixels and dimensions inside each example, the mean over the batch outside.
  const Variable per_example = bernoulli_nll(logits, x) + static_cast<float>(beta) * kl;
  return mean(per_example);
  // END SOLUTION
}

// ---------------------------------------------------------------- task 4

Variable vae_loss(const Vae& model, const Tensor& X, double beta, Generator& gen) {
  require_matrix(X, "vae_loss", "X");
  // BEGIN SOLUTION task 4 vae_loss
  const Encoding q = encode(model, Variable(X));
  // The sample keeps μ and logvar in the graph: the reconstruction term's gradient reaches
  // the logvar head through σ, not only the KL's.
  const Variable z = reparameterize(q.mu, q.logvar, gen);
  return negative_elbo(decode_logits(model, z), X, gaussian_kl(q.mu, q.logvar), beta);
  // END SOLUTION
}

float vae_step(Vae& model, const Tensor& X, double beta, Generator& gen, nn::Optimizer& optimizer) {
  require_matrix(X, "vae_step", "X");
  // BEGIN SOLUTION task 4 vae_step
  // backward() adds into grad(): without clearing, this step would also apply the
  // gradients of every earlier one.
  optimizer.zero_grad();
  const Variable loss = vae_loss(model, X, beta, gen);
  loss.backward();
  optimizer.step();
  return loss.item();
  // END SOLUTION
}

}  // namespace ae::hw4
