// Module and Sequential: dotted parameter names, shared parameter handles, train / eval
// propagation, zero_grad, error messages; Linear against x W^T + b worked by hand.
#include "nn/module.hpp"

#include <gtest/gtest.h>

#include <string>

#include "autograd/ops.hpp"
#include "nn/layers.hpp"
#include "tensor/ops.hpp"

using ae::Error;
using ae::Generator;
using ae::Shape;
using ae::Tensor;
using ae::Variable;
using namespace ae::nn;
namespace T = ae::tensor;

namespace {

// A module with its own parameter and a submodule, to test the naming rules.
class Block : public Module {
 public:
  explicit Block(Generator& gen) {
    scale = register_parameter("scale", T::ones({3}));
    inner = register_module("inner", std::make_shared<Linear>(3, 2, gen));
  }
  Variable forward(const Variable& x) override { return (*inner)(x * scale); }
  Variable scale;
  std::shared_ptr<Linear> inner;

  void add_param(const std::string& name) { register_parameter(name, T::zeros({1})); }
};

std::vector<std::string> names_of(const Module& m) {
  std::vector<std::string> out;
  for (const auto& [name, p] : m.named_parameters()) out.push_back(name);
  return out;
}

}  // namespace

TEST(NnModule, DottedNamesInRegistrationOrder) {
  Generator gen(1);
  Sequential net;
  net.add(std::make_shared<Linear>(4, 3, gen));
  net.add(std::make_shared<ReLU>());
  net.add(std::make_shared<Block>(gen));
  EXPECT_EQ(names_of(net), (std::vector<std::string>{"0.weight", "0.bias", "2.scale",
                                                     "2.inner.weight", "2.inner.bias"}));
  // 4*3 + 3 + 3 + 3*2 + 2
  EXPECT_EQ(net.num_parameters(), 26);
  EXPECT_EQ(net.parameters().size(), 5u);
  for (const auto& p : net.parameters()) EXPECT_TRUE(p.requires_grad());
}

TEST(NnModule, ParametersShareValuesWithTheModule) {
  Generator gen(2);
  Linear lin(2, 2, gen);
  auto params = lin.parameters();
  params[0].value().fill_(7.0f);
  EXPECT_EQ(lin.weight.value().to_vector(), (std::vector<float>{7, 7, 7, 7}));
}

TEST(NnModule, TrainAndEvalReachEverySubmodule) {
  Generator gen(3);
  Sequential net;
  auto block = std::make_shared<Block>(gen);
  net.add(block);
  EXPECT_TRUE(net.is_training());
  net.eval();
  EXPECT_FALSE(net.is_training());
  EXPECT_FALSE(block->is_training());
  EXPECT_FALSE(block->inner->is_training());
  net.train();
  EXPECT_TRUE(block->inner->is_training());
  // A module added to a model in eval mode takes on that mode.
  net.eval();
  auto relu = std::make_shared<ReLU>();
  net.add(relu);
  EXPECT_FALSE(relu->is_training());
}

TEST(NnModule, ZeroGradClearsEveryGradient) {
  Generator gen(4);
  Block block(gen);
  Variable x(T::ones({5, 3}));
  ae::sum(block(x)).backward();
  for (const auto& p : block.parameters()) EXPECT_TRUE(p.grad().defined());
  block.zero_grad();
  for (const auto& p : block.parameters()) EXPECT_FALSE(p.grad().defined());
}

TEST(NnModule, BadOrDuplicateNamesAreErrors) {
  Generator gen(5);
  Block block(gen);
  EXPECT_THROW(block.add_param("scale"), Error);
  EXPECT_THROW(block.add_param("inner"), Error);
  EXPECT_THROW(block.add_param("a.b"), Error);
  EXPECT_THROW(block.add_param(""), Error);
}

TEST(NnModule, BaseForwardThrows) {
  class NoForward : public Module {};
  NoForward m;
  EXPECT_THROW(m.forward(Variable(T::ones({1}))), Error);
}

