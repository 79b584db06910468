#pragma once
// Weight initialisers. Each fills a tensor in place from an explicit Generator, so a model
// built from the same seed starts from the same numbers.
//
// For a weight of shape (out, in) — or (out, in, k1, k2, ...) for convolutions —
//   fan_in  = in  * k1 * k2 * ...     fan_out = out * k1 * k2 * ...
//
// Xavier / Glorot (Glorot and Bengio, 2010) keeps the variance of activations and of
// gradients roughly equal across layers with tanh / sigmoid-like units:
//   Var(w) = gain^2 * 2 / (fan_in + fan_out)
//   uniform: U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out));  normal: std = gain * sqrt(2 /
//   (fan_in + fan_out))
// He / Kaiming (He et al., 2015) keeps the forward variance with ReLU units, which zero
// half of their inputs, hence the gain sqrt(2):
//   Var(w) = gain^2 / fan_in
//   uniform: a = gain * sqrt(3 / fan_in);  normal: std = gain / sqrt(fan_in)
// PyTorch's default for nn.Linear (kaiming_uniform with a = sqrt(5)) works out to
//   weight, bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
#include <cstdint>
#include <string>

#include "tensor/random.hpp"
#include "tensor/tensor.hpp"

namespace ae::nn {

struct Fans {
  int64_t fan_in;
  int64_t fan_out;
};
/// Fans of a weight tensor with at least 2 axes (throws ae::Error otherwise).
Fans fans_of(const Shape& weight_shape);

/// The gain sqrt(2) that He initialisation uses for ReLU.
inline constexpr float kReluGain = 1.41421356237f;

void xavier_uniform_(Tensor& w, Generator& gen, float gain = 1.0f);
void xavier_normal_(Tensor& w, Generator& gen, float gain = 1.0f);
void he_uniform_(Tensor& w, Generator& gen, float gain = kReluGain);
void he_normal_(Tensor& w, Generator& gen, float gain = kReluGain);
/// Every element from U(low, high).
void uniform_(Tensor& t, Generator& gen, float low, float high);
/// Every element from N(mean, stddev^2).
void normal_(Tensor& t, Generator& gen, float mean, float stddev);

/// How a layer initialises its weight and bias.
enum class Init {
  TorchDefault,   ///< weight and bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)), as PyTorch's nn.Linear
  XavierUniform,  ///< weight Xavier-uniform, bias 0
  XavierNormal,   ///< weight Xavier-normal, bias 0
  HeUniform,      ///< weight He-uniform (gain sqrt 2), bias 0
  HeNormal,       ///< weight He-normal (gain sqrt 2), bias 0
};

std::string to_string(Init init);
// Keeps ae::to_string(Shape) visible next to the overload above inside ae::nn.
using ae::to_string;
/// "torch", "xavier_uniform", "xavier_normal", "he_uniform", "he_normal"; throws ae::Error
/// naming the accepted values for anything else.
Init parse_init(const std::string& name);

/// Initialises a layer's weight, then its bias (when defined), drawing in that order.
void init_layer_(Tensor& weight, Tensor* bias, Init init, Generator& gen);

}  // namespace ae::nn
