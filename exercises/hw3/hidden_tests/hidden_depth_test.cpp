// HW3 tasks 1-4, hidden suite: random sizes, strides, paddings and weights from the
// grader's per-run hidden_seed (which the student runner never sees), checked against the
// double-precision references of hw3_testing.hpp.
#include <cmath>

#include <gtest/gtest.h>

#include "exercises/hw3/tests/hw3_student.hpp"
#include "exercises/hw3/tests/hw3_testing.hpp"

namespace {

using namespace hw3_testing;
using ae::Tensor;
using hw3_student::hidden_seed;

TEST(Task1Hidden, RandomStageMatchesTheDoubleReference) {
  ae::Generator gen(hidden_seed(101));
  const size_t d = 3 + gen.below(5), layers_count = 2 + gen.below(2), n = 4 + gen.below(8);
  std::vector<Layer> layers;
  size_t in = d;
  for (size_t l = 0; l < layers_count; ++l) {
    const size_t k = 2 + gen.below(5);
    layers.push_back(random_layer(in, k, gen));
    in = k;
  }
  const size_t stage = 1 + gen.below(layers_count - 1);
  const Matrix X = uniform(n, d, 0, 1, gen);
  const double momentum = 0.5 * gen.uniform();
  ae::hw3::PretrainOptions options;
  options.epochs = 3;
  options.batch_size = 100;
  options.lr = 0.7f;
  options.momentum = static_cast<float>(momentum);
  const ae::hw3::Stack before = to_stack(layers);
  ae::hw3::Stack stack = to_stack(layers);
  hw3_student::pretrain_layer(stack, stage, to_tensor(X), options);
  Matrix H = X;
  for (size_t l = 0; l < stage; ++l) H = encode(layers[l], H);
  train_full_batch(layers[stage], H, 3, 0.7, static_cast<float>(momentum));
  ASSERT_EQ(stack.size(), layers_count);
  for (size_t l = 0; l < layers_count; ++l)
    if (l != stage) {
      EXPECT_TRUE(bit_identical(stack[l], before[l])) << "layer " << l << " is frozen in stage " << stage;
    }
  EXPECT_LT(layer_diff(stack[stage], layers[stage]), 1e-4) << "stage " << stage << " of " << layers_count;
}

TEST(Task2Hidden, SoftmaxCostAndGradientMatchTheDoubleReference) {
  ae::Generator gen(hidden_seed(201));
  const size_t K = 2 + gen.below(8), d = 2 + gen.below(10), m = 3 + gen.below(20);
  const Matrix W = to_matrix(to_tensor(uniform(K, d, -2, 2, gen))), X = to_matrix(to_tensor(uniform(m, d, -1, 1, gen)));
  // A large common offset of the logits: harmless with the row's maximum subtracted.
  std::vector<double> b = uniform_vector(K, -1, 1, gen);
  const double offset = 200 + 600 * gen.uniform();
  for (double& x : b) x = static_cast<float>(x + offset);
  std::vector<int> labels;
  for (size_t i = 0; i < m; ++i) labels.push_back(static_cast<int>(gen.below(K)));
  const double lambda = 0.01 + 0.5 * gen.uniform();
  const Matrix Z = to_matrix(to_tensor(logits(W, b, X)));
  EXPECT_LT(max_abs_diff(hw3_student::softmax(to_tensor(Z)), softmax(Z)), 1e-5) << "softmax of logits near " << offset;
  const double cost = softmax_cost(W, b, X, labels, lambda);
  // float logits near `offset` carry rounding of about offset·2^-24 each.
  EXPECT_NEAR(hw3_student::softmax_cost(to_tensor(W), to_tensor(b), to_tensor(X), labels, lambda), cost,
              1e-6 * offset + 1e-4 * cost);
  // The gradient depends on the logits only through their differences: P is checked above,
  // here the decay and the averaging.
  const ae::hw3::SoftmaxGradient g = hw3_student::softmax_cost_grad(to_tensor(W), to_tensor(b), to_tensor(X), labels, lambda);
  const Matrix P = softmax(logits(W, b, X));
  Matrix D = P;
  for (size_t i = 0; i < m; ++i) {
    D[i][static_cast<size_t>(labels[i])] -= 1;
    for (double& e : D[i]) e /= static_cast<double>(m);
  }
  Matrix dW = multiply(transpose(D), X);
  for (size_t k = 0; k < K; ++k)
    for (size_t j = 0; j < d; ++j) dW[k][j] += lambda * W[k][j];
  std::vector<double> db(K, 0.0);
  for (const auto& row : D)
    for (size_t k = 0; k < K; ++k) db[k] += row[k];
  ASSERT_TRUE(g.dW.defined() && g.db.defined());
  EXPECT_LT(max_abs_diff(g.dW, dW), 1e-3) << "K = " << K << ", d = " << d << ", m = " << m << ", lambda = " << lambda;
  EXPECT_LT(max_abs_diff(g.db, db), 1e-3) << "K = " << K << ", m = " << m;
}

TEST(Task3Hidden, ForwardMatchesTheDirectLoop) {
  ae::Generator gen(hidden_seed(301));
  const int64_t N = 1 + gen.below(3), C = 1 + gen.below(3), O = 1 + gen.below(4);
  const int64_t kh = 1 + gen.below(4), kw = 1 + gen.below(4), s = 1 + gen.below(3), p = gen.below(3);
  const int64_t H = kh + gen.below(6), W = kw + gen.below(6);
  const Image x = random_image(N, C, H, W, gen), w = random_image(O, C, kh, kw, gen);
  const std::vector<double> b = uniform_vector(static_cast<size_t>(O), -1, 1, gen);
  std::vector<double> bf(b.begin(), b.end());
  for (double& e : bf) e = static_cast<float>(e);
  const Tensor y = hw3_student::conv2d_forward(x.tensor(), w.tensor(), to_tensor(bf), s, p);
  const Image expected = conv_direct(x, w, bf, s, p);
  ASSERT_TRUE(y.defined());
  EXPECT_EQ(y.shape(), expected.shape());
  EXPECT_LT(max_flat_diff(y, expected.v), 1e-5) << "kernel " << kh << " x " << kw << ", stride " << s << ", padding " << p;
  EXPECT_LT(max_abs_diff(hw3_student::im2col(x.tensor(), kh, kw, s, p), im2col_direct(x, kh, kw, s, p)), 1e-7)
      << "im2col, kernel " << kh << " x " << kw << ", stride " << s << ", padding " << p;
}

TEST(Task4Hidden, GradientsMatchTheDefinition) {
  ae::Generator gen(hidden_seed(401));
  const int64_t N = 1 + gen.below(3), C = 1 + gen.below(3), O = 1 + gen.below(4);
  const int64_t kh = 1 + gen.below(4), kw = 1 + gen.below(4), s = 1 + gen.below(3), p = gen.below(3);
  const int64_t H = kh + gen.below(6), W = kw + gen.below(6);
  const Image x = random_image(N, C, H, W, gen), w = random_image(O, C, kh, kw, gen);
  const Image dy = random_image(N, O, positions(H, kh, s, p), positions(W, kw, s, p), gen);
  const ae::hw3::ConvGradients g = hw3_student::conv2d_backward(x.tensor(), w.tensor(), dy.tensor(), s, p);
  const ConvGradients expected = conv_gradients(x, w, dy, s, p);
  ASSERT_TRUE(g.dx.defined() && g.dw.defined() && g.db.defined());
  EXPECT_EQ(g.dx.shape(), x.shape());
  EXPECT_EQ(g.dw.shape(), w.shape());
  EXPECT_LT(max_flat_diff(g.dx, expected.dx.v), 1e-5) << "dL/dx, kernel " << kh << " x " << kw << ", stride " << s
                                                       << ", padding " << p;
  EXPECT_LT(max_flat_diff(g.dw, expected.dw.v), 1e-4) << "dL/dw, kernel " << kh << " x " << kw << ", stride " << s
                                                       << ", padding " << p;
  EXPECT_LT(max_flat_diff(g.db, expected.db), 1e-4) << "dL/db";
}

}  // namespace
