#pragma once
// HW2 — regularised autoencoders: sparse, denoising and contractive (lectures 001–003).
//
// An autoencoder kept from copying its input by something other than a narrow code:
//   sparse       a penalty β Σ_j KL(ρ ‖ ρ̂_j) keeps each hidden unit's mean activation ρ̂_j
//                near a small target ρ, so few units fire for any one image;
//   denoising    the encoder sees a corrupted x̃ and the decoder must give back the clean x,
//                so the model has to learn what images look like, not the identity;
//   contractive  a penalty λ ||J_h(x)||²_F makes the code insensitive to small moves of x.
// Task 1 writes the KL penalty and its gradient by hand, task 2 the two corruption
// processes, task 3 the contractive penalty in closed form, task 4 the denoising loss and
// training step, and task 5 shows on MNIST that a denoising autoencoder reconstructs noisy
// test images better than a plain one of the same size.
//
// The student writes the functions marked "Task N" in penalties.cpp (tasks 1 and 3),
// corruption.cpp (task 2), denoising.cpp (task 4) and experiment.cpp (task 5). The
// functions marked "Given" are written already (support.cpp). README.md has the points.
//
// Conventions: images and codes are rows. A batch X is (n x d), d = 784 pixels in [0, 1];
// hidden activations H are (n x k).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "autograd/variable.hpp"
#include "nn/optim.hpp"
#include "tensor/random.hpp"
#include "tensor/tensor.hpp"

