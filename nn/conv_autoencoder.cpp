#include "nn/conv_autoencoder.hpp"

#include <utility>

#include "nn/conv.hpp"
#include "nn/layers.hpp"

namespace ae::nn {

std::shared_ptr<Autoencoder> keras_conv_autoencoder(Generator& gen, std::string name, Init init) {
  // Conv2D(out, (3, 3), padding='same')
  auto conv3x3 = [&](int64_t in, int64_t out) -> ModulePtr {
    return std::make_shared<Conv2d>(in, out, 3, gen, ConvOptions{.padding = 1, .init = init});
  };
  auto encoder = std::make_shared<Sequential>();
  encoder->add(conv3x3(1, 32)).add(std::make_shared<ReLU>()).add(std::make_shared<MaxPool2d>(2));
  encoder->add(conv3x3(32, 32)).add(std::make_shared<ReLU>()).add(std::make_shared<MaxPool2d>(2));
  auto decoder = std::make_shared<Sequential>();
  decoder->add(conv3x3(32, 32)).add(std::make_shared<ReLU>()).add(std::make_shared<Upsample>(2));
  decoder->add(conv3x3(32, 32)).add(std::make_shared<ReLU>()).add(std::make_shared<Upsample>(2));
  decoder->add(conv3x3(32, 1)).add(std::make_shared<Sigmoid>());
  return std::make_shared<Autoencoder>(encoder, decoder, std::move(name));
}

}  // namespace ae::nn
