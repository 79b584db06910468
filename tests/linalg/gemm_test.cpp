// gemm: the reference kernel against hand-computed products, and the entry point's checks.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "linalg/error.hpp"
#include "linalg/gemm.hpp"

using ae::linalg::Trans;

TEST(GemmRef, TwoByTwoByHand) {
  // [1 2; 3 4] * [5 6; 7 8] = [19 22; 43 50]
  const float A[] = {1, 2, 3, 4}, B[] = {5, 6, 7, 8};
  float C[4] = {};
  ae::linalg::gemm_ref(Trans::No, Trans::No, 2, 2, 2, 1.f, A, 2, B, 2, 0.f, C, 2);
  EXPECT_EQ(C[0], 19);
  EXPECT_EQ(C[1], 22);
  EXPECT_EQ(C[2], 43);
  EXPECT_EQ(C[3], 50);
}

TEST(GemmRef, TransposesAlphaBeta) {
  // A^T with A = [1 3; 2 4] stored, so op(A) = [1 2; 3 4]; B^T with B = [5 7; 6 8].
  const float A[] = {1, 3, 2, 4}, B[] = {5, 7, 6, 8};
  float C[4] = {1, 1, 1, 1};
  ae::linalg::gemm_ref(Trans::Yes, Trans::Yes, 2, 2, 2, 2.f, A, 2, B, 2, 0.5f, C, 2);
  EXPECT_EQ(C[0], 2 * 19 + 0.5f);
  EXPECT_EQ(C[3], 2 * 50 + 0.5f);
}

TEST(GemmRef, BetaZeroOverwritesNaN) {
  const float A[] = {1, 2}, B[] = {3, 4};
  float C[1] = {std::numeric_limits<float>::quiet_NaN()};
  ae::linalg::gemm(Trans::No, Trans::No, 1, 1, 2, 1.f, A, 2, B, 1, 0.f, C, 1);
  EXPECT_EQ(C[0], 11);
}

TEST(Gemm, BadLeadingDimensionIsAnError) {
  const float A[4] = {}, B[4] = {};
  float C[4] = {};
  EXPECT_THROW(ae::linalg::gemm(Trans::No, Trans::No, 2, 2, 2, 1.f, A, 1, B, 2, 0.f, C, 2),
               ae::Error);
}
