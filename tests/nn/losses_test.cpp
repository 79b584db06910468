// Losses: each against a value worked out by hand, each through gradcheck, plus the
// stability cases (saturated probabilities, huge logits) and argument errors.
#include "nn/losses.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

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

Tensor vec(std::vector<float> v, ae::Shape shape) { return T::from_vector(std::move(v), shape); }

float value(const Variable& v) { return v.item(); }

void expect_gradcheck(const ae::GradcheckFunction& f, const std::vector<Tensor>& inputs) {
  const ae::GradcheckResult r = ae::gradcheck(f, inputs);
  EXPECT_TRUE(r.ok) << r.message;
}

// Random inputs of a shape, in [low, high).
Tensor uniform(ae::Shape shape, uint64_t seed, float low, float high) {
  Generator gen(seed);
  return T::rand(shape, gen, low, high);
}

}  // namespace

// ---- MSE ----

// pred [1, 2, 3, 4], target [0, 2, 5, 3]: squared errors 1, 0, 4, 1 — sum 6, mean 1.5.
TEST(NnMse, ByHand) {
  const Tensor p = vec({1, 2, 3, 4}, {2, 2}), t = vec({0, 2, 5, 3}, {2, 2});
  EXPECT_FLOAT_EQ(value(mse(p, t)), 1.5f);
  EXPECT_FLOAT_EQ(value(mse(p, t, Reduction::Sum)), 6.0f);
  // d/dpred of the mean: 2 (p - t) / n = [0.5, 0, -1, 0.5]
  const Variable pv(p, true);
  mse(pv, t).backward();
  EXPECT_EQ(pv.grad().value().to_vector(), (std::vector<float>{0.5f, 0, -1, 0.5f}));
}

TEST(NnMse, Gradcheck) {
  expect_gradcheck([](const auto& x) { return mse(x[0], x[1]); },
                   {uniform({3, 4}, 1, -1, 1), uniform({3, 4}, 2, -1, 1)});
  expect_gradcheck([](const auto& x) { return mse(x[0], x[1], Reduction::Sum); },
                   {uniform({5}, 3, -1, 1), uniform({5}, 4, -1, 1)});
}

// mse is a fused op with its own loops: check it on a long input against a double sum,
// and its backward rule when it is recorded for a second derivative.
TEST(NnMse, LongInputAgainstADoubleSum) {
  const Tensor a = uniform({317, 331}, 40, -1, 1), b = uniform({317, 331}, 41, -1, 1);
  const auto av = a.to_vector(), bv = b.to_vector();
  double sum = 0;
  for (std::size_t i = 0; i < av.size(); ++i)
    sum += (double(av[i]) - bv[i]) * (double(av[i]) - bv[i]);
  EXPECT_NEAR(value(mse(a, b, Reduction::Sum)), sum, 1e-6 * sum);
  EXPECT_NEAR(value(mse(a, b)), sum / av.size(), 1e-6 * sum / av.size());
  // A strided (transposed) view gives the same value as its contiguous copy.
  EXPECT_FLOAT_EQ(value(mse(a.t(), b.t())), value(mse(a.t().contiguous(), b.t().contiguous())));
}

TEST(NnMse, SecondDerivatives) {
  const ae::GradcheckResult r =
      ae::gradgradcheck([](const auto& x) { return mse(x[0], x[1]); },
                        {uniform({3, 4}, 42, -1, 1), uniform({3, 4}, 43, -1, 1)});
  EXPECT_TRUE(r.ok) << r.message;
}

TEST(NnMse, ShapeMismatchIsAnError) { EXPECT_THROW(mse(T::ones({2, 3}), T::ones({3, 2})), Error); }

// ---- BCE on probabilities ----

// p = [0.8, 0.25], t = [1, 0]: -log 0.8 = 0.22314355, -log 0.75 = 0.28768207
TEST(NnBce, ByHand) {
  const Tensor p = vec({0.8f, 0.25f}, {2}), t = vec({1, 0}, {2});
  EXPECT_NEAR(value(bce(p, t)), (0.22314355 + 0.28768207) / 2, 1e-6);
  EXPECT_NEAR(value(bce(p, t, Reduction::Sum)), 0.22314355 + 0.28768207, 1e-6);
  // A soft target t = 0.5 at p = 0.5: -(0.5 log 0.5 + 0.5 log 0.5) = log 2
  EXPECT_NEAR(value(bce(vec({0.5f}, {1}), vec({0.5f}, {1}))), std::log(2.0), 1e-6);
  // d/dp = (p - t) / (p (1 - p)) / n: at p = 0.8, t = 1: -0.2 / 0.16 / 2 = -0.625
  const Variable pv(p, true);
  bce(pv, t).backward();
  EXPECT_NEAR(pv.grad().value().to_vector()[0], -0.625f, 1e-5);
}

