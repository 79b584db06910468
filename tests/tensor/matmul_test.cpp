// matmul and addmm against products computed by hand and by a naive triple loop, with
// contiguous, transposed, sliced and broadcast operands, and batched broadcasting.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "tensor/ops.hpp"

using ae::Error;
using ae::Shape;
using ae::Tensor;
namespace T = ae::tensor;
using V = std::vector<float>;

namespace {

// C = A B for row-major value lists: the definition, independent of tensor/.
V naive(const V& a, const V& b, int64_t m, int64_t k, int64_t n) {
  V c(static_cast<std::size_t>(m * n), 0.0f);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double s = 0;
      for (int64_t p = 0; p < k; ++p) s += double(a[i * k + p]) * double(b[p * n + j]);
      c[i * n + j] = static_cast<float>(s);
    }
  return c;
}

// Small integers, so every product is exact in float.
V values(int64_t count, int seed) {
  V v(static_cast<std::size_t>(count));
  for (int64_t i = 0; i < count; ++i) v[i] = float((i * 7 + seed * 3) % 11 - 5);
  return v;
}

}  // namespace

TEST(TensorMatmul, TwoByTwoByHand) {
  // [1 2; 3 4] [5 6; 7 8] = [19 22; 43 50]
  const Tensor a = T::from_vector({1, 2, 3, 4}, {2, 2});
  const Tensor b = T::from_vector({5, 6, 7, 8}, {2, 2});
  EXPECT_EQ(T::matmul(a, b).to_vector(), (V{19, 22, 43, 50}));
  // a^T b = [1 3; 2 4][5 6; 7 8] = [26 30; 38 44]
  EXPECT_EQ(T::matmul(a.t(), b).to_vector(), (V{26, 30, 38, 44}));
  // a b^T = [1 2; 3 4][5 7; 6 8] = [17 23; 39 53]
  EXPECT_EQ(T::matmul(a, b.t()).to_vector(), (V{17, 23, 39, 53}));
  // a^T b^T = (b a)^T; b a = [23 34; 31 46]
  EXPECT_EQ(T::matmul(a.t(), b.t()).to_vector(), (V{23, 31, 34, 46}));
}

TEST(TensorMatmul, RectangularAllLayouts) {
  const int64_t m = 5, k = 7, n = 3;
  const V av = values(m * k, 1), bv = values(k * n, 2);
  const V expected = naive(av, bv, m, k, n);
  const Tensor a = T::from_vector(av, {m, k});
  const Tensor b = T::from_vector(bv, {k, n});
  // The same logical matrices as transposed views (no copy: strides {1, ld}).
  const Tensor at = a.t().contiguous().t();
  const Tensor bt = b.t().contiguous().t();
  ASSERT_EQ(at.strides(), (ae::Strides{1, m}));
  // Padded rows: a view of the first k columns of a wider matrix.
  Tensor wide = T::full({m, k + 3}, 99.0f);
  wide.slice(1, 0, k).copy_(a);
  const Tensor padded = wide.slice(1, 0, k);
  // A strided column step that gemm cannot read directly (copied first).
  Tensor every_other = T::full({k, 2 * n}, 99.0f);
  every_other.slice(1, 0, 2 * n, 2).copy_(b);
  const Tensor stepped = every_other.slice(1, 0, 2 * n, 2);
  for (const Tensor& x : {a, at, padded})
    for (const Tensor& y : {b, bt, stepped})
      EXPECT_EQ(T::matmul(x, y).to_vector(), expected)
          << ae::to_string(x.strides()) << " x " << ae::to_string(y.strides());
}

TEST(TensorMatmul, VectorsAndEdgeSizes) {
  const Tensor a = T::from_vector({1, 2, 3, 4, 5, 6}, {2, 3});
  const Tensor v = T::from_vector({1, 0, -1}, {3});
  EXPECT_EQ(T::matmul(a, v).shape(), (Shape{2}));
  EXPECT_EQ(T::matmul(a, v).to_vector(), (V{-2, -2}));
  EXPECT_EQ(T::matmul(T::from_vector({1, 1}, {2}), a).to_vector(), (V{5, 7, 9}));
  EXPECT_EQ(T::matmul(v, v).item(), 2.0f);
  EXPECT_EQ(T::matmul(T::zeros({2, 0}), T::zeros({0, 3})).to_vector(), V(6, 0.0f));
  EXPECT_EQ(T::matmul(T::zeros({0, 3}), T::zeros({3, 2})).shape(), (Shape{0, 2}));
  // A row (1 x k) and a column (k x 1) with odd strides on their size-1 axes.
  const Tensor row = a.slice(0, 1, 2);  // [[4 5 6]]
  const Tensor col = a.t().slice(1, 0, 1);  // [[1], [2], [3]]
  EXPECT_EQ(T::matmul(row, col).item(), 32.0f);
  EXPECT_EQ(T::matmul(col, row).to_vector(), (V{4, 5, 6, 8, 10, 12, 12, 15, 18}));
}

