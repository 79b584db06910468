// Views: shape, strides and offsets by hand; views share storage; contiguous() copies only
// when it must; reshape is a view when the layout allows.
#include <gtest/gtest.h>

#include <cstdint>

#include "tensor/ops.hpp"
#include "tensor/tensor.hpp"

using ae::Error;
using ae::Shape;
using ae::Strides;
using ae::Tensor;
namespace T = ae::tensor;

namespace {
// x[i][j][k] = 100 i + 10 j + k, so every element names its own index.
Tensor indexed(const Shape& shape) {
  Tensor x = T::empty(shape);
  std::vector<float> v;
  for (int64_t i = 0; i < x.numel(); ++i) {
    int64_t rest = i, value = 0, scale = 1;
    for (std::size_t d = shape.size(); d-- > 0;) {
      value += (rest % shape[d]) * scale;
      rest /= shape[d];
      scale *= 10;
    }
    v.push_back(static_cast<float>(value));
  }
  return T::from_vector(v, shape);
}
}  // namespace

TEST(TensorShape, Helpers) {
  EXPECT_EQ(ae::to_string(Shape{2, 3, 4}), "[2, 3, 4]");
  EXPECT_EQ(ae::to_string(Shape{}), "[]");
  EXPECT_EQ(ae::numel_of({2, 3, 4}), 24);
  EXPECT_EQ(ae::numel_of({}), 1);
  EXPECT_EQ(ae::numel_of({3, 0}), 0);
  EXPECT_EQ(ae::contiguous_strides({2, 3, 4}), (Strides{12, 4, 1}));
}

TEST(TensorStorage, IsAlignedTo64Bytes) {
  for (int64_t n : {0, 1, 3, 17, 1000}) {
    ae::Storage s(n);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(s.data()) % 64, 0u) << n;
    EXPECT_EQ(s.size(), n);
  }
}

TEST(TensorBasics, UndefinedByDefault) {
  Tensor t;
  EXPECT_FALSE(t.defined());
  EXPECT_THROW(t.reshape({1}), Error);
  EXPECT_THROW(T::add(t, t), Error);
}

TEST(TensorBasics, CreationAndElements) {
  const Tensor z = T::zeros({2, 3});
  EXPECT_EQ(z.shape(), (Shape{2, 3}));
  EXPECT_EQ(z.strides(), (Strides{3, 1}));
  EXPECT_EQ(z.to_vector(), std::vector<float>(6, 0.0f));
  EXPECT_EQ(T::ones({2}).to_vector(), (std::vector<float>{1, 1}));
  EXPECT_EQ(T::full({2}, 2.5f).to_vector(), (std::vector<float>{2.5f, 2.5f}));
  EXPECT_EQ(T::scalar(4.0f).dim(), 0);
  EXPECT_EQ(T::scalar(4.0f).item(), 4.0f);
  EXPECT_EQ(T::arange(4).to_vector(), (std::vector<float>{0, 1, 2, 3}));
  EXPECT_EQ(T::arange(1.0f, 2.0f, 0.25f).to_vector(),
            (std::vector<float>{1.0f, 1.25f, 1.5f, 1.75f}));
  EXPECT_EQ(T::arange(3.0f, 0.0f, -1.0f).to_vector(), (std::vector<float>{3, 2, 1}));
  EXPECT_EQ(T::eye(3).to_vector(), (std::vector<float>{1, 0, 0, 0, 1, 0, 0, 0, 1}));
  Tensor x = indexed({2, 3});
  EXPECT_EQ(x.at({1, 2}), 12.0f);
  EXPECT_EQ(x.at({-1, -3}), 10.0f);
  x.at({0, 1}) = 7.0f;
  EXPECT_EQ(x.to_vector()[1], 7.0f);
  EXPECT_THROW(x.at({2, 0}), Error);
  EXPECT_THROW(x.at({0}), Error);
  EXPECT_THROW(x.item(), Error);
  EXPECT_THROW(T::from_vector({1, 2, 3}, {2, 2}), Error);
  EXPECT_EQ(x.size(-1), 3);
  EXPECT_THROW(x.size(2), Error);
}

TEST(TensorViews, TransposeSharesStorageAndSwapsStrides) {
  Tensor x = indexed({2, 3});
  Tensor y = x.t();
  EXPECT_EQ(y.shape(), (Shape{3, 2}));
  EXPECT_EQ(y.strides(), (Strides{1, 3}));
  EXPECT_EQ(y.storage(), x.storage());
  EXPECT_FALSE(y.is_contiguous());
  EXPECT_EQ(y.to_vector(), (std::vector<float>{0, 10, 1, 11, 2, 12}));
  y.at({2, 1}) = -1.0f;  // writes through to x[1][2]
  EXPECT_EQ(x.at({1, 2}), -1.0f);
  EXPECT_THROW(indexed({2, 3, 4}).t(), Error);
}

