// Softmax regression: at the minimum L-BFGS returns, the gradient of J worked out by hand
// in double, (1/m)(P - Y)ᵀX + λW (and (1/m) Σ (P - Y) for the bias), is zero; separable
// classes are all classified right; bad labels and shapes are errors.
#include "nn/softmax_regression.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "nn/metrics.hpp"
#include "tensor/ops.hpp"
#include "tensor/random.hpp"

using ae::Error;
using ae::Generator;
using ae::Tensor;
using namespace ae::nn;
namespace T = ae::tensor;

namespace {

// Three Gaussian blobs in 4-D around (3,0,0,0), (0,3,0,0), (0,0,3,0), unit spread.
struct Blobs {
  Tensor x;
  std::vector<int> y;
};
Blobs blobs(int per_class, uint64_t seed) {
  Generator gen(seed);
  std::vector<float> values;
  Blobs b;
  for (int k = 0; k < 3; ++k) {
    for (int i = 0; i < per_class; ++i) {
      for (int j = 0; j < 4; ++j) values.push_back((j == k ? 3.0f : 0.0f) + static_cast<float>(gen.normal()));
      b.y.push_back(k);
    }
  }
  b.x = T::from_vector(values, {3 * per_class, 4});
  return b;
}

TEST(SoftmaxRegression, GradientByHandVanishesAtTheMinimum) {
  const Blobs data = blobs(40, 7);
  Generator gen(1);
  Linear classifier(4, 3, gen);
  SoftmaxOptions options;
  options.weight_decay = 0.1;  // large enough that the minimum is well inside, not at infinity
  options.lbfgs.gradient_tolerance = 1e-7;
  options.lbfgs.value_tolerance = 0;
  fit_softmax(classifier, data.x, data.y, options);

  const auto W = classifier.weight.value().to_vector();  // (3 x 4)
  const auto b = classifier.bias.value().to_vector();
  const auto X = data.x.to_vector();
  const int m = 120;
  std::vector<double> gW(12, 0.0), gb(3, 0.0);
  for (int i = 0; i < m; ++i) {
    double z[3], zmax = -1e300, total = 0;
    for (int k = 0; k < 3; ++k) {
      z[k] = b[k];
      for (int j = 0; j < 4; ++j) z[k] += double(W[k * 4 + j]) * X[i * 4 + j];
      zmax = std::max(zmax, z[k]);
    }
    for (double& v : z) total += std::exp(v - zmax);
    for (int k = 0; k < 3; ++k) {
      const double residual = std::exp(z[k] - zmax) / total - (data.y[i] == k ? 1.0 : 0.0);
      gb[k] += residual / m;
      for (int j = 0; j < 4; ++j) gW[k * 4 + j] += residual * X[i * 4 + j] / m;
    }
  }
  for (int k = 0; k < 12; ++k) gW[k] += options.weight_decay * W[k];
  for (double g : gW) EXPECT_NEAR(g, 0.0, 1e-4);
  for (double g : gb) EXPECT_NEAR(g, 0.0, 1e-4);
}

TEST(SoftmaxRegression, SeparatesBlobsAndGeneralises) {
  const Blobs train = blobs(100, 3);
  const Blobs test = blobs(100, 4);
  Generator gen(2);
  Linear classifier(4, 3, gen);
  fit_softmax(classifier, train.x, train.y);
  // Bayes error of these blobs: each pair of means is 3·√2 apart, so a point crosses the
  // midplane with probability Φ(-1.5) ≈ 0.067 per rival; with two rivals < 0.134.
  const double acc = accuracy(classifier(ae::Variable(test.x)).value(), test.y);
  EXPECT_GT(acc, 1.0 - 0.134 - 0.05);
}

TEST(SoftmaxRegression, BadInputIsNamed) {
  Generator gen(0);
  Linear classifier(4, 3, gen);
  const Blobs data = blobs(2, 0);
  std::vector<int> bad = data.y;
  bad[1] = 3;
  EXPECT_THROW(fit_softmax(classifier, data.x, bad), Error);
  EXPECT_THROW(fit_softmax(classifier, T::zeros({6, 5}), data.y), Error);
  EXPECT_THROW(fit_softmax(classifier, data.x, std::vector<int>{0, 1}), Error);
}

}  // namespace
