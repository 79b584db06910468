// HW1 task 4: the forward pass of the one-hidden-layer sigmoid autoencoder and its squared
// loss, on weights chosen so that every value is known by hand (hw1_testing.hpp). The
// student's code runs in the student runner; its gradients come back as tensors.
#include <gtest/gtest.h>

#include "exercises/hw1/tests/hw1_student.hpp"
#include "exercises/hw1/tests/hw1_testing.hpp"

namespace {

using namespace hw1_testing;
using ae::Tensor;

TEST(Task4Forward, HandComputedTinyAutoencoder) {
  const hw1_student::Forward out = hw1_student::ae_forward(tiny_autoencoder(), to_tensor(tiny_batch()));
  ASSERT_TRUE(out.code.defined() && out.reconstruction.defined());
  EXPECT_LT(max_abs_diff(out.code, tiny_codes()), 1e-6) << "H = σ(X Wᵀ + b)";
  EXPECT_LT(max_abs_diff(out.reconstruction, tiny_reconstructions()), 1e-6) << "X̂ = σ(H W*ᵀ + c)";
}

TEST(Task4Forward, SquaredLossByHandAndItsGradient) {
  // Per image: 0.25 + 0.5625 + 0.0625 = 0.875 and 0 + 1 + 0 = 1; the batch mean is 0.9375.
  const hw1_student::Loss loss =
      hw1_student::squared_loss(to_tensor(Matrix{{0.5, 0.75, 0.25}, {1, 1, 0}}), to_tensor(Matrix{{1, 0, 0.5}, {1, 0, 0}}));
  ASSERT_EQ(loss.numel, 1);
  EXPECT_NEAR(loss.value, 0.9375, 1e-6);
  // Made of autograd ops, the loss back-propagates: dL/dX̂ = 2 (X̂ - X) / n, n = 2.
  ASSERT_TRUE(loss.grad.defined()) << "the loss must be built from autograd ops";
  EXPECT_LT(max_abs_diff(loss.grad, Matrix{{-0.5, 0.75, -0.25}, {0, 1, 0}}), 1e-6);
}

}  // namespace
