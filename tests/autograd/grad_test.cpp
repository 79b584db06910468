// grad() without accumulation, and double backward (gradients of gradients), by hand.
#include <gtest/gtest.h>

#include <cmath>
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

}  // namespace
