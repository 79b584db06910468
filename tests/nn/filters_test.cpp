// Filters as images: display scaling and roughness, against values worked out by hand and the
// expectation for independent noise.
#include "nn/filters.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "linalg/error.hpp"
#include "tensor/ops.hpp"
#include "tensor/random.hpp"

namespace T = ae::tensor;

TEST(Filters, RoughnessByHand) {
  // 4 × 4 images; 24 neighbour pairs (12 horizontal, 12 vertical).
  std::vector<float> ramp, checker, flat(16, 3.0f);
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 4; ++c) {
      ramp.push_back(float(c));                     // horizontal steps of 1, vertical of 0
      checker.push_back((r + c) % 2 ? 1.0f : -1.0f);  // every pair differs by 2
    }
  std::vector<float> all = ramp;
  all.insert(all.end(), checker.begin(), checker.end());
  all.insert(all.end(), flat.begin(), flat.end());
  const auto r = ae::nn::filter_roughness(T::from_vector(all, {3, 16}), 4, 4);
  ASSERT_EQ(r.size(), 3u);
  // ramp: Σ d² = 12, Var(column) = (4² - 1)/12 = 1.25  ->  12 / (2 · 24 · 1.25) = 0.2
  EXPECT_NEAR(r[0], 0.2, 1e-12);
  // checkerboard: Σ d² = 24 · 4, Var = 1  ->  96 / 48 = 2
  EXPECT_NEAR(r[1], 2.0, 1e-12);
  EXPECT_EQ(r[2], 0.0);
}

TEST(Filters, IndependentNoiseHasRoughnessOne) {
  ae::Generator gen(3);
  const auto r = ae::nn::filter_roughness(T::randn({400, 28 * 28}, gen), 28, 28);
  const double mean = std::accumulate(r.begin(), r.end(), 0.0) / double(r.size());
  // Each R is a ratio of sums over ~1500 pairs, with a spread of a few hundredths; the mean
  // of 400 lies within 0.01 of 1.
  EXPECT_NEAR(mean, 1.0, 0.01);
}

TEST(Filters, WrongShapeNamesIt) {
  try {
    ae::nn::filter_roughness(T::zeros({2, 10}), 3, 3);
    ADD_FAILURE() << "no error";
  } catch (const ae::Error& e) {
    EXPECT_NE(std::string(e.what()).find("[2, 10]"), std::string::npos) << e.what();
  }
}
