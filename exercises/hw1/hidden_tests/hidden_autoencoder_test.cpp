// HW1 tasks 4–5, hidden suite: random autoencoders and batches, checked against the
// double-precision forward pass, hand-written back-propagation and Adam of
// reference_autoencoder.hpp.
#include <cmath>

#include <gtest/gtest.h>

#include "autograd/ops.hpp"
#include "exercises/hw1/hidden_tests/reference_autoencoder.hpp"
#include "exercises/hw1/hw1.hpp"
#include "exercises/hw1/tests/hw1_testing.hpp"

namespace {

using namespace hw1_testing;
using ae::Tensor;
using ae::Variable;

// Random parameters of a d-k-d autoencoder; pixels in [0, 1].
struct Case {
  hw1_reference::Autoencoder reference;
  Matrix X;
};

Case random_case(size_t d, size_t k, size_t n, uint64_t seed) {
  ae::Generator gen(seed);
  auto uniform = [&](size_t rows, size_t cols, double scale) {
    Matrix m = zeros(rows, cols);
    for (auto& row : m)
      for (double& x : row) x = scale * (2 * gen.uniform() - 1);
    return m;
  };
  Case c{{uniform(k, d, 0.8), uniform(1, k, 0.5)[0], uniform(d, k, 0.8), uniform(1, d, 0.5)[0]},
         uniform(n, d, 0.5)};
  for (auto& row : c.X)
    for (double& x : row) x += 0.5;
  return c;
}

ae::hw1::Autoencoder to_model(const hw1_reference::Autoencoder& r) {
  return {Variable(to_tensor(r.W), true), Variable(to_tensor(r.b), true),
          Variable(to_tensor(r.W_star), true), Variable(to_tensor(r.c), true)};
}

double max_diff(const Tensor& t, const std::vector<double>& flat) {
  return max_abs_diff(t.contiguous().reshape({t.numel()}), flat);
}

// ---- task 4

TEST(Task4Hidden, ForwardMatchesDoubleReference) {
  const Case c = random_case(20, 5, 7, 404);
  const ae::hw1::AeOutput out = ae::hw1::ae_forward(to_model(c.reference), Variable(to_tensor(c.X)));
  const hw1_reference::Forward expected = hw1_reference::forward(c.reference, c.X);
  EXPECT_LT(max_abs_diff(out.code.value(), expected.H), 1e-5);
  EXPECT_LT(max_abs_diff(out.reconstruction.value(), expected.Y), 1e-5);
}

TEST(Task4Hidden, LossGradientsReachEveryParameter) {
  const Case c = random_case(16, 4, 5, 405);
  const ae::hw1::Autoencoder model = to_model(c.reference);
  const Variable X(to_tensor(c.X));
  const Variable loss = ae::hw1::squared_loss(ae::hw1::ae_forward(model, X).reconstruction, X);
  EXPECT_NEAR(loss.item(), hw1_reference::forward(c.reference, c.X).loss, 1e-5);
  loss.backward();
  const auto expected = hw1_reference::gradients(c.reference, c.X);
  const std::vector<Variable> params = model.parameters();
  const char* names[] = {"W", "b", "W_star", "c"};
  for (size_t i = 0; i < 4; ++i) {
    ASSERT_TRUE(params[i].grad().defined()) << names[i] << " got no gradient: build the forward "
                                            << "pass from autograd ops";
    EXPECT_LT(max_diff(params[i].grad().value(), expected[i]), 1e-5) << "gradient of " << names[i];
  }
}

// ---- task 5

TEST(Task5Hidden, TwoTrainingStepsMatchDoubleReference) {
  const size_t d = 12, k = 4;
  const Case c = random_case(d, k, 6, 506);
  const Case second = random_case(d, k, 9, 507);  // its X is the second batch
  ae::hw1::Autoencoder model = to_model(c.reference);
  ae::hw1::Adam adam;
  adam.options.lr = 0.01f;

  hw1_reference::Adam reference_adam;
  reference_adam.lr = 0.01;
  std::vector<std::vector<double>> params = hw1_reference::flatten(c.reference);
  for (const Matrix* batch : {&c.X, &second.X}) {
    const hw1_reference::Autoencoder now = hw1_reference::unflatten(params, d, k);
    const double expected_loss = hw1_reference::forward(now, *batch).loss;
    hw1_reference::adam_step(params, hw1_reference::gradients(now, *batch), reference_adam);
    const float loss = ae::hw1::train_step(model, to_tensor(*batch), adam);
    EXPECT_NEAR(loss, expected_loss, 1e-5) << "the loss before the step";
  }
  // A second step that also applied the first step's gradients (no zero_grad) ends elsewhere.
  EXPECT_EQ(adam.step, 2);
  const std::vector<Variable> got = model.parameters();
  const char* names[] = {"W", "b", "W_star", "c"};
  for (size_t i = 0; i < 4; ++i)
    EXPECT_LT(max_diff(got[i].value(), params[i]), 2e-5) << names[i] << " after two steps";
}

}  // namespace
