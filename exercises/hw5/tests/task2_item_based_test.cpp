// HW5 task 2: the item-based prediction on small matrices whose answers are worked out by
// hand in the comments.
#include <gtest/gtest.h>

#include "exercises/hw5/tests/hw5_student.hpp"
#include "exercises/hw5/tests/hw5_testing.hpp"

namespace {

using namespace hw5_testing;

// Users 0..3, items 0..3. μ_0 = (3 + 4)/2 = 3.5, μ_1 = (4 + 5)/2 = 4.5, μ_2 = (2 + 1 + 3)/3 = 2.
const Matrix kR = {{0, 4, 2, 5}, {3, 5, 1, 0}, {4, 0, 3, 4}, {0, 0, 0, 1}};
// Row 0: item 0 is like item 1 (0.5), less like item 2 (0.25), unlike item 3 (-0.2).
const Matrix kS = {{1, 0.5, 0.25, -0.2}, {0.5, 1, 0.1, 0.3}, {0.25, 0.1, 1, 0.2}, {-0.2, 0.3, 0.2, 1}};

TEST(Task2ItemBased, PlainPredictionByHand) {
  // User 0 rated items 1, 2, 3; item 3's similarity is negative, so N = {1, 2}:
  // (0.5·4 + 0.25·2) / (0.5 + 0.25) = 10/3. (With item 3 too: 1.5 / 0.55 = 2.73.)
  EXPECT_NEAR(hw5_student::predict_item_based(to_tensor(kR), to_tensor(kS), 0, 0, 3, false), 10.0 / 3.0, 1e-6)
      << "the positively similar items the user rated, weighted by their similarity";
  // k = 1: item 1 alone, 4.
  EXPECT_NEAR(hw5_student::predict_item_based(to_tensor(kR), to_tensor(kS), 0, 0, 1, false), 4.0, 1e-6);
}

TEST(Task2ItemBased, MeanCentredPredictionByHand) {
  // μ_0 + (0.5 (4 - 4.5) + 0.25 (2 - 2)) / 0.75 = 3.5 - 1/3.
  EXPECT_NEAR(hw5_student::predict_item_based(to_tensor(kR), to_tensor(kS), 0, 0, 3, true), 3.5 - 1.0 / 3.0, 1e-6)
      << "μ_i + Σ S_ij (R_uj - μ_j) / Σ S_ij, μ the items' mean ratings";
  // User 2, item 1 (unrated by user 2): neighbours 3 (0.3, rated 4), 2 (0.1, rated 3), 0 (0.5,
  // rated 4). μ_3 = (5 + 4 + 1)/3 = 10/3, μ_2 = 2, μ_0 = 3.5, μ_1 = 4.5; with k = 2, N = {0, 3}:
  // 4.5 + (0.5 (4 - 3.5) + 0.3 (4 - 10/3)) / 0.8 = 4.5 + 0.45 / 0.8.
  EXPECT_NEAR(hw5_student::predict_item_based(to_tensor(kR), to_tensor(kS), 2, 1, 2, true), 4.5 + 0.45 / 0.8, 1e-6);
}

TEST(Task2ItemBased, OnlyTheKMostSimilarRatedItemsCount) {
  // One user: item 0 to predict; items 1..5 rated 1, 2, 5, 4, 1; item 6 unrated but the most
  // similar of all (it must not count). Similarities to item 0: 0.3, 0.9, 0.6, 0.9, 0.1, 1.
  const Matrix R = {{0, 1, 2, 5, 4, 1, 0}, {2, 3, 3, 3, 3, 3, 3}};
  Matrix S = zeros(7, 7);
  const std::vector<double> row0 = {1, 0.3, 0.9, 0.6, 0.9, 0.1, 1};
  for (size_t j = 0; j < 7; ++j) S[0][j] = S[j][0] = row0[j];
  for (size_t j = 0; j < 7; ++j) S[j][j] = 1;
  const ae::Tensor r = to_tensor(R), s = to_tensor(S);
  // k = 1: items 2 and 4 tie at 0.9; the smaller index, item 2, rated 2.
  EXPECT_NEAR(hw5_student::predict_item_based(r, s, 0, 0, 1, false), 2.0, 1e-6) << "k = 1 (a tie: smaller j first)";
  // k = 2: items 2 and 4, (0.9·2 + 0.9·4) / 1.8 = 3.
  EXPECT_NEAR(hw5_student::predict_item_based(r, s, 0, 0, 2, false), 3.0, 1e-6) << "k = 2";
  // k = 3: and item 3, (1.8 + 3.6 + 3.0) / 2.4 = 3.5.
  EXPECT_NEAR(hw5_student::predict_item_based(r, s, 0, 0, 3, false), 3.5, 1e-6) << "k = 3";
  // k = 10: all five rated ones, (8.4 + 0.3 + 0.1) / 2.8.
  EXPECT_NEAR(hw5_student::predict_item_based(r, s, 0, 0, 10, false), 8.8 / 2.8, 1e-6) << "k larger than |N|";
}

TEST(Task2ItemBased, NoNeighbourGivesTheItemMean) {
  // User 3 rated item 3 only, whose similarity to item 0 is negative: μ_0 = 3.5, both ways.
  EXPECT_NEAR(hw5_student::predict_item_based(to_tensor(kR), to_tensor(kS), 3, 0, 2, false), 3.5, 1e-6);
  EXPECT_NEAR(hw5_student::predict_item_based(to_tensor(kR), to_tensor(kS), 3, 0, 2, true), 3.5, 1e-6);
  // Item 0 has no rating and no similar item: the mean of every rating, (2 + 4 + 3)/3 = 3.
  const Matrix R = {{0, 2, 4}, {0, 0, 3}};
  const Matrix S = {{1, 0, 0}, {0, 1, 0.5}, {0, 0.5, 1}};
  EXPECT_NEAR(hw5_student::predict_item_based(to_tensor(R), to_tensor(S), 0, 0, 2, true), 3.0, 1e-6);
}

}  // namespace
