// HW1 tasks 4–5, hidden suite: random autoencoders and batches (from the grader's per-run
// hidden_seed, which the student runner never sees), checked against the
// double-precision forward pass, hand-written back-propagation and Adam of
// reference_autoencoder.hpp.
#include <cmath>

#include <gtest/gtest.h>

#include "autograd/ops.hpp"
#include "exercises/hw1/hidden_tests/reference_autoencoder.hpp"
#include "exercises/hw1/tests/hw1_student.hpp"
#include "exercises/hw1/tests/hw1_testing.hpp"

namespace {

using namespace hw1_testing;
using ae::Tensor;
using ae::Variable;
using hw1_student::hidden_seed;

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
  const Case c = random_case(20, 5, 7, hidden_seed(404));
  const hw1_student::Forward out = hw1_student::ae_forward(to_model(c.reference), to_tensor(c.X));
  const hw1_reference::Forward expected = hw1_reference::forward(c.reference, c.X);
  ASSERT_TRUE(out.code.defined() && out.reconstruction.defined());
  EXPECT_LT(max_abs_diff(out.code, expected.H), 1e-5);
  EXPECT_LT(max_abs_diff(out.reconstruction, expected.Y), 1e-5);
}

TEST(Task4Hidden, LossGradientsReachEveryParameter) {
  const Case c = random_case(16, 4, 5, hidden_seed(405));
  const hw1_student::LossGradients got = hw1_student::loss_gradients(to_model(c.reference), to_tensor(c.X));
  EXPECT_NEAR(got.loss, hw1_reference::forward(c.reference, c.X).loss, 1e-5);
  const auto expected = hw1_reference::gradients(c.reference, c.X);
  const char* names[] = {"W", "b", "W_star", "c"};
  for (size_t i = 0; i < 4; ++i) {
    ASSERT_TRUE(got.grads[i].defined()) << names[i] << " got no gradient: build the forward "
                                        << "pass from autograd ops";
    EXPECT_LT(max_diff(got.grads[i], expected[i]), 1e-5) << "gradient of " << names[i];
  }
}

// ---- task 5

TEST(Task5Hidden, TwoTrainingStepsMatchDoubleReference) {
  const size_t d = 12, k = 4;
  const Case c = random_case(d, k, 6, hidden_seed(506));
  const Case second = random_case(d, k, 9, hidden_seed(507));  // its X is the second batch
  ae::hw1::Autoencoder model = to_model(c.reference);
  ae::hw1::Adam adam;
  adam.options.lr = 0.01f;

  hw1_reference::Adam reference_adam;
  reference_adam.lr = 0.01;
  std::vector<std::vector<double>> params = hw1_reference::flatten(c.reference);
  // Both steps in one runner call, on one model: what the first step leaves behind (its
  // gradients, say) reaches the second, as in a training loop.
  const std::vector<double> losses = hw1_student::train_steps(model, {to_tensor(c.X), to_tensor(second.X)}, adam);
  for (const Matrix* batch : {&c.X, &second.X}) {
    const hw1_reference::Autoencoder now = hw1_reference::unflatten(params, d, k);
    const double expected_loss = hw1_reference::forward(now, *batch).loss;
    hw1_reference::adam_step(params, hw1_reference::gradients(now, *batch), reference_adam);
    EXPECT_NEAR(losses[batch == &c.X ? 0 : 1], expected_loss, 1e-5) << "the loss before the step";
  }
  // A second step that also applied the first step's gradients (no zero_grad) ends elsewhere.
  EXPECT_EQ(adam.step, 2);
  const std::vector<Variable> got = model.parameters();
  const char* names[] = {"W", "b", "W_star", "c"};
  for (size_t i = 0; i < 4; ++i)
    EXPECT_LT(max_diff(got[i].value(), params[i]), 2e-5) << names[i] << " after two steps";
}

}  // namespace
