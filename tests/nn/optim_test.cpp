// Optimizers against steps worked by hand from the update rules (torch.optim's), the
// skipping of parameters without gradient, state round trips, and a convergence check.
#include "nn/optim.hpp"

#include <gtest/gtest.h>

#include <omp.h>

#include <algorithm>
#include <cmath>

#include "autograd/ops.hpp"
#include "tensor/ops.hpp"

using ae::Error;
using ae::Tensor;
using ae::Variable;
using namespace ae::nn;
namespace T = ae::tensor;

namespace {
using V = std::vector<float>;

Variable param(V values) {
  const int64_t n = static_cast<int64_t>(values.size());
  return Variable(T::from_vector(values, {n}), /*requires_grad=*/true);
}

// Gives p the gradient g: d/dp sum(p * g) = g.
void set_grad(Variable& p, const V& g) {
  p.zero_grad();
  ae::sum(p * Variable(T::from_vector(g, p.shape()))).backward();
}

void expect_values(const Variable& p, const V& expected, float tol = 1e-6f) {
  const auto v = p.value().to_vector();
  ASSERT_EQ(v.size(), expected.size());
  for (std::size_t i = 0; i < v.size(); ++i) EXPECT_NEAR(v[i], expected[i], tol) << "element " << i;
}
}  // namespace

TEST(NnSGD, PlainStep) {
  Variable p = param({1, -2});
  SGD sgd({p}, {.lr = 0.1f});
  set_grad(p, {0.5f, 1});
  sgd.step();
  expect_values(p, {0.95f, -2.1f});  // p - lr g
  EXPECT_TRUE(p.is_leaf());          // updated in place, no graph
  EXPECT_EQ(sgd.steps(), 1);
}

TEST(NnSGD, MomentumTwoSteps) {
  Variable p = param({0});
  SGD sgd({p}, {.lr = 0.1f, .momentum = 0.9f});
  set_grad(p, {1});
  sgd.step();  // b = 1, p = -0.1
  expect_values(p, {-0.1f});
  set_grad(p, {1});
  sgd.step();  // b = 0.9 + 1 = 1.9, p = -0.1 - 0.19
  expect_values(p, {-0.29f});
}

TEST(NnSGD, Dampening) {
  Variable p = param({0});
  SGD sgd({p}, {.lr = 0.1f, .momentum = 0.9f, .dampening = 0.5f});
  set_grad(p, {1});
  sgd.step();  // the first buffer is the gradient itself: b = 1
  set_grad(p, {1});
  sgd.step();  // b = 0.9 * 1 + 0.5 * 1 = 1.4, p = -0.1 - 0.14
  expect_values(p, {-0.24f});
}

TEST(NnSGD, Nesterov) {
  Variable p = param({0});
  SGD sgd({p}, {.lr = 0.1f, .momentum = 0.9f, .nesterov = true});
  set_grad(p, {1});
  sgd.step();  // b = 1, d = 1 + 0.9 * 1 = 1.9, p = -0.19
  expect_values(p, {-0.19f});
  set_grad(p, {1});
  sgd.step();  // b = 1.9, d = 1 + 0.9 * 1.9 = 2.71, p = -0.19 - 0.271
  expect_values(p, {-0.461f});
  EXPECT_THROW(SGD({p}, {.lr = 0.1f, .nesterov = true}), Error);
}

TEST(NnSGD, WeightDecay) {
  Variable p = param({2});
  SGD sgd({p}, {.lr = 0.1f, .weight_decay = 0.1f});
  set_grad(p, {0});
  sgd.step();  // d = 0 + 0.1 * 2, p = 2 - 0.1 * 0.2
  expect_values(p, {1.98f});
}

TEST(NnSGD, StateRoundTrip) {
  Variable p = param({0}), q = param({0});
  SGD a({p}, {.lr = 0.1f, .momentum = 0.9f});
  set_grad(p, {1});
  a.step();
  SGD b({q}, {.lr = 0.1f, .momentum = 0.9f});
  q.value().copy_(p.value());
  b.load_state(a.state());
  set_grad(p, {1});
  set_grad(q, {1});
  a.step();
  b.step();
  expect_values(q, p.value().to_vector(), 0.0f);
}

