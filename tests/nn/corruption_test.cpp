// The corruptions of denoising autoencoders, checked by their statistics: each draw's mean,
// variance or fraction must lie within 5 standard errors of what the normal or binomial
// distribution gives (a false alarm about once in 3.5 million runs), not against stored bits.
// Then the layers: the same draws in training, the identity in evaluation, dx̃/dx = keep,
// and errors that name the option or shape at fault.
#include "nn/corruption.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "autograd/ops.hpp"
#include "nn/module.hpp"
#include "tensor/ops.hpp"

using ae::Error;
using ae::Generator;
using ae::Tensor;
using ae::Variable;
using namespace ae::nn;
namespace T = ae::tensor;

namespace {

constexpr int64_t kRows = 400, kCols = 500;  // 200,000 elements
constexpr double kN = double(kRows * kCols);

double fraction_equal(const Tensor& t, float value) {
  double count = 0;
  for (float x : t.to_vector()) count += (x == value);
  return count / double(t.numel());
}

// Binomial: the standard error of a fraction p estimated from n draws.
double binomial_se(double p, double n) { return std::sqrt(p * (1 - p) / n); }

}  // namespace

TEST(Corruption, GaussianNoiseHasMeanZeroAndVarianceSigmaSquared) {
  const float sigma = 0.3f;
  Generator gen(1);
  // A non-constant input: the noise must not depend on x.
  const Tensor x = T::rand({kRows, kCols}, gen);
  const Tensor noise = T::sub(gaussian_noise(x, sigma, gen), x);
  const auto e = noise.to_vector();
  double sum = 0, sum2 = 0;
  for (float v : e) sum += v;
  const double mean = sum / kN;
  for (float v : e) sum2 += (v - mean) * (v - mean);
  const double var = sum2 / (kN - 1);
  // Normal: SE of the mean σ/√n; SE of the variance σ² √(2/(n-1)).
  EXPECT_NEAR(mean, 0.0, 5 * sigma / std::sqrt(kN));
  EXPECT_NEAR(var, sigma * sigma, 5 * sigma * sigma * std::sqrt(2 / (kN - 1)));
  // A normal puts 68.27% of its mass within one σ.
  double inside = 0;
  for (float v : e) inside += std::abs(v - mean) < sigma;
  EXPECT_NEAR(inside / kN, 0.6827, 5 * binomial_se(0.6827, kN));
}

TEST(Corruption, MaskingZeroesAFractionVAndKeepsTheRest) {
  for (float v : {0.25f, 0.5f}) {
    Generator gen(2);
    const Tensor x = T::full({kRows, kCols}, 0.7f);
    const Tensor y = masking_noise(x, v, gen);
    EXPECT_NEAR(fraction_equal(y, 0.0f), v, 5 * binomial_se(v, kN)) << "v = " << v;
    // No rescaling: every survivor is the input value itself.
    EXPECT_DOUBLE_EQ(fraction_equal(y, 0.0f) + fraction_equal(y, 0.7f), 1.0) << "v = " << v;
  }
  Generator gen(3);
  const Tensor x = T::ones({3, 4});
  EXPECT_EQ(fraction_equal(masking_noise(x, 0.0f, gen), 1.0f), 1.0);
  EXPECT_EQ(fraction_equal(masking_noise(x, 1.0f, gen), 0.0f), 1.0);
}

TEST(Corruption, SaltAndPepperSetsHalfOfAFractionPToEachEnd) {
  const float p = 0.2f;
  Generator gen(4);
  const Tensor x = T::full({kRows, kCols}, 0.5f);
  const Tensor y = salt_and_pepper(x, p, gen);
  EXPECT_NEAR(fraction_equal(y, 0.0f), p / 2, 5 * binomial_se(p / 2, kN));
  EXPECT_NEAR(fraction_equal(y, 1.0f), p / 2, 5 * binomial_se(p / 2, kN));
  EXPECT_NEAR(fraction_equal(y, 0.5f), 1 - p, 5 * binomial_se(1 - p, kN));
  EXPECT_DOUBLE_EQ(fraction_equal(y, 0.0f) + fraction_equal(y, 1.0f) + fraction_equal(y, 0.5f), 1.0);
  // Other ends of the range.
  const Tensor z = salt_and_pepper(x, 1.0f, gen, -1.0f, 2.0f);
  EXPECT_NEAR(fraction_equal(z, -1.0f), 0.5, 5 * binomial_se(0.5, kN));
  EXPECT_DOUBLE_EQ(fraction_equal(z, -1.0f) + fraction_equal(z, 2.0f), 1.0);
}

