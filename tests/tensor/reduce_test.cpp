// Reductions: sum, mean, max, argmax, logsumexp over hand-checked values, any axes,
// negative axes, keepdim, strided inputs, and the accuracy of long sums.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "tensor/ops.hpp"

using ae::Error;
using ae::Shape;
using ae::Tensor;
namespace T = ae::tensor;

namespace {
// [[[ 0  1  2  3]
//   [ 4  5  6  7]
//   [ 8  9 10 11]]
//  [[12 13 14 15]
//   [16 17 18 19]
//   [20 21 22 23]]]
Tensor x234() { return T::arange(24).reshape({2, 3, 4}); }
using V = std::vector<float>;
}  // namespace

TEST(TensorSum, AllAndAxes) {
  const Tensor x = x234();
  EXPECT_EQ(T::sum(x).item(), 276.0f);  // 23 * 24 / 2
  EXPECT_EQ(T::sum(x).dim(), 0);
  EXPECT_EQ(T::sum(x, {0}).to_vector(), (V{12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34}));
  EXPECT_EQ(T::sum(x, {1}).to_vector(), (V{12, 15, 18, 21, 48, 51, 54, 57}));
  EXPECT_EQ(T::sum(x, {-1}).to_vector(), (V{6, 22, 38, 54, 70, 86}));
  EXPECT_EQ(T::sum(x, {0, 2}).to_vector(), (V{60, 92, 124}));
  EXPECT_EQ(T::sum(x, {2, 0}).to_vector(), (V{60, 92, 124}));
  EXPECT_EQ(T::sum(x, {0, 2}, true).shape(), (Shape{1, 3, 1}));
  EXPECT_EQ(T::sum(x, {}, true).shape(), (Shape{1, 1, 1}));
  EXPECT_EQ(T::sum(x, {1}).shape(), (Shape{2, 4}));
}

TEST(TensorSum, StridedInputs) {
  const Tensor x = x234();
  // permute to [4, 2, 3]: sum over the new last axis = sum over old axis 1
  EXPECT_EQ(T::sum(x.permute({2, 0, 1}), {2}).to_vector(), (V{12, 48, 15, 51, 18, 54, 21, 57}));
  // every other column: columns 0 and 2
  EXPECT_EQ(T::sum(x.slice(2, 0, 4, 2), {2}).to_vector(), (V{2, 10, 18, 26, 34, 42}));
  // an expanded tensor counts each repeat
  EXPECT_EQ(T::sum(T::from_vector({1, 2}, {2}).expand({3, 2})).item(), 9.0f);
  EXPECT_EQ(T::sum(T::zeros({0, 3}), {0}).to_vector(), (V{0, 0, 0}));
}

TEST(TensorSum, BadAxesAreErrors) {
  const Tensor x = x234();
  try {
    T::sum(x, {3});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "sum: axis 3 is out of range for shape [2, 3, 4]");
  }
  EXPECT_THROW(T::sum(x, {-4}), Error);
  EXPECT_THROW(T::sum(x, {1, -2}), Error);  // the same axis twice
  EXPECT_THROW(T::mean(x, {5}), Error);
  EXPECT_THROW(T::max(x, {5}), Error);
  EXPECT_THROW(T::argmax(x, 3), Error);
}

TEST(TensorMean, HandValues) {
  const Tensor x = x234();
  EXPECT_EQ(T::mean(x).item(), 11.5f);
  EXPECT_EQ(T::mean(x, {0, 1}).to_vector(), (V{10, 11, 12, 13}));
  EXPECT_EQ(T::mean(x, {-1}, true).shape(), (Shape{2, 3, 1}));
  EXPECT_EQ(T::mean(x, {-1}, true).to_vector(), (V{1.5f, 5.5f, 9.5f, 13.5f, 17.5f, 21.5f}));
  EXPECT_THROW(T::mean(T::zeros({0})), Error);
}

TEST(TensorMean, LongSumIsAccurate) {
  // A float running sum of n copies of 0.1 stalls once it reaches 2^24 * 0.1 / 2 or so;
  // the mean of 2^25 values of 0.1f must still be 0.1f. Smaller under the sanitizers.
  const int64_t n = std::getenv("AELAB_SANITIZER_BUILD") ? (int64_t{1} << 22) : (int64_t{1} << 25);
  const Tensor x = T::full({n}, 0.1f);
  EXPECT_EQ(T::mean(x).item(), 0.1f);
  EXPECT_FLOAT_EQ(T::sum(x).item(), static_cast<float>(double(0.1f) * double(n)));
  // Same along a kept axis (accumulators side by side).
  const Tensor y = x.reshape({n / 4, 4});
  EXPECT_EQ(T::mean(y, {0}).to_vector(), (V{0.1f, 0.1f, 0.1f, 0.1f}));
}

