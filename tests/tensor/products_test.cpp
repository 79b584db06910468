// sum_double, dot, norm and outer against values worked by hand, on contiguous tensors and
// on strided views, and their shape errors.
#include <gtest/gtest.h>

#include "tensor/ops.hpp"

using ae::Error;
using ae::Tensor;
namespace T = ae::tensor;

namespace {

TEST(TensorProducts, DotAndNormByHand) {
  const Tensor a = T::from_vector({1, 2, 3}, {3});
  const Tensor b = T::from_vector({4, -5, 6}, {3});
  EXPECT_DOUBLE_EQ(T::dot(a, b), 4 - 10 + 18);
  EXPECT_DOUBLE_EQ(T::norm(T::from_vector({3, 4}, {2})), 5.0);
  // Matrices: the Frobenius inner product and norm.
  const Tensor m = T::from_vector({1, 2, 2, 4}, {2, 2});
  EXPECT_DOUBLE_EQ(T::norm(m), 5.0);
}

TEST(TensorProducts, WorkOnStridedViews) {
  // Columns of [[1, 2], [3, 4], [5, 6]]: (1, 3, 5) · (2, 4, 6) = 2 + 12 + 30.
  const Tensor m = T::from_vector({1, 2, 3, 4, 5, 6}, {3, 2});
  const Tensor c0 = m.slice(1, 0, 1).reshape({3});
  const Tensor c1 = m.t()[1];
  EXPECT_DOUBLE_EQ(T::dot(c0, c1), 44.0);
  EXPECT_DOUBLE_EQ(T::sum_double(m.t()), 21.0);
}

TEST(TensorProducts, SumDoubleKeepsWhatFloatLoses) {
  // 2^24 + 1 is not a float; a double total of 2^24 ones and one more 1 is exact.
  const Tensor ones = T::full({(1 << 24) + 1}, 1.0f);
  EXPECT_DOUBLE_EQ(T::sum_double(ones), 16777217.0);
}

TEST(TensorProducts, OuterByHand) {
  const Tensor o = T::outer(T::from_vector({1, 2}, {2}), T::from_vector({3, 4, 5}, {3}));
  ASSERT_EQ(o.shape(), (ae::Shape{2, 3}));
  EXPECT_EQ(o.to_vector(), (std::vector<float>{3, 4, 5, 6, 8, 10}));
}

TEST(TensorProducts, ShapeErrorsNameTheShapes) {
  try {
    T::dot(T::zeros({3}), T::zeros({4}));
    FAIL() << "dot of different shapes must throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("[3]"), std::string::npos) << e.what();
  }
  EXPECT_THROW(T::outer(T::zeros({2, 2}), T::zeros({2})), Error);
}

}  // namespace