namespace ae::hw2 {

// ============ Task 1 (25 points): the KL sparsity penalty and its gradient ============

/// ρ̂: the mean activation of every hidden unit over the batch, ρ̂_j = (1/n) Σ_i H_ij,
/// for H (n x k). Shape (k).
Tensor mean_activation(const Tensor& H);

/// The sparsity penalty of lecture 002, summed over the k hidden units:
///   P(H) = Σ_j KL(ρ ‖ ρ̂_j) = Σ_j [ ρ log(ρ / ρ̂_j) + (1 - ρ) log((1 - ρ) / (1 - ρ̂_j)) ],
/// ρ̂ = mean_activation(H). 0 < ρ < 1, and every ρ̂_j must lie strictly inside (0, 1)
/// (sigmoid codes do). Accumulate in double.
double kl_sparsity(const Tensor& H, double rho);

/// dP/dH (n x k), by hand — no autograd. ρ̂_j depends on column j only, through 1/n:
///   dP/dH_ij = (1/n) [ -ρ / ρ̂_j + (1 - ρ) / (1 - ρ̂_j) ],
/// the same for every row i of a column.
Tensor kl_sparsity_grad(const Tensor& H, double rho);

// ============ Task 2 (15 points): the corruption processes ============

/// Masking noise (Vincent et al., 2008): each entry of X independently set to 0 with
/// probability v (0 <= v <= 1), otherwise kept as it is. Draws from `gen`; X is left
/// unchanged (the result is a new tensor).
Tensor masking_noise(const Tensor& X, float v, Generator& gen);

/// Additive isotropic Gaussian noise: X + σ ε with ε_ij independent N(0, 1), σ >= 0 the
/// standard deviation. No clipping: the result may leave [0, 1]. X is left unchanged.
Tensor gaussian_noise(const Tensor& X, float sigma, Generator& gen);

// ============ Task 3 (20 points): the contractive penalty ============

/// For the sigmoid encoder h = σ(W x + b), W (k x d), b (k), the Jacobian of the code is
///   J_ji = dh_j / dx_i = h_j (1 - h_j) W_ji,
/// so its squared Frobenius norm has the closed form
///   ||J(x)||²_F = Σ_j (h_j (1 - h_j))² Σ_i W_ji².
/// Returns that norm averaged over the rows x of X (n x d): (1/n) Σ_x ||J(x)||²_F.
double contractive_penalty(const Tensor& X, const Tensor& W, const Tensor& b);

// ============ Task 4 (15 points): the denoising loss and training step ============

/// One hidden layer of k sigmoid units, as in HW1:
///   encoder  h = σ(W x + b),    W  (k x d), b (k)
///   decoder  x̂ = σ(W* h + c),   W* (d x k), c (d)
struct Autoencoder {
  Variable W;
  Variable b;
  Variable W_star;
  Variable c;
  std::vector<Variable> parameters() const { return {W, b, W_star, c}; }
  int64_t input_size() const { return W.shape()[1]; }
  int64_t code_size() const { return W.shape()[0]; }
};

/// The denoising criterion (lecture 002): the corrupted images go through the model, the
/// loss is against the CLEAN ones,
///   L = (1/n) Σ_i || reconstruct(x̃_i) - x_i ||²   (summed over pixels, averaged over images),
/// a one-element Variable that back-propagates to the parameters. clean and corrupted are
/// (n x d) with the same shape. With corrupted = clean it is the plain autoencoder's loss.
Variable denoising_loss(const Autoencoder& ae, const Tensor& clean, const Tensor& corrupted);

/// One training step: clear the parameters' gradients, denoising_loss, backward, then
/// optimizer.step() (an optimizer over ae.parameters()). Returns the loss before the step.
float denoising_step(Autoencoder& ae, const Tensor& clean, const Tensor& corrupted,
                     nn::Optimizer& optimizer);

// ============ Task 5 (25 points): the experiment ============

struct ExperimentOptions {
  /// --data: a folder with MNIST's four files (or its parent). Unset: $AELAB_DATA, ./data,
  /// ../shared/data, and Fashion-MNIST when no MNIST is found (said so in the output).
  std::optional<std::filesystem::path> data_dir;
  int64_t train_size = 60000;  ///< the first train_size training images
  int64_t test_size = 10000;   ///< the first test_size test images
  int64_t k = 64;              ///< hidden units of both autoencoders
  int epochs = 5;
  int64_t batch_size = 32;
  float lr = 0.005f;           ///< Adam's learning rate (nn::Adam, otherwise its defaults)
  float v = 0.3f;              ///< masking level, for the training and the test corruption
  uint64_t seed = 0;           ///< of the initial weights, the batch order and the training noise
  uint64_t test_noise_seed = 1;  ///< of the masking of the test images
  bool verbose = true;         ///< print the steps and the epochs
};

struct ExperimentResult {
  std::string dataset;  ///< "mnist" or "fashion-mnist"
  std::filesystem::path data_dir;
  Autoencoder plain;     ///< trained on clean inputs (corrupted = clean)
  Autoencoder denoising;  ///< trained on masking_noise(batch, v) against the clean batch
  std::vector<double> plain_epoch_losses;      ///< the mean training loss of each epoch
  std::vector<double> denoising_epoch_losses;
  Tensor noisy_test_images;  ///< masking_noise(test images, v, Generator(test_noise_seed))
  double plain_noisy_error = 0;  ///< reconstruction_error(plain, noisy_test_images, test images)
  double denoising_noisy_error = 0;  ///< the same for the denoising autoencoder
};

/// Trains a plain and a denoising autoencoder of the same size, from the same initial
/// weights and batch order, with nn::Adam(lr), and compares them on the masked test images.
ExperimentResult run_experiment(const ExperimentOptions& options);

// ============ Given (support.cpp) ============

/// x̂ = σ(W* σ(W x + b) + c) for every row of X (n x d), with autograd ops.
Variable reconstruct(const Autoencoder& ae, const Variable& X);

/// (1/n) Σ_i ||reconstruct(input_i) - target_i||², in double, without recording a graph.
double reconstruction_error(const Autoencoder& ae, const Tensor& input, const Tensor& target);

/// Xavier-uniform W and W*, b = 0, c = logit(pixel_mean) clamped to [0.01, 0.99] (an
/// untrained decoder outputs the mean image). All parameters require gradients.
Autoencoder make_autoencoder(int64_t input_size, int64_t code_size, const Tensor& pixel_mean,
                             Generator& gen);

struct Hw2Data {
  std::string dataset;  ///< "mnist" or "fashion-mnist"
  std::filesystem::path dir;
  Tensor train_images;  ///< (train_size x 784) in [0, 1]
  Tensor test_images;   ///< (test_size x 784)
};

/// The first train_size / test_size images of MNIST, found as ExperimentOptions::data_dir
/// says (Fashion-MNIST when there is no MNIST).
Hw2Data load_data(const ExperimentOptions& options);

/// Throws ae::Error naming `op` unless t is defined and 2-D.
void require_matrix(const Tensor& t, const char* op, const char* name);

}  // namespace ae::hw2