TEST(NnBce, SaturatedProbabilitiesStayFinite) {
  const Variable p(vec({0.0f, 1.0f, 1.0f}, {3}), true);
  const Variable l = bce(p, vec({1.0f, 0.0f, 1.0f}, {3}), Reduction::Sum);
  // log clamped at log(FLT_MIN) = -87.34 for the two wrong answers, 0 for the right one.
  EXPECT_NEAR(value(l), 2 * 87.336544, 1e-3);
  l.backward();
  for (float g : p.grad().value().to_vector()) EXPECT_TRUE(std::isfinite(g));
}

TEST(NnBce, Gradcheck) {
  expect_gradcheck([](const auto& x) { return bce(x[0], x[1]); },
                   {uniform({3, 4}, 5, 0.1f, 0.9f), uniform({3, 4}, 6, 0, 1)});
}

// ---- BCE with logits ----

// x = [0, 2, -3], t = [1, 0, 1]:
//   softplus(0) - 0 = log 2 = 0.69314718
//   softplus(2) - 0 = 2.12692801
//   softplus(-3) + 3 = 0.04858735 + 3 = 3.04858735
TEST(NnBceWithLogits, ByHand) {
  const Tensor x = vec({0, 2, -3}, {3}), t = vec({1, 0, 1}, {3});
  EXPECT_NEAR(value(bce_with_logits(x, t, Reduction::Sum)), 0.69314718 + 2.12692801 + 3.04858735,
              1e-5);
  // d/dx = sigmoid(x) - t: [-0.5, 0.88079708, 0.04742587 - 1]
  const Variable xv(x, true);
  bce_with_logits(xv, t, Reduction::Sum).backward();
  const auto g = xv.grad().value().to_vector();
  EXPECT_NEAR(g[0], -0.5, 1e-6);
  EXPECT_NEAR(g[1], 0.88079708, 1e-6);
  EXPECT_NEAR(g[2], 0.04742587 - 1, 1e-6);
}

// Logits of +-100 would overflow e^x in float; the loss is |x| for the wrong sign, ~0 else.
TEST(NnBceWithLogits, HugeLogitsAreStable) {
  const Tensor x = vec({100, -100, 100}, {3}), t = vec({0, 1, 1}, {3});
  EXPECT_NEAR(value(bce_with_logits(x, t, Reduction::Sum)), 200.0, 1e-3);
}

TEST(NnBceWithLogits, Gradcheck) {
  expect_gradcheck([](const auto& x) { return bce_with_logits(x[0], x[1]); },
                   {uniform({4, 3}, 7, -4, 4), uniform({4, 3}, 8, 0, 1)});
}

// ---- cross-entropy ----

// Row [0, 0, 0], label 1: log 3 = 1.09861229.
// Row [1, 2, 3], label 2: logsumexp = 3 + log(1 + e^-1 + e^-2) = 3.40760596, minus 3.
TEST(NnCrossEntropy, ByHand) {
  const Tensor logits = vec({0, 0, 0, 1, 2, 3}, {2, 3});
  const double row0 = 1.09861229, row1 = 0.40760596;
  EXPECT_NEAR(value(cross_entropy(logits, {1, 2})), (row0 + row1) / 2, 1e-6);
  EXPECT_NEAR(value(cross_entropy(logits, {1, 2}, Reduction::Sum)), row0 + row1, 1e-6);
  EXPECT_NEAR(value(cross_entropy(logits, std::vector<int>{1, 2})), (row0 + row1) / 2, 1e-6);
  // d/dlogits = (softmax - one_hot) / rows; row 0: [1/3, 1/3 - 1, 1/3] / 2
  const Variable lv(logits, true);
  cross_entropy(lv, {1, 2}).backward();
  const auto g = lv.grad().value().to_vector();
  EXPECT_NEAR(g[0], 1.0 / 6, 1e-6);
  EXPECT_NEAR(g[1], -1.0 / 3, 1e-6);
}

TEST(NnCrossEntropy, HugeLogitsAreStable) {
  // softmax of [1000, 0] is [1, e^-1000]: loss 0 for label 0, 1000 for label 1.
  const Tensor logits = vec({1000, 0, 1000, 0}, {2, 2});
  EXPECT_NEAR(value(cross_entropy(logits, {0, 1}, Reduction::Sum)), 1000.0, 1e-3);
}

