// HW3 task 3: conv2d forward by im2col. im2col is checked by hand and against the
// definition written out here; the forward pass against the direct loop of the
// cross-correlation (hw3.hpp), with kernels that are neither symmetric nor square, so
// that a flipped or transposed kernel and one-sided padding all show.
#include <gtest/gtest.h>

#include "exercises/hw3/tests/hw3_student.hpp"
#include "exercises/hw3/tests/hw3_testing.hpp"

namespace {

using namespace hw3_testing;
using ae::Tensor;

// One 3 x 3 image holding 1 .. 9 row by row.
Image one_to_nine() {
  Image x = image(1, 1, 3, 3);
  for (size_t i = 0; i < 9; ++i) x.v[i] = static_cast<double>(i + 1);
  return x;
}

TEST(Task3ConvForward, Im2colByHand) {
  // 2 x 2 windows, stride 1, no padding: 4 windows (columns), 4 taps (rows).
  const Tensor cols = hw3_student::im2col(one_to_nine().tensor(), 2, 2, 1, 0);
  const Matrix expected = {{1, 2, 4, 5}, {2, 3, 5, 6}, {4, 5, 7, 8}, {5, 6, 8, 9}};
  EXPECT_LT(max_abs_diff(cols, expected), 1e-6) << "cols[i·kw + j, oh·Wo + ow] = x[oh + i, ow + j]";
  // Padding 1 and stride 2: windows start at rows and columns -1 and 1.
  const Matrix padded = {{0, 0, 0, 5}, {0, 0, 4, 6}, {0, 2, 0, 8}, {1, 3, 7, 9}};
  EXPECT_LT(max_abs_diff(hw3_student::im2col(one_to_nine().tensor(), 2, 2, 2, 1), padded), 1e-6)
      << "padding 1 on every side, stride 2";
}

TEST(Task3ConvForward, CrossCorrelationNotConvolution) {
  // A kernel that picks its top-left tap reads x[oh][ow]; flipped (a convolution) it would
  // read x[oh+1][ow+1]. The top-right tap reads x[oh][ow+1]; transposed, x[oh+1][ow].
  Image top_left = image(1, 1, 2, 2), top_right = image(1, 1, 2, 2);
  top_left.v[0] = 1;
  top_right.v[1] = 1;
  const Tensor x = one_to_nine().tensor();
  EXPECT_LT(max_flat_diff(hw3_student::conv2d_forward(x, top_left.tensor(), Tensor(), 1, 0), {1, 2, 4, 5}), 1e-6)
      << "w[0][0] = 1 must give y[oh][ow] = x[oh][ow] (the kernel is not flipped)";
  EXPECT_LT(max_flat_diff(hw3_student::conv2d_forward(x, top_right.tensor(), Tensor(), 1, 0), {2, 3, 5, 6}), 1e-6)
      << "w[0][1] = 1 must give y[oh][ow] = x[oh][ow + 1]";
}

TEST(Task3ConvForward, MatchesTheDirectLoop) {
  ae::Generator gen(31);
  const Image x = random_image(2, 3, 5, 6, gen), w = random_image(4, 3, 3, 2, gen);
  std::vector<double> b = {0.5, -0.25, 1, 0};
  const Tensor y = hw3_student::conv2d_forward(x.tensor(), w.tensor(), to_tensor(b), 1, 1);
  const Image expected = conv_direct(x, w, b, 1, 1);
  ASSERT_TRUE(y.defined());
  EXPECT_EQ(y.shape(), expected.shape()) << "(N, O, Ho, Wo)";
  EXPECT_LT(max_flat_diff(y, expected.v), 1e-5) << "3 x 2 kernels, stride 1, padding 1";
  // Without a bias.
  EXPECT_LT(max_flat_diff(hw3_student::conv2d_forward(x.tensor(), w.tensor(), Tensor(), 1, 0),
                          conv_direct(x, w, {}, 1, 0).v),
            1e-5)
      << "no bias, no padding";
}

TEST(Task3ConvForward, StrideAndPadding) {
  ae::Generator gen(32);
  const Image x = random_image(2, 2, 7, 6, gen), w = random_image(3, 2, 3, 4, gen);
  const std::vector<double> b = {0.1, 0.2, -0.3};
  for (auto [s, p] : {std::pair<int64_t, int64_t>{2, 1}, {3, 2}, {2, 0}}) {
    const Tensor y = hw3_student::conv2d_forward(x.tensor(), w.tensor(), to_tensor(b), s, p);
    const Image expected = conv_direct(x, w, b, s, p);
    ASSERT_TRUE(y.defined());
    EXPECT_EQ(y.shape(), expected.shape()) << "stride " << s << ", padding " << p;
    EXPECT_LT(max_flat_diff(y, expected.v), 1e-5) << "stride " << s << ", padding " << p;
  }
}

}  // namespace
