// HW2 task 3: the contractive penalty. By hand on pre-activations 0 and ±ln 3, where
// σ = 1/2, 3/4, 1/4 and σ' = h(1 - h) = 1/4, 3/16, 3/16; then against the Jacobian of the
// encoder computed here by central differences, in double.
#include <cmath>

#include <gtest/gtest.h>

#include "exercises/hw2/tests/hw2_student.hpp"
#include "exercises/hw2/tests/hw2_testing.hpp"

namespace {

using namespace hw2_testing;
using ae::Tensor;

TEST(Task3Contractive, PenaltyByHand) {
  // W = [[ln3, 0], [0, 2]], b = (0, -ln3), x1 = (1, 0), x2 = (0, 0):
  //   unit 1: a = ln3 x_1 -> h = 3/4 (x1), 1/2 (x2);  ||W_1||² = ln²3
  //   unit 2: a = 2 x_2 - ln3 = -ln3 -> h = 1/4;       ||W_2||² = 4
  //   x1: (3/16)² ln²3 + (3/16)² 4,   x2: (1/4)² ln²3 + (3/16)² 4;  the penalty is their mean.
  const double l = std::log(3.0);
  const Tensor W = to_tensor(Matrix{{l, 0}, {0, 2}});
  const Tensor b = to_tensor(std::vector<double>{0, -l});
  const Tensor X = to_tensor(Matrix{{1, 0}, {0, 0}});
  const double x1 = 9.0 / 256 * l * l + 9.0 / 256 * 4, x2 = 1.0 / 16 * l * l + 9.0 / 256 * 4;
  EXPECT_NEAR(hw2_student::contractive_penalty(X, W, b), (x1 + x2) / 2, 1e-6);
}

TEST(Task3Contractive, MatchesTheFiniteDifferenceJacobian) {
  ae::Generator gen(41);
  const size_t n = 3, d = 6, k = 4;
  const Matrix W = uniform(k, d, -2, 2, gen), X = uniform(n, d, 0, 1, gen);
  const std::vector<double> b = uniform(1, k, -1, 1, gen)[0];
  auto encode = [&](const std::vector<double>& x) {
    std::vector<double> h(k);
    for (size_t j = 0; j < k; ++j) {
      double a = b[j];
      for (size_t i = 0; i < d; ++i) a += W[j][i] * x[i];
      h[j] = sigmoid(a);
    }
    return h;
  };
  // ||J(x)||²_F with J_ji = (h_j(x + s e_i) - h_j(x - s e_i)) / 2s.
  const double step = 1e-5;
  double expected = 0;
  for (const auto& x : X)
    for (size_t i = 0; i < d; ++i) {
      std::vector<double> plus = x, minus = x;
      plus[i] += step;
      minus[i] -= step;
      const std::vector<double> hp = encode(plus), hm = encode(minus);
      for (size_t j = 0; j < k; ++j) expected += std::pow((hp[j] - hm[j]) / (2 * step), 2);
    }
  expected /= static_cast<double>(n);
  const double got = hw2_student::contractive_penalty(to_tensor(X), to_tensor(W), to_tensor(b));
  EXPECT_NEAR(got, expected, 1e-5 * expected) << "expected the mean over images of ||J(x)||²_F";
}

}  // namespace
