// HW4 task 4: the VAE's loss and training step on small models. With the logvar head set
// to logvar = -30 (σ = e^-15) the sample is the mean code to float precision, so the loss is
// known in double here; with an ordinary logvar head its gradient must carry the
// reconstruction term through σ as well as the KL; and Adam steps must lower the loss.
#include <cmath>

#include <gtest/gtest.h>

#include "exercises/hw4/tests/hw4_student.hpp"
#include "exercises/hw4/tests/hw4_testing.hpp"

namespace {

using namespace hw4_testing;
using ae::Tensor;

const char* const kNames[] = {"W1", "b1", "W_mu", "b_mu", "W_logvar", "b_logvar", "W2", "b2", "W3", "b3"};

// A model whose logvar head outputs -30 for every input.
Model with_tiny_sigma(Model m) {
  for (auto& row : m.W_logvar)
    for (double& w : row) w = 0;
  for (double& b : m.b_logvar) b = -30;
  return m;
}

TEST(Task4Vae, LossIsTheElboOfTheMeanCodeWhenSigmaIsTiny) {
  ae::Generator gen(41);
  const Model model = with_tiny_sigma(random_model(6, 4, 2, gen));
  const Matrix X = uniform(5, 6, 0, 1, gen);
  const double beta = 0.7;
  const hw4_student::LossGradients got = hw4_student::vae_loss(to_vae(model), to_tensor(X), beta, 3);
  const double expected = loss_at_the_mean_code(model, X, beta);
  EXPECT_NEAR(got.loss, expected, 1e-5 * expected)
      << "(1/n) sum_i [nll(x_i | decode(z_i)) + beta KL_i] with z = mu + sigma eps";
  // The KL's share of dL/db_logvar is β (e^-30 - 1) / 2 per dimension; the reconstruction's
  // is of the order of σ.
  ASSERT_TRUE(got.grads[5].defined()) << "b_logvar got no gradient";
  EXPECT_LT(max_flat_diff(got.grads[5], kl_part_of_b_logvar_grad(model, X, beta)), 1e-5)
      << "dL/db_logvar: the KL term must reach the logvar head";
}

TEST(Task4Vae, GradientsReachTheLogvarHeadThroughSigmaAndTheKl) {
  ae::Generator gen(42);
  const Model model = random_model(6, 4, 3, gen);
  const Matrix X = uniform(8, 6, 0, 1, gen);
  const hw4_student::LossGradients got = hw4_student::vae_loss(to_vae(model), to_tensor(X), 1.0, 4);
  for (size_t i = 0; i < 10; ++i) {
    ASSERT_TRUE(got.grads[i].defined()) << kNames[i] << " got no gradient: build the loss from autograd ops";
    double largest = 0;
    for (double g : flat(got.grads[i])) {
      ASSERT_TRUE(std::isfinite(g)) << "a gradient of " << kNames[i] << " is not finite";
      largest = std::max(largest, std::abs(g));
    }
    EXPECT_GT(largest, 1e-6) << "the gradient of " << kNames[i] << " is zero";
  }
  // dL/db_logvar = KL part + (1/n) Σ_i dnll_i/dz_i ε_i σ_i / 2: the second part is zero
  // when σ is not in the graph of z.
  const std::vector<double> kl_part = kl_part_of_b_logvar_grad(model, X, 1.0), got_b = flat(got.grads[5]);
  double through_sigma = 0;
  for (size_t j = 0; j < kl_part.size(); ++j) through_sigma = std::max(through_sigma, std::abs(got_b[j] - kl_part[j]));
  EXPECT_GT(through_sigma, 1e-3) << "the reconstruction term must reach the logvar head through sigma = "
                                    "exp(logvar / 2) in z, not only the KL";
}

TEST(Task4Vae, AdamStepsLowerTheLoss) {
  // 64 binary images of 16 pixels, four patterns repeated: a VAE with 2 latent dimensions
  // can learn them well.
  const std::vector<std::vector<double>> patterns = {{1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0},
                                                     {0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1},
                                                     {1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0},
                                                     {0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1}};
  Matrix X;
  for (size_t i = 0; i < 64; ++i) X.push_back(patterns[i % 4]);
  ae::Generator gen(43);
  const Model start = random_model(16, 8, 2, gen);
  ae::hw4::Vae model = to_vae(start);
  const double first_loss = hw4_student::vae_loss(model, to_tensor(X), 1.0, 6).loss;
  const std::vector<double> losses = hw4_student::vae_steps(model, to_tensor(X), 1.0, 6, 0.01, 300);
  ASSERT_EQ(losses.size(), 300u);
  EXPECT_NEAR(losses[0], first_loss, 1e-4 * std::abs(first_loss))
      << "vae_step returns the loss before its update (the same seed draws the same eps)";
  double early = 0, late = 0;
  for (size_t i = 0; i < 10; ++i) early += losses[i] / 10;
  for (size_t i = 270; i < 300; ++i) late += losses[i] / 30;
  EXPECT_LT(late, 0.6 * early) << "300 Adam steps: the mean loss of the first 10 steps " << early
                               << ", of the last 30 " << late;
}

}  // namespace
