// Histogram shares counted by hand: bin edges belong to the upper bin, the top edge to the
// last bin, values outside or NaN are left out of the counts but not out of the total.
#include "nn/histogram.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "linalg/error.hpp"

using ae::nn::bin_centres;
using ae::nn::histogram_shares;

TEST(Histogram, SharesCountedByHand) {
  // [0, 1] in 4 bins of width 0.25: 0 and 0.1 -> bin 0; 0.25 -> bin 1; 0.6 -> bin 2; 1.0 -> bin 3;
  // 1.5, -0.1 and NaN are outside. 8 values in all.
  const std::vector<float> v = {0.0f, 0.1f, 0.25f, 0.6f, 1.0f, 1.5f, -0.1f, std::nanf("")};
  const auto s = histogram_shares(v, 4, 0.0, 1.0);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_DOUBLE_EQ(s[0], 2.0 / 8);
  EXPECT_DOUBLE_EQ(s[1], 1.0 / 8);
  EXPECT_DOUBLE_EQ(s[2], 1.0 / 8);
  EXPECT_DOUBLE_EQ(s[3], 1.0 / 8);
}

TEST(Histogram, CentresAndErrors) {
  const auto c = bin_centres(4, -1.0, 1.0);
  ASSERT_EQ(c.size(), 4u);
  EXPECT_DOUBLE_EQ(c[0], -0.75);
  EXPECT_DOUBLE_EQ(c[3], 0.75);
  EXPECT_THROW(histogram_shares(std::vector<float>{1.0f}, 0, 0.0, 1.0), ae::Error);
  EXPECT_THROW(bin_centres(3, 1.0, 1.0), ae::Error);
  EXPECT_EQ(histogram_shares(std::vector<float>{}, 3, 0.0, 1.0), std::vector<double>(3, 0.0));
}
