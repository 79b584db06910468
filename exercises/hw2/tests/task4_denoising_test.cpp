// HW2 task 4: the denoising loss and training step. A 2-1-2 autoencoder whose outputs are
// known by hand, then two SGD steps against the double-precision back-propagation of
// hw2_testing.hpp.
#include <cmath>

#include <gtest/gtest.h>

#include "exercises/hw2/tests/hw2_student.hpp"
#include "exercises/hw2/tests/hw2_testing.hpp"

namespace {

using namespace hw2_testing;
using ae::Tensor;

TEST(Task4Denoising, LossSeesTheCorruptedInputAndTheCleanTarget) {
  // W = [[ln3, 0]], b = 0: h = 1/2 when x̃_1 = 0, 3/4 when x̃_1 = 1.
  // W* = [[4 ln3], [0]], c = (-2 ln3, ln3): x̂ = (1/2, 3/4) when h = 1/2, (3/4, 3/4) when h = 3/4.
  const double l = std::log(3.0);
  const Model model{{{l, 0}}, {0}, {{4 * l}, {0}}, {-2 * l, l}};
  const Matrix clean = {{1, 1}, {1, 0}, {1, 1}};
  const Matrix corrupted = {{0, 1}, {1, 0}, {1, 0}};
  // Row 1: x̂ = (1/2, 3/4) against (1, 1): 1/4 + 1/16 = 5/16.
  // Row 2: (3/4, 3/4) against (1, 0): 1/16 + 9/16 = 10/16.  Row 3: against (1, 1): 2/16.
  // (Against the corrupted rows it would be 25/48; the clean input through the model, 14/48.)
  const hw2_student::LossGradients got =
      hw2_student::denoising_loss(to_autoencoder(model), to_tensor(clean), to_tensor(corrupted));
  EXPECT_NEAR(got.loss, 17.0 / 48.0, 1e-6) << "(1/n) Σ ||reconstruct(x̃) - x||², x the clean image";
}

TEST(Task4Denoising, TwoSgdStepsMatchTheDoubleReference) {
  ae::Generator gen(51);
  const size_t d = 6, k = 3;
  Model reference = random_model(d, k, gen);
  std::vector<Tensor> clean, corrupted;
  std::vector<Matrix> clean_m, corrupted_m;
  for (size_t s = 0; s < 2; ++s) {
    Matrix x = uniform(4, d, 0, 1, gen), x_tilde = x;
    for (auto& row : x_tilde)
      for (double& p : row)
        if (gen.uniform() < 0.3) p = 0;
    clean_m.push_back(x);
    corrupted_m.push_back(x_tilde);
    clean.push_back(to_tensor(x));
    corrupted.push_back(to_tensor(x_tilde));
  }
  ae::hw2::Autoencoder model = to_autoencoder(reference);
  const double lr = 0.5;
  const std::vector<double> losses = hw2_student::denoising_steps(model, clean, corrupted, lr);
  for (size_t s = 0; s < 2; ++s) {
    const LossAndGradients r = denoising_reference(reference, clean_m[s], corrupted_m[s]);
    EXPECT_NEAR(losses[s], r.loss, 1e-5) << "the loss of step " << s + 1 << " before its update";
    sgd_step(reference, r.grads, lr);
  }
  // A second step that also applied the first step's gradients ends elsewhere.
  const std::vector<ae::Variable> got = model.parameters();
  const std::vector<std::vector<double>> flat = flatten(reference);
  const char* names[] = {"W", "b", "W_star", "c"};
  for (size_t i = 0; i < 4; ++i)
    EXPECT_LT(max_flat_diff(got[i].value(), flat[i]), 1e-5) << names[i] << " after two steps";
}

}  // namespace
