// backward() on graphs whose gradients are worked out by hand: fan-out and diamonds,
// broadcasting, seeds, accumulation, retained and freed graphs, pruning, rule errors.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "autograd/ops.hpp"
#include "autograd/record.hpp"
#include "tests/autograd/autograd_testing.hpp"

namespace {

using ae::Error;
using ae::Tensor;
using ae::Variable;
using ae::autograd_testing::grad_of;
using ae::autograd_testing::message_of;
using ae::autograd_testing::vec;
namespace T = ae::tensor;

TEST(AutogradBackward, SquareAtThree) {
  Variable x(vec({3.0f}), true);
  ae::square(x).backward();
  EXPECT_EQ(grad_of(x), std::vector<float>{6.0f});  // d(x²)/dx = 2x
}

TEST(AutogradBackward, ProductRuleAndFanOut) {
  // z = a b + a: dz/da = b + 1, dz/db = a
  Variable a(vec({2.0f, -1.0f}), true), b(vec({5.0f, 3.0f}), true);
  ae::sum(a * b + a).backward();
  EXPECT_EQ(grad_of(a), (std::vector<float>{6.0f, 4.0f}));
  EXPECT_EQ(grad_of(b), (std::vector<float>{2.0f, -1.0f}));
}

TEST(AutogradBackward, SameVariableTwiceInOneOp) {
  Variable x(vec({1.5f, -2.0f}), true);
  ae::sum(x * x).backward();
  EXPECT_EQ(grad_of(x), (std::vector<float>{3.0f, -4.0f}));
}

TEST(AutogradBackward, Diamond) {
  // y = exp(x); z = y·y + 3y: dz/dx = (2y + 3) y
  Variable x(vec({0.0f, 1.0f}), true);
  const Variable y = ae::exp(x);
  ae::sum(y * y + 3.0f * y).backward();
  const float e = std::exp(1.0f);
  const std::vector<float> g = grad_of(x);
  EXPECT_FLOAT_EQ(g[0], 5.0f);
  EXPECT_NEAR(g[1], (2 * e + 3) * e, 1e-5f);
}

TEST(AutogradBackward, BroadcastOperandGetsTheSumOverRows) {
  Variable x(T::from_vector({1, 2, 3, 4, 5, 6}, {2, 3}), true);
  Variable b(vec({10, 20, 30}), true);
  Variable s(T::scalar(2.0f), true);
  ae::sum((x + b) * s).backward();
  EXPECT_EQ(grad_of(b), (std::vector<float>{4, 4, 4}));  // two rows, times s = 2
  EXPECT_EQ(grad_of(x), (std::vector<float>{2, 2, 2, 2, 2, 2}));
  EXPECT_EQ(s.grad().shape(), ae::Shape{});
  EXPECT_FLOAT_EQ(s.grad().item(), 21.0f + 2 * (10 + 20 + 30));  // Σ x + Σ b per row
}

TEST(AutogradBackward, LinearByHand) {
  // y = x Wᵀ + b; L = Σ y: dL/dW[o][i] = Σ_n x[n][i], dL/db = N, dL/dx[n][i] = Σ_o W[o][i]
  Variable x(T::from_vector({1, 2, 3, 4}, {2, 2}), true);
  Variable w(T::from_vector({1, 0, -1, 2, 0.5f, 0.5f}, {3, 2}), true);
  Variable b(vec({0, 0, 0}), true);
  const Variable y = ae::linear(x, w, b);
  EXPECT_EQ(y.shape(), (ae::Shape{2, 3}));
  EXPECT_EQ(y.value().to_vector(), (std::vector<float>{1, 3, 1.5f, 3, 5, 3.5f}));
  ae::sum(y).backward();
  EXPECT_EQ(grad_of(w), (std::vector<float>{4, 6, 4, 6, 4, 6}));
  EXPECT_EQ(grad_of(b), (std::vector<float>{2, 2, 2}));
  EXPECT_EQ(grad_of(x), (std::vector<float>{0.5f, 2.5f, 0.5f, 2.5f}));
}

TEST(AutogradBackward, SeedScalesTheGradient) {
  Variable x(vec({1, 2, 3}), true);
  (x * 2.0f).backward(vec({1, 10, 100}));
  EXPECT_EQ(grad_of(x), (std::vector<float>{2, 20, 200}));
}

TEST(AutogradBackward, NonScalarWithoutSeedIsAnError) {
  Variable x(vec({1, 2, 3}), true);
  const Variable y = x * 2.0f;
  const std::string m = message_of([&] { y.backward(); });
  EXPECT_NE(m.find("backward"), std::string::npos) << m;
  EXPECT_NE(m.find("[3]"), std::string::npos) << m;
  EXPECT_NE(m.find("seed"), std::string::npos) << m;
}

TEST(AutogradBackward, SeedOfTheWrongShapeIsAnError) {
  Variable x(vec({1, 2, 3}), true);
  const Variable y = x * 2.0f;
  const std::string m = message_of([&] { y.backward(T::ones({2})); });
  EXPECT_NE(m.find("[2]"), std::string::npos) << m;
  EXPECT_NE(m.find("[3]"), std::string::npos) << m;
}

TEST(AutogradBackward, OutputThatDoesNotRequireGradIsAnError) {
  const Variable x(vec({1.0f}));
  EXPECT_THROW((x * 2.0f).backward(), Error);
  EXPECT_THROW(Variable().backward(), Error);
}

TEST(AutogradBackward, AccumulatesAcrossCallsUntilZeroGrad) {
  Variable x(vec({1, 2}), true);
  ae::sum(x * 3.0f).backward();
  ae::sum(x * 3.0f).backward();
  EXPECT_EQ(grad_of(x), (std::vector<float>{6, 6}));
  x.zero_grad();
  EXPECT_FALSE(x.grad().defined());
  ae::sum(square(x)).backward();
  EXPECT_EQ(grad_of(x), (std::vector<float>{2, 4}));
}

TEST(AutogradBackward, GraphIsFreedUnlessRetained) {
  Variable x(vec({1, 2}), true);
  const Variable y = ae::sum(ae::exp(x));
  y.backward();
  const std::string m = message_of([&] { y.backward(); });
  EXPECT_NE(m.find("freed"), std::string::npos) << m;
  EXPECT_NE(m.find("retain_graph"), std::string::npos) << m;

  x.zero_grad();
  const Variable z = ae::sum(x * x);
  z.backward({}, false, /*retain_graph=*/true);
  z.backward();
  EXPECT_EQ(grad_of(x), (std::vector<float>{4, 8}));
}

TEST(AutogradBackward, LeavesGetTheirOwnGradientTensors) {
  // add hands the same gradient to both inputs; an optimizer updating one in place must
  // not change the other.
  Variable a(vec({1, 2}), true), b(vec({3, 4}), true);
  ae::sum(a + b).backward();
  a.grad().value().mul_(10.0f);
  EXPECT_EQ(grad_of(b), (std::vector<float>{1, 1}));
  // Nor may the seed alias a leaf's gradient.
  Variable c(vec({5, 6}), true);
  Tensor seed = vec({1, 1});
  c.backward(seed);
  c.grad().value().mul_(3.0f);
  EXPECT_EQ(seed.to_vector(), (std::vector<float>{1, 1}));
}

TEST(AutogradBackward, ConstantsGetNoGradient) {
  Variable x(vec({1, 2}), true);
  const Variable c(vec({3, 4}));
  ae::sum(x * c).backward();
  EXPECT_EQ(grad_of(x), (std::vector<float>{3, 4}));
  EXPECT_FALSE(c.grad().defined());
  EXPECT_FALSE(c.requires_grad());
}

TEST(AutogradBackward, RulesAreNotAskedForGradientsNobodyNeeds) {
  // A custom op that records which inputs its rule was asked about.
  std::vector<bool> asked;
  auto op = [&asked](const Variable& a, const Variable& b) {
    return ae::record("spy", a.value() * b.value(), {a, b}, [&asked](const ae::Backward& ctx) {
      asked = ctx.needed;
      return ctx.per_input([&] { return ctx.grad * ctx.input(1); },
                           [&] { return ctx.grad * ctx.input(0); });
    });
  };
  Variable w(vec({2}), true);
  const Variable data(vec({3}));
  op(data, w).backward();
  EXPECT_EQ(asked, (std::vector<bool>{false, true}));
  EXPECT_EQ(grad_of(w), std::vector<float>{3});

  // grad() with respect to x only: W's side of the product is skipped.
  Variable x(vec({4}), true), v(vec({5}), true);
  const auto g = ae::grad({op(x, v)}, {x});
  EXPECT_EQ(asked, (std::vector<bool>{true, false}));
  EXPECT_EQ(g[0].value().to_vector(), std::vector<float>{5});
  EXPECT_FALSE(v.grad().defined());
}

TEST(AutogradBackward, ARuleReturningTheWrongShapeNamesTheOp) {
  Variable x(vec({1, 2, 3}), true);
  const Variable y = ae::record("shrinks", x.value() * 1.0f, {x}, [](const ae::Backward& ctx) {
    return ae::Grads{ae::slice(ctx.grad, 0, 0, 2)};
  });
  const std::string m = message_of([&] { ae::sum(y).backward(); });
  EXPECT_NE(m.find("shrinks"), std::string::npos) << m;
  EXPECT_NE(m.find("[2]"), std::string::npos) << m;
  EXPECT_NE(m.find("[3]"), std::string::npos) << m;
}

TEST(AutogradBackward, ARuleReturningTooFewGradientsIsAnError) {
  Variable x(vec({1}), true), y(vec({2}), true);
  const Variable z = ae::record("forgets", x.value() + y.value(), {x, y},
                                [](const ae::Backward& ctx) { return ae::Grads{ctx.grad}; });
  const std::string m = message_of([&] { z.backward(); });
  EXPECT_NE(m.find("forgets"), std::string::npos) << m;
}

}  // namespace

