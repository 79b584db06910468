#pragma once
// HW1 — PCA against a nonlinear autoencoder (lectures 000 and 001).
//
// PCA finds the k-dimensional linear subspace that keeps the most variance of the images,
// which is the same as the one with the least squared reconstruction error
// ||X - X W Wᵀ||²_F (lecture 000). Digits do not lie on a linear subspace, which is "the
// purpose of HW1": a one-hidden-layer autoencoder with sigmoid units, h = σ(W x + b),
// x̂ = σ(W* h + c) (lecture 001), is nonlinear, so at the same code size k it can
// reconstruct the images better. Tasks 1–3 build PCA from scratch, tasks 4–5 the
// autoencoder and its training step, and task 6 runs both on MNIST.
//
// The student writes the functions marked "Task N" in pca.cpp (tasks 1–3),
// autoencoder.cpp (tasks 4–5) and experiment.cpp (task 6). The functions marked "Given"
// are written already (support.cpp). README.md has the points and how to grade.
//
// Conventions: images are rows. A batch X is (n x d), d = 784 pixels in [0, 1].
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "autograd/variable.hpp"
#include "tensor/random.hpp"
#include "tensor/tensor.hpp"

namespace ae::hw1 {

// ============ Task 1 (15 points): centering and the covariance matrix ============

/// The mean of every column of X (n x d, n >= 1): shape (d).
Tensor column_mean(const Tensor& X);

/// X - 1 meanᵀ: `mean` (d) subtracted from every row of X (n x d). X is left unchanged.
Tensor center(const Tensor& X, const Tensor& mean);

/// The sample covariance of centred data Xc (n x d, n >= 2):
///   C = Xcᵀ Xc / (n - 1),  shape (d x d),  C_ij = Σ_r Xc_ri Xc_rj / (n - 1).
/// (n - 1), as NumPy's np.cov: then C is an unbiased estimate of the covariance.
Tensor covariance(const Tensor& Xc);

// ============ Task 2 (20 points): top-k eigenvectors by power iteration ============

struct PowerIterationOptions {
  int max_iterations = 1000;  ///< per eigenvector
  float tolerance = 1e-5f;    ///< stop once ||v_new - v|| < tolerance (v, v_new unit vectors)
  uint64_t seed = 0;          ///< of the random start vectors
};

struct Eigenpairs {
  Tensor values;                ///< (k): λ_1 >= λ_2 >= ... >= λ_k
  Tensor vectors;               ///< (d x k): column i is a unit eigenvector of λ_i
  std::vector<int> iterations;  ///< the power iterations eigenvector i took
};

/// The k largest eigenvalues of a symmetric positive semi-definite C (d x d), 1 <= k <= d,
/// and their eigenvectors, by power iteration with deflation:
///   v ← C v / ||C v|| until v stops changing; λ = vᵀ C v;
///   then C ← C - λ v vᵀ removes that direction, and the next power iteration finds the
///   next eigenvector. C itself is left unchanged (deflate a copy).
/// Start vectors come from Generator(options.seed). An eigenvector's sign is arbitrary.
/// The details the tests rely on:
///   - one Generator for all k start vectors, made once from options.seed: the start of
///     eigenvector i is the i-th vector of d standard normals it draws (then normalised);
///   - λ_i = vᵀ A v with A the deflated matrix the i-th power iteration ran on (for a unit
///     eigenvector it equals vᵀ C v on the original C);
///   - when A v = 0 (k above the rank of C: v lies where A has eigenvalue 0), stop that power
///     iteration and keep v as it is: it is an eigenvector of 0, and λ_i = 0;
///   - iterations[i] counts the products A v of eigenvector i, the last one included, so
///     1 <= iterations[i] <= options.max_iterations; the iteration stops after the first
///     product whose normalised result is within options.tolerance of the previous v.
Eigenpairs top_eigenpairs(const Tensor& C, int64_t k, const PowerIterationOptions& options = {});

// ============ Task 3 (15 points): PCA encode / decode, error, 2-D projection ============

/// The codes of the rows of X (n x d) in the orthonormal basis W (d x k) around `mean` (d):
///   Z = (X - 1 meanᵀ) W,  shape (n x k).
Tensor pca_encode(const Tensor& X, const Tensor& mean, const Tensor& W);

/// Back to pixel space: X̂ = Z Wᵀ + 1 meanᵀ,  shape (n x d).
Tensor pca_decode(const Tensor& Z, const Tensor& mean, const Tensor& W);

/// The mean over rows of the squared reconstruction error, (1/n) Σ_i ||x_i - x̂_i||²,
/// summed over the d pixels of each row (the "squared error per image"). Given: X with no
/// rows (n = 0) is an ae::Error, since a mean over no images is undefined.
double reconstruction_error(const Tensor& X, const Tensor& X_hat);

/// The 2-D view of lecture 000 (784-D digits on a plane): the codes on the first two
/// principal directions, columns 0 and 1 of W (d x k, k >= 2). Shape (n x 2).
Tensor project_2d(const Tensor& X, const Tensor& mean, const Tensor& W);

// ============ Task 4 (15 points): the sigmoid autoencoder, forward and loss ============

/// One hidden layer of k sigmoid units (lecture 001):
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

/// Given. Xavier-uniform W and W*, b = 0, and c = logit(pixel_mean) clamped to
/// [0.01, 0.99], so that an untrained decoder already outputs the mean image: from a
/// random c, training first spends epochs on a plateau where every output is that mean.
/// All parameters require gradients.
Autoencoder make_autoencoder(int64_t input_size, int64_t code_size, const Tensor& pixel_mean,
                             Generator& gen);

struct AeOutput {
  Variable code;            ///< H (n x k)
  Variable reconstruction;  ///< X̂ (n x d)
};

/// The forward pass on a batch X (n x d), one image per row:
///   H = σ(X Wᵀ + 1 bᵀ),   X̂ = σ(H W*ᵀ + 1 cᵀ).
/// Made of autograd ops, so that a loss of X̂ can be back-propagated to the parameters.
AeOutput ae_forward(const Autoencoder& ae, const Variable& X);

/// The squared loss of lecture 001 averaged over the batch:
///   L = (1/n) Σ_i Σ_d (x̂_id - x_id)²  (a one-element Variable).
/// It is the reconstruction_error of task 3, but differentiable.
Variable squared_loss(const Variable& X_hat, const Variable& X);

// ============ Task 5 (15 points): one training step with Adam ============

struct AdamOptions {
  float lr = 0.005f;
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float eps = 1e-8f;
};

/// Adam's state (Kingma and Ba, 2015): the number of updates made, and the first and
/// second moment estimates of each parameter (empty before the first update, then one
/// tensor per parameter, shaped like it, starting from zeros).
struct Adam {
  AdamOptions options;
  int64_t step = 0;
  std::vector<Tensor> m;
  std::vector<Tensor> v;
};

/// One Adam update of every parameter θ from its gradient g = θ.grad():
///   t ← t + 1
///   m ← β1 m + (1 - β1) g          v ← β2 v + (1 - β2) g²
///   m̂ = m / (1 - β1^t)            v̂ = v / (1 - β2^t)
///   θ ← θ - lr m̂ / (√v̂ + ε)
/// The values of the parameters change in place (the Variables share them with the model).
void adam_update(std::vector<Variable> parameters, Adam& adam);

/// One step on a batch (n x d): clear the old gradients, forward, squared_loss, backward,
/// adam_update. Returns the loss before the update.
float train_step(Autoencoder& ae, const Tensor& batch, Adam& adam);

// ============ Task 6 (20 points): the experiment ============

struct ExperimentOptions {
  /// --data: a folder with MNIST's four files (or its parent). Unset: $AELAB_DATA, ./data,
  /// ../shared/data, and Fashion-MNIST when no MNIST is found (said so in the output).
  std::optional<std::filesystem::path> data_dir;
  int64_t train_size = 60000;  ///< the first train_size training images
  int64_t test_size = 10000;   ///< the first test_size test images
  int64_t k = 30;              ///< code size, the same for PCA and the autoencoder
  int epochs = 10;
  int64_t batch_size = 64;
  AdamOptions adam{};
  PowerIterationOptions power{};
  uint64_t seed = 0;  ///< of the initial weights and the batch order
  std::filesystem::path out_dir = "out/hw1";
  bool verbose = true;  ///< print the steps and the epochs
};

struct ExperimentResult {
  std::string dataset;  ///< "mnist" or "fashion-mnist"
  std::filesystem::path data_dir;
  int64_t k = 0;
  Tensor pca_mean;        ///< (d): the mean training image
  Tensor pca_components;  ///< (d x k): the top-k eigenvectors of the training covariance
  double pca_error = 0;   ///< reconstruction_error of PCA on the test images
  Autoencoder autoencoder;          ///< after training
  double ae_error = 0;              ///< reconstruction_error of the autoencoder on the test images
  std::vector<double> epoch_losses;  ///< the mean training loss of each epoch
  Tensor pca_codes_2d;  ///< (test_size x 2): project_2d of the test images
  Tensor ae_codes_2d;   ///< (test_size x 2): the autoencoder's codes of the test images,
                        ///< projected on their own first two principal directions
  std::filesystem::path pca_scatter;  ///< PNG of pca_codes_2d, coloured by digit
  std::filesystem::path ae_scatter;   ///< PNG of ae_codes_2d, coloured by digit
};

/// PCA and the autoencoder, both with code size k, fitted on the training images and
/// compared on the test images; writes the two scatter plots into out_dir.
ExperimentResult run_experiment(const ExperimentOptions& options);

// ============ Given (support.cpp) ============

struct Hw1Data {
  std::string dataset;  ///< "mnist" or "fashion-mnist"
  std::filesystem::path dir;
  Tensor train_images;  ///< (train_size x 784) in [0, 1]
  std::vector<int> train_labels;
  Tensor test_images;  ///< (test_size x 784)
  std::vector<int> test_labels;
};

/// The first train_size / test_size images of MNIST, found as ExperimentOptions::data_dir
/// says; prints where they came from (and that it fell back to Fashion-MNIST, if it did).
Hw1Data load_data(const ExperimentOptions& options);

/// A PNG scatter plot of codes (n x 2), one colour per class, with a legend.
void write_scatter(const std::filesystem::path& file, const Tensor& codes,
                   const std::vector<int>& labels, const std::string& dataset,
                   const std::string& title);

/// Throws ae::Error naming `op` unless t is defined and 2-D.
void require_matrix(const Tensor& t, const char* op, const char* name);

}  // namespace ae::hw1