TEST(Corruption, RandomBlockZeroesOneSquarePerImageAtAUniformPlace) {
  const int64_t n = 20000, side = 10, size = 4, positions = side - size + 1;  // 7 rows of positions
  Generator gen(5);
  const Tensor y = random_block(T::ones({n, side * side}), size, gen);
  const auto v = y.to_vector();
  std::vector<double> tops;
  for (int64_t s = 0; s < n; ++s) {
    int64_t zeros = 0, top = side, bottom = -1, left = side, right = -1;
    for (int64_t r = 0; r < side; ++r)
      for (int64_t c = 0; c < side; ++c)
        if (v[size_t(s * side * side + r * side + c)] == 0.0f) {
          ++zeros;
          top = std::min(top, r), bottom = std::max(bottom, r);
          left = std::min(left, c), right = std::max(right, c);
        }
    // Exactly size² zeros spanning size rows and size columns: one whole square.
    ASSERT_EQ(zeros, size * size) << "image " << s;
    ASSERT_EQ(bottom - top + 1, size) << "image " << s;
    ASSERT_EQ(right - left + 1, size) << "image " << s;
    tops.push_back(double(top));
  }
  // The top row is uniform on {0, ..., m - 1}: mean (m - 1)/2, variance (m² - 1)/12.
  const double m = positions;
  double mean = 0;
  for (double t : tops) mean += t / double(n);
  EXPECT_NEAR(mean, (m - 1) / 2, 5 * std::sqrt((m * m - 1) / 12 / double(n)));
  EXPECT_EQ(*std::min_element(tops.begin(), tops.end()), 0.0);
  EXPECT_EQ(*std::max_element(tops.begin(), tops.end()), m - 1);

  // Image-shaped input: the same square in every channel.
  const Tensor c = random_block(T::ones({3, 2, 5, 5}), 2, gen);
  const auto cv = c.to_vector();
  for (int64_t s = 0; s < 3; ++s)
    for (int64_t i = 0; i < 25; ++i) EXPECT_EQ(cv[size_t(s * 50 + i)], cv[size_t(s * 50 + 25 + i)]);
  EXPECT_EQ(fraction_equal(c, 0.0f), 3 * 2 * 4 / 150.0);
}

TEST(Corruption, BlockMaskMarksTheSquare) {
  const Tensor m = block_mask(4, 5, 1, 2, 2);
  ASSERT_EQ(m.shape(), (ae::Shape{20}));
  const std::vector<float> expected = {0, 0, 0, 0, 0,  //
                                       0, 0, 1, 1, 0,  //
                                       0, 0, 1, 1, 0,  //
                                       0, 0, 0, 0, 0};
  EXPECT_EQ(m.to_vector(), expected);
  EXPECT_THROW(block_mask(4, 5, 3, 0, 2), Error);
  EXPECT_THROW(block_mask(4, 5, 0, -1, 2), Error);
}

TEST(Corruption, FillMaskedTakesOnlyTheHole) {
  const Tensor x = T::from_vector({1, 2, 3, 4, 5, 6}, {2, 3});
  const Tensor guess = T::full({2, 3}, 9.0f);
  const Tensor mask = T::from_vector({0, 1, 0}, {3});
  EXPECT_EQ(fill_masked(x, guess, mask).to_vector(), (std::vector<float>{1, 9, 3, 4, 9, 6}));
}

TEST(Corruption, SameSeedSameDrawsAndFreshDrawsPerCall) {
  const Tensor x = T::ones({8, 16});
  Generator a(7), b(7);
  const Corruption c = Corruption::masking(0.5f);
  const Tensor first = corrupt(x, c, a);
  EXPECT_EQ(first.to_vector(), corrupt(x, c, b).to_vector());
  EXPECT_NE(first.to_vector(), corrupt(x, c, a).to_vector());
}