// With a constant gradient, bias-corrected Adam moves each step by exactly lr (up to eps):
// m_hat = g and v_hat = g^2 at every t.
TEST(NnAdam, ConstantGradientMovesByLr) {
  Variable p = param({1, 1});
  Adam adam({p}, {.lr = 0.1f});
  for (int t = 1; t <= 3; ++t) {
    set_grad(p, {0.5f, -2});
    adam.step();
    expect_values(p, {1 - 0.1f * t, 1 + 0.1f * t}, 1e-6f);
  }
}

// g1 = 1, g2 = -1, lr 0.1, betas (0.9, 0.999):
//   t=1: m = 0.1, v = 0.001, m_hat = 1, v_hat = 1               p = 1 - 0.1 = 0.9
//   t=2: m = 0.09 - 0.1 = -0.01, v = 0.000999 + 0.001 = 0.001999
//        m_hat = -0.01 / 0.19, v_hat = 0.001999 / 0.001999 = 1   p = 0.9 + 0.1 * 0.01 / 0.19
TEST(NnAdam, TwoStepsByHand) {
  Variable p = param({1});
  Adam adam({p}, {.lr = 0.1f});
  set_grad(p, {1});
  adam.step();
  expect_values(p, {0.9f});
  set_grad(p, {-1});
  adam.step();
  expect_values(p, {static_cast<float>(0.9 + 0.1 * 0.01 / 0.19)});
}

// L2 decay goes into the gradient, then through the moments:
//   t=1: g = 0.5 + 0.1 * 1 = 0.6, a normalised step of lr             p = 0.9
//   t=2: g = 0.5 + 0.1 * 0.9 = 0.59
//        m = 0.9 * 0.06 + 0.059 = 0.113, v = 0.999 * 0.00036 + 0.001 * 0.3481
//        p = 0.9 - 0.1 * (m / 0.19) / (sqrt(v / 0.001999) + 1e-8)
TEST(NnAdam, L2WeightDecay) {
  Variable p = param({1});
  Adam adam({p}, {.lr = 0.1f, .weight_decay = 0.1f});
  set_grad(p, {0.5f});
  adam.step();
  expect_values(p, {0.9f});
  set_grad(p, {0.5f});
  adam.step();
  const double m = 0.9 * 0.06 + 0.1 * 0.59, v = 0.999 * 0.00036 + 0.001 * 0.59 * 0.59;
  const double expected = 0.9 - 0.1 * (m / 0.19) / (std::sqrt(v / (1 - 0.999 * 0.999)) + 1e-8);
  expect_values(p, {static_cast<float>(expected)});
}

// AdamW shrinks the weight first, p *= 1 - lr wd, and keeps the decay out of the moments:
//   p = 1 * (1 - 0.1 * 0.1) - 0.1 = 0.89
TEST(NnAdam, DecoupledWeightDecay) {
  Variable p = param({1});
  Adam adamw({p}, {.lr = 0.1f, .weight_decay = 0.1f, .decoupled_weight_decay = true});
  set_grad(p, {0.5f});
  adamw.step();
  expect_values(p, {0.89f});
}

TEST(NnAdam, ParametersWithoutGradientAreSkipped) {
  Variable p = param({1}), q = param({1});
  Adam adam({p, q}, {.lr = 0.1f});
  set_grad(p, {1});
  adam.step();  // q has no gradient
  expect_values(q, {1});
  // q's first real step still gets t = 1 bias correction: a step of exactly lr.
  p.zero_grad();
  set_grad(q, {3});
  adam.step();
  expect_values(q, {0.9f});
}

