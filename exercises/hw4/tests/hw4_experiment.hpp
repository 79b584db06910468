#pragma once
// The checks of task 5 every run of the experiment must pass, visible or hidden: the codes
// are N(0, I) draws, the samples are the returned models' decodings of them, and the
// reported distances are those of the samples, recomputed here in double.
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "exercises/hw4/hw4.hpp"
#include "tensor/ops.hpp"

namespace hw4_testing {

/// σ(W3 tanh(W2 z + b2) + b3) for every row of Z, from the parameter values, with tensor ops.
inline ae::Tensor decode_of(const ae::hw4::Vae& m, const ae::Tensor& Z) {
  namespace tensor = ae::tensor;
  if (!m.W2.defined()) throw ae::Error("the experiment returned a model without parameters");
  const ae::Tensor G = tensor::tanh(tensor::matmul(Z, m.W2.value().t()) + m.b2.value());
  return tensor::sigmoid(tensor::matmul(G, m.W3.value().t()) + m.b3.value());
}

/// (1/n) Σ_i min_t ||s_i - t||², by the difference of every pair, in double.
inline double nearest_distance(const ae::Tensor& samples, const ae::Tensor& images) {
  const std::vector<float> s = samples.contiguous().to_vector(), t = images.contiguous().to_vector();
  const auto d = static_cast<size_t>(images.size(1)), n = s.size() / d, m = t.size() / d;
  double total = 0;
  for (size_t i = 0; i < n; ++i) {
    double best = std::numeric_limits<double>::infinity();
    for (size_t j = 0; j < m; ++j) {
      double dist = 0;
      for (size_t p = 0; p < d && dist < best; ++p) {
        const double e = static_cast<double>(s[i * d + p]) - t[j * d + p];
        dist += e * e;
      }
      best = std::min(best, dist);
    }
    total += best;
  }
  return total / static_cast<double>(n);
}

inline void check_reported_run(const ae::hw4::ExperimentResult& r, const ae::hw4::ExperimentOptions& options,
                               const ae::Tensor& test) {
  EXPECT_TRUE(r.dataset == "mnist" || r.dataset == "fashion-mnist") << r.dataset;
  const ae::Shape codes_shape{options.num_samples, options.k}, samples_shape{options.num_samples, test.size(1)};
  ASSERT_TRUE(r.codes.defined() && r.vae_samples.defined() && r.plain_samples.defined())
      << "codes, vae_samples and plain_samples must be filled in";
  ASSERT_EQ(r.codes.shape(), codes_shape) << "codes is (num_samples x k)";
  ASSERT_EQ(r.vae_samples.shape(), samples_shape) << "vae_samples is (num_samples x d)";
  ASSERT_EQ(r.plain_samples.shape(), samples_shape) << "plain_samples is (num_samples x d)";
  // N(0, I) codes: over all N entries, mean 0 and variance 1 within five standard errors.
  double sum = 0, sum_sq = 0;
  const std::vector<float> z = r.codes.contiguous().to_vector();
  for (float x : z) {
    sum += x;
    sum_sq += static_cast<double>(x) * x;
  }
  const double N = static_cast<double>(z.size()), mean = sum / N;
  EXPECT_NEAR(mean, 0.0, 5 / std::sqrt(N)) << "codes are drawn from N(0, I)";
  EXPECT_NEAR(sum_sq / N - mean * mean, 1.0, 5 * std::sqrt(2 / N)) << "codes are drawn from N(0, I)";

  EXPECT_TRUE(ae::tensor::allclose(r.vae_samples, decode_of(r.vae, r.codes), 1e-4f, 1e-4f))
      << "vae_samples are not the returned VAE's decodings of codes";
  EXPECT_TRUE(ae::tensor::allclose(r.plain_samples, decode_of(r.plain, r.codes), 1e-4f, 1e-4f))
      << "plain_samples are not the returned plain autoencoder's decodings of codes";
  const double vae = nearest_distance(r.vae_samples, test), plain = nearest_distance(r.plain_samples, test);
  EXPECT_NEAR(r.vae_sample_distance, vae, 1e-3 * vae) << "vae_sample_distance is not that of vae_samples";
  EXPECT_NEAR(r.plain_sample_distance, plain, 1e-3 * plain) << "plain_sample_distance is not that of plain_samples";

  ASSERT_EQ(r.vae_epoch_losses.size(), static_cast<size_t>(options.epochs));
  ASSERT_EQ(r.plain_epoch_losses.size(), static_cast<size_t>(options.epochs));
  if (options.epochs >= 2) {
    EXPECT_LT(r.vae_epoch_losses.back(), r.vae_epoch_losses.front()) << "the VAE's loss did not go down";
    EXPECT_LT(r.plain_epoch_losses.back(), r.plain_epoch_losses.front()) << "the plain loss did not go down";
  }
}

}  // namespace hw4_testing
