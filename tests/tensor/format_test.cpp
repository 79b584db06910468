// Printing: exact strings written out by hand from the rules in tensor/format.hpp.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>

#include "tensor/format.hpp"
#include "tensor/ops.hpp"

using ae::Tensor;
namespace T = ae::tensor;

TEST(TensorFormat, Matrix) {
  const Tensor x = T::from_vector({1, 2, 3, 4}, {2, 2});
  EXPECT_EQ(ae::to_string(x),
            "tensor([[1.0000, 2.0000],\n"
            "        [3.0000, 4.0000]])");
  EXPECT_EQ(fmt::format("{}", x), ae::to_string(x));
  // A transposed view prints its logical order.
  EXPECT_EQ(fmt::format("{}", x.t()),
            "tensor([[1.0000, 3.0000],\n"
            "        [2.0000, 4.0000]])");
}

TEST(TensorFormat, ScalarVectorAndAlignment) {
  EXPECT_EQ(ae::to_string(T::scalar(3.5f)), "tensor(3.5000)");
  EXPECT_EQ(ae::to_string(T::from_vector({-1, 2.5f, 10}, {3})),
            "tensor([-1.0000,  2.5000, 10.0000])");
  EXPECT_EQ(fmt::format("{:>20}", T::scalar(1)), "      tensor(1.0000)");
  std::ostringstream os;
  os << T::ones({1});
  EXPECT_EQ(os.str(), "tensor([1.0000])");
}

TEST(TensorFormat, ThreeDimensionsSeparateBlocksByABlankLine) {
  EXPECT_EQ(ae::to_string(T::arange(8).reshape({2, 2, 2})),
            "tensor([[[0.0000, 1.0000],\n"
            "         [2.0000, 3.0000]],\n"
            "\n"
            "        [[4.0000, 5.0000],\n"
            "         [6.0000, 7.0000]]])");
}

TEST(TensorFormat, ScientificNanInf) {
  EXPECT_EQ(ae::to_string(T::from_vector({1e-5f, 1}, {2})), "tensor([1.0000e-05, 1.0000e+00])");
  EXPECT_EQ(ae::to_string(T::from_vector({3e8f}, {1})), "tensor([3.0000e+08])");
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(ae::to_string(T::from_vector({nan, -inf, 1}, {3})),
            "tensor([   nan,   -inf, 1.0000])");
}

TEST(TensorFormat, ElidedWhenLarge) {
  EXPECT_EQ(ae::to_string(T::arange(2000)),
            "tensor([   0.0000,    1.0000,    2.0000, ..., 1997.0000, 1998.0000, 1999.0000], "
            "shape=[2000])");
  EXPECT_EQ(ae::to_string(T::ones({501, 2})),
            "tensor([[1.0000, 1.0000],\n"
            "        [1.0000, 1.0000],\n"
            "        [1.0000, 1.0000],\n"
            "        ...,\n"
            "        [1.0000, 1.0000],\n"
            "        [1.0000, 1.0000],\n"
            "        [1.0000, 1.0000]], shape=[501, 2])");
  // 1000 elements are printed in full.
  EXPECT_EQ(ae::to_string(T::zeros({1000})).find("..."), std::string::npos);
  // Elided on both axes: rows 0-2 and 97-99, columns 0-2 and 8-10, value = 11 row + col.
  const std::string big = ae::to_string(T::arange(1100).reshape({100, 11}));
  const std::string first_row =
      "tensor([[   0.0000,    1.0000,    2.0000, ...,    8.0000,    9.0000,   10.0000],\n";
  EXPECT_EQ(big.substr(0, first_row.size()), first_row);
  EXPECT_NE(big.find("[1067.0000, 1068.0000, 1069.0000, ..., 1075.0000, 1076.0000, 1077.0000]"),
            std::string::npos);
}

TEST(TensorFormat, EmptyAndUndefined) {
  EXPECT_EQ(ae::to_string(T::zeros({0, 3})), "tensor([], shape=[0, 3])");
  EXPECT_EQ(ae::to_string(Tensor()), "tensor(undefined)");
}
