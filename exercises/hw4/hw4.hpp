#pragma once
// HW4 — the variational autoencoder (lectures 001 and 004; chapter 9).
//
// A VAE's encoder does not give one code per image but a Gaussian q(z|x) = N(μ(x), σ²(x))
// over codes; the decoder gives the Bernoulli probabilities of the pixels, p(x|z) with
// logits d(z). Training maximises the evidence lower bound
//   ELBO(x) = E_{z~q(z|x)} [log p(x|z)] - KL(q(z|x) ‖ N(0, I))  <=  log p(x),
// so the codes of the training images fill the region N(0, I) draws from, and a random
// code z ~ N(0, I) decodes to a plausible image (lecture 004: "randomly select code z, then
// set x = d(z)"; a plain autoencoder leaves that region mostly empty).
//
// Task 1 writes the reparameterised sample, task 2 the closed-form KL, task 3 the negative
// ELBO with a reconstruction term that is stable for large logits, task 4 the loss and
// training step of a small VAE from those pieces, and task 5 shows on MNIST that a VAE
// generates images closer to real test images than a plain autoencoder of the same size.
//
// The student writes the functions marked "Task N" in latent.cpp (tasks 1 and 2), elbo.cpp
// (tasks 3 and 4) and experiment.cpp (task 5). The functions marked "Given" are written
// already (support.cpp). README.md has the points.
//
// Conventions:
//   - images, codes and the encoder's outputs are rows: a batch X is (n x d), d = 784
//     pixels in [0, 1] (grey levels, not only 0 and 1); μ and logvar are (n x k);
//   - the encoder outputs logvar = log σ², never σ: σ = exp(logvar / 2);
//   - per-example quantities (the KL, the reconstruction term) are SUMMED over the k latent
//     dimensions or the d pixels, then the loss AVERAGES them over the n examples of the
//     batch: the loss is in nats per image;
//   - all of it is written with autograd ops (autograd/ops.hpp), so that backward() gives
//     the gradients; no function here changes its inputs.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "autograd/variable.hpp"
#include "nn/optim.hpp"
#include "tensor/random.hpp"
#include "tensor/tensor.hpp"