TEST(TensorViews, Permute) {
  Tensor x = indexed({2, 3, 4});
  Tensor y = x.permute({2, 0, 1});
  EXPECT_EQ(y.shape(), (Shape{4, 2, 3}));
  EXPECT_EQ(y.strides(), (Strides{1, 12, 4}));
  EXPECT_EQ(y.at({3, 1, 2}), 123.0f);
  EXPECT_EQ(x.permute({-1, 0, 1}).strides(), (Strides{1, 12, 4}));
  EXPECT_THROW(x.permute({0, 0, 1}), Error);
  EXPECT_THROW(x.permute({0, 1}), Error);
}

TEST(TensorViews, SliceWithStepAndNegativeBounds) {
  Tensor x = indexed({4, 5});
  Tensor s = x.slice(1, 1, 5, 2);  // columns 1, 3
  EXPECT_EQ(s.shape(), (Shape{4, 2}));
  EXPECT_EQ(s.strides(), (Strides{5, 2}));
  EXPECT_EQ(s.offset(), 1);
  EXPECT_EQ(s.storage(), x.storage());
  EXPECT_EQ(s.to_vector(), (std::vector<float>{1, 3, 11, 13, 21, 23, 31, 33}));
  Tensor r = x.slice(0, -2, 100);  // last two rows, stop clamped
  EXPECT_EQ(r.shape(), (Shape{2, 5}));
  EXPECT_EQ(r.offset(), 10);
  EXPECT_TRUE(r.is_contiguous());
  EXPECT_EQ(x.slice(0, 3, 1).shape(), (Shape{0, 5}));
  EXPECT_EQ(x.slice(1, 0, 5, 3).to_vector()[1], 3.0f);
  EXPECT_THROW(x.slice(0, 0, 2, 0), Error);
  EXPECT_THROW(x.slice(2, 0, 1), Error);
}

TEST(TensorViews, ExpandHasZeroStrides) {
  Tensor row = T::from_vector({1, 2, 3}, {3});
  Tensor e = row.expand({2, 3});
  EXPECT_EQ(e.strides(), (Strides{0, 1}));
  EXPECT_EQ(e.to_vector(), (std::vector<float>{1, 2, 3, 1, 2, 3}));
  Tensor col = T::from_vector({1, 2}, {2, 1});
  EXPECT_EQ(col.expand({2, 3}).strides(), (Strides{1, 0}));
  EXPECT_EQ(col.expand({2, 3}).to_vector(), (std::vector<float>{1, 1, 1, 2, 2, 2}));
  EXPECT_EQ(col.expand({-1, 4}).shape(), (Shape{2, 4}));
  EXPECT_THROW(row.expand({2, 4}), Error);
  EXPECT_THROW(row.expand({}), Error);
}

TEST(TensorViews, SqueezeUnsqueezeIndex) {
  Tensor x = indexed({2, 3});
  Tensor u = x.unsqueeze(1);
  EXPECT_EQ(u.shape(), (Shape{2, 1, 3}));
  EXPECT_TRUE(u.is_contiguous());
  EXPECT_EQ(x.unsqueeze(-1).shape(), (Shape{2, 3, 1}));
  EXPECT_EQ(x.unsqueeze(0).shape(), (Shape{1, 2, 3}));
  EXPECT_EQ(u.squeeze(1).shape(), (Shape{2, 3}));
  EXPECT_THROW(x.squeeze(0), Error);
  EXPECT_THROW(x.unsqueeze(3), Error);
  Tensor row = x[1];
  EXPECT_EQ(row.shape(), (Shape{3}));
  EXPECT_EQ(row.offset(), 3);
  EXPECT_EQ(row.to_vector(), (std::vector<float>{10, 11, 12}));
  EXPECT_EQ(x[-1].to_vector(), row.to_vector());
  EXPECT_EQ(x.t()[2].to_vector(), (std::vector<float>{2, 12}));
  EXPECT_THROW(x[2], Error);
}