// The activations' backward runs as one fused pass unless recorded (create_graph); both must
// give the same gradient up to the last bits (the fused loop may contract a multiply-add into
// an FMA). So must linear's bias gradient (tensor::sum_rows against the recorded row sum).
TEST(FusedBackward, AgreesWithTheRecordedRules) {
  using Fn = std::function<Variable(const Variable&, const Variable&, const Variable&)>;
  const std::vector<std::pair<std::string, Fn>> cases = {
      {"sigmoid", [](const Variable& x, const Variable&, const Variable&) { return ae::sigmoid(x); }},
      {"tanh", [](const Variable& x, const Variable&, const Variable&) { return ae::tanh(x); }},
      {"relu", [](const Variable& x, const Variable&, const Variable&) { return ae::relu(x); }},
      {"linear", [](const Variable& x, const Variable& w, const Variable& b) {
         return ae::relu(ae::linear(x, w, b));
       }},
  };
  ae::Generator gen(3);
  for (const auto& [name, f] : cases) {
    const Tensor xv = ae::tensor::randn({9, 6}, gen, 0.0f, 2.0f);
    const Tensor seed = ae::tensor::randn({9, name == "linear" ? 5 : 6}, gen);
    Variable x(xv, true);
    Variable w(ae::tensor::randn({5, 6}, gen), true), b(ae::tensor::randn({5}, gen), true);
    const Variable y = f(x, w, b);
    const auto recorded = ae::grad({y}, {x, w, b}, {seed}, /*create_graph=*/true);
    Variable y2 = f(x, w, b);
    y2.backward(seed);
    const auto same = [](const Tensor& p, const Tensor& q) {
      return ae::tensor::allclose(p, q, 1e-6f, 1e-6f);
    };
    EXPECT_TRUE(same(x.grad().value(), recorded[0].value())) << name;
    if (name == "linear") {
      EXPECT_TRUE(same(w.grad().value(), recorded[1].value())) << name;
      EXPECT_TRUE(same(b.grad().value(), recorded[2].value())) << name;
    }
  }
}
