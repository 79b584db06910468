// Convolution, pooling and upsampling: the unfold + gemm ops against hand-computed values and
// against the direct loops that specify them (tensor/conv.hpp), unfold and fold as each
// other's adjoint, conv_transpose2d as conv2d's adjoint, first and second derivatives against
// finite differences, and errors that name the op and the shapes.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <utility>
#include <string>
#include <vector>

#include "autograd/gradcheck.hpp"
#include "autograd/ops.hpp"
#include "tensor/conv.hpp"
#include "tests/autograd/autograd_testing.hpp"

namespace {

using ae::Generator;
using ae::Shape;
using ae::Tensor;
using ae::Variable;
using ae::autograd_testing::message_of;
namespace T = ae::tensor;
using Args = std::vector<Variable>;

Tensor uniform(const Shape& shape, uint64_t seed) {
  Generator gen(seed);
  return T::rand(shape, gen, -1.0f, 1.0f);
}

// Distinct values 0.05 apart in a random order: no ties in any pooling window.
Tensor distinct(const Shape& shape, uint64_t seed) {
  Generator gen(seed);
  std::vector<float> values(static_cast<std::size_t>(ae::numel_of(shape)));
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = 0.05f * static_cast<float>(i) - 1.0f;
  for (std::size_t i = values.size(); i > 1; --i) std::swap(values[i - 1], values[gen.below(i)]);
  return T::from_vector(values, shape);
}

// 1, 2, ..., numel in row-major order.
Tensor counting(const Shape& shape) { return T::arange(1.0f, float(ae::numel_of(shape)) + 1.0f).reshape(shape); }

double dot(const Tensor& a, const Tensor& b) {
  const auto va = a.to_vector(), vb = b.to_vector();
  EXPECT_EQ(va.size(), vb.size());
  double s = 0;
  for (std::size_t i = 0; i < va.size() && i < vb.size(); ++i) s += double(va[i]) * double(vb[i]);
  return s;
}

void expect_close(const Tensor& got, const Tensor& want, double tol = 1e-4) {
  ASSERT_EQ(got.shape(), want.shape());
  const auto g = got.to_vector(), w = want.to_vector();
  for (std::size_t i = 0; i < g.size(); ++i) EXPECT_NEAR(g[i], w[i], tol * (1.0 + std::abs(w[i]))) << "element " << i;
}

void expect_values(const Tensor& got, const Shape& shape, const std::vector<float>& want) {
  ASSERT_EQ(got.shape(), shape);
  const auto g = got.to_vector();
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_FLOAT_EQ(g[i], want[i]) << "element " << i;
}

// ---- unfold and fold ----

TEST(Unfold, HandExample) {
  // x = [[1 2 3] [4 5 6] [7 8 9]], 2x2 windows at (0,0), (0,1), (1,0), (1,1): row (i, j) of
  // cols holds x[oh + i, ow + j] for the four windows.
  const Tensor cols = T::unfold(counting({1, 1, 3, 3}), {2, 2, 1, 0});
  expect_values(cols, {4, 4}, {1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9});
}

TEST(Unfold, PaddingAndStrideHandExample) {
  // x = [[1 2] [3 4]], 2x2 windows, stride 2, padding 1 (pad value -7): windows start at
  // -1 and 1 along each axis, so each holds one pixel of x, at tap (1,1), (1,0), (0,1), (0,0).
  const Tensor cols = T::unfold(counting({1, 1, 2, 2}), {2, 2, 2, 1}, -7.0f);
  expect_values(cols, {4, 4},
                {-7, -7, -7, 4, -7, -7, 3, -7, -7, 2, -7, -7, 1, -7, -7, -7});
}

TEST(Unfold, FoldIsItsAdjoint) {
  // <unfold(x), c> = <x, fold(c)> for every x and c is what makes fold the gradient of unfold.
  for (const T::Window2d w : {T::Window2d{3, 3, 1, 1}, T::Window2d{2, 3, 2, 0}, T::Window2d{3, 2, 3, 2},
                              T::Window2d{1, 1, 2, 0}, T::Window2d{5, 4, 1, 2}}) {
    const Shape shape{2, 3, 7, 6};
    const Tensor x = uniform(shape, 1);
    const Tensor cols = T::unfold(x, w);
    const Tensor c = uniform(cols.shape(), 2);
    const double lhs = dot(cols, c), rhs = dot(x, T::fold(c, shape, w));
    EXPECT_NEAR(lhs, rhs, 1e-4 * (1 + std::abs(lhs))) << w.kh << "x" << w.kw << " s" << w.stride << " p" << w.padding;
  }
}

TEST(Unfold, CountsEveryWindowAPixelIsIn) {
  // fold of all-ones columns: each pixel gets the number of (window, tap) pairs that read it.
  // 3x3 windows, stride 1, padding 1 on a 4x4 image: a corner pixel is in 4 windows, an edge
  // pixel in 6, an interior one in 9.
  const Tensor counts = T::fold(T::ones({9, 16}), {1, 1, 4, 4}, {3, 3, 1, 1});
  expect_values(counts, {1, 1, 4, 4}, {4, 6, 6, 4, 6, 9, 9, 6, 6, 9, 9, 6, 4, 6, 6, 4});
}

// ---- conv2d ----

TEST(Conv2d, HandExample) {
  // w = [[1 0] [0 -1]]: y = x[i, j] - x[i+1, j+1] = -4 on 1..9, plus the bias 0.5.
  const Tensor x = counting({1, 1, 3, 3});
  const Tensor w = T::from_vector({1, 0, 0, -1}, {1, 1, 2, 2});
  const Tensor b = T::from_vector({0.5f}, {1});
  expect_values(ae::conv2d(x, w, b).value(), {1, 1, 2, 2}, {-3.5f, -3.5f, -3.5f, -3.5f});
  expect_values(T::conv2d_direct(x, w, b, 1, 0), {1, 1, 2, 2}, {-3.5f, -3.5f, -3.5f, -3.5f});
  // A 3x3 all-ones kernel with padding 1 and stride 2 sums the 3x3 block around pixels
  // (0,0), (0,2), (2,0), (2,2): 1+2+4+5 = 12, 2+3+5+6 = 16, 4+5+7+8 = 24, 5+6+8+9 = 28.
  const Tensor ones = T::ones({1, 1, 3, 3});
  expect_values(ae::conv2d(x, ones, {}, 2, 1).value(), {1, 1, 2, 2}, {12, 16, 24, 28});
  expect_values(T::conv2d_direct(x, ones, {}, 2, 1), {1, 1, 2, 2}, {12, 16, 24, 28});
}

TEST(Conv2d, EqualsTheDirectLoops) {
  struct Case {
    Shape x, w;
    int64_t stride, padding;
  };
  for (const Case& c : {Case{{2, 3, 7, 6}, {4, 3, 3, 3}, 1, 1}, Case{{2, 3, 7, 6}, {4, 3, 3, 3}, 2, 1},
                        Case{{1, 2, 9, 5}, {3, 2, 2, 3}, 3, 2}, Case{{3, 1, 5, 5}, {2, 1, 1, 1}, 1, 0},
                        Case{{2, 4, 6, 8}, {5, 4, 5, 4}, 1, 0}, Case{{1, 32, 14, 14}, {32, 32, 3, 3}, 1, 1}}) {
    const Tensor x = uniform(c.x, 3), w = uniform(c.w, 4), b = uniform({c.w[0]}, 5);
    SCOPED_TRACE(ae::to_string(c.x) + " * " + ae::to_string(c.w) + " s" + std::to_string(c.stride) + " p" +
                 std::to_string(c.padding));
    expect_close(ae::conv2d(x, w, b, c.stride, c.padding).value(), T::conv2d_direct(x, w, b, c.stride, c.padding));
    expect_close(ae::conv2d(x, w, {}, c.stride, c.padding).value(), T::conv2d_direct(x, w, {}, c.stride, c.padding));
  }
}

TEST(Conv2d, StridedInputViews) {
  // A transposed view is read as the image it shows, not as its storage.
  const Tensor base = uniform({2, 3, 6, 5}, 6);
  const Tensor x = base.transpose(2, 3);  // (2, 3, 5, 6), not contiguous
  const Tensor w = uniform({2, 3, 3, 3}, 7);
  expect_close(ae::conv2d(x, w, {}, 1, 1).value(), T::conv2d_direct(x.contiguous(), w, {}, 1, 1));
}

TEST(ConvTranspose2d, EqualsTheDirectLoopsAndIsConv2dsAdjoint) {
  struct Case {
    Shape x, w;  // x (N, C, H, W) of the transposed convolution, w (C, O, kh, kw)
    int64_t stride, padding;
  };
  for (const Case& c : {Case{{2, 3, 4, 5}, {3, 2, 3, 3}, 1, 1}, Case{{2, 3, 4, 5}, {3, 2, 3, 3}, 2, 1},
                        Case{{1, 2, 3, 3}, {2, 4, 2, 2}, 2, 0}, Case{{1, 2, 3, 4}, {2, 1, 4, 3}, 3, 2}}) {
    SCOPED_TRACE(ae::to_string(c.x) + " * " + ae::to_string(c.w) + " s" + std::to_string(c.stride) + " p" +
                 std::to_string(c.padding));
    const Tensor x = uniform(c.x, 8), w = uniform(c.w, 9), b = uniform({c.w[1]}, 10);
    const Tensor y = ae::conv_transpose2d(x, w, b, c.stride, c.padding).value();
    expect_close(y, T::conv_transpose2d_direct(x, w, b, c.stride, c.padding));
    // <conv2d(z, w), x> = <z, conv_transpose2d(x, w)>: with w read as (O, C, kh, kw) by
    // conv2d, z has conv_transpose2d's output shape.
    const Tensor z = uniform(y.shape(), 11);
    const Tensor cz = ae::conv2d(z, w, {}, c.stride, c.padding).value();
    ASSERT_EQ(cz.shape(), x.shape());
    const double lhs = dot(cz, x), rhs = dot(z, ae::conv_transpose2d(x, w, {}, c.stride, c.padding).value());
    EXPECT_NEAR(lhs, rhs, 1e-4 * (1 + std::abs(lhs)));
  }
}

// ---- pooling and upsampling ----

TEST(Pooling, HandExamples) {
  const Tensor x = counting({1, 1, 4, 4});  // rows 1-4, 5-8, 9-12, 13-16
  expect_values(ae::max_pool2d(x, 2).value(), {1, 1, 2, 2}, {6, 8, 14, 16});
  expect_values(ae::avg_pool2d(x, 2).value(), {1, 1, 2, 2}, {3.5f, 5.5f, 11.5f, 13.5f});
  // 3x3 windows, stride 2, padding 1, centred on (0,0), (0,2), (2,0), (2,2).
  expect_values(ae::max_pool2d(-x, 3, 2, 1).value(), {1, 1, 2, 2}, {-1, -2, -5, -6});
  expect_values(ae::avg_pool2d(x, 3, 2, 1).value(), {1, 1, 2, 2},
                {(1 + 2 + 5 + 6) / 9.0f, (2 + 3 + 4 + 6 + 7 + 8) / 9.0f, (5 + 6 + 9 + 10 + 13 + 14) / 9.0f,
                 (6 + 7 + 8 + 10 + 11 + 12 + 14 + 15 + 16) / 9.0f});
  expect_values(ae::upsample_nearest(counting({1, 1, 2, 2}), 2).value(), {1, 1, 4, 4},
                {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4});
}

TEST(Pooling, EqualsTheDirectLoops) {
  struct Case {
    Shape x;
    int64_t k, stride, padding;
  };
  for (const Case& c : {Case{{2, 3, 8, 8}, 2, 2, 0}, Case{{2, 3, 7, 9}, 3, 2, 1}, Case{{1, 2, 5, 6}, 2, 1, 1},
                        Case{{1, 1, 6, 6}, 3, 3, 0}, Case{{2, 32, 28, 28}, 2, 2, 0}}) {
    SCOPED_TRACE(ae::to_string(c.x) + " k" + std::to_string(c.k) + " s" + std::to_string(c.stride) + " p" +
                 std::to_string(c.padding));
    const Tensor x = uniform(c.x, 12);
    expect_close(ae::max_pool2d(x, c.k, c.stride, c.padding).value(), T::max_pool2d_direct(x, c.k, c.stride, c.padding));
    expect_close(ae::avg_pool2d(x, c.k, c.stride, c.padding).value(), T::avg_pool2d_direct(x, c.k, c.stride, c.padding));
  }
  for (int64_t scale : {1, 2, 3}) {
    const Tensor x = uniform({2, 3, 4, 5}, 13);
    expect_close(ae::upsample_nearest(x, scale).value(), T::upsample_nearest_direct(x, scale));
  }
}

// ---- derivatives ----

struct GradCase {
  std::string name;
  std::function<Variable(const Args&)> f;
  std::vector<Tensor> inputs;
};

std::vector<GradCase> grad_cases() {
  return {
      {"conv2d 3x3 s1 p1", [](const Args& a) { return ae::conv2d(a[0], a[1], a[2], 1, 1); },
       {uniform({2, 2, 4, 4}, 20), uniform({3, 2, 3, 3}, 21), uniform({3}, 22)}},
      {"conv2d 2x3 s2 p1, odd size", [](const Args& a) { return ae::conv2d(a[0], a[1], a[2], 2, 1); },
       {uniform({2, 2, 5, 4}, 23), uniform({2, 2, 2, 3}, 24), uniform({2}, 25)}},
      {"conv2d 3x3 s3 p2, no bias", [](const Args& a) { return ae::conv2d(a[0], a[1], {}, 3, 2); },
       {uniform({1, 2, 5, 5}, 26), uniform({2, 2, 3, 3}, 27)}},
      {"conv2d then tanh", [](const Args& a) { return ae::tanh(ae::conv2d(a[0], a[1], a[2], 1, 0)); },
       {uniform({1, 2, 4, 4}, 28), uniform({2, 2, 2, 2}, 29), uniform({2}, 30)}},
      {"conv_transpose2d 3x3 s2 p1", [](const Args& a) { return ae::conv_transpose2d(a[0], a[1], a[2], 2, 1); },
       {uniform({2, 2, 3, 3}, 31), uniform({2, 3, 3, 3}, 32), uniform({3}, 33)}},
      {"conv_transpose2d 2x2 s2", [](const Args& a) { return ae::conv_transpose2d(a[0], a[1], {}, 2, 0); },
       {uniform({1, 3, 2, 3}, 34), uniform({3, 2, 2, 2}, 35)}},
      {"max_pool2d 2x2", [](const Args& a) { return ae::max_pool2d(a[0], 2); }, {distinct({2, 2, 4, 6}, 36)}},
      {"max_pool2d 3x3 s2 p1", [](const Args& a) { return ae::max_pool2d(a[0], 3, 2, 1); },
       {distinct({1, 2, 5, 5}, 37)}},
      {"avg_pool2d 2x2", [](const Args& a) { return ae::avg_pool2d(a[0], 2); }, {uniform({2, 2, 4, 6}, 38)}},
      {"avg_pool2d 3x3 s2 p1", [](const Args& a) { return ae::avg_pool2d(a[0], 3, 2, 1); },
       {uniform({1, 2, 5, 5}, 39)}},
      {"upsample_nearest x2", [](const Args& a) { return ae::upsample_nearest(a[0], 2); }, {uniform({2, 2, 3, 2}, 40)}},
      {"upsample_nearest x3 then square", [](const Args& a) { return ae::square(ae::upsample_nearest(a[0], 3)); },
       {uniform({1, 2, 2, 3}, 41)}},
  };
}

TEST(ConvGradients, FirstOrder) {
  for (const GradCase& c : grad_cases()) {
    const auto r = ae::gradcheck(c.f, c.inputs);
    EXPECT_TRUE(r.ok) << c.name << ": " << r.message;
  }
}

TEST(ConvGradients, SecondOrder) {
  for (const GradCase& c : grad_cases()) {
    const auto r = ae::gradgradcheck(c.f, c.inputs);
    EXPECT_TRUE(r.ok) << c.name << ": " << r.message;
  }
}

TEST(ConvGradients, ConvWeightGradientIsInputCorrelation) {
  // d(Σ y)/d w[o, c, i, j] = Σ_n Σ_windows x[n, c, oh + i, ow + j]: for x = 1..9 and a 2x2
  // kernel, tap (i, j) sees the 2x2 block of x starting at (i, j).
  Variable w(T::zeros({1, 1, 2, 2}), true);
  ae::sum(ae::conv2d(counting({1, 1, 3, 3}), w)).backward();
  expect_values(w.grad().value(), {1, 1, 2, 2}, {1 + 2 + 4 + 5, 2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9});
}

// ---- errors ----

TEST(ConvErrors, NameTheOpAndTheShapes) {
  const Tensor x = T::zeros({8, 3, 28, 28});
  EXPECT_EQ(message_of([&] { ae::conv2d(x, T::zeros({4, 1, 3, 3})); }),
            "conv2d: input [8, 3, 28, 28] has 3 channels, weight [4, 1, 3, 3] expects 1");
  EXPECT_NE(message_of([&] { ae::conv2d(T::zeros({3, 28, 28}), T::zeros({4, 3, 3, 3})); })
                .find("conv2d: expects an (N, C, H, W) input, got [3, 28, 28]"),
            std::string::npos);
  EXPECT_NE(message_of([&] { ae::conv2d(x, T::zeros({4, 3, 3, 3}), T::zeros({3})); }).find("bias [3]"),
            std::string::npos);
  EXPECT_NE(message_of([&] { ae::conv2d(T::zeros({1, 1, 2, 2}), T::zeros({1, 1, 3, 3})); })
                .find("conv2d: a window of 3 does not fit an axis of 2"),
            std::string::npos);
  EXPECT_NE(message_of([&] { ae::conv2d(x, T::zeros({4, 3, 3, 3}), {}, 0); }).find("stride 0"), std::string::npos);
  EXPECT_NE(message_of([&] { ae::conv_transpose2d(x, T::zeros({1, 4, 3, 3})); })
                .find("conv_transpose2d: input [8, 3, 28, 28] has 3 channels"),
            std::string::npos);
  EXPECT_NE(message_of([&] { ae::max_pool2d(x, 2, 2, 2); }).find("max_pool2d: kernel 2"), std::string::npos);
  EXPECT_NE(message_of([&] { ae::avg_pool2d(T::zeros({1, 1, 2, 2}), 3); }).find("avg_pool2d"), std::string::npos);
  EXPECT_NE(message_of([&] { ae::upsample_nearest(x, 0); }).find("upsample_nearest: scale 0"), std::string::npos);
  EXPECT_NE(message_of([&] { T::fold(T::zeros({9, 5}), {1, 1, 4, 4}, {3, 3, 1, 1}); })
                .find("fold: columns of shape [9, 5] do not fit images [1, 1, 4, 4]"),
            std::string::npos);
}

}  // namespace
