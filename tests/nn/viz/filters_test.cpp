// Filters as images: zero is mid-gray and each filter is scaled by its own largest |w|.
#include "nn/viz/filters.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "linalg/error.hpp"
#include "tensor/ops.hpp"

TEST(FiltersForDisplay, ZeroIsGrayAndEachRowHasItsOwnScale) {
  const ae::Tensor w = ae::tensor::from_vector({2, -1, 0, 0, 0, 0, 0.5f, 0.25f, -0.5f}, {3, 3});
  const std::vector<float> d = ae::viz::filters_for_display(w).to_vector();
  // Row 0: peak 2 -> 1, 0.25, 0.5; row 1: all zero -> gray; row 2: peak 0.5 -> 1, 0.75, 0.
  const std::vector<float> want = {1.0f, 0.25f, 0.5f, 0.5f, 0.5f, 0.5f, 1.0f, 0.75f, 0.0f};
  ASSERT_EQ(d.size(), want.size());
  for (size_t i = 0; i < d.size(); ++i) EXPECT_FLOAT_EQ(d[i], want[i]) << i;
  EXPECT_THROW(ae::viz::filters_for_display(ae::tensor::zeros({4})), ae::Error);
}

TEST(FiltersForDisplay, CentredRowsSubtractTheirMeanFirst) {
  const ae::Tensor w = ae::tensor::from_vector({1, 2, 3, -4, -4, -4, 0, 0, 2}, {3, 3});
  const std::vector<float> d = ae::viz::filters_for_display(w, /*centre_rows=*/true).to_vector();
  // Row 0: mean 2, w - mean = (-1, 0, 1) -> 0, 0.5, 1. Row 1: constant -> gray.
  // Row 2: mean 2/3, w - mean = (-2/3, -2/3, 4/3), peak 4/3 -> 0.25, 0.25, 1.
  const std::vector<float> want = {0, 0.5f, 1, 0.5f, 0.5f, 0.5f, 0.25f, 0.25f, 1};
  for (size_t i = 0; i < d.size(); ++i) EXPECT_NEAR(d[i], want[i], 1e-6) << i;
  EXPECT_EQ(w.to_vector()[0], 1.0f);  // the input is untouched
}
