#pragma once
// Autoencoder — an encoder and a decoder, trained to give back their input (lectures 001, 004).
//
//   h = f(x)        the code (encoder)
//   x̂ = g(h)        the reconstruction (decoder)
//   min  Σ_i ||x_i - g(f(x_i))||²   (or the cross-entropy for inputs in [0, 1])
//
// An Autoencoder is a Module (train it with fit) and a Codec (compare it with PCA through
// encode / decode). Two builders make the models of the early chapters:
//   linear_autoencoder  h = W x + b,  x̂ = W* h + c, with W* = Wᵀ when tied (lecture 001)
//   mlp_autoencoder     the deep, nonlinear one: d - h1 - ... - k - ... - h1 - d (lecture 000)
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nn/codec.hpp"
#include "nn/layers.hpp"
#include "nn/module.hpp"
#include "tensor/random.hpp"

namespace ae::nn {

class Autoencoder : public Module, public Codec {
 public:
  /// `name` is for tables and legends ("deep AE k=30").
  Autoencoder(std::shared_ptr<Sequential> encoder, std::shared_ptr<Sequential> decoder,
              std::string name);

  /// x̂ = decoder(encoder(x)), recorded for backward.
  Variable forward(const Variable& x) override;
  std::string describe() const override;

  /// Codes of the samples of x (n, ...), in evaluation mode and without a graph (Codec).
  Tensor encode(const Tensor& x) override;
  /// Reconstructions from codes, in evaluation mode and without a graph (Codec).
  Tensor decode(const Tensor& z) override;
  std::string name() const override { return name_; }

  Sequential& encoder() const { return *encoder_; }
  Sequential& decoder() const { return *decoder_; }

 private:
  Tensor run_eval(Sequential& half, const Tensor& x);

  std::shared_ptr<Sequential> encoder_;
  std::shared_ptr<Sequential> decoder_;
  std::string name_;
};

/// The decoder half of tied weights: y = x W + c, where W (k x d) is the weight of another
/// Linear layer — shared, not copied — so the decoder's matrix is W* = Wᵀ. Only the bias c
/// is this module's parameter: W belongs to the encoder, so the optimizer updates it once,
/// with the gradients of its two uses summed by backward.
class TiedLinear : public Module {
 public:
  /// c starts at zero.
  explicit TiedLinear(std::shared_ptr<Linear> source, bool bias = true);
  Variable forward(const Variable& x) override;
  std::string describe() const override;
  const Linear& source() const { return *source_; }
  Variable bias;  ///< (source.in_features), undefined without bias

 private:
  std::shared_ptr<Linear> source_;
};

/// The linear autoencoder of lecture 001 for inputs of size d and codes of size k:
///   h = W x + b (W: k x d),   x̂ = W* h + c (W*: d x k; W* = Wᵀ when tied).
/// Weights start as N(0, init_std²) and biases at 0: small, so training starts near the
/// saddle point at 0 and every direction grows from there at the rate its variance sets.
/// The encoder is Sequential{Linear}, the decoder Sequential{Linear} or Sequential{TiedLinear}.
std::shared_ptr<Autoencoder> linear_autoencoder(int64_t d, int64_t k, bool tied, Generator& gen,
                                                float init_std = 1e-3f);

enum class Activation { ReLU, Sigmoid, Tanh, Identity };
std::string to_string(Activation a);
ModulePtr make_activation(Activation a);

struct MlpAutoencoderOptions {
  Activation hidden = Activation::ReLU;    ///< after every hidden layer
  Activation code = Activation::Identity;  ///< on the code h
  Activation output = Activation::Sigmoid; ///< on x̂ (sigmoid: pixels in [0, 1])
  Init init = Init::TorchDefault;
};

/// A symmetric multilayer autoencoder: sizes = {d, h1, ..., k} gives the encoder
/// d → h1 → ... → k and the decoder k → ... → h1 → d, each layer Linear + activation.
/// sizes = {784, 1000} is a one-hidden-layer model 784 → 1000 → 784.
/// Throws ae::Error for fewer than two sizes or a size below 1.
std::shared_ptr<Autoencoder> mlp_autoencoder(const std::vector<int64_t>& sizes, Generator& gen,
                                             const MlpAutoencoderOptions& options = {},
                                             std::string name = "");

/// "784-512-256-30-256-512-784"
std::string layer_sizes_string(const std::vector<int64_t>& sizes);

}  // namespace ae::nn
