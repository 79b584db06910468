// HW4 tasks 1-4, hidden suite: random sizes, values and weights from the grader's per-run
// hidden_seed (which the student runner never sees), checked against the statistics of the
// sample, a Monte-Carlo estimate and the closed form in double, and the references of
// hw4_testing.hpp.
#include <cmath>

#include <gtest/gtest.h>

#include "exercises/hw4/tests/hw4_student.hpp"
#include "exercises/hw4/tests/hw4_testing.hpp"

namespace {

using namespace hw4_testing;
using ae::Tensor;
using hw4_student::hidden_seed;

// ---- task 1

TEST(Task1Hidden, StatisticsAndGradientsAtOtherShapes) {
  ae::Generator gen(hidden_seed(101));
  const size_t n = 2000 + gen.below(1000), k = 2 + gen.below(5);
  const double N = static_cast<double>(n);
  // One (μ, logvar) per column, the same for every row.
  const std::vector<double> mu_row = uniform(1, k, -3, 3, gen)[0], logvar_row = uniform(1, k, -3, 2, gen)[0];
  const Matrix mu(n, mu_row), logvar(n, logvar_row), w = uniform(n, k, -1, 1, gen);
  const hw4_student::Sample s = hw4_student::reparameterize(to_tensor(mu), to_tensor(logvar), to_tensor(w), gen.below(1000000));
  ASSERT_EQ(s.z.shape(), (ae::Shape{static_cast<int64_t>(n), static_cast<int64_t>(k)}));
  const Matrix z = to_matrix(s.z);
  // ε = (z - μ) / σ must look like N independent standard normals in every column.
  for (size_t j = 0; j < k; ++j) {
    const double sigma = std::exp(logvar_row[j] / 2);
    double sum = 0, sum_sq = 0;
    for (size_t i = 0; i < n; ++i) {
      const double eps = (z[i][j] - mu_row[j]) / sigma;
      sum += eps;
      sum_sq += eps * eps;
    }
    EXPECT_NEAR(sum / N, 0.0, 5 / std::sqrt(N)) << "column " << j << ": mean of (z - mu) / sigma";
    EXPECT_NEAR(sum_sq / N, 1.0, 5 * std::sqrt(2 / N)) << "column " << j << ": variance of (z - mu) / sigma, "
                                                        << "sigma = exp(logvar / 2)";
  }
  Matrix expected_logvar = zeros(n, k);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < k; ++j) expected_logvar[i][j] = w[i][j] * (z[i][j] - mu_row[j]) / 2;
  EXPECT_LT(max_abs_diff(s.grad_mu, w), 1e-5) << "dz/dmu";
  EXPECT_LT(max_abs_diff(s.grad_logvar, expected_logvar), 1e-4) << "dz/dlogvar";
}

// ---- task 2

TEST(Task2Hidden, MatchesMonteCarloAndTheGradientOfTheClosedForm) {
  ae::Generator gen(hidden_seed(201));
  const size_t n = 2 + gen.below(5), k = 1 + gen.below(6);
  const Matrix mu = uniform(n, k, -2, 2, gen), logvar = uniform(n, k, -2, 1.5, gen);
  const std::vector<double> w = uniform(1, n, -1, 1, gen)[0];
  const hw4_student::Kl got = hw4_student::gaussian_kl(to_tensor(mu), to_tensor(logvar), to_tensor(w));
  ASSERT_EQ(got.kl.shape(), (ae::Shape{static_cast<int64_t>(n)}));
  const std::vector<double> kl = flat(got.kl);
  for (size_t i = 0; i < n; ++i) {
    // KL = E_q[log q(z) - log p(z)], estimated from M draws z = μ + σ ε in double; the
    // bound is five standard errors of the estimate (plus the float rounding of KL).
    const size_t M = 20000;
    double sum = 0, sum_sq = 0;
    for (size_t s = 0; s < M; ++s) {
      double log_ratio = 0;
      for (size_t j = 0; j < k; ++j) {
        const double eps = gen.normal(), z = mu[i][j] + std::exp(logvar[i][j] / 2) * eps;
        log_ratio += -0.5 * logvar[i][j] - 0.5 * eps * eps + 0.5 * z * z;
      }
      sum += log_ratio;
      sum_sq += log_ratio * log_ratio;
    }
    const double estimate = sum / M, stderr_ = std::sqrt((sum_sq / M - estimate * estimate) / M);
    EXPECT_NEAR(kl[i], estimate, 5 * stderr_ + 1e-5) << "example " << i << ": a Monte-Carlo estimate of the KL";
  }
  Matrix grad_mu = zeros(n, k), grad_logvar = zeros(n, k);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < k; ++j) {
      grad_mu[i][j] = w[i] * mu[i][j];
      grad_logvar[i][j] = w[i] * (std::exp(logvar[i][j]) - 1) / 2;
    }
  EXPECT_LT(max_abs_diff(got.grad_mu, grad_mu), 1e-5);
  EXPECT_LT(max_abs_diff(got.grad_logvar, grad_logvar), 1e-5);
}

// ---- task 3

TEST(Task3Hidden, MatchesTheDoubleReference) {
  ae::Generator gen(hidden_seed(301));
  const size_t n = 2 + gen.below(10), d = 3 + gen.below(40);
  Matrix logits = uniform(n, d, -30, 30, gen);
  for (auto& row : logits) row[gen.below(d)] = gen.uniform() < 0.5 ? -200 : 200;
  const Matrix x = uniform(n, d, 0, 1, gen);
  const std::vector<double> kl = uniform(1, n, 0, 20, gen)[0];
  const double beta = 3 * gen.uniform();
  double expected = 0;
  for (size_t i = 0; i < n; ++i) expected += (nll_row(logits[i], x[i]) + beta * kl[i]) / static_cast<double>(n);
  const hw4_student::Elbo got = hw4_student::negative_elbo(to_tensor(logits), to_tensor(x), to_tensor(kl), beta);
  EXPECT_NEAR(got.loss, expected, 1e-5 * expected) << "n = " << n << ", d = " << d << ", beta = " << beta;
  Matrix grad = zeros(n, d);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < d; ++j) grad[i][j] = (sigmoid(logits[i][j]) - x[i][j]) / static_cast<double>(n);
  EXPECT_LT(max_abs_diff(got.grad_logits, grad), 1e-6);
  EXPECT_LT(max_abs_diff(got.grad_kl, std::vector<double>(n, beta / static_cast<double>(n))), 1e-6);
}

// ---- task 4

TEST(Task4Hidden, LossAtTinySigmaMatchesTheDoubleReference) {
  ae::Generator gen(hidden_seed(401));
  const size_t n = 2 + gen.below(8), d = 4 + gen.below(12), m = 2 + gen.below(6), k = 1 + gen.below(4);
  Model model = random_model(d, m, k, gen);
  for (auto& row : model.W_logvar)
    for (double& w : row) w = 0;
  for (double& b : model.b_logvar) b = -30;
  const Matrix X = uniform(n, d, 0, 1, gen);
  const double beta = 2 * gen.uniform();
  const hw4_student::LossGradients got = hw4_student::vae_loss(to_vae(model), to_tensor(X), beta, gen.below(1000));
  const double expected = loss_at_the_mean_code(model, X, beta);
  EXPECT_NEAR(got.loss, expected, 1e-5 * expected) << "n = " << n << ", d = " << d << ", k = " << k << ", beta = " << beta;
  EXPECT_LT(max_flat_diff(got.grads[5], kl_part_of_b_logvar_grad(model, X, beta)), 1e-5) << "dL/db_logvar";
}

}  // namespace
