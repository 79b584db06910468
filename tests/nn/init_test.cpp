// Initialisers: fans, the bounds and variances of Xavier / He / PyTorch's default from
// their formulas, reproducibility from the seed.
#include "nn/init.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "nn/layers.hpp"
#include "tensor/ops.hpp"

using ae::Error;
using ae::Generator;
using ae::Tensor;
using namespace ae::nn;
namespace T = ae::tensor;

namespace {

struct Moments {
  double mean, var, min, max;
};

Moments moments(const Tensor& t) {
  const auto v = t.to_vector();
  double s = 0, s2 = 0;
  for (float x : v) s += x;
  const double mean = s / v.size();
  for (float x : v) s2 += (x - mean) * (x - mean);
  return {mean, s2 / v.size(), *std::min_element(v.begin(), v.end()),
          *std::max_element(v.begin(), v.end())};
}

}  // namespace

TEST(NnInit, Fans) {
  EXPECT_EQ(fans_of({256, 784}).fan_in, 784);
  EXPECT_EQ(fans_of({256, 784}).fan_out, 256);
  // a convolution (out 8, in 3, 5 x 5): 3*25 in, 8*25 out
  EXPECT_EQ(fans_of({8, 3, 5, 5}).fan_in, 75);
  EXPECT_EQ(fans_of({8, 3, 5, 5}).fan_out, 200);
  EXPECT_THROW(fans_of({5}), Error);
}

// 200,704 draws: the relative standard error of the sample variance is 0.2% for a uniform
// and 0.3% for a normal, so 1% and 2% tolerances are 5 and 6 standard errors.
TEST(NnInit, XavierUniformBoundAndVariance) {
  Generator gen(1);
  Tensor w = T::empty({256, 784});
  xavier_uniform_(w, gen);
  const double a = std::sqrt(6.0 / (256 + 784));
  const Moments m = moments(w);
  EXPECT_GE(m.min, -a);
  EXPECT_LE(m.max, a);
  EXPECT_GT(m.max, 0.999 * a);  // the range is used up to its edge
  EXPECT_NEAR(m.var, a * a / 3, 0.01 * a * a / 3);
  EXPECT_NEAR(m.mean, 0.0, 0.01 * a);
}

TEST(NnInit, XavierNormalVariance) {
  Generator gen(2);
  Tensor w = T::empty({256, 784});
  xavier_normal_(w, gen, 2.0f);
  const double var = 4.0 * 2.0 / (256 + 784);  // gain^2 * 2 / (fan_in + fan_out)
  EXPECT_NEAR(moments(w).var, var, 0.02 * var);
}

TEST(NnInit, HeUniformAndNormal) {
  Generator gen(3);
  Tensor w = T::empty({256, 784});
  he_uniform_(w, gen);
  const double a = std::sqrt(2.0) * std::sqrt(3.0 / 784);
  const Moments mu = moments(w);
  EXPECT_LE(mu.max, a);
  EXPECT_GE(mu.min, -a);
  EXPECT_NEAR(mu.var, 2.0 / 784, 0.01 * 2.0 / 784);  // Var = gain^2 / fan_in
  he_normal_(w, gen);
  EXPECT_NEAR(moments(w).var, 2.0 / 784, 0.02 * 2.0 / 784);
}

TEST(NnInit, TorchDefaultForLinear) {
  Generator gen(4);
  Linear lin(784, 256, gen, Init::TorchDefault);
  const double bound = 1.0 / std::sqrt(784.0);
  const Moments w = moments(lin.weight.value());
  EXPECT_LE(w.max, bound);
  EXPECT_GE(w.min, -bound);
  EXPECT_NEAR(w.var, bound * bound / 3, 0.01 * bound * bound / 3);
  const Moments b = moments(lin.bias.value());
  EXPECT_LE(b.max, bound);
  EXPECT_GE(b.min, -bound);
  EXPECT_GT(b.max - b.min, bound);  // not all zero: PyTorch draws the bias too
}

TEST(NnInit, XavierAndHeZeroTheBias) {
  Generator gen(5);
  for (Init init : {Init::XavierUniform, Init::XavierNormal, Init::HeUniform, Init::HeNormal}) {
    Linear lin(10, 5, gen, init);
    EXPECT_EQ(moments(lin.bias.value()).max, 0.0) << to_string(init);
    EXPECT_EQ(moments(lin.bias.value()).min, 0.0) << to_string(init);
  }
}

TEST(NnInit, SameSeedSameWeights) {
  Generator g1(42), g2(42), g3(43);
  Linear a(20, 10, g1), b(20, 10, g2), c(20, 10, g3);
  EXPECT_EQ(a.weight.value().to_vector(), b.weight.value().to_vector());
  EXPECT_EQ(a.bias.value().to_vector(), b.bias.value().to_vector());
  EXPECT_NE(a.weight.value().to_vector(), c.weight.value().to_vector());
}

TEST(NnInit, StridedViewsAreFilled) {
  Generator gen(6);
  Tensor base = T::zeros({4, 6});
  Tensor view = base.t();  // (6, 4), not contiguous
  xavier_uniform_(view, gen);
  for (float x : base.to_vector()) EXPECT_NE(x, 0.0f);
}

TEST(NnInit, Names) {
  for (Init init : {Init::TorchDefault, Init::XavierUniform, Init::XavierNormal, Init::HeUniform,
                    Init::HeNormal})
    EXPECT_EQ(parse_init(to_string(init)), init);
  EXPECT_THROW(parse_init("glorot"), Error);
}