TEST(TensorMatmul, InnerSizeMismatchNamesBothShapes) {
  try {
    T::matmul(T::zeros({2, 3}), T::zeros({4, 5}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "matmul: inner sizes differ: [2, 3] x [4, 5]");
  }
  EXPECT_THROW(T::matmul(T::zeros({3}), T::zeros({4})), Error);
  EXPECT_THROW(T::matmul(T::zeros({2, 3, 4}), T::zeros({5, 2})), Error);
  EXPECT_THROW(T::matmul(T::scalar(1), T::zeros({1, 1})), Error);
  try {
    T::matmul(T::zeros({2, 3, 4}), T::zeros({3, 4, 5}));
    FAIL();
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("[2, 3, 4]"), std::string::npos) << msg;
    EXPECT_NE(msg.find("[3, 4, 5]"), std::string::npos) << msg;
  }
}

TEST(TensorMatmul, BatchedWithBroadcastBatchAxes) {
  const int64_t m = 3, k = 4, n = 2;
  // a: [2, 1, m, k], b: [3, k, n] -> [2, 3, m, n]; batch (i, j) = a[i, 0] b[j]
  const V av = values(2 * m * k, 3), bv = values(3 * k * n, 4);
  const Tensor a = T::from_vector(av, {2, 1, m, k});
  const Tensor b = T::from_vector(bv, {3, k, n});
  const Tensor c = T::matmul(a, b);
  ASSERT_EQ(c.shape(), (Shape{2, 3, m, n}));
  const V cv = c.to_vector();
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t j = 0; j < 3; ++j) {
      const V ai(av.begin() + i * m * k, av.begin() + (i + 1) * m * k);
      const V bj(bv.begin() + j * k * n, bv.begin() + (j + 1) * k * n);
      const V expected = naive(ai, bj, m, k, n);
      const V got(cv.begin() + (i * 3 + j) * m * n, cv.begin() + (i * 3 + j + 1) * m * n);
      EXPECT_EQ(got, expected) << "batch " << i << ", " << j;
    }
  // Transposed matrices inside a batch: b^T per batch as a view of [3, n, k].
  const Tensor bT = b.transpose(1, 2).contiguous().transpose(1, 2);
  EXPECT_EQ(T::matmul(a, bT).to_vector(), cv);
  // A batch of rows times one matrix: [2, m, k] x [k, n]
  const Tensor a3 = T::from_vector(V(av.begin(), av.end()), {2, m, k});
  const Tensor b2 = T::from_vector(V(bv.begin(), bv.begin() + k * n), {k, n});
  const V one = T::matmul(a3, b2).to_vector();
  EXPECT_EQ(V(one.begin(), one.begin() + m * n), naive(V(av.begin(), av.begin() + m * k),
                                                       V(bv.begin(), bv.begin() + k * n), m, k, n));
  // One matrix times a batch: [m, k] x [3, k, n]
  const Tensor c2 = T::matmul(a3[1], b);
  ASSERT_EQ(c2.shape(), (Shape{3, m, n}));
  EXPECT_EQ(c2[2].to_vector(), naive(V(av.begin() + m * k, av.end()),
                                     V(bv.begin() + 2 * k * n, bv.end()), m, k, n));
}

TEST(TensorAddmm, BiasFusedIntoOneGemm) {
  const Tensor x = T::from_vector({1, 2, 3, 4}, {2, 2});
  const Tensor w = T::from_vector({5, 6, 7, 8}, {2, 2});
  const Tensor bias = T::from_vector({10, 20}, {2});
  // x w = [19 22; 43 50]
  EXPECT_EQ(T::addmm(bias, x, w).to_vector(), (V{29, 42, 53, 70}));
  EXPECT_EQ(T::addmm(bias, x, w, 0.5f, 2.0f).to_vector(), (V{43, 54, 91, 110}));
  EXPECT_EQ(T::addmm(T::from_vector({1, 2}, {2, 1}), x, w.t()).to_vector(), (V{18, 24, 41, 55}));
  // beta = 0 ignores c entirely, even NaN
  EXPECT_EQ(T::addmm(T::full({2}, std::nanf("")), x, w, 0.0f).to_vector(), (V{19, 22, 43, 50}));
  EXPECT_THROW(T::addmm(T::zeros({3}), x, w), Error);
  EXPECT_THROW(T::addmm(bias, x, T::zeros({3, 2})), Error);
  EXPECT_THROW(T::addmm(bias, T::zeros({2, 2, 2}), w), Error);
}
