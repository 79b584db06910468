// The backward engine on graphs whose gradients are worked out by hand: fan-out and
// diamonds, broadcasting, accumulation, retained and freed graphs, seeds, grad(),
// double backward, pruning, and a 100,000-op chain.
#include <gtest/gtest.h>

#include <pthread.h>

#include <cmath>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "autograd/ops.hpp"
#include "autograd/record.hpp"

namespace {

using ae::Error;
using ae::Tensor;
using ae::Variable;
namespace T = ae::tensor;

Tensor vec(const std::vector<float>& values) {
  return T::from_vector(values, {static_cast<int64_t>(values.size())});
}

std::vector<float> grad_of(const Variable& v) { return v.grad().value().to_vector(); }

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no ae::Error thrown)";
}

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

TEST(AutogradGrad, ReturnsGradientsWithoutAccumulating) {
  Variable x(vec({1, 2}), true), y(vec({3, 4}), true);
  const Variable z = ae::sum(x * y);
  const std::vector<Variable> g = ae::grad({z}, {x, y});
  EXPECT_EQ(g[0].value().to_vector(), (std::vector<float>{3, 4}));
  EXPECT_EQ(g[1].value().to_vector(), (std::vector<float>{1, 2}));
  EXPECT_FALSE(x.grad().defined());
  EXPECT_FALSE(y.grad().defined());
}

TEST(AutogradGrad, WithRespectToAnIntermediateAndUnusedInputs) {
  Variable x(vec({1, 2}), true), unused(vec({7, 7, 7}), true);
  const Variable h = x * 3.0f;
  const Variable z = ae::sum(h * h);
  const std::vector<Variable> g = ae::grad({z}, {h, unused}, {}, false, true);
  EXPECT_EQ(g[0].value().to_vector(), (std::vector<float>{6, 12}));  // 2h
  EXPECT_EQ(g[1].value().to_vector(), (std::vector<float>{0, 0, 0}));
  const std::vector<Variable> gx = ae::grad({z}, {x});
  EXPECT_EQ(gx[0].value().to_vector(), (std::vector<float>{18, 36}));  // 2h · 3
}

TEST(AutogradGrad, SeveralOutputsWithSeeds) {
  Variable x(vec({1, 2}), true);
  const Variable a = x * 2.0f, b = ae::square(x);
  const auto g = ae::grad({a, b}, {x}, {vec({1, 1}), vec({10, 10})});
  EXPECT_EQ(g[0].value().to_vector(), (std::vector<float>{2 + 20, 2 + 40}));
}

TEST(AutogradGrad, InputThatDoesNotRequireGradIsAnError) {
  Variable x(vec({1}), true);
  const Variable c(vec({1}));
  const std::string m = message_of([&] { ae::grad({x * c}, {c}); });
  EXPECT_NE(m.find("input 0"), std::string::npos) << m;
}

TEST(AutogradDoubleBackward, SecondDerivativeOfACube) {
  // y = x³: y' = 3x², y'' = 6x, y''' = 6
  Variable x(vec({2.0f}), true);
  const Variable y = ae::pow(x, 3.0f);
  const Variable d1 = ae::grad({y}, {x}, {}, true)[0];
  EXPECT_FLOAT_EQ(d1.item(), 12.0f);
  EXPECT_TRUE(d1.requires_grad());
  const Variable d2 = ae::grad({d1}, {x}, {}, true)[0];
  EXPECT_FLOAT_EQ(d2.item(), 12.0f);
  const Variable d3 = ae::grad({d2}, {x})[0];
  EXPECT_FLOAT_EQ(d3.item(), 6.0f);
}

TEST(AutogradDoubleBackward, ThroughBackwardCreateGraph) {
  // x.grad() after backward(create_graph) is differentiable: d/dx (3x²) = 6x.
  Variable x(vec({1.0f, -2.0f}), true);
  ae::sum(ae::pow(x, 3.0f)).backward({}, /*create_graph=*/true);
  const Variable g = x.grad();
  EXPECT_EQ(g.value().to_vector(), (std::vector<float>{3, 12}));
  EXPECT_TRUE(g.requires_grad());
  const Variable h = ae::grad({ae::sum(g)}, {x})[0];
  EXPECT_EQ(h.value().to_vector(), (std::vector<float>{6, -12}));
  x.zero_grad();  // the gradient's graph holds x: drop it to break the cycle
}

