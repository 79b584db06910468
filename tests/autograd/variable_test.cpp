// Variable handles, NoGradGuard, detach, operators with floats, and the errors ops raise.
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

}  // namespace