namespace ae::hw4 {

// ============ Task 1 (20 points): the reparameterised sample ============

/// z = μ + σ ⊙ ε with σ = exp(logvar / 2) and ε (n x k) independent N(0, 1) draws from
/// `gen`: a fresh ε for every example (row) and every latent dimension (column). μ and
/// logvar are (n x k). Written with autograd ops, so that z is differentiable in μ and
/// logvar:  dz/dμ = 1,  dz/dlogvar = ε σ / 2.
Variable reparameterize(const Variable& mu, const Variable& logvar, Generator& gen);

// ============ Task 2 (20 points): the Gaussian KL in closed form ============

/// KL(N(μ_i, diag σ_i²) ‖ N(0, I)) of every example i, summed over its k dimensions:
///   KL_i = 1/2 Σ_j ( μ_ij² + exp(logvar_ij) - 1 - logvar_ij )   >= 0.
/// Shape (n). Gradients: dKL_i/dμ_ij = μ_ij,  dKL_i/dlogvar_ij = (exp(logvar_ij) - 1) / 2.
Variable gaussian_kl(const Variable& mu, const Variable& logvar);

// ============ Task 3 (20 points): the negative ELBO ============

/// The reconstruction term -log p(x_i | z_i) of every example for Bernoulli pixels with
/// probabilities σ(l), l = logits (n x d), summed over the d pixels:
///   nll_i = -Σ_j [ x_ij log σ(l_ij) + (1 - x_ij) log(1 - σ(l_ij)) ]
///         =  Σ_j [ max(l_ij, 0) - x_ij l_ij + log(1 + exp(-|l_ij|)) ].
/// Use the second form: it is finite and exact for logits of any size (σ(40) is 1 in
/// float, and log(1 - 1) is -inf). x in [0, 1], the shape of logits. Shape (n).
/// d nll_i / d l_ij = σ(l_ij) - x_ij.
Variable bernoulli_nll(const Variable& logits, const Tensor& x);

/// The loss of a batch: the negative ELBO averaged over its n examples, with the KL
/// weighted by β >= 0 (β = 1: the ELBO; β-VAE otherwise):
///   L = (1/n) Σ_i [ nll_i + β KL_i ],   nll = bernoulli_nll(logits, x),
/// kl (n) the examples' KL terms. One element.
Variable negative_elbo(const Variable& logits, const Tensor& x, const Variable& kl, double beta);

// ============ Task 4 (15 points): the VAE's loss and training step ============

/// A VAE with one hidden layer of m tanh units on each side and k latent dimensions:
///   encoder   h = tanh(W1 x + b1),  μ = W_mu h + b_mu,  logvar = W_logvar h + b_logvar
///   decoder   g = tanh(W2 z + b2),  logits = W3 g + b3      (p(x|z) = Bernoulli(σ(logits)))
/// W1 (m x d), W_mu and W_logvar (k x m), W2 (m x k), W3 (d x m).
/// A plain autoencoder is the same networks with z = μ: its logvar head is left unused.
struct Vae {
  Variable W1, b1;
  Variable W_mu, b_mu;
  Variable W_logvar, b_logvar;
  Variable W2, b2;
  Variable W3, b3;
  std::vector<Variable> parameters() const {
    return {W1, b1, W_mu, b_mu, W_logvar, b_logvar, W2, b2, W3, b3};
  }
  int64_t input_size() const { return W1.shape()[1]; }
  int64_t hidden_size() const { return W1.shape()[0]; }
  int64_t latent_size() const { return W_mu.shape()[0]; }
};

/// The loss of one batch X (n x d): encode it (the given encode), draw z with your
/// reparameterize from `gen`, decode z to logits (the given decode_logits), and return
/// negative_elbo(logits, X, gaussian_kl(μ, logvar), β) — a one-element Variable that
/// back-propagates to every parameter, the logvar head included (through σ in z and
/// through the KL).
Variable vae_loss(const Vae& model, const Tensor& X, double beta, Generator& gen);

/// One training step: clear the gradients, vae_loss, backward, optimizer.step() (an
/// optimizer over model.parameters()). Returns the loss before the step.
float vae_step(Vae& model, const Tensor& X, double beta, Generator& gen, nn::Optimizer& optimizer);

// ============ Task 5 (25 points): the experiment ============

struct ExperimentOptions {
  /// --data: a folder with MNIST's four files (or its parent). Unset: $AELAB_DATA, ./data,
  /// ../shared/data, and Fashion-MNIST when no MNIST is found (said so in the output).
  std::optional<std::filesystem::path> data_dir;
  int64_t train_size = 60000;  ///< the first train_size training images
  int64_t test_size = 10000;   ///< the first test_size test images
  int64_t hidden = 256;        ///< m, tanh units of each hidden layer
  int64_t k = 16;              ///< latent dimensions
  int epochs = 10;
  int64_t batch_size = 64;
  float lr = 0.002f;           ///< Adam's learning rate (nn::Adam, otherwise its defaults)
  double beta = 1.0;           ///< the VAE's KL weight
  int64_t num_samples = 500;   ///< codes z ~ N(0, I) decoded by each model
  uint64_t seed = 0;           ///< of the initial weights, the batch order and the training ε
  uint64_t sample_seed = 1;    ///< of the codes z ~ N(0, I) that both models decode
  bool verbose = true;         ///< print the steps and the epochs
};

struct ExperimentResult {
  std::string dataset;  ///< "mnist" or "fashion-mnist"
  std::filesystem::path data_dir;
  Vae vae;    ///< trained with vae_step (β = options.beta)
  Vae plain;  ///< the same networks trained as a plain autoencoder: z = μ, loss (1/n) Σ_i nll_i
  std::vector<double> vae_epoch_losses;    ///< the mean training loss of each epoch
  std::vector<double> plain_epoch_losses;
  Tensor codes;          ///< (num_samples x k) z ~ N(0, I) from Generator(sample_seed)
  Tensor vae_samples;    ///< decode_images(vae, codes)
  Tensor plain_samples;  ///< decode_images(plain, codes)
  double vae_sample_distance = 0;    ///< mean_nearest_distance(vae_samples, test images)
  double plain_sample_distance = 0;  ///< mean_nearest_distance(plain_samples, test images)
};

/// Trains a VAE and a plain autoencoder of the same size, from the same initial weights and
/// batch order, with nn::Adam(lr); decodes the same codes z ~ N(0, I) with both, and
/// measures how far each model's generated images lie from the nearest test image.
ExperimentResult run_experiment(const ExperimentOptions& options);

// ============ Given (support.cpp) ============

struct Encoding {
  Variable mu;      ///< (n x k)
  Variable logvar;  ///< (n x k)
};

/// μ and logvar of every row of X (n x d), with autograd ops.
Encoding encode(const Vae& model, const Variable& X);

/// The decoder's logits (n x d) of every row of Z (n x k), with autograd ops.
Variable decode_logits(const Vae& model, const Variable& Z);

/// σ(decode_logits(Z)): the decoder's mean image of every code, without recording a graph.
Tensor decode_images(const Vae& model, const Tensor& Z);

/// (1/n) Σ_i min_t ||s_i - t||²: the mean squared distance of each row of `samples` to its
/// nearest row of `images` (both (· x d)), in double. Low when every generated image looks
/// like some real one.
double mean_nearest_distance(const Tensor& samples, const Tensor& images);

/// Xavier-uniform weights (gain 5/3 for the tanh layers), zero biases except b3 =
/// logit(pixel_mean) clamped to [0.01, 0.99] (an untrained decoder outputs the mean image)
/// and b_logvar = 0. All parameters require gradients.
Vae make_vae(int64_t input_size, int64_t hidden_size, int64_t latent_size, const Tensor& pixel_mean,
             Generator& gen);

struct Hw4Data {
  std::string dataset;  ///< "mnist" or "fashion-mnist"
  std::filesystem::path dir;
  Tensor train_images;  ///< (train_size x 784) in [0, 1]
  Tensor test_images;   ///< (test_size x 784)
};

/// The first train_size / test_size images of MNIST, found as ExperimentOptions::data_dir
/// says (Fashion-MNIST when there is no MNIST).
Hw4Data load_data(const ExperimentOptions& options);

/// Throws ae::Error naming `op` unless t is defined and 2-D.
void require_matrix(const Tensor& t, const char* op, const char* name);

/// Throws ae::Error naming `op` unless a and b have the same shape.
void require_same_shape(const Tensor& a, const Tensor& b, const char* op, const char* a_name,
                        const char* b_name);

}  // namespace ae::hw4
