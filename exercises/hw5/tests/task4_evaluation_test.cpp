// HW5 task 4: the evaluation protocol. Folds that partition the ratings, item means by
// hand, training means that no test rating reaches, and an RMSE by hand.
#include <cmath>

#include <gtest/gtest.h>

#include "exercises/hw5/tests/hw5_student.hpp"
#include "exercises/hw5/tests/hw5_testing.hpp"

namespace {

using namespace hw5_testing;
using ae::Tensor;

TEST(Task4Evaluation, FoldsAreDisjointAndCoverEveryRating) {
  for (auto [N, k] : {std::pair<int64_t, int64_t>{103, 5}, {10, 10}, {7, 1}, {1000, 3}}) {
    const ae::hw5::Folds folds = hw5_student::k_fold_split(N, k, 5);
    EXPECT_EQ(fold_problem(folds, N, k), "") << "N = " << N << ", k = " << k;
  }
  // Shuffled: the first fold of 1000 ratings in 3 folds is not 0 .. 332 in order.
  const ae::hw5::Folds folds = hw5_student::k_fold_split(1000, 3, 5);
  ASSERT_EQ(folds.size(), 3u);
  std::vector<int64_t> in_order(folds[0].size());
  for (size_t t = 0; t < in_order.size(); ++t) in_order[t] = static_cast<int64_t>(t);
  EXPECT_NE(folds[0], in_order) << "the folds must come from a random permutation of the ratings";
}

TEST(Task4Evaluation, FoldsFollowTheSeed) {
  EXPECT_EQ(hw5_student::k_fold_split(50, 5, 7), hw5_student::k_fold_split(50, 5, 7)) << "the same seed, the same folds";
  EXPECT_NE(hw5_student::k_fold_split(50, 5, 7), hw5_student::k_fold_split(50, 5, 8)) << "another seed, other folds";
}

TEST(Task4Evaluation, ItemMeansByHand) {
  // Item 0: (4 + 2)/2 = 3; item 1: 5; item 2: (3 + 4 + 5)/3 = 4; item 3 unrated: the mean of
  // all six, 23/6.
  const std::vector<Rating> ratings = {{0, 0, 4, 0}, {1, 0, 2, 0}, {2, 1, 5, 0},
                                       {0, 2, 3, 0}, {1, 2, 4, 0}, {2, 2, 5, 0}};
  const Tensor means = hw5_student::item_means(ratings, 4);
  EXPECT_LT(max_abs_diff(means, std::vector<double>{3, 5, 4, 23.0 / 6.0}), 1e-6);
}

TEST(Task4Evaluation, TestRatingsDoNotReachTheTrainingMeans) {
  ae::Generator gen(41);
  std::vector<Rating> ratings = random_ratings(40, 6, 5, gen);
  // Four folds of ten, the ratings dealt round-robin (any partition will do here).
  ae::hw5::Folds folds(4);
  for (int64_t t = 0; t < 40; ++t) folds[static_cast<size_t>(t % 4)].push_back(t);
  for (int64_t test_fold = 0; test_fold < 4; ++test_fold) {
    std::vector<bool> training(40, true);
    for (int64_t t : folds[static_cast<size_t>(test_fold)]) training[static_cast<size_t>(t)] = false;
    const Tensor means = hw5_student::training_item_means(ratings, folds, test_fold, 5);
    EXPECT_LT(max_abs_diff(means, means_of(ratings, training, 5)), 1e-6)
        << "test fold " << test_fold << ": the means of the other folds' ratings";
    // Changing every test rating changes nothing.
    std::vector<Rating> changed = ratings;
    for (int64_t t : folds[static_cast<size_t>(test_fold)]) changed[static_cast<size_t>(t)].rating = 6 - changed[static_cast<size_t>(t)].rating;
    const Tensor again = hw5_student::training_item_means(changed, folds, test_fold, 5);
    EXPECT_TRUE(ae::tensor::allclose(again, means, 0, 0)) << "test fold " << test_fold << ": a test rating leaks";
  }
}

TEST(Task4Evaluation, RmseByHand) {
  // Errors -1, 0, 2, -1: sqrt(6 / 4).
  EXPECT_NEAR(hw5_student::rmse(to_tensor(std::vector<double>{3, 4, 5, 1}), to_tensor(std::vector<double>{4, 4, 3, 2})),
              std::sqrt(1.5), 1e-6);
}

}  // namespace