TEST(AutogradDoubleBackward, JacobianPenaltyOfATanhLayer) {
  // h = tanh(w x) (one unit, one input): dh/dx = w s with s = sech²(wx) = 1 - h². The
  // contractive penalty P = (dh/dx)² has dP/dw = 2 (dh/dx) d(w s)/dw, and
  // d(w s)/dw = s + w ds/dw = s - 2 w x h s.
  const float wv = 0.7f, xv = 0.4f;
  Variable w(vec({wv}), true);
  Variable x(vec({xv}), true);
  const Variable h = ae::tanh(w * x);
  const Variable dhdx = ae::grad({h}, {x}, {}, true)[0];
  const Variable penalty = ae::square(dhdx);
  penalty.backward();
  const double t = std::tanh(static_cast<double>(wv) * xv);
  const double s = 1 - t * t;                  // sech²(wx)
  const double j = wv * s;                     // dh/dx
  const double dj_dw = s - 2 * wv * xv * t * s;  // d/dw [w sech²(wx)]
  EXPECT_NEAR(dhdx.item(), j, 1e-6);
  EXPECT_NEAR(w.grad().item(), 2 * j * dj_dw, 1e-5);
}

TEST(AutogradNoGrad, GuardTurnsRecordingOffAndRestoresIt) {
  Variable x(vec({1, 2}), true);
  EXPECT_TRUE(ae::grad_enabled());
  {
    ae::NoGradGuard guard;
    EXPECT_FALSE(ae::grad_enabled());
    const Variable y = x * 2.0f;
    EXPECT_FALSE(y.requires_grad());
    EXPECT_TRUE(y.is_leaf());
    EXPECT_EQ(y.value().to_vector(), (std::vector<float>{2, 4}));
    {
      ae::GradModeGuard on(true);
      EXPECT_TRUE((x * 2.0f).requires_grad());
      ae::NoGradGuard nested;
      EXPECT_FALSE(ae::grad_enabled());
    }
    EXPECT_FALSE(ae::grad_enabled());
  }
  EXPECT_TRUE(ae::grad_enabled());
  const Variable z = x * 2.0f;
  EXPECT_TRUE(z.requires_grad());
  EXPECT_FALSE(z.is_leaf());
  EXPECT_EQ(z.op(), "mul");
}

TEST(AutogradDetach, SharesTheValueAndStopsGradients) {
  Variable x(vec({3, 4}), true);
  const Variable d = x.detach();
  EXPECT_TRUE(d.is_leaf());
  EXPECT_FALSE(d.requires_grad());
  EXPECT_EQ(d.value().storage(), x.value().storage());
  // y = x · stop(x): dy/dx = stop(x), not 2x
  ae::sum(x * d).backward();
  EXPECT_EQ(grad_of(x), (std::vector<float>{3, 4}));
}

TEST(AutogradVariable, HandlesShareOneNode) {
  Variable x(vec({1}), true);
  Variable alias = x;
  ae::square(x * 5.0f).backward();
  EXPECT_EQ(grad_of(alias), std::vector<float>{50});
  alias.set_requires_grad(false);
  EXPECT_FALSE(x.requires_grad());
}

TEST(AutogradVariable, ErrorsNameWhatIsWrong) {
  EXPECT_THROW(Variable().value(), Error);
  EXPECT_THROW(Variable{Tensor{}}, Error);
  Variable x(vec({1}), true);
  const std::string m = message_of([&] {
    Variable y = x * 2.0f;
    y.set_requires_grad(false);
  });
  EXPECT_NE(m.find("mul"), std::string::npos) << m;
}

