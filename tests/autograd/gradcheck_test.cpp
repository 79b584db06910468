// The checker itself: it must pass correct rules and flag wrong ones — a backward off by a
// factor 1.05, one with a flipped sign, one that forgets to reduce a broadcast axis, and a
// rule written with constants that is right once but wrong when differentiated again.
// The broken ops are custom ops, defined through record() as a user would.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "autograd/gradcheck.hpp"
#include "autograd/ops.hpp"
#include "autograd/record.hpp"

namespace {

using ae::Backward;
using ae::Generator;
using ae::Grads;
using ae::Tensor;
using ae::Variable;
namespace T = ae::tensor;
using Args = std::vector<Variable>;

Tensor uniform(const ae::Shape& shape, uint64_t seed) {
  Generator gen(seed);
  return T::rand(shape, gen, -1.0f, 1.0f);
}

// y = 3x with the derivative 3 * `factor`.
Variable triple(const Variable& x, float factor) {
  return ae::record("triple", x.value() * 3.0f, {x},
                    [factor](const Backward& ctx) { return Grads{ctx.grad * (3.0f * factor)}; });
}

// y = sigmoid(x) with the sign of the derivative flipped.
Variable sigmoid_flipped(const Variable& x) {
  return ae::record("sigmoid_flipped", T::sigmoid(x.value()), {x}, [](const Backward& ctx) {
    return Grads{-(ctx.grad * ctx.out * (1.0f - ctx.out))};
  });
}

// y = x + b with b broadcast over the rows of x; the rule for b hands back g unreduced.
Variable add_row_unreduced(const Variable& x, const Variable& b) {
  return ae::record("add_row_unreduced", x.value() + b.value(), {x, b},
                    [](const Backward& ctx) { return Grads{ctx.grad, ctx.grad}; });
}

// The same bug with the shape made to fit: b gets the first row of g, not the sum of rows.
Variable add_row_first_only(const Variable& x, const Variable& b) {
  return ae::record("add_row_first_only", x.value() + b.value(), {x, b},
                    [](const Backward& ctx) {
                      return Grads{ctx.grad, ae::reshape(ae::slice(ctx.grad, 0, 0, 1), {-1})};
                    });
}

// y = x³ with dy/dx = 3x² computed from the raw tensor: correct, but a constant to the
// graph, so its own derivative (6x) is lost.
Variable cube_first_order_only(const Variable& x) {
  return ae::record("cube_first_order_only", T::pow(x.value(), 3.0f), {x},
                    [](const Backward& ctx) {
                      const Tensor slope = T::pow(ctx.input(0).value(), 2.0f) * 3.0f;
                      return Grads{ctx.grad * slope};
                    });
}

// y = 3x with the rule computed on raw tensors: right values, but the gradient it returns
// is a constant that no longer depends on the incoming gradient g in a recorded graph.
Variable triple_on_raw_tensors(const Variable& x) {
  return ae::record("triple_on_raw_tensors", x.value() * 3.0f, {x}, [](const Backward& ctx) {
    return Grads{Variable(ctx.grad.value() * 3.0f)};
  });
}

// y = x³ written properly.
Variable cube(const Variable& x) {
  return ae::record("cube", T::pow(x.value(), 3.0f), {x}, [](const Backward& ctx) {
    return Grads{ctx.grad * ae::square(ctx.input(0)) * 3.0f};
  });
}

TEST(AutogradGradcheck, PassesCorrectRules) {
  const auto f = [](const Args& x) { return cube(x[0]) * x[1]; };
  const std::vector<Tensor> inputs{uniform({3, 4}, 1), uniform({4}, 2)};
  const ae::GradcheckResult first = ae::gradcheck(f, inputs);
  EXPECT_TRUE(first.ok) << first.message;
  EXPECT_TRUE(first.message.empty());
  EXPECT_EQ(first.mismatches, 0);
  const ae::GradcheckResult second = ae::gradgradcheck(f, inputs);
  EXPECT_TRUE(second.ok) << second.message;
}

TEST(AutogradGradcheck, FlagsAFactorOf1_05) {
  const Tensor x = uniform({2, 3}, 3);
  const ae::GradcheckResult r =
      ae::gradcheck([](const Args& v) { return triple(v[0], 1.05f); }, {x});
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.input, 0);
  EXPECT_GE(r.element, 0);
  EXPECT_LT(r.element, 6);
  // y is linear, so the finite difference is exact up to rounding: 3 v_k against 3.15 v_k.
  EXPECT_NEAR(r.autograd / r.numeric, 1.05, 1e-3);
  EXPECT_GE(std::fabs(r.numeric), 3.0 * 0.5 - 1e-3);  // |v_k| >= 0.5
  EXPECT_EQ(r.mismatches, 6);
  EXPECT_NE(r.message.find("input 0"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("element " + std::to_string(r.element)), std::string::npos);
  EXPECT_NE(r.message.find("autograd"), std::string::npos);
  EXPECT_NE(r.message.find("finite differences"), std::string::npos);
  // The same op with the right factor passes: the check is sensitive, not broken.
  EXPECT_TRUE(ae::gradcheck([](const Args& v) { return triple(v[0], 1.0f); }, {x}).ok);
}

TEST(AutogradGradcheck, FlagsAFlippedSign) {
  const Tensor a = uniform({3}, 4), x = uniform({2, 3}, 5);
  // The broken op is the second input's only path: input 1 is the one reported.
  const ae::GradcheckResult r = ae::gradcheck(
      [](const Args& v) { return v[0] * 2.0f + sigmoid_flipped(v[1]); }, {a, x});
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.input, 1);
  EXPECT_NEAR(r.autograd, -r.numeric, 1e-3);
  EXPECT_EQ(r.mismatches, 6);
  EXPECT_NE(r.message.find("input 1"), std::string::npos) << r.message;
}

