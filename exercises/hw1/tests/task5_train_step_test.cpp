// HW1 task 5: Adam's update and one training step. The expected updates are Adam's
// formulas evaluated here in double; the gradients come from this process's autograd
// engine on losses written in this file. The student's update runs in the student runner.
#include <cmath>

#include <gtest/gtest.h>

#include "autograd/ops.hpp"
#include "exercises/hw1/tests/hw1_student.hpp"
#include "exercises/hw1/tests/hw1_testing.hpp"

namespace {

using namespace hw1_testing;
using ae::Tensor;
using ae::Variable;

TEST(Task5TrainStep, AdamUpdateByHand) {
  Tensor p = to_tensor(std::vector<double>{1, -2, 3});
  ae::hw1::Adam adam;
  adam.options.lr = 0.1f;
  const std::vector<double> g1 = {0.5, -0.25, 0}, g2 = {1, 1, 1};

  // Step 1: m = (1 - β1) g, v = (1 - β2) g², so m̂ = g, v̂ = g², and θ moves by
  // -lr g / (|g| + ε): -lr sign(g), and not at all where g = 0.
  p = hw1_student::adam_update({p}, {to_tensor(g1)}, adam)[0];
  EXPECT_EQ(adam.step, 1);
  EXPECT_LT(max_abs_diff(p, std::vector<double>{0.9, -1.9, 3}), 1e-6);

  // Step 2 from the formulas, in double, continuing from the state the student returned.
  p = hw1_student::adam_update({p}, {to_tensor(g2)}, adam)[0];
  EXPECT_EQ(adam.step, 2);
  std::vector<double> expected = {0.9, -1.9, 3};
  for (size_t i = 0; i < 3; ++i) {
    const double m = 0.9 * (0.1 * g1[i]) + 0.1 * g2[i];
    const double v = 0.999 * (0.001 * g1[i] * g1[i]) + 0.001 * g2[i] * g2[i];
    const double m_hat = m / (1 - 0.9 * 0.9), v_hat = v / (1 - 0.999 * 0.999);
    expected[i] -= 0.1 * m_hat / (std::sqrt(v_hat) + 1e-8);
  }
  EXPECT_LT(max_abs_diff(p, expected), 1e-5);
}

TEST(Task5TrainStep, OneStepOfTheTinyAutoencoder) {
  // The gradient of the loss, from this file's own forward pass and the engine.
  const ae::hw1::Autoencoder reference = tiny_autoencoder();
  const Variable X(to_tensor(tiny_batch()));
  const Variable H = ae::sigmoid(ae::linear(X, reference.W, reference.b));
  const Variable X_hat = ae::sigmoid(ae::linear(H, reference.W_star, reference.c));
  const Variable loss = ae::sum(ae::square(X_hat - X)) / 2.0f;
  loss.backward();

  ae::hw1::Autoencoder model = tiny_autoencoder();
  ae::hw1::Adam adam;
  adam.options.lr = 0.1f;
  const double returned = hw1_student::train_steps(model, {to_tensor(tiny_batch())}, adam)[0];
  EXPECT_NEAR(returned, loss.item(), 1e-6) << "train_step returns the loss before the update";
  // By hand (tiny_reconstructions()): image 1 gives 1/16 + 9/16 + 1/16 = 11/16, image 2
  // (3/4)² + x̂_22² + (1/28)²; the loss is their mean.
  EXPECT_NEAR(returned, (11.0 / 16.0 + 0.5625 + std::pow(tiny_reconstructions()[1][1], 2) +
                         std::pow(1.0 / 28.0, 2)) / 2.0, 1e-6);

  // The gradients themselves, not only their signs (a first Adam step is -lr sign(g), which
  // a gradient of the wrong size also gives): after one step Adam's moments are
  // m = (1 - β1) g and v = (1 - β2) g².
  ASSERT_EQ(adam.step, 1);
  ASSERT_EQ(adam.m.size(), 4u);
  ASSERT_EQ(adam.v.size(), 4u);
  {
    const std::vector<Variable> params = reference.parameters();
    const char* which[] = {"W", "b", "W_star", "c"};
    for (size_t i = 0; i < params.size(); ++i) {
      const std::vector<float> g = params[i].grad().value().contiguous().to_vector();
      const std::vector<float> m = adam.m[i].contiguous().to_vector();
      const std::vector<float> v = adam.v[i].contiguous().to_vector();
      ASSERT_EQ(m.size(), g.size()) << which[i];
      ASSERT_EQ(v.size(), g.size()) << which[i];
      for (size_t j = 0; j < g.size(); ++j) {
        EXPECT_NEAR(m[j] / 0.1, g[j], 1e-5 + 1e-4 * std::abs(g[j]))
            << which[i] << " element " << j << ": the gradient train_step used";
        EXPECT_NEAR(v[j] / 0.001, double{g[j]} * g[j], 1e-8 + 1e-4 * g[j] * g[j])
            << which[i] << " element " << j;
      }
    }
  }

  // A first Adam step moves every parameter by -lr g / (|g| + ε).
  const std::vector<Variable> before = reference.parameters(), after = model.parameters();
  const char* names[] = {"W", "b", "W_star", "c"};
  for (size_t i = 0; i < before.size(); ++i) {
    const std::vector<float> g = before[i].grad().value().contiguous().to_vector();
    const std::vector<float> start = before[i].value().contiguous().to_vector();
    const std::vector<float> end = after[i].value().contiguous().to_vector();
    ASSERT_EQ(end.size(), g.size());
    for (size_t j = 0; j < g.size(); ++j)
      EXPECT_NEAR(end[j], start[j] - 0.1 * g[j] / (std::abs(g[j]) + 1e-8), 1e-5)
          << names[i] << " element " << j << " (gradient " << g[j] << ")";
  }
}

}  // namespace
