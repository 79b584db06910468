// Element-wise ops: every broadcasting path (same shape, scalar, row vector, general strided
// views) against a naive reference that computes each output element from its index.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "tensor/ops.hpp"

using ae::Error;
using ae::Shape;
using ae::Tensor;
namespace T = ae::tensor;

namespace {

using Index = std::vector<int64_t>;
using Fn = std::function<float(const Index&)>;

Index unravel(int64_t flat, const Shape& shape) {
  Index idx(shape.size());
  for (std::size_t d = shape.size(); d-- > 0;) {
    idx[d] = flat % shape[d];
    flat /= shape[d];
  }
  return idx;
}

// A contiguous tensor with x[idx] = f(idx).
Tensor make(const Shape& shape, const Fn& f) {
  std::vector<float> v(static_cast<std::size_t>(ae::numel_of(shape)));
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = f(unravel(static_cast<int64_t>(i), shape));
  return T::from_vector(v, shape);
}

// The value at idx of an operand of `shape` broadcast to the output's rank: leading
// output axes are dropped, size-1 axes read index 0.
Index broadcast_index(const Index& out_idx, const Shape& shape) {
  Index idx(shape.size());
  const std::size_t lead = out_idx.size() - shape.size();
  for (std::size_t d = 0; d < shape.size(); ++d) idx[d] = shape[d] == 1 ? 0 : out_idx[d + lead];
  return idx;
}

std::vector<float> reference(const Shape& out, const Shape& sa, const Fn& fa, const Shape& sb,
                             const Fn& fb, const std::function<float(float, float)>& op) {
  std::vector<float> v(static_cast<std::size_t>(ae::numel_of(out)));
  for (std::size_t i = 0; i < v.size(); ++i) {
    const Index idx = unravel(static_cast<int64_t>(i), out);
    v[i] = op(fa(broadcast_index(idx, sa)), fb(broadcast_index(idx, sb)));
  }
  return v;
}

float fa(const Index& i) {
  float v = 0.5f;
  for (std::size_t d = 0; d < i.size(); ++d) v += float(i[d] + 1) * (d % 2 ? 0.25f : 1.5f);
  return v;
}
float fb(const Index& i) {
  float v = -1.0f;
  for (std::size_t d = 0; d < i.size(); ++d) v += float(i[d] * 3 + 1) * 0.125f;
  return v;
}

// The same logical values laid out in several ways: contiguous, a transposed view of a
// contiguous tensor, and a strided slice of a larger one.
std::vector<Tensor> layouts(const Shape& shape, const Fn& f) {
  std::vector<Tensor> out{make(shape, f)};
  if (shape.size() >= 2) {
    Shape swapped = shape;
    std::swap(swapped[0], swapped[1]);
    out.push_back(make(swapped,
                       [&](const Index& i) {
                         Index j = i;
                         std::swap(j[0], j[1]);
                         return f(j);
                       })
                      .transpose(0, 1));
  }
  if (!shape.empty()) {
    Shape wide = shape;
    wide.back() = wide.back() * 2 + 1;
    out.push_back(make(wide,
                       [&](const Index& i) {
                         Index j = i;
                         j.back() = (j.back() - 1) / 2;  // even positions are junk
                         return i.back() % 2 == 1 ? f(j) : 1e6f;
                       })
                      .slice(static_cast<int64_t>(shape.size()) - 1, 1,
                             static_cast<int64_t>(wide.back()), 2));
  }
  return out;
}

void check_binary(const Shape& sa, const Shape& sb) {
  const Shape out = T::broadcast_shapes(sa, sb, "test");
  struct Op {
    const char* name;
    std::function<Tensor(const Tensor&, const Tensor&)> f;
    std::function<float(float, float)> ref;
  };
  const std::vector<Op> ops = {
      {"add", T::add, [](float x, float y) { return x + y; }},
      {"sub", T::sub, [](float x, float y) { return x - y; }},
      {"mul", T::mul, [](float x, float y) { return x * y; }},
      {"div", T::div, [](float x, float y) { return x / y; }},
      {"maximum", T::maximum, [](float x, float y) { return std::fmax(x, y); }},
      {"lt", T::lt, [](float x, float y) { return x < y ? 1.0f : 0.0f; }},
  };
  for (const Op& op : ops) {
    const std::vector<float> expected = reference(out, sa, fa, sb, fb, op.ref);
    for (const Tensor& a : layouts(sa, fa))
      for (const Tensor& b : layouts(sb, fb)) {
        const Tensor got = op.f(a, b);
        ASSERT_EQ(got.shape(), out) << op.name;
        EXPECT_EQ(got.to_vector(), expected)
            << op.name << " " << ae::to_string(sa) << " with " << ae::to_string(sb)
            << " strides " << ae::to_string(a.strides()) << " / " << ae::to_string(b.strides());
      }
  }
}

}  // namespace

