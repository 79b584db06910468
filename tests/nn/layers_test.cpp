// Activations, Dropout and the corruption layers: identity in evaluation, the right
// statistics and gradients in training, reproducible from the seed. Flatten / Unflatten:
// PyTorch's shapes, row-major order, gradients, and errors that name the shape.
#include "nn/layers.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "autograd/gradcheck.hpp"
#include "autograd/ops.hpp"
#include "tensor/ops.hpp"

using ae::Error;
using ae::Generator;
using ae::Tensor;
using ae::Variable;
using namespace ae::nn;
namespace T = ae::tensor;

namespace {
using V = std::vector<float>;
constexpr int64_t kRows = 200, kCols = 500;  // 100,000 elements

double fraction_zero(const Tensor& t) {
  const auto v = t.to_vector();
  double zeros = 0;
  for (float x : v) zeros += (x == 0.0f);
  return zeros / v.size();
}
}  // namespace

TEST(NnActivations, Values) {
  const Variable x(T::from_vector({-2, 0, 3}, {3}));
  EXPECT_EQ(ReLU()(x).value().to_vector(), (V{0, 0, 3}));
  EXPECT_EQ(Identity()(x).value().to_vector(), (V{-2, 0, 3}));
  const auto s = Sigmoid()(x).value().to_vector();
  EXPECT_NEAR(s[0], 1 / (1 + std::exp(2.0)), 1e-6);
  EXPECT_NEAR(s[1], 0.5, 1e-7);
  const auto th = Tanh()(x).value().to_vector();
  EXPECT_NEAR(th[2], std::tanh(3.0), 1e-6);
  const auto sp = Softplus()(x).value().to_vector();
  EXPECT_NEAR(sp[0], std::log1p(std::exp(-2.0)), 1e-6);
  EXPECT_NEAR(sp[1], std::log(2.0), 1e-6);
}

TEST(NnDropout, EvaluationIsTheIdentity) {
  Dropout drop(0.5f, 1);
  drop.eval();
  const Variable x(T::ones({4, 4}));
  EXPECT_EQ(drop(x).value().to_vector(), x.value().to_vector());
}

// In training a fraction p is zeroed (std of the fraction: sqrt(p(1-p)/n) = 0.0015 for
// n = 100,000, so 0.01 is 7 standard deviations) and survivors are scaled by 1/(1-p).
TEST(NnDropout, TrainingZeroesAFractionPAndRescales) {
  Dropout drop(0.3f, 2);
  const Variable x(T::full({kRows, kCols}, 2.0f), /*requires_grad=*/true);
  const Variable y = drop(x);
  EXPECT_NEAR(fraction_zero(y.value()), 0.3, 0.01);
  for (float v : y.value().to_vector()) {
    if (v != 0.0f) {
      EXPECT_FLOAT_EQ(v, 2.0f / 0.7f);
    }
  }
  // dy/dx is the same mask: 1/(1-p) where kept, 0 where dropped.
  ae::sum(y).backward();
  const auto g = x.grad().value().to_vector();
  const auto yv = y.value().to_vector();
  for (std::size_t i = 0; i < g.size(); ++i) EXPECT_FLOAT_EQ(g[i], yv[i] / 2.0f);
}

TEST(NnDropout, SeedsAndLimits) {
  const Variable x(T::ones({10, 10}));
  EXPECT_EQ(Dropout(0.5f, 7)(x).value().to_vector(), Dropout(0.5f, 7)(x).value().to_vector());
  EXPECT_NE(Dropout(0.5f, 7)(x).value().to_vector(), Dropout(0.5f, 8)(x).value().to_vector());
  // Two calls draw two different masks.
  Dropout d(0.5f, 7);
  EXPECT_NE(d(x).value().to_vector(), d(x).value().to_vector());
  EXPECT_EQ(Dropout(0.0f, 1)(x).value().to_vector(), x.value().to_vector());
  EXPECT_EQ(fraction_zero(Dropout(1.0f, 1)(x).value()), 1.0);
  EXPECT_THROW(Dropout(1.5f, 1), Error);
  EXPECT_THROW(Dropout(-0.1f, 1), Error);
}

TEST(NnGaussianNoise, TrainingAddsNoiseOfTheGivenStddev) {
  GaussianNoise noise(0.5f, 3);
  const Variable x(T::full({kRows, kCols}, 1.0f), /*requires_grad=*/true);
  const Variable y = noise(x);
  const auto v = y.value().to_vector();
  double s = 0, s2 = 0;
  for (float e : v) s += e - 1.0;
  const double mean = s / v.size();
  for (float e : v) s2 += (e - 1.0 - mean) * (e - 1.0 - mean);
  // std error of the mean 0.5/sqrt(1e5) = 0.0016; of the variance 0.25 * sqrt(2/1e5) = 0.0011
  EXPECT_NEAR(mean, 0.0, 0.01);
  EXPECT_NEAR(s2 / v.size(), 0.25, 0.01);
  ae::sum(y).backward();  // the noise is a constant: dy/dx = 1
  EXPECT_EQ(T::sum(x.grad().value()).item(), static_cast<float>(kRows * kCols));
  noise.eval();
  EXPECT_EQ(noise(x).value().to_vector(), x.value().to_vector());
  EXPECT_THROW(GaussianNoise(-1.0f, 1), Error);
}

