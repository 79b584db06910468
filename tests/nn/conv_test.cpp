// Convolutional layers: shapes of the lecture's autoencoder, parameter counts, the
// initialisers' bounds worked out from the fans, agreement with the direct loops, errors that
// name the layer and the shape, and a Conv2d that learns a known kernel back from its outputs.
#include "nn/conv.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "autograd/ops.hpp"
#include "nn/layers.hpp"
#include "nn/optim.hpp"
#include "tensor/conv.hpp"
#include "tensor/ops.hpp"

using ae::Error;
using ae::Generator;
using ae::Tensor;
using ae::Variable;
using namespace ae::nn;
namespace T = ae::tensor;

namespace {

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no ae::Error thrown)";
}

double max_abs(const Tensor& t) {
  double m = 0;
  for (float v : t.to_vector()) m = std::max(m, double(std::abs(v)));
  return m;
}

double stddev(const Tensor& t) {
  const auto v = t.to_vector();
  double s = 0, s2 = 0;
  for (float e : v) s += e, s2 += double(e) * e;
  const double n = double(v.size()), mean = s / n;
  return std::sqrt(s2 / n - mean * mean);
}

TEST(Conv2dLayer, ShapesAndParameterCount) {
  Generator gen(1);
  Conv2d conv(3, 8, 3, gen, {.padding = 1});
  EXPECT_EQ(conv.weight.shape(), (ae::Shape{8, 3, 3, 3}));
  EXPECT_EQ(conv.bias.shape(), (ae::Shape{8}));
  EXPECT_EQ(conv.num_parameters(), 8 * 3 * 9 + 8);
  EXPECT_EQ(conv(T::zeros({2, 3, 28, 28})).shape(), (ae::Shape{2, 8, 28, 28}));  // "same"
  Conv2d strided(3, 4, 3, gen, {.stride = 2, .padding = 0, .init = Init::TorchDefault, .bias = false});
  EXPECT_EQ(strided.num_parameters(), 4 * 3 * 9);
  EXPECT_EQ(strided(T::zeros({1, 3, 28, 28})).shape(), (ae::Shape{1, 4, 13, 13}));  // (28 - 3) / 2 + 1
  EXPECT_EQ(conv.describe(), "Conv2d(3 -> 8, 3x3, padding 1)");
}

TEST(Conv2dLayer, ForwardIsTheConvolutionOfItsWeights) {
  Generator gen(2);
  Conv2d conv(2, 3, 3, gen, {.stride = 2, .padding = 1});
  const Tensor x = T::rand({2, 2, 7, 6}, gen, -1, 1);
  const auto got = conv(x).value().to_vector();
  const auto want = T::conv2d_direct(x, conv.weight.value(), conv.bias.value(), 2, 1).to_vector();
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-5) << i;
}

TEST(Conv2dLayer, InitialisersUseTheConvolutionFans) {
  // 32 -> 32 channels, 3x3: fan_in = fan_out = 288.
  Generator gen(3);
  Conv2d xavier(32, 32, 3, gen, {.init = Init::XavierUniform});
  const double a = std::sqrt(6.0 / (288 + 288));  // Xavier-uniform bound
  EXPECT_LE(max_abs(xavier.weight.value()), a);
  EXPECT_GT(max_abs(xavier.weight.value()), 0.99 * a);  // 9216 draws reach the edge
  EXPECT_EQ(max_abs(xavier.bias.value()), 0.0);
  Conv2d he(32, 32, 3, gen, {.init = Init::HeNormal});
  EXPECT_NEAR(stddev(he.weight.value()), std::sqrt(2.0 / 288), 0.05 * std::sqrt(2.0 / 288));
  Conv2d torch(32, 16, 3, gen);
  EXPECT_LE(max_abs(torch.weight.value()), 1.0 / std::sqrt(288.0));
  EXPECT_LE(max_abs(torch.bias.value()), 1.0 / std::sqrt(288.0));
}