TEST(NnAdam, StateRoundTripResumesExactly) {
  Variable p = param({1, 2, 3}), q = param({0, 0, 0});
  Adam a({p}, {.lr = 0.05f});
  for (float g : {1.0f, -0.5f, 0.25f}) {
    set_grad(p, {g, 2 * g, -g});
    a.step();
  }
  Adam b({q}, {.lr = 0.05f});
  q.value().copy_(p.value());
  b.load_state(a.state());
  set_grad(p, {0.3f, 0.1f, -0.7f});
  set_grad(q, {0.3f, 0.1f, -0.7f});
  a.step();
  b.step();
  expect_values(q, p.value().to_vector(), 0.0f);
  EXPECT_THROW(Adam({param({1})}).load_state(a.state()), Error);  // shapes differ
}

TEST(NnAdam, MinimisesAQuadratic) {
  Variable p = param({5, -3});
  const Variable target(T::from_vector({1, 2}, {2}));
  Adam adam({p}, {.lr = 0.05f});
  for (int i = 0; i < 1000; ++i) {
    adam.zero_grad();
    const Variable d = p - target;
    ae::sum(d * d).backward();
    adam.step();
  }
  expect_values(p, {1, 2}, 1e-2f);
}

// The update is shared among OpenMP threads in chunks of a parameter: any thread count
// gives the same numbers, and they are those of Adam applied element by element (here with
// gradient 3 p^2 from L = sum p^3, computed in double from the formula).
TEST(NnAdam, ChunkedAndThreadedUpdateIsElementwiseAdam) {
  ae::Generator gen(3);
  const Tensor start = T::randn({300, 333}, gen);
  auto run = [&](int threads) {
    omp_set_num_threads(threads);
    Variable p(start.clone(), true), q(T::ones({7}), true);
    Adam adam({p, q}, {.lr = 0.01f});
    for (int step = 0; step < 3; ++step) {
      adam.zero_grad();
      (ae::sum(p * p * p) + ae::sum(q * q)).backward();
      adam.step();
    }
    omp_set_num_threads(1);
    return p.value().to_vector();
  };
  const auto one = run(1);
  EXPECT_EQ(one, run(2));
  const auto x0 = start.to_vector();
  for (std::size_t i = 0; i < x0.size(); i += 997) {
    double x = x0[i], m = 0, v = 0;
    for (int t = 1; t <= 3; ++t) {
      const double g = 3 * x * x;
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      x -= 0.01 / (1 - std::pow(0.9, t)) * m / (std::sqrt(v / (1 - std::pow(0.999, t))) + 1e-8);
    }
    EXPECT_NEAR(one[i], x, 1e-5 * (1 + std::abs(x))) << i;
  }
}

TEST(NnOptimizer, BadOptionsAndParameters) {
  Variable p = param({1});
  EXPECT_THROW(Adam({p}, {.beta1 = 1.0f}), Error);
  EXPECT_THROW(SGD({p}, {.lr = -1.0f}), Error);
  EXPECT_THROW(SGD({Variable(T::ones({1}))}, {}), Error);  // does not require grad
}

// ---- learning-rate schedules ----

namespace {
std::vector<double> factors(const LrSchedule& s, int epochs) {
  std::vector<double> out;
  for (int e = 1; e <= epochs; ++e) out.push_back(s.factor(e, epochs));
  return out;
}

void expect_factors(const LrSchedule& s, int epochs, const std::vector<double>& expected) {
  const auto f = factors(s, epochs);
  ASSERT_EQ(f.size(), expected.size());
  for (std::size_t i = 0; i < f.size(); ++i)
    EXPECT_NEAR(f[i], expected[i], 1e-12)
        << s.describe() << ", epoch " << i + 1 << " of " << epochs;
}
}  // namespace

TEST(NnLrSchedule, ConstantIsOne) {
  expect_factors(LrSchedule(), 3, {1, 1, 1});
  EXPECT_TRUE(LrSchedule::constant().is_constant());
  EXPECT_FALSE(LrSchedule::cosine(0).is_constant());
}

// gamma^floor((e - 1) / N): three epochs at each rate.
TEST(NnLrSchedule, StepDecay) {
  expect_factors(LrSchedule::step_decay(3, 0.5), 7, {1, 1, 1, 0.5, 0.5, 0.5, 0.25});
  expect_factors(LrSchedule::step_decay(1, 0.1), 3, {1, 0.1, 0.01});
}

