// Nice tick values and labels, against values worked out by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "nn/viz/ticks.hpp"

using ae::viz::format_number;
using ae::viz::linear_ticks;
using ae::viz::log_ticks;
using ae::viz::nice_number;

namespace {

void expect_values(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_NEAR(got[i], want[i], 1e-12 * std::max(1.0, std::abs(want[i]))) << i;
  }
}

}  // namespace

TEST(VizNiceNumber, RoundedAndCeiling) {
  // round: fraction < 1.5 -> 1, < 3 -> 2, < 7 -> 5, else 10.
  EXPECT_DOUBLE_EQ(nice_number(0.8, true), 1.0);  // 8 x 0.1 -> 10 x 0.1
  EXPECT_DOUBLE_EQ(nice_number(2.5, true), 2.0);
  EXPECT_DOUBLE_EQ(nice_number(3.0, true), 5.0);
  EXPECT_DOUBLE_EQ(nice_number(140, true), 100.0);
  // not rounded: the smallest nice number >= x.
  EXPECT_DOUBLE_EQ(nice_number(1.2, false), 2.0);
  EXPECT_DOUBLE_EQ(nice_number(55, false), 100.0);
  EXPECT_DOUBLE_EQ(nice_number(0.05, false), 0.05);
}

TEST(VizLinearTicks, UnitIntervalInFifths) {
  // (1 - 0) / 5 = 0.2, already nice.
  const auto ticks = linear_ticks(0, 1, 6);
  expect_values(ticks.values, {0, 0.2, 0.4, 0.6, 0.8, 1.0});
  EXPECT_EQ(ticks.labels, (std::vector<std::string>{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}));
}

TEST(VizLinearTicks, OnlyInsideTheRange) {
  // 20.2 / 7 = 2.89 rounds to 2: the even numbers from -6 to 12.
  const auto ticks = linear_ticks(-7.3, 12.9, 8);
  expect_values(ticks.values, {-6, -4, -2, 0, 2, 4, 6, 8, 10, 12});
  EXPECT_EQ(ticks.labels.front(), "-6");
  EXPECT_EQ(ticks.labels[3], "0");
}

TEST(VizLinearTicks, LargeAndSmallNumbers) {
  EXPECT_EQ(linear_ticks(0, 3e6, 4).labels, (std::vector<std::string>{"0", "1e6", "2e6", "3e6"}));
  // step 1e-4 is printed with four decimals.
  EXPECT_EQ(linear_ticks(0.0001, 0.0005, 5).labels,
            (std::vector<std::string>{"0.0001", "0.0002", "0.0003", "0.0004", "0.0005"}));
  // A step of 0.05 around negative values: -0.1, -0.05, 0, 0.05.
  EXPECT_EQ(linear_ticks(-0.1, 0.05, 4).labels,
            (std::vector<std::string>{"-0.10", "-0.05", "0.00", "0.05"}));
}

TEST(VizLinearTicks, WholeNumbersOnly) {
  // 3 epochs: 2.08 / 5 = 0.42 would round to 0.5; the minimum step 1 keeps 1, 2, 3.
  expect_values(linear_ticks(0.96, 3.04, 6, 1.0).values, {1, 2, 3});
  expect_values(linear_ticks(0.96, 3.04, 6).values, {1, 1.5, 2, 2.5, 3});
}

TEST(VizLinearTicks, EmptyForABadRange) {
  EXPECT_TRUE(linear_ticks(1, 1, 5).values.empty());
  EXPECT_TRUE(linear_ticks(2, 1, 5).values.empty());
  EXPECT_TRUE(linear_ticks(0, std::nan(""), 5).values.empty());
  EXPECT_TRUE(linear_ticks(0, INFINITY, 5).values.empty());
}

TEST(VizLogTicks, PowersOfTen) {
  const auto ticks = log_ticks(1e-4, 1, 10);
  expect_values(ticks.values, {1e-4, 1e-3, 1e-2, 1e-1, 1});
  EXPECT_EQ(ticks.labels, (std::vector<std::string>{"0.0001", "0.001", "0.01", "0.1", "1"}));
}

TEST(VizLogTicks, ThinnedWhenTooMany) {
  // 17 powers from 1e-8 to 1e8, about 5 wanted: every 4th.
  const auto ticks = log_ticks(1e-8, 1e8, 5);
  expect_values(ticks.values, {1e-8, 1e-4, 1, 1e4, 1e8});
  EXPECT_EQ(ticks.labels, (std::vector<std::string>{"1e-8", "0.0001", "1", "10000", "1e8"}));
}

TEST(VizLogTicks, MultiplesWhenFewPowers) {
  // Only 1 is a power of ten in [0.3, 8]; add 2x and 5x.
  expect_values(log_ticks(0.3, 8, 5).values, {0.5, 1, 2, 5});
  // No power and only 0.02 among the multiples: linear ticks instead.
  expect_values(log_ticks(0.0165, 0.0435, 8).values, {0.02, 0.025, 0.03, 0.035, 0.04});
  EXPECT_TRUE(log_ticks(0, 1, 5).values.empty());  // 0 has no logarithm
}

TEST(VizFormatNumber, ShortForms) {
  EXPECT_EQ(format_number(0.25), "0.25");
  EXPECT_EQ(format_number(-0.0), "0");
  EXPECT_EQ(format_number(1500), "1500");
  EXPECT_EQ(format_number(1234567), "1.23457e6");
  EXPECT_EQ(format_number(1e-5), "1e-5");
  EXPECT_EQ(format_number(-2.5e-7), "-2.5e-7");
}