TEST(TensorMax, HandValues) {
  const Tensor x = T::from_vector({3, -1, 7, 2, 7, -5}, {2, 3});
  EXPECT_EQ(T::max(x).item(), 7.0f);
  EXPECT_EQ(T::max(x, {0}).to_vector(), (V{3, 7, 7}));
  EXPECT_EQ(T::max(x, {1}).to_vector(), (V{7, 7}));
  EXPECT_EQ(T::max(x, {1}, true).shape(), (Shape{2, 1}));
  EXPECT_EQ(T::max(x.t(), {0}).to_vector(), (V{7, 7}));
  EXPECT_EQ(T::max(T::full({2}, -std::numeric_limits<float>::infinity())).item(),
            -std::numeric_limits<float>::infinity());
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_TRUE(std::isnan(T::max(T::from_vector({1, nan, 2}, {3})).item()));
  // A NaN inside a long run (the vectorised path) and along a kept axis.
  Tensor long_run = T::arange(100).reshape({2, 50});
  long_run.at({1, 37}) = nan;
  const std::vector<float> rows = T::max(long_run, {1}).to_vector();
  EXPECT_EQ(rows[0], 49.0f);
  EXPECT_TRUE(std::isnan(rows[1]));
  const std::vector<float> cols = T::max(long_run, {0}).to_vector();
  EXPECT_EQ(cols[36], 86.0f);
  EXPECT_TRUE(std::isnan(cols[37]));
  EXPECT_TRUE(std::isnan(T::max(long_run.t(), {0}).to_vector()[1]));
  EXPECT_EQ(T::max(T::arange(100) - 200.0f).item(), -101.0f);
  EXPECT_THROW(T::max(T::zeros({0})), Error);
  EXPECT_THROW(T::max(T::zeros({2, 0}), {1}), Error);
}

TEST(TensorArgmax, FirstMaximumAlongAxis) {
  const Tensor x = T::from_vector({3, -1, 7, 2, 7, 9}, {2, 3});
  EXPECT_EQ(T::argmax(x, 1).to_vector(), (V{2, 2}));
  EXPECT_EQ(T::argmax(x, 0).to_vector(), (V{0, 1, 1}));
  EXPECT_EQ(T::argmax(x, -1, true).shape(), (Shape{2, 1}));
  EXPECT_EQ(T::argmax(T::from_vector({5, 5, 1}, {3}), 0).item(), 0.0f);  // first of equals
  EXPECT_EQ(T::argmax(x.t(), 1).to_vector(), (V{0, 1, 1}));
  EXPECT_EQ(T::argmax(x234(), 1).to_vector(), (V{2, 2, 2, 2, 2, 2, 2, 2}));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(T::argmax(T::from_vector({1, nan, 9}, {3}), 0).item(), 1.0f);
}

TEST(TensorLogsumexp, HandValuesAndStability) {
  // log(e^0 + e^0) = ln 2;  log(e^1 + e^2 + e^3) = 3 + log(e^-2 + e^-1 + 1)
  EXPECT_FLOAT_EQ(T::logsumexp(T::zeros({2})).item(), std::log(2.0f));
  const Tensor x = T::from_vector({1, 2, 3, 1000, 1000, -1000}, {2, 3});
  const std::vector<float> r = T::logsumexp(x, {1}).to_vector();
  EXPECT_FLOAT_EQ(r[0], 3.0f + std::log(std::exp(-2.0f) + std::exp(-1.0f) + 1.0f));
  EXPECT_FLOAT_EQ(r[1], 1000.0f + std::log(2.0f));  // exp(1000) alone would overflow
  EXPECT_EQ(T::logsumexp(x, {1}, true).shape(), (Shape{2, 1}));
  EXPECT_EQ(T::logsumexp(x, {0}).shape(), (Shape{3}));
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(T::logsumexp(T::full({3}, -inf)).item(), -inf);
  EXPECT_EQ(T::logsumexp(T::from_vector({inf, 1}, {2})).item(), inf);
}
