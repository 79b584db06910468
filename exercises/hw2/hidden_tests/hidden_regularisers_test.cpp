// HW2 tasks 1-4, hidden suite: random sizes, levels and weights from the grader's per-run
// hidden_seed (which the student runner never sees), checked against the double-precision
// references of hw2_testing.hpp and the statistics of the corruption processes.
#include <cmath>

#include <gtest/gtest.h>

#include "exercises/hw2/tests/hw2_student.hpp"
#include "exercises/hw2/tests/hw2_testing.hpp"

namespace {

using namespace hw2_testing;
using ae::Tensor;
using hw2_student::hidden_seed;

// ---- task 1

TEST(Task1Hidden, PenaltyAndGradientMatchTheDoubleReference) {
  ae::Generator gen(hidden_seed(101));
  const size_t n = 3 + gen.below(20), k = 2 + gen.below(10);
  const double rho = 0.02 + 0.2 * gen.uniform();
  const Matrix H = uniform(n, k, 0.01, 0.99, gen);
  EXPECT_NEAR(hw2_student::kl_sparsity(to_tensor(H), rho), kl_penalty(H, rho), 1e-5 * kl_penalty(H, rho) + 1e-6)
      << "n = " << n << ", k = " << k << ", rho = " << rho;
  const Tensor g = hw2_student::kl_sparsity_grad(to_tensor(H), rho);
  const Matrix expected = kl_gradient(H, rho);
  double scale = 0;
  for (const auto& row : expected)
    for (double x : row) scale = std::max(scale, std::abs(x));
  EXPECT_LT(max_abs_diff(g, expected), 1e-5 * scale + 1e-7) << "n = " << n << ", k = " << k << ", rho = " << rho;
}

// ---- task 2

TEST(Task2Hidden, CorruptionStatisticsAtOtherLevels) {
  ae::Generator gen(hidden_seed(201));
  const size_t rows = 100 + gen.below(100), cols = 150;
  const double N = static_cast<double>(rows * cols);
  const Matrix X = uniform(rows, cols, 0.1, 1.0, gen);
  // v away from 1/2, where dropping and keeping with probability v would look alike.
  const double v = 0.05 + 0.35 * gen.uniform();
  const uint64_t seed = gen.below(1000000);
  const hw2_student::Corrupted m = hw2_student::masking_noise(to_tensor(X), v, seed);
  ASSERT_TRUE(m.Y.defined());
  const std::vector<float> y = m.Y.contiguous().to_vector(), x = to_tensor(X).to_vector();
  ASSERT_EQ(y.size(), x.size());
  size_t zeroed = 0, altered = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    if (y[i] == 0.0f) ++zeroed;
    else if (y[i] != x[i]) ++altered;
  }
  EXPECT_EQ(altered, 0u);
  EXPECT_NEAR(zeroed / N, v, 5 * std::sqrt(v * (1 - v) / N)) << "v = " << v;

  const double sigma = 0.05 + 0.5 * gen.uniform();
  const hw2_student::Corrupted g = hw2_student::gaussian_noise(to_tensor(X), sigma, seed);
  ASSERT_TRUE(g.Y.defined());
  ASSERT_EQ(g.Y.numel(), static_cast<int64_t>(N));
  const std::vector<float> noisy = g.Y.contiguous().to_vector();
  double sum = 0, sum_sq = 0;
  for (size_t i = 0; i < noisy.size(); ++i) {
    const double e = static_cast<double>(noisy[i]) - x[i];
    sum += e;
    sum_sq += e * e;
  }
  const double mean = sum / N, variance = sum_sq / N - mean * mean;
  EXPECT_NEAR(mean, 0.0, 5 * sigma / std::sqrt(N)) << "sigma = " << sigma;
  EXPECT_NEAR(variance, sigma * sigma, 5 * sigma * sigma * std::sqrt(2 / N)) << "sigma = " << sigma;
  EXPECT_TRUE(ae::tensor::allclose(g.X_after, to_tensor(X), 0, 0));
}

// ---- task 3

TEST(Task3Hidden, MatchesTheExactJacobianInDouble) {
  ae::Generator gen(hidden_seed(301));
  const size_t n = 2 + gen.below(10), d = 5 + gen.below(30), k = 2 + gen.below(12);
  // Weights large enough that some units saturate, where h(1 - h) matters most.
  const Matrix W = uniform(k, d, -1.5, 1.5, gen), X = uniform(n, d, 0, 1, gen);
  const std::vector<double> b = uniform(1, k, -2, 2, gen)[0];
  double expected = 0;
  for (const auto& x : X) expected += squared_frobenius(encoder_jacobian(W, b, x));
  expected /= static_cast<double>(n);
  const double got = hw2_student::contractive_penalty(to_tensor(X), to_tensor(W), to_tensor(b));
  EXPECT_NEAR(got, expected, 1e-5 * expected) << "n = " << n << ", d = " << d << ", k = " << k;
}

// ---- task 4

TEST(Task4Hidden, LossGradientsMatchTheDoubleReference) {
  ae::Generator gen(hidden_seed(401));
  const size_t n = 2 + gen.below(8), d = 4 + gen.below(16), k = 2 + gen.below(6);
  const Model model = random_model(d, k, gen);
  const Matrix clean = uniform(n, d, 0, 1, gen);
  Matrix corrupted = clean;
  for (auto& row : corrupted)
    for (double& x : row) x += 0.3 * gen.normal();
  const hw2_student::LossGradients got =
      hw2_student::denoising_loss(to_autoencoder(model), to_tensor(clean), to_tensor(corrupted));
  const LossAndGradients expected = denoising_reference(model, clean, corrupted);
  EXPECT_NEAR(got.loss, expected.loss, 1e-5 * expected.loss + 1e-6);
  const char* names[] = {"W", "b", "W_star", "c"};
  for (size_t i = 0; i < 4; ++i) {
    ASSERT_TRUE(got.grads[i].defined()) << names[i] << " got no gradient: build the loss from autograd ops";
    EXPECT_LT(max_flat_diff(got.grads[i], expected.grads[i]), 1e-5) << "gradient of " << names[i];
  }
}

}  // namespace
