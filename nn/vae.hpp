#pragma once
// VAE — the variational autoencoder (Kingma & Welling 2014; lectures 001 and 004).
//
// The encoder maps x to a diagonal Gaussian q(z|x) = N(mu(x), diag exp(logvar(x))) — it
// outputs log sigma^2, so the variance is positive without a constraint — and the decoder maps
// a code z to the logits l of independent Bernoulli pixels, p(x|z) = prod_j sigmoid(l_j)^x_j
// (1 - sigmoid(l_j))^(1 - x_j). Training maximises the evidence lower bound
//
//   log p(x) >= ELBO(x) = E_q[log p(x|z)] - KL(q(z|x) || N(0, I))
//
// with one reparameterised sample z = mu + exp(logvar / 2) * eps, eps ~ N(0, I), so the
// gradient flows through mu and logvar, and the KL in closed form (nn/losses.hpp gaussian_kl).
// The loss (the negative ELBO) is summed over pixels and averaged over examples: nats per
// example, the convention of PyTorch's VAE example.
//
// A tighter bound for evaluation is the importance-weighted one (Burda, Grosse & Salakhutdinov
// 2016): with k samples z_i ~ q(z|x) and weights w_i = p(x|z_i) p(z_i) / q(z_i|x),
//
//   log p(x) >= L_k = E[ log (1/k) sum_i w_i ],   L_1 = ELBO <= L_k <= L_{k+1} -> log p(x),
//
// so -L_k estimates -log p(x) from above, more closely as k grows.
//
// Inputs are flat rows (n, d) with entries in [0, 1] (pixel intensities).
#include <cstdint>
#include <string>
#include <vector>

#include "autograd/variable.hpp"
#include "nn/autoencoder.hpp"  // Activation, make_activation
#include "nn/codec.hpp"
#include "nn/init.hpp"
#include "nn/losses.hpp"
#include "nn/module.hpp"
#include "tensor/random.hpp"

namespace ae::nn {

/// The sizes of a VAE: input d, hidden layers h1..hm (encoder d -> h1 -> ... -> hm, then two
/// heads hm -> latent for mu and logvar; decoder latent -> hm -> ... -> h1 -> d, logits).
/// The default is PyTorch's VAE example, 784-400-20 with ReLU.
struct VaeOptions {
  int64_t input = 784;
  std::vector<int64_t> hidden = {400};
  int64_t latent = 20;
  Activation activation = Activation::ReLU;  ///< after every hidden layer
  Init init = Init::TorchDefault;
};

/// The encoder's Gaussian q(z|x): mu and logvar = log sigma^2, each (n, latent).
struct GaussianPosterior {
  Variable mu;
  Variable logvar;
};

/// One pass of the VAE on a batch: the posterior, the sampled code and the decoder's logits.
struct VaeOutput {
  Variable mu, logvar;  ///< (n, latent)
  Variable z;           ///< (n, latent), mu + exp(logvar / 2) * eps
  Variable logits;      ///< (n, d), Bernoulli logits of the pixels
};

class VAE : public Module, public Codec {
 public:
  /// Throws ae::Error for a size below 1.
  VAE(const VaeOptions& options, Generator& gen, std::string name = "VAE");

  /// q(z|x) for x (n, d), recorded for backward. Throws ae::Error naming x's shape unless it
  /// is (n, d).
  GaussianPosterior posterior(const Variable& x);
  /// The decoder's Bernoulli logits for codes z (n, latent), recorded for backward.
  Variable decoder_logits(const Variable& z);
  /// posterior, one reparameterised sample (eps from gen), and the logits at that sample.
  VaeOutput forward(const Variable& x, Generator& gen);
  /// The logits at z = mu (no sampling): the VAE's deterministic reconstruction, in logits.
  Variable forward(const Variable& x) override;
  std::string describe() const override;

  /// Codec: the posterior means mu (n, latent), in evaluation mode and without a graph.
  Tensor encode(const Tensor& x) override;
  /// Codec: pixel probabilities sigmoid(logits) (n, d) for codes z, without a graph.
  Tensor decode(const Tensor& z) override;
  std::string name() const override { return name_; }

  /// n images decoded from codes drawn from the prior N(0, I): pixel probabilities (n, d).
  Tensor sample(int64_t n, Generator& gen);

  const VaeOptions& options() const { return options_; }
  int64_t input_size() const { return options_.input; }
  int64_t latent_size() const { return options_.latent; }

 private:
  void check_input(const Variable& x) const;
  void check_code(const Variable& z) const;