TEST(TensorViews, ReshapeIsAViewWhenPossible) {
  Tensor x = indexed({2, 3, 4});
  Tensor r = x.reshape({6, -1});
  EXPECT_EQ(r.shape(), (Shape{6, 4}));
  EXPECT_EQ(r.storage(), x.storage());
  // Transposing the last two axes leaves the first axis separable: [2, 4, 3] -> [2, 12]
  // is not a view (the 4 x 3 block is not evenly strided), but [2, 4, 3] -> [2, 4, 3, 1]
  // and a merge of the outer axes of a permuted tensor are.
  Tensor p = x.transpose(1, 2);  // [2, 4, 3], strides [12, 1, 4]
  Tensor copy = p.reshape({2, 12});
  EXPECT_NE(copy.storage(), x.storage());
  EXPECT_EQ(copy.at({0, 1}), 10.0f);  // p[0][0][1] = x[0][1][0]
  Tensor view = p.reshape({2, 4, 3, 1});
  EXPECT_EQ(view.storage(), x.storage());
  // Slicing rows of a matrix keeps rows contiguous: [4, 5] sliced to columns 0..2 has
  // strides [5, 1]; reshape to [2, 2, 3] splits the row axis: strides [10, 5, 1].
  Tensor m = indexed({4, 5}).slice(1, 0, 3);
  Tensor split = m.reshape({2, 2, 3});
  EXPECT_EQ(split.storage(), m.storage());
  EXPECT_EQ(split.strides(), (Strides{10, 5, 1}));
  EXPECT_EQ(split.at({1, 0, 2}), 22.0f);
  EXPECT_EQ(T::scalar(3).reshape({1, 1}).shape(), (Shape{1, 1}));
  EXPECT_EQ(x.reshape({-1}).shape(), (Shape{24}));
  EXPECT_THROW(x.reshape({5, -1}), Error);
  EXPECT_THROW(x.reshape({-1, -1}), Error);
  EXPECT_THROW(x.reshape({2, 3}), Error);
}

TEST(TensorViews, ReshapeErrorNamesBothShapes) {
  try {
    T::zeros({2, 3}).reshape({4, 2});
    FAIL();
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("reshape"), std::string::npos) << msg;
    EXPECT_NE(msg.find("[2, 3]"), std::string::npos) << msg;
    EXPECT_NE(msg.find("[4, 2]"), std::string::npos) << msg;
  }
}

TEST(TensorCopies, ContiguousCopiesOnlyWhenNeeded) {
  Tensor x = indexed({3, 4});
  EXPECT_EQ(x.contiguous().storage(), x.storage());
  Tensor xt = x.t().contiguous();
  EXPECT_NE(xt.storage(), x.storage());
  EXPECT_TRUE(xt.is_contiguous());
  EXPECT_EQ(xt.to_vector(), (std::vector<float>{0, 10, 20, 1, 11, 21, 2, 12, 22, 3, 13, 23}));
  Tensor c = x.clone();
  EXPECT_NE(c.storage(), x.storage());
  c.fill_(0.0f);
  EXPECT_EQ(x.at({1, 1}), 11.0f);
}

TEST(TensorInPlace, FillCopyAddMulThroughViews) {
  Tensor x = T::zeros({3, 4});
  x.slice(1, 0, 4, 2).fill_(1.0f);  // columns 0 and 2
  EXPECT_EQ(x.to_vector(), (std::vector<float>{1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0}));
  x.copy_(T::from_vector({1, 2, 3, 4}, {4}));  // broadcast row
  EXPECT_EQ(x[2].to_vector(), (std::vector<float>{1, 2, 3, 4}));
  x.add_(T::from_vector({10, 20, 30}, {3, 1}), 0.5f);
  EXPECT_EQ(x[1].to_vector(), (std::vector<float>{11, 12, 13, 14}));
  x.mul_(2.0f);
  EXPECT_EQ(x.at({2, 3}), 38.0f);
  EXPECT_THROW(x.copy_(T::zeros({4, 3})), Error);
  EXPECT_THROW(x.add_(T::zeros({2})), Error);
}

TEST(TensorInPlace, CopyFromAnOverlappingViewReadsTheOldValues) {
  Tensor x = T::from_vector({1, 2, 3, 4}, {2, 2});
  x.copy_(x.t());
  EXPECT_EQ(x.to_vector(), (std::vector<float>{1, 3, 2, 4}));
  Tensor y = T::from_vector({1, 2, 3, 4}, {2, 2});
  y.add_(y.t());
  EXPECT_EQ(y.to_vector(), (std::vector<float>{2, 5, 5, 8}));
}

TEST(TensorBasics, ViewOutsideStorageIsAnError) {
  auto storage = std::make_shared<ae::Storage>(6);
  EXPECT_NO_THROW(Tensor(storage, {2, 3}, {3, 1}, 0));
  EXPECT_THROW(Tensor(storage, {2, 3}, {3, 1}, 1), Error);
  EXPECT_THROW(Tensor(storage, {2, 3}, {1}, 0), Error);
}