TEST(TensorBroadcast, Shapes) {
  EXPECT_EQ(T::broadcast_shapes({2, 3}, {3}, "t"), (Shape{2, 3}));
  EXPECT_EQ(T::broadcast_shapes({4, 1, 5}, {3, 1}, "t"), (Shape{4, 3, 5}));
  EXPECT_EQ(T::broadcast_shapes({}, {2}, "t"), (Shape{2}));
  EXPECT_EQ(T::broadcast_shapes({0, 1}, {1, 3}, "t"), (Shape{0, 3}));
}

TEST(TensorBroadcast, ErrorNamesOpAndBothShapes) {
  try {
    T::add(T::zeros({2, 3}), T::zeros({4}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "add: shapes [2, 3] and [4] cannot be broadcast");
  }
  try {
    T::where(T::zeros({2}), T::zeros({3}), T::zeros({2}));
    FAIL();
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("where"), std::string::npos);
    EXPECT_NE(msg.find("[2]"), std::string::npos);
    EXPECT_NE(msg.find("[3]"), std::string::npos);
  }
}

TEST(TensorBinary, SameShape) { check_binary({3, 5}, {3, 5}); }
TEST(TensorBinary, ScalarOperand) {
  check_binary({4, 3}, {});
  check_binary({}, {4, 3});
  check_binary({2, 3}, {1, 1});
}
TEST(TensorBinary, RowVectorBias) { check_binary({5, 7}, {7}); }
TEST(TensorBinary, ColumnVector) { check_binary({5, 7}, {5, 1}); }
TEST(TensorBinary, OuterProductShape) { check_binary({4, 1}, {1, 6}); }
TEST(TensorBinary, ThreeD) {
  check_binary({2, 3, 4}, {3, 1});
  check_binary({2, 1, 4}, {2, 3, 1});
}
TEST(TensorBinary, Empty) { check_binary({0, 3}, {3}); }

TEST(TensorBinary, ScalarOperators) {
  const Tensor x = T::from_vector({1, 2, 4}, {3});
  EXPECT_EQ((x + 1.0f).to_vector(), (std::vector<float>{2, 3, 5}));
  EXPECT_EQ((1.0f - x).to_vector(), (std::vector<float>{0, -1, -3}));
  EXPECT_EQ((x * 2.0f).to_vector(), (std::vector<float>{2, 4, 8}));
  EXPECT_EQ((8.0f / x).to_vector(), (std::vector<float>{8, 4, 2}));
  EXPECT_EQ((x / 2.0f).to_vector(), (std::vector<float>{0.5f, 1, 2}));
  EXPECT_EQ((x - 1.0f).to_vector(), (std::vector<float>{0, 1, 3}));
  EXPECT_EQ((2.0f + x).to_vector(), (std::vector<float>{3, 4, 6}));
  EXPECT_EQ((3.0f * x).to_vector(), (std::vector<float>{3, 6, 12}));
  EXPECT_EQ((-x).to_vector(), (std::vector<float>{-1, -2, -4}));
  EXPECT_EQ((x + x * x - x / x).to_vector(), (std::vector<float>{1, 5, 19}));
}

