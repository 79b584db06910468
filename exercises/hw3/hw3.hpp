#pragma once
// HW3 — depth: greedy pre-training, the softmax classifier on top, and convolution
// (lectures 000 and 002; chapters 7 and 8).
//
// A deep stack of sigmoid layers trained from random weights with few labels learns slowly
// and overfits. Greedy layer-wise pre-training trains each layer as an autoencoder on the
// codes of the frozen layers below it, using no labels; the stack plus a softmax layer is
// then fine-tuned on the labels. Task 1 writes the greedy loop, task 2 the softmax
// classifier's cost and its gradient by hand, tasks 3 and 4 a convolution layer's forward
// pass (im2col and one matrix product) and its backward pass, and task 5 shows on MNIST
// that pre-training helps when only 1,000 images are labelled.
//
// The student writes the functions marked "Task N" in pretrain.cpp (task 1), softmax.cpp
// (task 2), conv.cpp (tasks 3 and 4) and experiment.cpp (task 5). The functions marked
// "Given" are written already (support.cpp). README.md has the points.
//
// Conventions: images and codes are rows. A batch X is (n x d); the codes of a layer with
// k units are (n x k). Images for convolution are (N, C, H, W), row-major.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "autograd/variable.hpp"
#include "tensor/random.hpp"
#include "tensor/tensor.hpp"

