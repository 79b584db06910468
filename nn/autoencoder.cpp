#include "nn/autoencoder.hpp"

#include <utility>

#include <fmt/format.h>

#include "autograd/ops.hpp"
#include "linalg/error.hpp"
#include "nn/init.hpp"
#include "tensor/ops.hpp"

namespace ae::nn {

// ---- Autoencoder ----

Autoencoder::Autoencoder(std::shared_ptr<Sequential> encoder, std::shared_ptr<Sequential> decoder,
                         std::string name)
    : name_(std::move(name)) {
  if (!encoder || !decoder) throw Error("Autoencoder '" + name_ + "': encoder and decoder must be set");
  encoder_ = register_module("encoder", std::move(encoder));
  decoder_ = register_module("decoder", std::move(decoder));
}

Variable Autoencoder::forward(const Variable& x) { return (*decoder_)((*encoder_)(x)); }

std::string Autoencoder::describe() const { return "Autoencoder(" + name_ + ")"; }

Tensor Autoencoder::run_eval(Sequential& half, const Tensor& x) {
  // Codes and reconstructions are measurements, not training steps: no graph, and layers
  // that act only in training (dropout, corruption) stay out of the way.
  const bool was_training = is_training();
  eval();
  NoGradGuard no_grad;
  Tensor out = half(Variable(x)).value();
  train(was_training);
  return out;
}

Tensor Autoencoder::encode(const Tensor& x) { return run_eval(*encoder_, x); }
Tensor Autoencoder::decode(const Tensor& z) { return run_eval(*decoder_, z); }

// ---- TiedLinear ----

TiedLinear::TiedLinear(std::shared_ptr<Linear> source, bool with_bias) : source_(std::move(source)) {
  if (!source_) throw Error("TiedLinear: the source layer is null");
  if (with_bias) bias = register_parameter("bias", tensor::zeros({source_->in_features()}));
}

// y = x W + c = x (Wᵀ)ᵀ + c: linear() with the transposed view of the source's weight, so
// backward hands the source's W the gradient Gᵀ x transposed — added to the encoder's own.
Variable TiedLinear::forward(const Variable& x) {
  if (x.dim() != 2 || x.shape()[1] != source_->out_features())
    throw Error(fmt::format("{}: expects input of shape [batch, {}], got {}", describe(),
                            source_->out_features(), ae::to_string(x.shape())));
  return ae::linear(x, ae::transpose(source_->weight, 0, 1), bias);
}

std::string TiedLinear::describe() const {
  return fmt::format("TiedLinear({} -> {}, weight = source weightᵀ{})", source_->out_features(),
                     source_->in_features(), bias.defined() ? "" : ", no bias");
}

// ---- builders ----

std::shared_ptr<Autoencoder> linear_autoencoder(int64_t d, int64_t k, bool tied, Generator& gen,
                                                float init_std) {
  if (d < 1 || k < 1)
    throw Error(fmt::format("linear_autoencoder: sizes must be positive, got d = {}, k = {}", d, k));
  if (!(init_std >= 0.0f))
    throw Error(fmt::format("linear_autoencoder: init_std must be >= 0, got {}", init_std));
  auto enc = std::make_shared<Linear>(d, k, gen);
  normal_(enc->weight.value(), gen, 0.0f, init_std);
  enc->bias.value().fill_(0.0f);
  auto encoder = std::make_shared<Sequential>(std::vector<ModulePtr>{enc});
  std::shared_ptr<Sequential> decoder;
  if (tied) {
    decoder = std::make_shared<Sequential>(std::vector<ModulePtr>{std::make_shared<TiedLinear>(enc)});
  } else {
    auto dec = std::make_shared<Linear>(k, d, gen);
    normal_(dec->weight.value(), gen, 0.0f, init_std);
    dec->bias.value().fill_(0.0f);
    decoder = std::make_shared<Sequential>(std::vector<ModulePtr>{dec});
  }
  return std::make_shared<Autoencoder>(
      encoder, decoder, fmt::format("linear AE k={}{}", k, tied ? " tied" : ""));
}

std::string to_string(Activation a) {
  switch (a) {
    case Activation::ReLU: return "ReLU";
    case Activation::Sigmoid: return "Sigmoid";
    case Activation::Tanh: return "Tanh";
    case Activation::Identity: return "Identity";
  }
  return "?";
}

ModulePtr make_activation(Activation a) {
  switch (a) {
    case Activation::ReLU: return std::make_shared<ReLU>();
    case Activation::Sigmoid: return std::make_shared<Sigmoid>();
    case Activation::Tanh: return std::make_shared<Tanh>();
    case Activation::Identity: return nullptr;
  }
  return nullptr;
}

std::string layer_sizes_string(const std::vector<int64_t>& sizes) {
  std::string s;
  for (size_t i = 0; i < sizes.size(); ++i) s += (i ? "-" : "") + std::to_string(sizes[i]);
  for (size_t i = sizes.size(); i-- > 1;) s += "-" + std::to_string(sizes[i - 1]);
  return s;
}

std::shared_ptr<Autoencoder> mlp_autoencoder(const std::vector<int64_t>& sizes, Generator& gen,
                                             const MlpAutoencoderOptions& options,
                                             std::string name) {
  if (sizes.size() < 2)
    throw Error(fmt::format("mlp_autoencoder: needs at least the input and code sizes, got {} size(s)",
                            sizes.size()));
  for (int64_t s : sizes)
    if (s < 1) throw Error("mlp_autoencoder: layer sizes must be positive, got " + layer_sizes_string(sizes));

  auto add = [](Sequential& net, ModulePtr m) {
    if (m) net.add(std::move(m));
  };
  auto encoder = std::make_shared<Sequential>();
  for (size_t i = 0; i + 1 < sizes.size(); ++i) {
    encoder->add(std::make_shared<Linear>(sizes[i], sizes[i + 1], gen, options.init));
    const bool is_code = i + 2 == sizes.size();
    add(*encoder, make_activation(is_code ? options.code : options.hidden));
  }
  auto decoder = std::make_shared<Sequential>();
  for (size_t i = sizes.size() - 1; i > 0; --i) {
    decoder->add(std::make_shared<Linear>(sizes[i], sizes[i - 1], gen, options.init));
    const bool is_output = i == 1;
    add(*decoder, make_activation(is_output ? options.output : options.hidden));
  }
  if (name.empty()) name = "AE " + layer_sizes_string(sizes);
  return std::make_shared<Autoencoder>(encoder, decoder, std::move(name));
}

}  // namespace ae::nn