TEST(AutogradGradcheck, FlagsAnUnreducedBroadcastGradient) {
  const Tensor x = uniform({4, 3}, 6), b = uniform({3}, 7);
  const ae::GradcheckResult r =
      ae::gradcheck([](const Args& v) { return add_row_unreduced(v[0], v[1]); }, {x, b});
  ASSERT_FALSE(r.ok);
  // The engine refuses a gradient whose shape is not the input's, naming the op and shapes.
  EXPECT_NE(r.message.find("add_row_unreduced"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("[4, 3]"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("[3]"), std::string::npos) << r.message;
}

TEST(AutogradGradcheck, FlagsABroadcastGradientTakenFromOneRowOnly) {
  const Tensor x = uniform({4, 3}, 8), b = uniform({3}, 9);
  const ae::GradcheckResult r =
      ae::gradcheck([](const Args& v) { return add_row_first_only(v[0], v[1]); }, {x, b});
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.input, 1);
  EXPECT_EQ(r.mismatches, 3);
  EXPECT_NE(r.message.find("input 1 of shape [3]"), std::string::npos) << r.message;
}

TEST(AutogradGradcheck, SecondOrderFlagsARuleThatIsConstantToTheGraph) {
  const Tensor x = uniform({2, 3}, 10);
  const auto f = [](const Args& v) { return cube_first_order_only(v[0]); };
  const ae::GradcheckResult first = ae::gradcheck(f, {x});
  EXPECT_TRUE(first.ok) << first.message;
  const ae::GradcheckResult second = ae::gradgradcheck(f, {x});
  ASSERT_FALSE(second.ok);
  EXPECT_EQ(second.input, 0);
  // The lost term is 6 x u v: autograd says 0 where the difference quotient does not.
  EXPECT_EQ(second.autograd, 0.0);
  EXPECT_NE(second.message.find("gradgradcheck"), std::string::npos) << second.message;
}

TEST(AutogradGradcheck, SecondOrderFlagsARuleThatDetachesTheIncomingGradient) {
  const Tensor x = uniform({3}, 11);
  const auto f = [](const Args& v) { return triple_on_raw_tensors(v[0]); };
  EXPECT_TRUE(ae::gradcheck(f, {x}).ok);
  const ae::GradcheckResult r = ae::gradgradcheck(f, {x});
  ASSERT_FALSE(r.ok);
  // y is linear in x, so what is lost is the gradient's dependence on v.
  EXPECT_EQ(r.input, 1);
  EXPECT_EQ(r.autograd, 0.0);
  EXPECT_NE(r.message.find("incoming gradient"), std::string::npos) << r.message;
}

TEST(AutogradGradcheck, SecondOrderTrustsTheFirstOrderRule) {
  // gradgradcheck differentiates the first-order rule as it is, so a rule that is wrong but
  // consistently recorded passes it: the first-order check is gradcheck's job.
  const Tensor x = uniform({3}, 14);
  const auto f = [](const Args& v) { return triple(v[0], 1.05f); };
  EXPECT_FALSE(ae::gradcheck(f, {x}).ok);
  EXPECT_TRUE(ae::gradgradcheck(f, {x}).ok);
}

TEST(AutogradGradcheck, ReportsAnErrorFromTheFunction) {
  const ae::GradcheckResult r = ae::gradcheck(
      [](const Args& v) { return v[0] * v[1]; }, {uniform({2, 3}, 12), uniform({4}, 13)});
  ASSERT_FALSE(r.ok);
  EXPECT_NE(r.message.find("mul"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("[2, 3]"), std::string::npos) << r.message;
}

TEST(AutogradGradcheck, AConstantOutputHasZeroGradient) {
  // sign has zero derivative where it is defined: nothing to disagree about.
  const ae::GradcheckResult r =
      ae::gradcheck([](const Args& v) { return ae::sign(v[0]); },
                    {T::from_vector({-0.7f, 0.4f, 0.9f}, {3})});
  EXPECT_TRUE(r.ok) << r.message;
}

}  // namespace