TEST(TensorBinary, PowMaximumMinimumComparisons) {
  const Tensor a = T::from_vector({1, 2, 3, -1}, {4});
  const Tensor b = T::from_vector({2, 2, 0, 3}, {4});
  EXPECT_EQ(T::pow(a, b).to_vector(), (std::vector<float>{1, 4, 1, -1}));
  EXPECT_EQ(T::pow(a, 2.0f).to_vector(), (std::vector<float>{1, 4, 9, 1}));
  EXPECT_EQ(T::pow(T::from_vector({4, 9}, {2}), 0.5f).to_vector(), (std::vector<float>{2, 3}));
  EXPECT_FLOAT_EQ(T::pow(T::from_vector({8}, {1}), 1.0f / 3.0f).item(), 2.0f);
  EXPECT_EQ(T::maximum(a, b).to_vector(), (std::vector<float>{2, 2, 3, 3}));
  EXPECT_EQ(T::minimum(a, b).to_vector(), (std::vector<float>{1, 2, 0, -1}));
  EXPECT_EQ(T::eq(a, b).to_vector(), (std::vector<float>{0, 1, 0, 0}));
  EXPECT_EQ(T::ne(a, b).to_vector(), (std::vector<float>{1, 0, 1, 1}));
  EXPECT_EQ(T::lt(a, b).to_vector(), (std::vector<float>{1, 0, 0, 1}));
  EXPECT_EQ(T::le(a, b).to_vector(), (std::vector<float>{1, 1, 0, 1}));
  EXPECT_EQ(T::gt(a, b).to_vector(), (std::vector<float>{0, 0, 1, 0}));
  EXPECT_EQ(T::ge(a, b).to_vector(), (std::vector<float>{0, 1, 1, 0}));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const Tensor n = T::from_vector({nan, 1}, {2});
  const Tensor z = T::from_vector({0, nan}, {2});
  EXPECT_TRUE(std::isnan(T::maximum(n, z).to_vector()[0]));
  EXPECT_TRUE(std::isnan(T::maximum(n, z).to_vector()[1]));
  EXPECT_TRUE(std::isnan(T::minimum(z, n).to_vector()[0]));
}

TEST(TensorWhere, BroadcastsAllThree) {
  const Tensor cond = T::from_vector({1, 0, 1}, {3});
  const Tensor a = T::from_vector({1, 2}, {2, 1});
  const Tensor b = T::scalar(-1.0f);
  const Tensor w = T::where(cond, a, b);
  EXPECT_EQ(w.shape(), (Shape{2, 3}));
  EXPECT_EQ(w.to_vector(), (std::vector<float>{1, -1, 1, 2, -1, 2}));
}

TEST(TensorUnary, HandValues) {
  const Tensor x = T::from_vector({-2, -0.5f, 0, 0.5f, 2}, {5});
  EXPECT_EQ(T::neg(x).to_vector(), (std::vector<float>{2, 0.5f, 0, -0.5f, -2}));
  EXPECT_EQ(T::abs(x).to_vector(), (std::vector<float>{2, 0.5f, 0, 0.5f, 2}));
  EXPECT_EQ(T::sign(x).to_vector(), (std::vector<float>{-1, -1, 0, 1, 1}));
  EXPECT_EQ(T::relu(x).to_vector(), (std::vector<float>{0, 0, 0, 0.5f, 2}));
  EXPECT_EQ(T::clamp(x, -1, 1).to_vector(), (std::vector<float>{-1, -0.5f, 0, 0.5f, 1}));
  EXPECT_THROW(T::clamp(x, 1, -1), Error);
  EXPECT_EQ(T::sqrt(T::from_vector({4, 0.25f}, {2})).to_vector(),
            (std::vector<float>{2, 0.5f}));
  EXPECT_FLOAT_EQ(T::exp(T::scalar(1)).item(), 2.7182817f);
  EXPECT_FLOAT_EQ(T::log(T::scalar(2.7182817f)).item(), 1.0f);
  EXPECT_FLOAT_EQ(T::tanh(T::scalar(0.5f)).item(), 0.46211715f);
  // sigmoid(0) = 1/2, sigmoid(ln 3) = 3/4, sigmoid(-ln 3) = 1/4
  EXPECT_EQ(T::sigmoid(T::scalar(0)).item(), 0.5f);
  EXPECT_FLOAT_EQ(T::sigmoid(T::scalar(std::log(3.0f))).item(), 0.75f);
  EXPECT_FLOAT_EQ(T::sigmoid(T::scalar(-std::log(3.0f))).item(), 0.25f);
  // softplus(0) = ln 2, softplus(ln 3) = ln 4
  EXPECT_FLOAT_EQ(T::softplus(T::scalar(0)).item(), std::log(2.0f));
  EXPECT_FLOAT_EQ(T::softplus(T::scalar(std::log(3.0f))).item(), std::log(4.0f));
}