TEST(NnCrossEntropy, Gradcheck) {
  expect_gradcheck(
      [](const auto& x) {
        return cross_entropy(x[0], {2, 0, 1, 2});
      },
      {uniform({4, 3}, 9, -2, 2)});
}

TEST(NnCrossEntropy, BadLabels) {
  EXPECT_THROW(cross_entropy(T::zeros({2, 3}), {0, 3}), Error);
  EXPECT_THROW(cross_entropy(T::zeros({2, 3}), {0}), Error);
  EXPECT_THROW(cross_entropy(T::zeros({6}), {0}), Error);
}

// ---- masked MSE ----

// pred [1, 2, 3, 4], target [2, 9, 1, NaN], mask [1, 0, 1, 0]: observed errors 1 and 4,
// mean 2.5; the missing NaN target does not leak.
TEST(NnMaskedMse, ByHand) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const Tensor p = vec({1, 2, 3, 4}, {2, 2}), t = vec({2, 9, 1, nan}, {2, 2});
  const Tensor mask = vec({1, 0, 1, 0}, {2, 2});
  EXPECT_FLOAT_EQ(value(masked_mse(p, t, mask)), 2.5f);
  EXPECT_FLOAT_EQ(value(masked_mse(p, t, mask, Reduction::Sum)), 5.0f);
  // d/dpred = 2 (p - t) / 2 on observed entries, 0 elsewhere
  const Variable pv(p, true);
  masked_mse(pv, t, mask).backward();
  EXPECT_EQ(pv.grad().value().to_vector(), (std::vector<float>{-1, 0, 2, 0}));
}

TEST(NnMaskedMse, Gradcheck) {
  const Tensor mask = vec({1, 0, 1, 1, 0, 1}, {2, 3});
  expect_gradcheck([&](const auto& x) { return masked_mse(x[0], x[1], mask); },
                   {uniform({2, 3}, 10, -1, 1), uniform({2, 3}, 11, -1, 1)});
}

TEST(NnMaskedMse, NoObservedEntryIsAnError) {
  EXPECT_THROW(masked_mse(T::ones({2}), T::ones({2}), T::zeros({2})), Error);
  EXPECT_THROW(masked_mse(T::ones({2}), T::ones({2}), T::ones({3})), Error);
}

// ---- L1 activity ----

// h = [[1, -2], [0, 3]]: sum |h| = 6 over 2 rows = 3; gradient sign(h) / rows.
TEST(NnL1Activity, ByHand) {
  const Variable h(vec({1, -2, 0, 3}, {2, 2}), true);
  const Variable l = l1_activity(h);
  EXPECT_FLOAT_EQ(value(l), 3.0f);
  l.backward();
  EXPECT_EQ(h.grad().value().to_vector(), (std::vector<float>{0.5f, -0.5f, 0, 0.5f}));
}

TEST(NnL1Activity, Gradcheck) {
  // Away from 0, where |h| has its kink.
  Tensor h = uniform({3, 4}, 12, 0.1f, 1);
  h = h * vec({1, -1, 1, -1}, {4});
  expect_gradcheck([](const auto& x) { return l1_activity(x[0]); }, {h});
}

// ---- KL sparsity ----

// rho = 0.05, rho_hat = [0.05, 0.2]:
//   unit 0: 0 (equal)
//   unit 1: 0.05 log(0.05/0.2) + 0.95 log(0.95/0.8) = -0.06931472 + 0.16325774 = 0.09394303
TEST(NnKlSparsity, ByHand) {
  EXPECT_NEAR(value(kl_sparsity(0.05f, vec({0.05f, 0.2f}, {2}))), 0.09394303, 1e-6);
  // d/drho_hat = -rho/q + (1-rho)/(1-q): 0 at q = rho; at 0.2: -0.25 + 1.1875 = 0.9375
  const Variable q(vec({0.05f, 0.2f}, {2}), true);
  kl_sparsity(0.05f, q).backward();
  const auto g = q.grad().value().to_vector();
  EXPECT_NEAR(g[0], 0.0, 1e-5);
  EXPECT_NEAR(g[1], 0.9375, 1e-5);
}

TEST(NnKlSparsity, MeanActivationAndSaturation) {
  // Mean over the batch: [[0.1, 0.3], [0.3, 0.5]] -> [0.2, 0.4]
  EXPECT_EQ(mean_activation(vec({0.1f, 0.3f, 0.3f, 0.5f}, {2, 2})).value().to_vector(),
            (std::vector<float>{0.2f, 0.4f}));
  // Dead (0) or saturated (1) units give a large finite penalty.
  EXPECT_TRUE(std::isfinite(value(kl_sparsity(0.05f, vec({0.0f, 1.0f}, {2})))));
  EXPECT_THROW(kl_sparsity(0.0f, vec({0.5f}, {1})), Error);
  EXPECT_THROW(kl_sparsity(1.0f, vec({0.5f}, {1})), Error);
}

