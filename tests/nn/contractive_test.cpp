// The contractive penalty ||J_f(x)||²_F three ways. Expected values come from hand
// computation (a 2 x 2 sigmoid layer, a linear encoder whose Jacobian is its matrix, a 2 x 2
// Jacobian whose probe distribution is written out) and from the independent routes agreeing:
// the closed form against the exact Jacobian by reverse mode, their gradients in W (the exact
// one by double backward), and Hutchinson's mean against both, within the spread its own
// variance formula predicts.
#include "nn/contractive.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "autograd/ops.hpp"
#include "nn/layers.hpp"
#include "tensor/ops.hpp"
#include "tensor/random.hpp"

using ae::Error;
using ae::Generator;
using ae::Tensor;
using ae::Variable;
using namespace ae::nn;
namespace T = ae::tensor;

namespace {

// h = σ(x Wᵀ + b) with W (k x d)
struct SigmoidEncoder {
  Variable weight, bias;
  Variable operator()(const Variable& x) const { return ae::sigmoid(ae::linear(x, weight, bias)); }
};

SigmoidEncoder random_encoder(int64_t d, int64_t k, uint64_t seed) {
  Generator gen(seed);
  return {Variable(T::randn({k, d}, gen, 0.0f, 0.3f), true), Variable(T::randn({k}, gen, 0.0f, 0.5f), true)};
}

}  // namespace

TEST(ContractionSigmoid, HandComputedTwoByTwo) {
  // W = [[1, 2], [0, -1]], b = 0, x = 0: h = (1/2, 1/2), h(1-h) = 1/4, so
  // Ω = (1/16)(1 + 4) + (1/16)(0 + 1) = 6/16.
  const Variable w(T::from_vector({1, 2, 0, -1}, {2, 2}));
  const Variable h = ae::sigmoid(ae::linear(Variable(T::zeros({1, 2})), w));
  EXPECT_NEAR(contraction_sigmoid(h, w).value().item(), 0.375f, 1e-7f);
}

TEST(ContractionExact, LinearEncoderGivesItsMatrixNorm) {
  // h = x Aᵀ has J = A at every x: Ω = ||A||²_F = 1 + 4 + 9 + 16 + 25 + 36 = 91.
  const Variable a(T::from_vector({1, 2, 3, 4, 5, 6}, {2, 3}));
  const auto encoder = [&](const Variable& x) { return ae::matmul(x, ae::transpose(a, 0, 1)); };
  Generator gen(1);
  const Tensor x = T::randn({4, 3}, gen);
  const Tensor omega = contraction_exact(encoder, x, false).value();
  ASSERT_EQ(omega.shape(), (ae::Shape{4}));
  for (float v : omega.to_vector()) EXPECT_NEAR(v, 91.0f, 1e-4f);
  const Tensor j = encoder_jacobian(encoder, x.slice(0, 2, 3)).value();
  ASSERT_EQ(j.shape(), (ae::Shape{1, 2, 3}));
  EXPECT_EQ(j.reshape({6}).to_vector(), (std::vector<float>{1, 2, 3, 4, 5, 6}));
}

TEST(ContractionExact, AgreesWithClosedFormForSigmoidLayer) {
  const auto enc = random_encoder(40, 25, 7);
  Generator gen(8);
  const Tensor x = T::rand({5, 40}, gen);
  const Tensor closed = contraction_sigmoid(enc(Variable(x)), enc.weight).value();
  const Tensor exact = contraction_exact(enc, x, false).value();
  const auto c = closed.to_vector(), e = exact.to_vector();
  ASSERT_EQ(c.size(), 5u);
  for (size_t i = 0; i < c.size(); ++i) EXPECT_NEAR(e[i], c[i], 1e-5f * c[i]) << "sample " << i;
}

TEST(ContractionExact, DoubleBackwardGradientMatchesClosedForm) {
  // dΩ/dW through the closed form (ordinary backward) against dΩ/dW through the exact
  // Jacobian recorded with create_graph (a second backward through the first).
  auto enc = random_encoder(12, 6, 3);
  Generator gen(4);
  const Tensor x = T::rand({3, 12}, gen);
  const auto grads_closed = ae::grad({ae::sum(contraction_sigmoid(enc(Variable(x)), enc.weight))},
                                     {enc.weight, enc.bias});
  const auto grads_exact = ae::grad({ae::sum(contraction_exact(enc, x, true))}, {enc.weight, enc.bias});
  for (size_t p = 0; p < 2; ++p) {
    const auto gc = grads_closed[p].value().to_vector(), ge = grads_exact[p].value().to_vector();
    ASSERT_EQ(gc.size(), ge.size());
    double scale = 0;
    for (float v : gc) scale = std::max(scale, double(std::fabs(v)));
    ASSERT_GT(scale, 0.0);
    for (size_t i = 0; i < gc.size(); ++i) EXPECT_NEAR(ge[i], gc[i], 1e-5 * scale) << "parameter " << p << " [" << i << "]";
  }
}

