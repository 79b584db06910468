// HW5 task 1: the cosine similarity over co-rated entries. Pairs whose answer is known by
// hand — one where the entries only one vector rated would change it — and a pair with
// nothing in common.
#include <cmath>

#include <gtest/gtest.h>

#include "exercises/hw5/tests/hw5_student.hpp"
#include "exercises/hw5/tests/hw5_testing.hpp"

namespace {

using namespace hw5_testing;

TEST(Task1Similarity, CoRatedEntriesOnlyByHand) {
  // Co-rated: entries 0 and 3, a = (4, 5), b = (2, 1): 13 / (sqrt(41) sqrt(5)) = 13 / sqrt(205).
  // (Over every entry it would be 13 / (sqrt(51) sqrt(30)) = 0.332.)
  const std::vector<double> a = {4, 0, 3, 5, 1}, b = {2, 5, 0, 1, 0};
  EXPECT_NEAR(hw5_student::cosine_similarity(to_tensor(a), to_tensor(b)), 13 / std::sqrt(205.0), 1e-6)
      << "sums over the entries both vectors rated, norms included";
  EXPECT_NEAR(hw5_student::cosine_similarity(to_tensor(b), to_tensor(a)), 13 / std::sqrt(205.0), 1e-6)
      << "s(b, a) = s(a, b)";
  // Co-rated (1, 2) and (2, 4) are parallel: 1, whatever the other entries hold.
  EXPECT_NEAR(hw5_student::cosine_similarity(to_tensor(std::vector<double>{1, 2, 0, 3}),
                                             to_tensor(std::vector<double>{2, 4, 5, 0})),
              1.0, 1e-6);
  ae::Generator gen(11);
  const std::vector<double> x = sparse_ratings(40, 0.5, gen), y = sparse_ratings(40, 0.5, gen);
  EXPECT_NEAR(hw5_student::cosine_similarity(to_tensor(x), to_tensor(y)), co_rated_cosine(x, y), 1e-6);
}

TEST(Task1Similarity, NoCoRatedEntryGivesZero) {
  EXPECT_EQ(hw5_student::cosine_similarity(to_tensor(std::vector<double>{3, 0, 4, 0}),
                                           to_tensor(std::vector<double>{0, 5, 0, 2})),
            0.0)
      << "no entry rated by both: 0, as hw5.hpp says";
  EXPECT_EQ(hw5_student::cosine_similarity(to_tensor(std::vector<double>{0, 0, 0}),
                                           to_tensor(std::vector<double>{1, 2, 3})),
            0.0)
      << "a vector without ratings";
  // One co-rated entry: the two one-element vectors are parallel.
  EXPECT_NEAR(hw5_student::cosine_similarity(to_tensor(std::vector<double>{0, 2, 5}),
                                             to_tensor(std::vector<double>{4, 0, 1})),
              1.0, 1e-6);
}

}  // namespace