TEST(NnKlSparsity, Gradcheck) {
  expect_gradcheck([](const auto& x) { return kl_sparsity(0.1f, mean_activation(x[0])); },
                   {uniform({4, 5}, 13, 0.05f, 0.6f)});
}

// ---- Gaussian KL ----

// Row 0: mu = [0, 0], logvar = [0, 0]: N(0, I) itself, KL 0.
// Row 1: mu = [1, 0], logvar = [0, log 2]:
//   -1/2 [(1 + 0 - 1 - 1) + (1 + log 2 - 0 - 2)] = -1/2 (-1 - 1 + 0.69314718) = 0.65342641
TEST(NnGaussianKl, ByHand) {
  const float log2 = std::log(2.0f);
  const Tensor mu = vec({0, 0, 1, 0}, {2, 2}), logvar = vec({0, 0, 0, log2}, {2, 2});
  EXPECT_NEAR(value(gaussian_kl(mu, logvar, Reduction::Sum)), 0.65342641, 1e-6);
  EXPECT_NEAR(value(gaussian_kl(mu, logvar)), 0.65342641 / 2, 1e-6);  // per row
  // d/dmu = mu, d/dlogvar = (exp(logvar) - 1) / 2 (Sum)
  const Variable m(mu, true), lv(logvar, true);
  gaussian_kl(m, lv, Reduction::Sum).backward();
  EXPECT_EQ(m.grad().value().to_vector(), (std::vector<float>{0, 0, 1, 0}));
  EXPECT_NEAR(lv.grad().value().to_vector()[3], 0.5, 1e-6);
}

TEST(NnGaussianKl, Gradcheck) {
  expect_gradcheck([](const auto& x) { return gaussian_kl(x[0], x[1]); },
                   {uniform({3, 4}, 14, -1, 1), uniform({3, 4}, 15, -1, 1)});
}

// ---- named terms ----

// reconstruction = mean(a^2) = 2.5 and penalty = 0.25 b^2 = 2.25, each exact in float:
// total = 4.75, and backward from the total gives each input the gradient of the sum.
TEST(NnLossTerms, TotalIsTheSumAndBackpropagatesBothTerms) {
  const Variable a(vec({1, 2}, {2}), /*requires_grad=*/true);
  const Variable b(vec({3}, {1}), /*requires_grad=*/true);
  const LossTerms terms{{"reconstruction", ae::mean(a * a)}, {"penalty", 0.25f * ae::sum(b * b)}};
  ASSERT_EQ(terms.size(), 2u);
  EXPECT_EQ(terms.terms()[0].name, "reconstruction");
  EXPECT_EQ(terms.terms()[1].name, "penalty");
  EXPECT_FLOAT_EQ(value(terms["reconstruction"]), 2.5f);
  EXPECT_FLOAT_EQ(value(terms["penalty"]), 2.25f);
  const Variable total = terms.total();
  EXPECT_FLOAT_EQ(value(total), 4.75f);
  total.backward();
  // d/da mean(a^2) = a, d/db 0.25 b^2 = b / 2
  EXPECT_EQ(a.grad().value().to_vector(), (std::vector<float>{1, 2}));
  EXPECT_EQ(b.grad().value().to_vector(), (std::vector<float>{1.5f}));
}

TEST(NnLossTerms, APlainVariableIsOneTermNamedLoss) {
  const LossTerms terms = mse(Variable(vec({1, 2}, {2})), Variable(vec({0, 0}, {2})));
  ASSERT_EQ(terms.size(), 1u);
  EXPECT_EQ(terms.terms()[0].name, "loss");
  EXPECT_FLOAT_EQ(value(terms.total()), 2.5f);  // (1 + 4) / 2
}

TEST(NnLossTerms, BadTermsAreErrors) {
  const Variable x(vec({1}, {1}));
  LossTerms terms{{"a", x}};
  EXPECT_THROW(terms.add("a", x), Error);          // repeated name
  EXPECT_THROW(terms.add("", x), Error);           // no name
  EXPECT_THROW(terms.add("b", Variable()), Error);  // undefined value
  EXPECT_THROW(LossTerms().total(), Error);         // nothing to add up
  terms.add("wide", Variable(vec({1, 2}, {2})));
  EXPECT_THROW(terms.total(), Error);  // a term with two elements
  try {
    (void)terms["missing"];
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("'missing'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("a, wide"), std::string::npos) << msg;
  }
}
