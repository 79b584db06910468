#pragma once
// The convolutional autoencoder of lecture 002: the Keras blog's model ("Building
// Autoencoders in Keras", F. Chollet, 2016), which chapter 8 trains and bench_train times:
//     encoder  1x28x28 → conv 32 → ReLU → pool → 32x14x14 → conv 32 → ReLU → pool → 32x7x7
//     decoder  32x7x7 → conv 32 → ReLU → up → 32x14x14 → conv 32 → ReLU → up → 32x28x28
//              → conv 1 → sigmoid
// Every convolution is 3x3 with padding 1 ("same"); pooling is 2x2 max, upsampling 2x2
// nearest-neighbour. Input and output are (N, 1, 28, 28) with pixels in [0, 1].
#include <memory>
#include <string>

#include "nn/autoencoder.hpp"
#include "nn/init.hpp"
#include "tensor/random.hpp"

namespace ae::nn {

/// The model above. init = XavierUniform with zero biases is Keras' Conv2D default (the
/// lecture's); TorchDefault is PyTorch's nn.Conv2d default.
std::shared_ptr<Autoencoder> keras_conv_autoencoder(Generator& gen, std::string name = "conv AE",
                                                    Init init = Init::XavierUniform);

}  // namespace ae::nn