TEST(Conv2dLayer, LearnsAKnownKernel) {
  // Targets made by a fixed edge-detecting kernel; a convolution is linear in its weights, so
  // least squares has that kernel as its unique minimum and Adam must find it.
  Generator gen(4);
  const Tensor truth = T::from_vector({-1, 0, 1, -2, 0, 2, -1, 0, 1}, {1, 1, 3, 3});
  const Tensor x = T::rand({16, 1, 10, 10}, gen);
  const Tensor target = T::conv2d_direct(x, truth, T::from_vector({0.25f}, {1}), 1, 1);
  Conv2d conv(1, 1, 3, gen, {.padding = 1});
  Adam adam(conv.parameters(), {.lr = 0.05f});
  for (int step = 0; step < 600; ++step) {
    adam.zero_grad();
    ae::mean(ae::square(conv(x) - target)).backward();
    adam.step();
  }
  const auto w = conv.weight.value().to_vector(), t = truth.to_vector();
  for (std::size_t i = 0; i < t.size(); ++i) EXPECT_NEAR(w[i], t[i], 1e-2) << i;
  EXPECT_NEAR(conv.bias.value().item(), 0.25f, 1e-2);
}

TEST(ConvLayers, TheLecturesAutoencoderShapes) {
  // Keras' convolutional autoencoder: 28 -> 14 -> 7 by pooling, 7 -> 14 -> 28 by upsampling.
  Generator gen(5);
  Sequential net;
  net.add(std::make_shared<Conv2d>(1, 32, 3, gen, ConvOptions{.padding = 1}));
  net.add(std::make_shared<ReLU>());
  net.add(std::make_shared<MaxPool2d>(2));
  net.add(std::make_shared<Conv2d>(32, 32, 3, gen, ConvOptions{.padding = 1}));
  net.add(std::make_shared<ReLU>());
  net.add(std::make_shared<MaxPool2d>(2));
  EXPECT_EQ(net(T::zeros({2, 1, 28, 28})).shape(), (ae::Shape{2, 32, 7, 7}));
  Upsample up(2);
  EXPECT_EQ(up(T::zeros({2, 32, 7, 7})).shape(), (ae::Shape{2, 32, 14, 14}));
  AvgPool2d avg(2);
  EXPECT_EQ(avg(T::zeros({2, 32, 14, 14})).shape(), (ae::Shape{2, 32, 7, 7}));
  ConvTranspose2d deconv(32, 16, 2, gen, {.stride = 2});
  EXPECT_EQ(deconv.weight.shape(), (ae::Shape{32, 16, 2, 2}));
  EXPECT_EQ(deconv(T::zeros({2, 32, 7, 7})).shape(), (ae::Shape{2, 16, 14, 14}));  // (7 - 1)·2 + 2
  EXPECT_EQ(deconv.num_parameters(), 32 * 16 * 4 + 16);
}

TEST(ConvLayers, ErrorsNameTheLayerAndTheShape) {
  Generator gen(6);
  Conv2d conv(1, 32, 3, gen, {.padding = 1});
  EXPECT_EQ(message_of([&] { conv(T::zeros({8, 3, 28, 28})); }),
            "Conv2d(1 -> 32, 3x3, padding 1): expects input of shape [N, 1, H, W], got [8, 3, 28, 28]");
  EXPECT_NE(message_of([&] { conv(T::zeros({8, 784})); }).find("got [8, 784]"), std::string::npos);
  EXPECT_NE(message_of([&] { Conv2d(0, 4, 3, gen); }).find("Conv2d: channels 0 -> 4"), std::string::npos);
  EXPECT_NE(message_of([&] { MaxPool2d(2, 2, 3); }).find("MaxPool2d: kernel 2"), std::string::npos);
  EXPECT_NE(message_of([&] { Upsample(0); }).find("Upsample: scale 0"), std::string::npos);
  MaxPool2d pool(2);
  EXPECT_NE(message_of([&] { pool(T::zeros({8, 784})); }).find("max_pool2d: expects an (N, C, H, W) input, got [8, 784]"),
            std::string::npos);
}

}  // namespace
