#pragma once
// The checks of task 5 every run of the experiment must pass, visible or hidden: the
// masked test images are a masking of the test images at level v, and the reported
// errors and losses are those of the returned models.
#include <cmath>

#include <gtest/gtest.h>

#include "exercises/hw2/hw2.hpp"
#include "tensor/ops.hpp"

namespace hw2_testing {

/// (1/n) Σ ||σ(W* σ(W x̃ + b) + c) - x||² from the parameter values, with tensor ops.
inline double error_of(const ae::hw2::Autoencoder& m, const ae::Tensor& input, const ae::Tensor& target) {
  namespace tensor = ae::tensor;
  if (!m.W.defined()) throw ae::Error("the experiment returned a model without parameters");
  const ae::Tensor H = tensor::sigmoid(tensor::matmul(input, m.W.value().t()) + m.b.value());
  const ae::Tensor diff = tensor::sigmoid(tensor::matmul(H, m.W_star.value().t()) + m.c.value()) - target;
  double total = 0;
  for (float e : tensor::sum(diff * diff, {1}).to_vector()) total += e;
  return total / static_cast<double>(target.size(0));
}

inline void check_reported_run(const ae::hw2::ExperimentResult& r, const ae::hw2::ExperimentOptions& options,
                               const ae::Tensor& test) {
  EXPECT_TRUE(r.dataset == "mnist" || r.dataset == "fashion-mnist") << r.dataset;
  ASSERT_TRUE(r.noisy_test_images.defined()) << "noisy_test_images is empty";
  ASSERT_EQ(r.noisy_test_images.shape(), test.shape());
  // Each pixel is either the test image's or 0; among the non-zero ones, a fraction v is 0.
  const std::vector<float> noisy = r.noisy_test_images.to_vector(), clean = test.contiguous().to_vector();
  size_t nonzero = 0, masked = 0, altered = 0;
  for (size_t i = 0; i < clean.size(); ++i) {
    if (clean[i] == 0.0f) continue;
    ++nonzero;
    if (noisy[i] == 0.0f) ++masked;
    else if (noisy[i] != clean[i]) ++altered;
  }
  EXPECT_EQ(altered, 0u) << "noisy_test_images changes pixels other than by masking them";
  const double v = options.v, fraction = static_cast<double>(masked) / static_cast<double>(nonzero);
  EXPECT_NEAR(fraction, v, 5 * std::sqrt(v * (1 - v) / static_cast<double>(nonzero)))
      << "noisy_test_images is not masked at level v";

  const double plain = error_of(r.plain, r.noisy_test_images, test);
  const double denoising = error_of(r.denoising, r.noisy_test_images, test);
  EXPECT_NEAR(r.plain_noisy_error, plain, 1e-3 * plain) << "plain_noisy_error is not the returned model's";
  EXPECT_NEAR(r.denoising_noisy_error, denoising, 1e-3 * denoising)
      << "denoising_noisy_error is not the returned model's";
  ASSERT_EQ(r.plain_epoch_losses.size(), static_cast<size_t>(options.epochs));
  ASSERT_EQ(r.denoising_epoch_losses.size(), static_cast<size_t>(options.epochs));
  if (options.epochs >= 2) {
    EXPECT_LT(r.plain_epoch_losses.back(), r.plain_epoch_losses.front()) << "the plain loss did not go down";
    EXPECT_LT(r.denoising_epoch_losses.back(), r.denoising_epoch_losses.front())
        << "the denoising loss did not go down";
  }
}

}  // namespace hw2_testing
