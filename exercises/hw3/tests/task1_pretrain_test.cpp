// HW3 task 1: greedy pre-training. The codes fed upward are checked against codes computed
// here by hand and in double; a stage trained with full-batch steps is checked against the
// same steps written out in double on the codes computed here; the frozen layers must come
// back bit-identical. Equal widths let inputs fed in place of codes run, and be caught.
#include <cmath>

#include <gtest/gtest.h>

#include "exercises/hw3/tests/hw3_student.hpp"
#include "exercises/hw3/tests/hw3_testing.hpp"

namespace {

using namespace hw3_testing;
using ae::Tensor;

// Full-batch plain gradient descent: one step per epoch, so the order of rows plays no part.
ae::hw3::PretrainOptions full_batch(int steps, float lr, float momentum) {
  ae::hw3::PretrainOptions o;
  o.epochs = steps;
  o.batch_size = 1000;
  o.lr = lr;
  o.momentum = momentum;
  o.seed = 3;
  return o;
}

TEST(Task1Pretrain, LayerInputIsTheCodesOfTheLayersBelow) {
  // Layer 0 (2 -> 2): W = diag(ln 3, -ln 3), b = 0, so its codes are σ(±ln 3) = 3/4, 1/4
  // and σ(0) = 1/2. Layer 1 (2 -> 2): W = [[ln 3, ln 3], [0, 0]], b = (-ln 3, 0).
  const double l3 = std::log(3.0);
  Layer first{{{l3, 0}, {0, -l3}}, {0, 0}, {{1, 0}, {0, 1}}, {0, 0}};
  Layer second{{{l3, l3}, {0, 0}}, {-l3, 0}, {{1, 0}, {0, 1}}, {0, 0}};
  const Matrix X = {{1, 0}, {0, 1}, {1, 1}};
  const ae::hw3::Stack stack = to_stack({first, second});
  EXPECT_LT(max_abs_diff(hw3_student::layer_input(stack, 0, to_tensor(X)), X), 1e-7) << "layer 0 is fed X itself";
  // h1 rows: (3/4, 1/2), (1/2, 1/4), (3/4, 1/4).
  const Matrix h1 = {{0.75, 0.5}, {0.5, 0.25}, {0.75, 0.25}};
  EXPECT_LT(max_abs_diff(hw3_student::layer_input(stack, 1, to_tensor(X)), h1), 1e-6)
      << "layer 1 is fed the codes of layer 0";
  // One more layer on top: layer 2 is fed σ(h1 W1ᵀ + b1), computed here in double.
  const ae::hw3::Stack three = to_stack({first, second, first});
  EXPECT_LT(max_abs_diff(hw3_student::layer_input(three, 2, to_tensor(X)), encode(second, h1)), 1e-6)
      << "layer 2 is fed the codes of layer 1, computed from those of layer 0";
}

TEST(Task1Pretrain, FrozenLayersAreBitIdenticalAfterTheNextStage) {
  ae::Generator gen(11);
  const std::vector<Layer> layers = {random_layer(6, 5, gen), random_layer(5, 4, gen), random_layer(4, 3, gen)};
  const Matrix X = uniform(12, 6, 0, 1, gen);
  const ae::hw3::Stack before = to_stack(layers);
  ae::hw3::Stack stack = to_stack(layers);
  ae::hw3::PretrainOptions options;
  options.epochs = 2;
  options.batch_size = 4;
  options.lr = 0.5f;
  options.momentum = 0.9f;
  hw3_student::pretrain_layer(stack, 1, to_tensor(X), options);
  ASSERT_EQ(stack.size(), 3u);
  EXPECT_TRUE(bit_identical(stack[0], before[0])) << "layer 0 is frozen: stage 1 must not change it";
  EXPECT_TRUE(bit_identical(stack[2], before[2])) << "layer 2 is not trained in stage 1";
  EXPECT_FALSE(bit_identical(stack[1], before[1])) << "stage 1 must train layer 1";
}

TEST(Task1Pretrain, StageTrainsOnTheCodesOfTheLayersBelow) {
  ae::Generator gen(12);
  std::vector<Layer> layers = {random_layer(5, 5, gen), random_layer(5, 5, gen)};
  const Matrix X = uniform(8, 5, 0, 1, gen);
  ae::hw3::Stack stack = to_stack(layers);
  const std::vector<double> losses = hw3_student::pretrain_layer(stack, 1, to_tensor(X), full_batch(3, 0.5f, 0.0f));
  // The reference: three gradient steps of layer 1 on layer 0's codes.
  const std::vector<double> expected = train_full_batch(layers[1], encode(layers[0], X), 3, 0.5, 0.0);
  ASSERT_EQ(stack.size(), 2u);
  ASSERT_EQ(losses.size(), 3u) << "one mean loss per epoch";
  for (size_t s = 0; s < 3; ++s) EXPECT_NEAR(losses[s], expected[s], 1e-4 * expected[s] + 1e-6) << "epoch " << s;
  EXPECT_LT(layer_diff(stack[1], layers[1]), 1e-4) << "layer 1 after three steps on the codes of layer 0";
}

TEST(Task1Pretrain, GreedyLoopTrainsEachLayerOnTheCodesOfTheTrainedLayersBelow) {
  ae::Generator gen(13);
  std::vector<Layer> layers = {random_layer(4, 4, gen), random_layer(4, 4, gen), random_layer(4, 3, gen)};
  const Matrix X = uniform(10, 4, 0, 1, gen);
  ae::hw3::Stack stack = to_stack(layers);
  const std::vector<std::vector<double>> losses =
      hw3_student::greedy_pretrain(stack, to_tensor(X), full_batch(2, 0.8f, 0.5f));
  // Bottom up: each layer trained on the codes of the layers below as they are after training.
  Matrix H = X;
  std::vector<std::vector<double>> expected;
  for (Layer& l : layers) {
    expected.push_back(train_full_batch(l, H, 2, 0.8, 0.5));
    H = encode(l, H);
  }
  ASSERT_EQ(stack.size(), 3u);
  ASSERT_EQ(losses.size(), 3u) << "one list of epoch losses per layer";
  for (size_t l = 0; l < 3; ++l) {
    EXPECT_LT(layer_diff(stack[l], layers[l]), 1e-4) << "layer " << l;
    ASSERT_EQ(losses[l].size(), 2u);
    EXPECT_NEAR(losses[l][0], expected[l][0], 1e-4 * expected[l][0] + 1e-6) << "layer " << l;
  }
}

}  // namespace