TEST(NnMaskingNoise, TrainingZeroesAFractionVWithoutRescaling) {
  MaskingNoise mask(0.25f, 4);
  const Variable x(T::full({kRows, kCols}, 3.0f));
  const Tensor y = mask(x).value();
  EXPECT_NEAR(fraction_zero(y), 0.25, 0.01);
  for (float v : y.to_vector()) EXPECT_TRUE(v == 0.0f || v == 3.0f);
  mask.eval();
  EXPECT_EQ(mask(x).value().to_vector(), x.value().to_vector());
  EXPECT_THROW(MaskingNoise(2.0f, 1), Error);
}

TEST(NnCorruptionLayers, SplitFromAGenerator) {
  Generator g1(9), g2(9);
  const Variable x(T::ones({8, 8}));
  MaskingNoise a(0.5f, g1), b(0.5f, g2);
  EXPECT_EQ(a(x).value().to_vector(), b(x).value().to_vector());
}

// ---- Flatten / Unflatten ----

TEST(NnFlatten, ShapesAsPyTorch) {
  const Variable x(T::zeros({2, 3, 4, 5}));
  EXPECT_EQ(Flatten()(x).shape(), (ae::Shape{2, 60}));
  EXPECT_EQ(Flatten(1, 2)(x).shape(), (ae::Shape{2, 12, 5}));
  EXPECT_EQ(Flatten(0)(x).shape(), (ae::Shape{120}));
  EXPECT_EQ(Flatten(-2)(x).shape(), (ae::Shape{2, 3, 20}));
  EXPECT_EQ(Flatten(2, 2)(x).shape(), (ae::Shape{2, 3, 4, 5}));
  EXPECT_EQ(Unflatten(1, {3, 4})(Variable(T::zeros({2, 12, 5}))).shape(), (ae::Shape{2, 3, 4, 5}));
  EXPECT_EQ(Unflatten(-1, {-1, 2})(Variable(T::zeros({2, 6}))).shape(), (ae::Shape{2, 3, 2}));
  EXPECT_EQ(Unflatten(1, {1, 28, 28})(Variable(T::zeros({4, 784}))).shape(),
            (ae::Shape{4, 1, 28, 28}));
}

// Row-major order is kept: element (n, c, h, w) of a (2, 1, 2, 3) tensor is element
// (n, 3 h + w) after Flatten, and Unflatten undoes it.
TEST(NnFlatten, KeepsRowMajorOrderAndRoundTrips) {
  const Tensor x = T::arange(0.0f, 12.0f).reshape({2, 1, 2, 3});
  const Variable flat = Flatten()(Variable(x));
  EXPECT_FLOAT_EQ(flat.value().at({1, 4}), x.at({1, 0, 1, 1}));
  EXPECT_FLOAT_EQ(flat.value().at({0, 5}), 5.0f);
  Sequential round_trip;
  round_trip.add(std::make_shared<Flatten>())
      .add(std::make_shared<Unflatten>(1, std::vector<int64_t>{1, 2, 3}));
  const Variable back = round_trip(Variable(x));
  EXPECT_EQ(back.shape(), x.shape());
  EXPECT_EQ(back.value().to_vector(), x.to_vector());
}

TEST(NnFlatten, BadAxesAndSizesNameTheShape) {
  const Variable x(T::zeros({2, 3, 4}));
  EXPECT_THROW(Flatten(2, 1)(x), Error);  // end before start
  EXPECT_THROW(Flatten(3)(x), Error);
  EXPECT_THROW(Flatten()(Variable(T::zeros({5}))), Error);  // no axis 1
  EXPECT_THROW(Unflatten(1, {5, 5})(Variable(T::zeros({2, 24}))), Error);
  EXPECT_THROW(Unflatten(1, {-1, 5})(Variable(T::zeros({2, 24}))), Error);
  EXPECT_THROW(Unflatten(2, {1})(Variable(T::zeros({2, 24}))), Error);
  EXPECT_THROW(Unflatten(1, {}), Error);
  EXPECT_THROW(Unflatten(1, {-1, -1}), Error);
  EXPECT_THROW(Unflatten(1, {0, 4}), Error);
  try {
    Unflatten(1, {5, 5})(Variable(T::zeros({2, 24})));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("[2, 24]"), std::string::npos) << e.what();
  }
}

// The gradient goes back through the reshapes to the right elements: an image-shaped input
// through Flatten -> Linear -> Unflatten, times a fixed non-uniform weight per element.
TEST(NnFlatten, GradcheckThroughSequential) {
  Generator gen(5);
  auto net = std::make_shared<Sequential>();
  net->add(std::make_shared<Flatten>())
      .add(std::make_shared<Linear>(6, 6, gen))
      .add(std::make_shared<Unflatten>(1, std::vector<int64_t>{1, 2, 3}));
  const Tensor weight = T::arange(1.0f, 13.0f).reshape({2, 1, 2, 3});
  const auto f = [&](const std::vector<Variable>& in) { return (*net)(in[0]) * Variable(weight); };
  const ae::GradcheckResult r = ae::gradcheck(f, {T::randn({2, 1, 2, 3}, gen)});
  EXPECT_TRUE(r.ok) << r.message;
}