TEST(AutogradVariable, OpErrorsCarryTheOpAndBothShapes) {
  const Variable a(T::zeros({2, 3}), true), b(T::zeros({4}), true);
  std::string m = message_of([&] { a * b; });
  EXPECT_NE(m.find("mul"), std::string::npos) << m;
  EXPECT_NE(m.find("[2, 3]"), std::string::npos) << m;
  EXPECT_NE(m.find("[4]"), std::string::npos) << m;
  m = message_of([&] { ae::matmul(a, Variable(T::zeros({4, 2}))); });
  EXPECT_NE(m.find("matmul"), std::string::npos) << m;
  EXPECT_NE(m.find("[2, 3]"), std::string::npos) << m;
  EXPECT_NE(m.find("[4, 2]"), std::string::npos) << m;
  m = message_of([&] { ae::linear(a, Variable(T::zeros({5, 4}))); });
  EXPECT_NE(m.find("linear"), std::string::npos) << m;
  EXPECT_NE(m.find("[2, 3]"), std::string::npos) << m;
  EXPECT_NE(m.find("[5, 4]"), std::string::npos) << m;
  m = message_of([&] { ae::sum(a, {2}); });
  EXPECT_NE(m.find("sum"), std::string::npos) << m;
  EXPECT_NE(m.find("[2, 3]"), std::string::npos) << m;
}

TEST(AutogradVariable, OperatorsWithFloats) {
  const Variable x(vec({1, 2, 4}));
  EXPECT_EQ((1.0f - x).value().to_vector(), (std::vector<float>{0, -1, -3}));
  EXPECT_EQ((8.0f / x).value().to_vector(), (std::vector<float>{8, 4, 2}));
  EXPECT_EQ((x / 2.0f + 1.0f).value().to_vector(), (std::vector<float>{1.5f, 2, 3}));
  EXPECT_EQ((2.0f * x - x).value().to_vector(), (std::vector<float>{1, 2, 4}));
  EXPECT_EQ((-x).value().to_vector(), (std::vector<float>{-1, -2, -4}));
  EXPECT_EQ(ae::gt(x, Variable(vec({2, 2, 2}))).to_vector(), (std::vector<float>{0, 0, 1}));
}

// ---- a long chain: neither the search, the rules nor the destructors may recurse ----
//
// Each test runs on a thread with a 512 KiB stack: a recursion as deep as the chain would
// need more than that even at 8 bytes a level, so any recursive step overflows it and
// crashes the test.

constexpr int64_t kChain = 100000;

void on_small_stack(const std::function<void()>& f) {
  struct Job {
    const std::function<void()>* f;
    std::exception_ptr error;
  } job{&f, nullptr};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 512 * 1024);
  pthread_t thread;
  const int created = pthread_create(
      &thread, &attr,
      [](void* p) -> void* {
        auto* j = static_cast<Job*>(p);
        try {
          (*j->f)();
        } catch (...) {
          j->error = std::current_exception();
        }
        return nullptr;
      },
      &job);
  pthread_attr_destroy(&attr);
  ASSERT_EQ(created, 0);
  pthread_join(thread, nullptr);
  if (job.error) std::rethrow_exception(job.error);
}

TEST(AutogradLongChain, BackwardThroughAHundredThousandOps) {
  on_small_stack([] {
    Variable x(vec({1.0f, 2.0f}), true);
    Variable y = x;
    for (int64_t i = 0; i < kChain; ++i) y = y * 1.0f;
    ae::sum(y).backward();
    EXPECT_EQ(grad_of(x), (std::vector<float>{1, 1}));
  });
}

TEST(AutogradLongChain, DestroyingAChainThatWasNeverDifferentiated) {
  on_small_stack([] {
    Variable x(vec({1.0f}), true);
    {
      Variable y = x;
      for (int64_t i = 0; i < kChain; ++i) y = y + 1.0f;
      EXPECT_FLOAT_EQ(y.item(), 1.0f + static_cast<float>(kChain));
    }  // the chain is released here
    EXPECT_TRUE(x.is_leaf());
  });
}

TEST(AutogradLongChain, RetainedGraphAndSecondOrderGraphOfAChain) {
  on_small_stack([] {
    // create_graph keeps the chain and records its backward: another chain, in x.grad().
    Variable x(vec({0.5f}), true);
    Variable y = x;
    for (int64_t i = 0; i < kChain / 2; ++i) y = y * 1.0f;
    ae::square(y).backward({}, /*create_graph=*/true);
    EXPECT_FLOAT_EQ(x.grad().item(), 1.0f);  // 2x
    const Variable d2 = ae::grad({x.grad()}, {x})[0];
    EXPECT_FLOAT_EQ(d2.item(), 2.0f);
    x.zero_grad();
  });
}

}  // namespace