namespace ae::hw3 {

// ============ Task 1 (25 points): greedy layer-wise pre-training ============

/// One autoencoder of the stack (sigmoid units, untied weights, as in HW1 and HW2):
///   encoder  h = σ(W x + b),    W  (k x d), b (k)       — what the stack keeps
///   decoder  x̂ = σ(W* h + c),   W* (d x k), c (d)       — used only while the layer trains
struct AutoencoderLayer {
  Variable W;
  Variable b;
  Variable W_star;
  Variable c;
  std::vector<Variable> parameters() const { return {W, b, W_star, c}; }
  int64_t input_size() const { return W.shape()[1]; }
  int64_t code_size() const { return W.shape()[0]; }
};

/// Layer 0 takes the images, layer l > 0 the codes of layer l - 1.
using Stack = std::vector<AutoencoderLayer>;

struct PretrainOptions {
  int epochs = 1;            ///< passes over the data per layer
  int64_t batch_size = 32;
  float lr = 0.1f;           ///< nn::SGD's learning rate
  float momentum = 0.9f;     ///< nn::SGD's momentum (0: plain gradient descent)
  uint64_t seed = 0;         ///< of the batch order (data::BatchLoader, shuffled)
  bool verbose = false;      ///< print each layer's epochs
};

/// What layer l is trained on and fed: X itself for l = 0, else the codes of the frozen
/// layers below, h_0 = X, h_{j+1} = σ(h_j W_jᵀ + b_j) for j = 0 .. l-1, computed without a
/// graph. (n x stack[l].input_size()). Throws ae::Error naming the shapes when X does not
/// fit layer 0 or l is not a layer of the stack.
Tensor layer_input(const Stack& stack, size_t l, const Tensor& X);

/// Stage l of the greedy loop: trains autoencoder l to rebuild its input H = layer_input(
/// stack, l, X) with the loss of one batch B
///   L = (1/|B|) Σ_{i∈B} || σ(W* σ(W h_i + b) + c) - h_i ||²
/// (summed over the units, averaged over the batch) — `epochs` passes over H in the batches
/// of data::BatchLoader(n, batch_size, shuffle = true, seed), one nn::SGD step (lr,
/// momentum) over layer l's four parameters per batch. Every other layer is frozen: its
/// parameters are left bit-identical. Returns the mean training loss of every epoch (each
/// batch's loss before its step, weighted by the batch's size).
std::vector<double> pretrain_layer(Stack& stack, size_t l, const Tensor& X, const PretrainOptions& options);

/// The greedy loop: pretrain_layer for l = 0, 1, ..., stack.size() - 1 in turn, each on the
/// codes of the layers trained before it. Returns every layer's epoch losses.
std::vector<std::vector<double>> greedy_pretrain(Stack& stack, const Tensor& X, const PretrainOptions& options);

// ============ Task 2 (20 points): the softmax classifier ============

/// The softmax of every row of Z (n x K): P_ik = exp(Z_ik - m_i) / Σ_j exp(Z_ij - m_i) with
/// m_i = max_j Z_ij. Subtracting the row's maximum changes nothing mathematically, and keeps
/// exp finite for large logits (Z_ik = 1000 would overflow float's exp otherwise).
Tensor softmax(const Tensor& Z);

/// The classifier's cost on m examples X (m x d) with labels y_i in [0, K), weights W
/// (K x d) and bias b (K), logits Z = X Wᵀ + b (as UFLDL's softmax exercise):
///   J(W, b) = -(1/m) Σ_i log P_{i, y_i}  +  (λ/2) ||W||²_F          (the bias not decayed)
/// log P_{i,y} = Z_iy - m_i - log Σ_j exp(Z_ij - m_i) stays finite for large logits.
/// Accumulate in double.
double softmax_cost(const Tensor& W, const Tensor& b, const Tensor& X, const std::vector<int>& labels,
                    double lambda);

struct SoftmaxGradient {
  Tensor dW;  ///< (K x d)
  Tensor db;  ///< (K)
};

/// ∂J/∂W and ∂J/∂b by hand, no autograd. With P = softmax(Z) and Y the one-hot labels (m x K):
///   ∂J/∂W = (1/m) (P - Y)ᵀ X + λ W,      ∂J/∂b = (1/m) Σ_i (P_i - Y_i).
SoftmaxGradient softmax_cost_grad(const Tensor& W, const Tensor& b, const Tensor& X,
                                  const std::vector<int>& labels, double lambda);

// ============ Task 3 (20 points): conv2d forward by im2col ============
//
// The framework's conv2d (autograd/conv.cpp, tensor/conv.hpp) is a CROSS-CORRELATION, as in
// every deep-learning library: the kernel is not flipped. With stride s and zero padding p
// on all four sides, an input x (N, C, H, W) and a weight w (O, C, kh, kw),
//   y[n, o, oh, ow] = b[o] + Σ_{c, i, j} w[o, c, i, j] · x[n, c, oh·s - p + i, ow·s - p + j]
// (x outside the image is 0), with Ho = (H + 2p - kh) / s + 1 rows and likewise
// Wo = (W + 2p - kw) / s + 1 columns (integer division).

/// im2col: every window as one column of a matrix for the whole batch,
///   cols[(c·kh + i)·kw + j,  (n·Ho + oh)·Wo + ow] = x[n, c, oh·s - p + i, ow·s - p + j]
/// (0 where the pixel falls in the padding): (C·kh·kw) x (N·Ho·Wo), the layout of the
/// framework's tensor::unfold. Throws ae::Error naming x's shape for an x that is not 4-D,
/// a kernel or stride below 1, a negative padding or a window larger than the padded image.
Tensor im2col(const Tensor& x, int64_t kh, int64_t kw, int64_t stride, int64_t padding);

/// y above, as ONE matrix product: Y = w.reshape(O, C·kh·kw) · im2col(x) (O x N·Ho·Wo),
/// plus b[o] on row o, rearranged to (N, O, Ho, Wo). b is (O) or undefined (no bias).
Tensor conv2d_forward(const Tensor& x, const Tensor& w, const Tensor& b, int64_t stride, int64_t padding);

// ============ Task 4 (15 points): conv2d backward by hand ============

/// col2im, the adjoint of im2col: every entry of cols (C·kh·kw x N·Ho·Wo) is ADDED onto
/// the pixel of an (N, C, H, W) image (x_shape) it was copied from by im2col; entries of
/// the padding are dropped. So <im2col(x), M> = <x, col2im(M)> for every x and M.
Tensor col2im(const Tensor& cols, const Shape& x_shape, int64_t kh, int64_t kw, int64_t stride,
              int64_t padding);

struct ConvGradients {
  Tensor dx;  ///< ∂L/∂x, (N, C, H, W)
  Tensor dw;  ///< ∂L/∂w, (O, C, kh, kw)
  Tensor db;  ///< ∂L/∂b, (O)
};

/// The gradients of a loss L through y = conv2d(x, w, b, stride, padding), given
/// dy = ∂L/∂y (N, O, Ho, Wo). With G = dy rearranged to (O x N·Ho·Wo), cols = im2col(x) and
/// Wm = w.reshape(O, C·kh·kw):
///   ∂L/∂Wm = G colsᵀ,    ∂L/∂cols = Wmᵀ G,    ∂L/∂x = col2im(∂L/∂cols),    ∂L/∂b_o = Σ G_o.
/// For cols use the framework's tensor::unfold (tensor/conv.hpp, the layout of im2col), so
/// that this task does not depend on your task 3.
ConvGradients conv2d_backward(const Tensor& x, const Tensor& w, const Tensor& dy, int64_t stride,
                              int64_t padding);

// ============ Task 5 (20 points): the experiment ============

struct ExperimentOptions {
  /// --data: a folder with MNIST's four files (or its parent). Unset: $AELAB_DATA, ./data,
  /// ../shared/data, and Fashion-MNIST when no MNIST is found (said so in the output).
  std::optional<std::filesystem::path> data_dir;
  int64_t unlabelled_size = 10000;  ///< training images 0 .. unlabelled_size-1, used without labels
  int64_t labelled_size = 1000;     ///< the first labelled_size of them, with their labels
  int64_t test_size = 10000;        ///< the first test_size test images
  std::vector<int64_t> hidden = {256, 128, 64};  ///< units of each layer of the stack
  PretrainOptions pretrain{};       ///< the greedy stage of the pre-trained network
  int fine_tune_epochs = 30;        ///< passes over the labelled images, both networks
  int64_t fine_tune_batch_size = 32;
  float fine_tune_lr = 0.1f;        ///< nn::SGD (momentum 0.9) on the fine-tuning cost
  double weight_decay = 1e-4;       ///< λ of the fine-tuning cost (softmax weights only)
  uint64_t seed = 0;                ///< of the initial weights and the fine-tuning batches
  bool verbose = true;
};

/// A stack of encoders (W, b of every layer) with a softmax layer (K x top code) on top:
/// logits = softmax_W σ(... σ(W_0 x + b_0) ...) + softmax_b.
struct Classifier {
  std::vector<Variable> W;  ///< the encoders' weights, layer 0 first
  std::vector<Variable> b;
  Variable softmax_W;
  Variable softmax_b;
  std::vector<Variable> parameters() const;
};

struct ExperimentResult {
  std::string dataset;  ///< "mnist" or "fashion-mnist"
  std::filesystem::path data_dir;
  std::vector<std::vector<double>> pretrain_losses;  ///< greedy_pretrain's epoch losses
  Classifier pretrained;  ///< the pre-trained stack with a softmax layer, after fine-tuning
  Classifier random;      ///< the same shape and the same initial weights, not pre-trained, fine-tuned alike
  std::vector<double> pretrained_fine_tune_losses;  ///< mean fine-tuning cost of every epoch
  std::vector<double> random_fine_tune_losses;
  double pretrained_test_accuracy = 0;  ///< share of the test images classified right
  double random_test_accuracy = 0;
};

/// Makes two stacks with the same initial weights (make_stack from two generators with one
/// seed), pre-trains one greedily on the unlabelled images, puts a softmax layer on each
/// (make_classifier), fine-tunes both alike on the labelled images and measures both on the
/// test images.
ExperimentResult run_experiment(const ExperimentOptions& options);

// ============ Given (support.cpp) ============

/// σ(X Wᵀ + b) of one layer, without a graph.
Tensor encode(const AutoencoderLayer& layer, const Tensor& X);

/// σ(W* σ(W H + b) + c) for the rows of H, with autograd ops (a graph to the parameters).
Variable reconstruct(const AutoencoderLayer& layer, const Variable& H);

/// Layers of sizes input_size -> hidden[0] -> hidden[1] ...: Xavier-uniform W and W*, b and
/// c zero, drawn from `gen` in layer order. All parameters require gradients.
Stack make_stack(int64_t input_size, const std::vector<int64_t>& hidden, Generator& gen);

/// The stack's encoders (copies of W and b) with a softmax layer of `classes` outputs whose
/// weights and bias start at zero.
Classifier make_classifier(const Stack& stack, int64_t classes);

/// The logits of the rows of X, with autograd ops.
Variable logits(const Classifier& net, const Variable& X);

/// Fine-tuning: `epochs` passes over (X, labels) in the batches of data::BatchLoader(n,
/// batch_size, shuffle = true, seed), one nn::SGD step (lr, momentum 0.9) per batch on
///   cross-entropy of the logits + (λ/2) ||softmax_W||²_F
/// over every parameter of the network. Returns the mean cost of every epoch.
std::vector<double> fine_tune(Classifier& net, const Tensor& X, const std::vector<int>& labels, int epochs,
                              int64_t batch_size, float lr, double lambda, uint64_t seed, bool verbose,
                              const char* name);

/// The share of the rows of X whose largest logit is at their label.
double accuracy(const Classifier& net, const Tensor& X, const std::vector<int>& labels);

struct Hw3Data {
  std::string dataset;  ///< "mnist" or "fashion-mnist"
  std::filesystem::path dir;
  Tensor unlabelled;             ///< (unlabelled_size x 784) in [0, 1]
  Tensor labelled;               ///< (labelled_size x 784): the first rows of unlabelled
  std::vector<int> labels;       ///< labelled_size labels
  Tensor test_images;            ///< (test_size x 784)
  std::vector<int> test_labels;
};

/// The images ExperimentOptions asks for, found as its data_dir says (Fashion-MNIST when
/// there is no MNIST).
Hw3Data load_data(const ExperimentOptions& options);

/// Throws ae::Error naming `op` unless t is defined and has `dims` dimensions.
void require_dims(const Tensor& t, int64_t dims, const char* op, const char* name);

}  // namespace ae::hw3