TEST(NnSequential, IndexingAndTypedAccess) {
  Generator gen(6);
  Sequential net({std::make_shared<Linear>(3, 4, gen), std::make_shared<Sigmoid>()});
  EXPECT_EQ(net.size(), 2);
  EXPECT_EQ(net.at<Linear>(0).out_features(), 4);
  EXPECT_EQ(net[-1].describe(), "Sigmoid");
  EXPECT_THROW(net[2], Error);
  EXPECT_THROW(net.at<Linear>(1), Error);
  const std::string s = net.summary();
  EXPECT_NE(s.find("Linear(3 -> 4)"), std::string::npos) << s;
  EXPECT_NE(s.find("total: 16 parameters"), std::string::npos) << s;
}

TEST(NnSequential, AppliesModulesInOrder) {
  Generator gen(7);
  Sequential net({std::make_shared<Linear>(2, 2, gen), std::make_shared<ReLU>()});
  auto& lin = net.at<Linear>(0);
  // W = [[1, -1], [2, 0]], b = [0.5, -10]: x = [3, 1] gives [2.5, -4] before ReLU.
  lin.weight.value().copy_(T::from_vector({1, -1, 2, 0}, {2, 2}));
  lin.bias.value().copy_(T::from_vector({0.5f, -10}, {2}));
  const Variable y = net(Variable(T::from_vector({3, 1}, {1, 2})));
  EXPECT_EQ(y.value().to_vector(), (std::vector<float>{2.5f, 0.0f}));
}

TEST(NnLinear, ForwardIsXWTransposedPlusBias) {
  Generator gen(8);
  Linear lin(3, 2, gen);
  EXPECT_EQ(lin.weight.shape(), (Shape{2, 3}));
  EXPECT_EQ(lin.bias.shape(), (Shape{2}));
  lin.weight.value().copy_(T::from_vector({1, 2, 3, 4, 5, 6}, {2, 3}));
  lin.bias.value().copy_(T::from_vector({10, 20}, {2}));
  // rows [1, 0, -1] and [2, 1, 0]:
  //   [1*1 + 0*2 - 1*3 + 10, 1*4 + 0*5 - 1*6 + 20] = [8, 18]
  //   [2*1 + 1*2 + 0*3 + 10, 2*4 + 1*5 + 0*6 + 20] = [14, 33]
  const Variable y = lin(Variable(T::from_vector({1, 0, -1, 2, 1, 0}, {2, 3})));
  EXPECT_EQ(y.value().to_vector(), (std::vector<float>{8, 18, 14, 33}));
}

TEST(NnLinear, GradientsByHand) {
  Generator gen(9);
  Linear lin(2, 3, gen);
  // L = sum(x W^T + b): dL/dW[o][i] = sum over rows of x[r][i]; dL/db[o] = rows.
  const Variable x(T::from_vector({1, 2, 3, 4}, {2, 2}));
  ae::sum(lin(x)).backward();
  EXPECT_EQ(lin.weight.grad().value().to_vector(), (std::vector<float>{4, 6, 4, 6, 4, 6}));
  EXPECT_EQ(lin.bias.grad().value().to_vector(), (std::vector<float>{2, 2, 2}));
}

TEST(NnLinear, WithoutBias) {
  Generator gen(10);
  Linear lin(2, 2, gen, Init::XavierUniform, /*bias=*/false);
  EXPECT_FALSE(lin.bias.defined());
  EXPECT_EQ(lin.parameters().size(), 1u);
  lin.weight.value().copy_(T::from_vector({1, 0, 0, 1}, {2, 2}));
  EXPECT_EQ(lin(Variable(T::from_vector({5, 6}, {1, 2}))).value().to_vector(),
            (std::vector<float>{5, 6}));
}

TEST(NnLinear, ShapeErrorsNameTheShapes) {
  Generator gen(11);
  Linear lin(3, 2, gen);
  try {
    lin(Variable(T::ones({4, 5})));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("[4, 5]"), std::string::npos) << e.what();
  }
  EXPECT_THROW(Linear(0, 3, gen), Error);
}