// f + (1 - f)(1 + cos(pi t)) / 2 at t = 0, 1/4, 1/2, 3/4, 1 with f = 0.1:
// 1, 0.1 + 0.9 (1 + sqrt(2)/2) / 2, 0.55, 0.1 + 0.9 (1 - sqrt(2)/2) / 2, 0.1.
TEST(NnLrSchedule, CosineEndsAtTheFloor) {
  const double r = std::sqrt(2.0) / 2;
  expect_factors(LrSchedule::cosine(0.1), 5,
                 {1, 0.1 + 0.45 * (1 + r), 0.55, 0.1 + 0.45 * (1 - r), 0.1});
  expect_factors(LrSchedule::cosine(0.1), 1, {1});
  expect_factors(LrSchedule::cosine(0.0), 3, {1, 0.5, 0});
}

// The last ceil(q E) epochs: E = 12 -> 3, E = 6 -> ceil(1.5) = 2, E = 10 -> ceil(2.5) = 3,
// and q = 0.1 of E = 30 is 3 epochs although 0.1 * 30 rounds above 3 in double.
TEST(NnLrSchedule, CutLast) {
  expect_factors(LrSchedule::cut_last(0.25, 0.1), 12, {1, 1, 1, 1, 1, 1, 1, 1, 1, 0.1, 0.1, 0.1});
  expect_factors(LrSchedule::cut_last(0.25, 0.1), 6, {1, 1, 1, 1, 0.1, 0.1});
  expect_factors(LrSchedule::cut_last(0.25, 0.5), 10, {1, 1, 1, 1, 1, 1, 1, 0.5, 0.5, 0.5});
  const auto f = factors(LrSchedule::cut_last(0.1, 0.5), 30);
  EXPECT_EQ(std::count(f.begin(), f.end(), 0.5), 3);
  EXPECT_EQ(f[26], 1.0);
  EXPECT_EQ(f[27], 0.5);
  expect_factors(LrSchedule::cut_last(1.0, 0.5), 2, {0.5, 0.5});
}

// gamma once per milestone m < e: after epochs 6 and 7 of 8 -> 1 (x6), 0.5, 0.25; a
// milestone at the last epoch never applies.
TEST(NnLrSchedule, MultiStep) {
  expect_factors(LrSchedule::multi_step({6, 7}, 0.5), 8, {1, 1, 1, 1, 1, 1, 0.5, 0.25});
  expect_factors(LrSchedule::multi_step({4, 3}, 0.5), 4, {1, 1, 1, 0.5});
}

TEST(NnLrSchedule, DescribeAndErrors) {
  EXPECT_EQ(LrSchedule().describe(), "constant");
  EXPECT_EQ(LrSchedule::step_decay(10, 0.5).describe(), "x0.5 every 10 epochs");
  EXPECT_EQ(LrSchedule::cosine(0.01).describe(), "cosine to x0.01");
  EXPECT_EQ(LrSchedule::cut_last(0.25, 0.1).describe(), "x0.1 for the last 25% of the epochs");
  EXPECT_EQ(LrSchedule::multi_step({6, 7}, 0.5).describe(), "x0.5 after epochs 6, 7");
  EXPECT_THROW(LrSchedule::step_decay(0, 0.5), Error);
  EXPECT_THROW(LrSchedule::step_decay(2, 0.0), Error);
  EXPECT_THROW(LrSchedule::cosine(1.5), Error);
  EXPECT_THROW(LrSchedule::cosine(-0.1), Error);
  EXPECT_THROW(LrSchedule::cut_last(0.0, 0.1), Error);
  EXPECT_THROW(LrSchedule::cut_last(1.5, 0.1), Error);
  EXPECT_THROW(LrSchedule::cut_last(0.25, -1.0), Error);
  EXPECT_THROW(LrSchedule::multi_step({0}, 0.5), Error);
  EXPECT_THROW(LrSchedule::cosine(0.1).factor(0, 5), Error);
  EXPECT_THROW(LrSchedule::cosine(0.1).factor(6, 5), Error);
}