  VaeOptions options_;
  std::string name_;
  std::shared_ptr<Sequential> encoder_;  ///< x -> last hidden layer (empty without hidden)
  std::shared_ptr<Linear> mu_head_, logvar_head_;
  std::shared_ptr<Sequential> decoder_;  ///< z -> logits
};

/// z = mu + exp(logvar / 2) * eps with eps ~ N(0, I) drawn from gen, one per example and
/// latent dimension (row-major order), recorded for backward through mu and logvar.
Variable reparameterize(const Variable& mu, const Variable& logvar, Generator& gen);

/// The negative ELBO as named terms, each a mean over the batch rows (nats per example):
///   "reconstruction":  (1/n) sum_rows sum_pixels [softplus(l) - x l]  = -E_q log p(x|z), one sample
///   "kl":              beta * (1/n) sum_rows KL(q(z|x) || N(0, I)), closed form
/// beta = 1 is the ELBO; beta > 1 the beta-VAE (Higgins et al. 2017). x: (n, d) in [0, 1].
LossTerms vae_loss(const VaeOutput& out, const Variable& x, float beta = 1.0f);
/// forward(x, gen) then vae_loss: the loss closure fit needs.
LossTerms vae_loss(VAE& vae, const Tensor& x, Generator& gen, float beta = 1.0f);

/// log p(x|z) per row for Bernoulli logits l (n, d) and x (n, d):
///   -sum_j [softplus(l_j) - x_j l_j]   (n), accumulated in double.
Tensor bernoulli_log_likelihood(const Tensor& logits, const Tensor& x);
/// log N(z; mu, diag exp(logvar)) per row: -1/2 sum_j [(z-mu)^2 / exp(logvar) + logvar + log 2 pi].
Tensor gaussian_log_density(const Tensor& z, const Tensor& mu, const Tensor& logvar);
/// log N(z; 0, I) per row: -1/2 sum_j [z^2 + log 2 pi].
Tensor standard_normal_log_density(const Tensor& z);

/// The negative ELBO of each example (n), nats, with one sample from gen and the KL in closed
/// form, in evaluation mode and without a graph: what vae_loss's terms average (beta = 1).
Tensor negative_elbo(VAE& vae, const Tensor& x, Generator& gen);

/// The importance-weighted estimate of -log p(x) for each example of x (n, d) with k samples:
///   -log (1/k) sum_i exp(log w_i),  log w_i = log p(x|z_i) + log p(z_i) - log q(z_i|x),
/// computed with log-sum-exp in double (the weights span hundreds of nats). The eps of sample i
/// are drawn as an (n, latent) block in sample order, so k = 1 uses the same eps as
/// negative_elbo with the same generator (and gives the single-sample ELBO with the KL
/// estimated by log q - log p instead of its closed form). Decoder passes take about
/// `rows_per_pass` codes at a time. Evaluation mode, no graph. Throws ae::Error for k < 1.
Tensor iwae_negative_log_likelihood(VAE& vae, const Tensor& x, int64_t k, Generator& gen,
                                    int64_t rows_per_pass = 8192);

/// The baseline every VAE must beat: the negative log-likelihood (nats per example) of test
/// under independent Bernoulli pixels with the training set's mean image p,
///   (1/n) sum_rows sum_j -[x_j log p_j + (1 - x_j) log(1 - p_j)],
/// p_j = (sum_i train_ij + 1) / (m + 2) (add-one smoothing, so a pixel that is 0 in every
/// training image costs a finite amount when a test image uses it). A decoder that ignores z
/// with KL = 0 achieves about this, so a trained VAE's negative ELBO must lie below it.
/// train (m, d) and test (n, d) in [0, 1]; throws ae::Error naming the shapes otherwise.
double pixel_mean_nll(const Tensor& train, const Tensor& test);

/// The number of active latent units (Burda et al. 2016, sec. 5.2): dimensions j whose
/// posterior mean varies with the input, Var_x(mu_j(x)) > threshold, for the posterior means
/// mu (n, latent) of a data set (VAE::encode). A unit below it carries no information about x:
/// its q(z_j|x) equals the prior for every x and its KL term is 0. Throws ae::Error for a
/// shape other than (n >= 2, latent).
int64_t active_units(const Tensor& mu, double threshold = 1e-2);

// ---- codes to decode ----

/// The standard normal quantile Phi^-1(p) for p in (0, 1), Phi(x) = erfc(-x / sqrt 2) / 2,
/// found by bisection to double precision. Throws ae::Error outside (0, 1).
double normal_quantile(double p);

/// A side x side grid of 2-D codes evenly spaced in probability under the prior:
/// z = (Phi^-1((c + 1/2) / side), Phi^-1(1 - (r + 1/2) / side)) for grid row r (top first) and
/// column c, as rows (side * side, 2) in reading order — so a decoded image grid is laid out
/// like a plot of the latent plane, z1 to the right and z2 up (Kingma & Welling 2014, fig. 4).
Tensor normal_quantile_grid(int64_t side);

/// n draws from the Gaussian fitted to the rows of codes (m, k): the sample mean and the
/// sample covariance C (divided by m - 1), z = mean + L eps with C = L L^T (Cholesky, in
/// double; a ridge of 1e-9 tr(C)/k keeps it defined when C is singular). This is how an
/// ordinary autoencoder, whose codes follow no prescribed distribution, can be asked to
/// generate (lecture 004). Throws ae::Error for fewer than two rows.
Tensor fitted_gaussian_samples(const Tensor& codes, int64_t n, Generator& gen);

}  // namespace ae::nn