TEST(Corruption, NamesAndKeys) {
  EXPECT_EQ(Corruption::gaussian(0.3f).name(), "Gaussian σ = 0.3");
  EXPECT_EQ(Corruption::gaussian(0.3f).key(), "gaussian_0.3");
  EXPECT_EQ(Corruption::masking(0.25f).key(), "masking_0.25");
  EXPECT_EQ(Corruption::salt_and_pepper(0.2f).key(), "salt_pepper_0.2");
  EXPECT_EQ(Corruption::block(12).name(), "12×12 block");
  EXPECT_EQ(Corruption().key(), "none");
}

TEST(Corruption, BadOptionsNameThemselves) {
  Generator gen(8);
  const Tensor x = T::ones({2, 9});
  auto message = [&](const Corruption& c, const Tensor& input) -> std::string {
    try {
      corrupt(input, c, gen);
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_NE(message(Corruption::gaussian(-0.1f), x).find("stddev"), std::string::npos);
  EXPECT_NE(message(Corruption::gaussian(NAN), x).find("stddev"), std::string::npos);
  EXPECT_NE(message(Corruption::masking(1.5f), x).find("v must lie in [0, 1]"), std::string::npos);
  EXPECT_NE(message(Corruption::salt_and_pepper(-1.0f), x).find("p must lie in [0, 1]"), std::string::npos);
  EXPECT_NE(message(Corruption::block(4), x).find("does not fit in 3×3"), std::string::npos);
  EXPECT_NE(message(Corruption::block(2), T::ones({2, 10})).find("[2, 10]"), std::string::npos);
  EXPECT_THROW(MaskingNoise(2.0f, 1), Error);
  EXPECT_THROW(GaussianNoise(-1.0f, 1), Error);
  EXPECT_THROW(SaltAndPepperNoise(1.1f, 1), Error);
}

TEST(CorruptionLayer, CorruptsInTrainingOnlyWithGradientKeep) {
  Generator gen(9);
  MaskingNoise mask(0.5f, gen);
  const Variable x(T::full({kRows, kCols}, 2.0f), /*requires_grad=*/true);
  const Variable y = mask(x);
  const double zeros = fraction_equal(y.value(), 0.0f);
  EXPECT_NEAR(zeros, 0.5, 5 * binomial_se(0.5, kN));
  // x̃ = keep ⊙ x: the gradient of Σ x̃ is keep, 1 where the pixel survived.
  ae::sum(y).backward();
  EXPECT_EQ(T::sum(x.grad().value()).item(), static_cast<float>(kN * (1 - zeros)));
  mask.eval();
  EXPECT_EQ(mask(x).value().to_vector(), x.value().to_vector());

  SaltAndPepperNoise sp(0.3f, 10);
  const Tensor z = sp(Variable(T::full({kRows, kCols}, 0.5f))).value();
  EXPECT_NEAR(fraction_equal(z, 0.5f), 0.7, 5 * binomial_se(0.7, kN));
  BlockMasking block(3, 11);
  EXPECT_EQ(fraction_equal(block(Variable(T::ones({10, 36}))).value(), 0.0f), 9 / 36.0);
  GaussianNoise noise(0.5f, 12);
  noise.eval();
  EXPECT_EQ(noise(Variable(T::ones({2, 2}))).value().to_vector(), std::vector<float>(4, 1.0f));
}

TEST(CorruptionLayer, DescribesItselfAndSitsInASequential) {
  EXPECT_EQ(GaussianNoise(0.5f, 1).describe(), "GaussianNoise(stddev = 0.5)");
  EXPECT_EQ(MaskingNoise(0.25f, 1).describe(), "MaskingNoise(v = 0.25)");
  EXPECT_EQ(SaltAndPepperNoise(0.1f, 1).describe(), "SaltAndPepperNoise(p = 0.1)");
  EXPECT_EQ(BlockMasking(12, 1).describe(), "BlockMasking(size = 12)");
  EXPECT_EQ(GaussianNoise(0.5f, 1).stddev(), 0.5f);
  EXPECT_EQ(BlockMasking(12, 1).size(), 12);

  Sequential net;
  net.add(std::make_shared<MaskingNoise>(1.0f, 3));
  const Variable x(T::ones({2, 3}));
  EXPECT_EQ(fraction_equal(net(x).value(), 0.0f), 1.0);  // training: everything masked
  net.eval();  // the mode reaches the layer inside
  EXPECT_EQ(fraction_equal(net(x).value(), 1.0f), 1.0);
  EXPECT_EQ(net.num_parameters(), 0);
}