TEST(TensorUnary, StableAtExtremes) {
  const Tensor big = T::from_vector({-1000, -100, 100, 1000}, {4});
  const std::vector<float> s = T::sigmoid(big).to_vector();
  EXPECT_EQ(s[0], 0.0f);
  EXPECT_GT(s[1], 0.0f);  // e^-100 ~ 3.7e-44 is a float denormal, not 0 / NaN
  EXPECT_NEAR(s[1], 3.72e-44f, 3e-45f);
  EXPECT_EQ(s[2], 1.0f);
  EXPECT_EQ(s[3], 1.0f);
  const std::vector<float> sp = T::softplus(big).to_vector();
  EXPECT_EQ(sp[0], 0.0f);
  EXPECT_EQ(sp[2], 100.0f);
  EXPECT_EQ(sp[3], 1000.0f);  // log(1 + e^1000) would overflow
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_TRUE(std::isnan(T::relu(T::scalar(nan)).item()));
  EXPECT_TRUE(std::isnan(T::clamp(T::scalar(nan), 0, 1).item()));
}

TEST(TensorUnary, StridedInputGivesContiguousResult) {
  const Tensor x = T::from_vector({1, 2, 3, 4, 5, 6}, {2, 3});
  const Tensor y = T::neg(x.t());
  EXPECT_TRUE(y.is_contiguous());
  EXPECT_EQ(y.to_vector(), (std::vector<float>{-1, -4, -2, -5, -3, -6}));
  EXPECT_EQ(T::exp(x.slice(1, 0, 3, 2)).shape(), (Shape{2, 2}));
}

TEST(TensorSumTo, ReversesBroadcasting) {
  const Tensor g = T::from_vector({1, 2, 3, 4, 5, 6}, {2, 3});
  EXPECT_EQ(T::sum_to(g, {3}).to_vector(), (std::vector<float>{5, 7, 9}));
  EXPECT_EQ(T::sum_to(g, {2, 1}).to_vector(), (std::vector<float>{6, 15}));
  EXPECT_EQ(T::sum_to(g, {1, 3}).shape(), (Shape{1, 3}));
  EXPECT_EQ(T::sum_to(g, {}).item(), 21.0f);
  EXPECT_EQ(T::sum_to(g, {2, 3}).to_vector(), g.to_vector());
  EXPECT_THROW(T::sum_to(g, {2}), Error);
  EXPECT_THROW(T::sum_to(g, {4, 2, 3}), Error);
}

TEST(TensorAllclose, Tolerances) {
  const Tensor a = T::from_vector({1.0f, 100.0f}, {2});
  EXPECT_TRUE(T::allclose(a, T::from_vector({1.0f, 100.0f}, {2})));
  EXPECT_TRUE(T::allclose(a, T::from_vector({1.000001f, 100.0001f}, {2})));
  EXPECT_FALSE(T::allclose(a, T::from_vector({1.01f, 100.0f}, {2})));
  EXPECT_TRUE(T::allclose(a, T::from_vector({1.01f, 100.0f}, {2}), 0.0f, 0.02f));
  EXPECT_FALSE(T::allclose(a, T::from_vector({1.0f, 100.0f}, {1, 2})));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_FALSE(T::allclose(T::scalar(nan), T::scalar(nan)));
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_TRUE(T::allclose(T::scalar(inf), T::scalar(inf)));
}