TEST(Hutchinson, VarianceOfHandExample) {
  // J = [[1, 0], [1, 0]]: ||Jᵀv||² = (v1 + v2)² is 0 or 4 with probability 1/2 each, mean 2
  // (= ||J||²_F) and variance 4; J Jᵀ = [[1, 1], [1, 1]] gives 2 (1 + 1) = 4.
  EXPECT_DOUBLE_EQ(hutchinson_variance(T::from_vector({1, 0, 1, 0}, {2, 2})), 4.0);
  // Orthogonal rows: J Jᵀ is diagonal, every probe gives ||J||²_F exactly.
  EXPECT_DOUBLE_EQ(hutchinson_variance(T::from_vector({2, 0, 0, 0, 3, 0}, {2, 3})), 0.0);
  const Variable a(T::from_vector({2, 0, 0, 0, 3, 0}, {2, 3}));
  const auto encoder = [&](const Variable& x) { return ae::matmul(x, ae::transpose(a, 0, 1)); };
  Generator gen(5);
  for (float v : hutchinson_samples(encoder, T::zeros({2, 3}), 8, gen).to_vector()) EXPECT_FLOAT_EQ(v, 13.0f);
}

TEST(Hutchinson, MeanConvergesWithinPredictedSpread) {
  const auto enc = random_encoder(30, 20, 11);
  Generator gen(12);
  const Tensor x = T::rand({1, 30}, gen);
  const double exact = contraction_exact(enc, x, false).value().item();
  const double var1 = hutchinson_variance(encoder_jacobian(enc, x).value().reshape({20, 30}));
  ASSERT_GT(var1, 0.0);
  const int m = 4000;
  const auto s = hutchinson_samples(enc, x, m, gen).to_vector();
  ASSERT_EQ(s.size(), size_t(m));
  double mean = 0, sq = 0;
  for (float v : s) mean += v;
  mean /= m;
  for (float v : s) sq += (v - mean) * (v - mean);
  const double var = sq / (m - 1);
  // The mean of m probes is within 5 standard errors of the truth ...
  EXPECT_NEAR(mean, exact, 5 * std::sqrt(var1 / m));
  // ... and the sample variance estimates Var_1 (its own relative error is about
  // sqrt(2/m) times the kurtosis factor, a few percent here).
  EXPECT_NEAR(var, var1, 0.15 * var1);
  const double via_mean = contraction_hutchinson(enc, x, m, gen, false).value().item();
  EXPECT_NEAR(via_mean, exact, 5 * std::sqrt(var1 / m));
}

TEST(Hutchinson, TrainableWithCreateGraph) {
  // The estimate's gradient in W averages to the exact gradient; one draw of many probes is
  // close to it.
  auto enc = random_encoder(10, 8, 21);
  Generator gen(22);
  const Tensor x = T::rand({2, 10}, gen);
  const auto g_exact = ae::grad({ae::sum(contraction_sigmoid(enc(Variable(x)), enc.weight))}, {enc.weight})[0];
  const auto g_est = ae::grad({ae::sum(contraction_hutchinson(enc, x, 20000, gen, true))}, {enc.weight})[0];
  const auto a = g_exact.value().to_vector(), b = g_est.value().to_vector();
  double diff = 0, norm = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff += (a[i] - b[i]) * (a[i] - b[i]);
    norm += a[i] * a[i];
  }
  EXPECT_LT(std::sqrt(diff / norm), 0.05);
}

TEST(Rademacher, SignsOnlyAndFair) {
  Generator gen(2);
  const auto v = rademacher({10000}, gen).to_vector();
  double sum = 0;
  for (float s : v) {
    EXPECT_TRUE(s == 1.0f || s == -1.0f);
    sum += s;
  }
  EXPECT_LT(std::fabs(sum / 10000), 0.04);  // 4 standard deviations of a fair mean
}

TEST(Contraction, BadShapesAreErrors) {
  const Variable w(T::zeros({3, 4}));
  EXPECT_THROW(contraction_sigmoid(Variable(T::zeros({2, 5})), w), Error);
  const auto enc = [&](const Variable& x) { return ae::sigmoid(ae::linear(x, w)); };
  EXPECT_THROW(contraction_exact(enc, T::zeros({4}), false), Error);
  Generator gen(1);
  EXPECT_THROW(contraction_hutchinson(enc, T::zeros({2, 4}), 0, gen), Error);
  EXPECT_THROW(hutchinson_variance(T::zeros({2, 2, 2})), Error);
}
