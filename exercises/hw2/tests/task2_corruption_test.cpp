// HW2 task 2: the corruption processes, checked by their statistics, not their bits. With
// N = 20,000 entries, a fraction of masked entries has standard deviation √(v(1-v)/N)
// (binomial) and the mean of N draws of σε has σ/√N; the bounds are five of those.
#include <cmath>

#include <gtest/gtest.h>

#include "exercises/hw2/tests/hw2_student.hpp"
#include "exercises/hw2/tests/hw2_testing.hpp"

namespace {

using namespace hw2_testing;
using ae::Tensor;

constexpr size_t kRows = 200, kCols = 100;

// Pixels in [0.25, 0.75): none is 0 before masking.
Matrix nonzero_images(uint64_t seed) {
  ae::Generator gen(seed);
  return uniform(kRows, kCols, 0.25, 0.75, gen);
}

// The fraction of entries of Y that are 0, after checking the others kept X's value.
double masked_fraction(const Tensor& Y, const Tensor& X) {
  const std::vector<float> y = Y.contiguous().to_vector(), x = X.contiguous().to_vector();
  EXPECT_EQ(y.size(), x.size());
  size_t zeroed = 0, altered = 0;
  for (size_t i = 0; i < y.size() && i < x.size(); ++i) {
    if (y[i] == 0.0f) ++zeroed;
    else if (y[i] != x[i]) ++altered;
  }
  EXPECT_EQ(altered, 0u) << "a pixel that is not masked keeps its value";
  return static_cast<double>(zeroed) / static_cast<double>(y.size());
}

TEST(Task2Corruption, MaskingZeroesAFractionVAndKeepsTheRest) {
  const Tensor X = to_tensor(nonzero_images(31));
  const double v = 0.25, bound = 5 * std::sqrt(v * (1 - v) / (kRows * kCols));
  const hw2_student::Corrupted c = hw2_student::masking_noise(X, v, 7);
  ASSERT_TRUE(c.Y.defined());
  ASSERT_EQ(c.Y.shape(), X.shape());
  EXPECT_NEAR(masked_fraction(c.Y, X), v, bound) << "each pixel is zeroed with probability v";
  EXPECT_TRUE(ae::tensor::allclose(c.X_after, X, 0, 0)) << "masking_noise must not change X";
}

TEST(Task2Corruption, GaussianNoiseHasMeanZeroAndVarianceSigmaSquared) {
  const Tensor X = ae::tensor::full({kRows, kCols}, 0.5f);
  const double sigma = 0.3, N = kRows * kCols;
  const hw2_student::Corrupted c = hw2_student::gaussian_noise(X, sigma, 8);
  ASSERT_TRUE(c.Y.defined());
  ASSERT_EQ(c.Y.shape(), X.shape());
  double sum = 0, sum_sq = 0;
  size_t outside = 0;
  for (float y : c.Y.contiguous().to_vector()) {
    const double e = y - 0.5;
    sum += e;
    sum_sq += e * e;
    if (y < 0.0f || y > 1.0f) ++outside;
  }
  const double mean = sum / N, variance = sum_sq / N - mean * mean;
  EXPECT_NEAR(mean, 0.0, 5 * sigma / std::sqrt(N)) << "the noise has mean 0";
  // The sample variance of N normal draws has standard deviation σ² √(2/N).
  EXPECT_NEAR(variance, sigma * sigma, 5 * sigma * sigma * std::sqrt(2 / N)) << "the noise has variance σ²";
  // P(|ε| > 0.5 / 0.3) ≈ 9.6%: without clipping about 1,900 pixels leave [0, 1].
  EXPECT_GT(outside, 1000u) << "the header states no clipping";
  EXPECT_TRUE(ae::tensor::allclose(c.X_after, X, 0, 0)) << "gaussian_noise must not change X";
}

TEST(Task2Corruption, DifferentSeedsGiveDifferentMasks) {
  const Tensor X = to_tensor(nonzero_images(32));
  const double v = 0.4, N = kRows * kCols;
  const hw2_student::Corrupted a = hw2_student::masking_noise(X, v, 1);
  const hw2_student::Corrupted b = hw2_student::masking_noise(X, v, 2);
  const hw2_student::Corrupted a_again = hw2_student::masking_noise(X, v, 1);
  ASSERT_TRUE(a.Y.defined() && b.Y.defined() && a_again.Y.defined());
  EXPECT_TRUE(ae::tensor::allclose(a.Y, a_again.Y, 0, 0)) << "the same seed gives the same mask";
  // Two independent masks disagree on a pixel with probability 2 v (1 - v).
  const std::vector<float> ya = a.Y.to_vector(), yb = b.Y.to_vector();
  size_t differ = 0;
  for (size_t i = 0; i < ya.size(); ++i) differ += (ya[i] == 0.0f) != (yb[i] == 0.0f);
  const double p = 2 * v * (1 - v);
  EXPECT_NEAR(differ / N, p, 5 * std::sqrt(p * (1 - p) / N)) << "seeds 1 and 2 must give independent masks";
  // A second draw from the same generator is a fresh mask too.
  ASSERT_TRUE(a.Y_again.defined());
  EXPECT_FALSE(ae::tensor::allclose(a.Y, a.Y_again, 0, 0)) << "a second draw repeated the first mask";
}

}  // namespace
