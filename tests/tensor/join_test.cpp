// index_select, concat and stack against hand-written results.
#include <gtest/gtest.h>

#include "tensor/ops.hpp"

using ae::Error;
using ae::Shape;
using ae::Tensor;
namespace T = ae::tensor;
using V = std::vector<float>;

TEST(TensorIndexSelect, RowsAndColumns) {
  const Tensor x = T::arange(12).reshape({3, 4});
  EXPECT_EQ(T::index_select(x, 0, {2, 0, 2}).to_vector(),
            (V{8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11}));
  EXPECT_EQ(T::index_select(x, 1, {3, -4}).to_vector(), (V{3, 0, 7, 4, 11, 8}));
  EXPECT_EQ(T::index_select(x.t(), 0, {1}).to_vector(), (V{1, 5, 9}));
  EXPECT_EQ(T::index_select(x, 0, {}).shape(), (Shape{0, 4}));
  EXPECT_THROW(T::index_select(x, 0, {3}), Error);
  EXPECT_THROW(T::index_select(x, 2, {0}), Error);
}

TEST(TensorConcat, AlongAnyAxis) {
  const Tensor a = T::from_vector({1, 2, 3, 4}, {2, 2});
  const Tensor b = T::from_vector({5, 6}, {1, 2});
  EXPECT_EQ(T::concat({a, b}, 0).to_vector(), (V{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(T::concat({a, b.t()}, -1).to_vector(), (V{1, 2, 5, 3, 4, 6}));
  EXPECT_EQ(T::concat({a, a.t()}, 1).shape(), (Shape{2, 4}));
  EXPECT_THROW(T::concat({a, b}, 1), Error);
  EXPECT_THROW(T::concat({}, 0), Error);
  EXPECT_THROW(T::concat({a, T::zeros({2})}, 0), Error);
}

TEST(TensorStack, NewAxis) {
  const Tensor a = T::from_vector({1, 2}, {2});
  const Tensor b = T::from_vector({3, 4}, {2});
  EXPECT_EQ(T::stack({a, b}, 0).shape(), (Shape{2, 2}));
  EXPECT_EQ(T::stack({a, b}, 0).to_vector(), (V{1, 2, 3, 4}));
  EXPECT_EQ(T::stack({a, b}, 1).to_vector(), (V{1, 3, 2, 4}));
  EXPECT_EQ(T::stack({a, b}, -1).to_vector(), (V{1, 3, 2, 4}));
  EXPECT_THROW(T::stack({a, T::zeros({3})}, 0), Error);
  EXPECT_THROW(T::stack({a, b}, 2), Error);
}
