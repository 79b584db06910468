// L-BFGS on problems whose minimum is known in closed form: Rosenbrock's valley (minimum
// at (1, 1)), a quadratic ½ xᵀA x - bᵀx (minimum A⁻¹b), a function undefined on half the
// line, and the same through Variables (nn::LBFGS).
#include "nn/lbfgs.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "autograd/ops.hpp"
#include "tensor/ops.hpp"

using ae::Error;
using ae::Variable;
using namespace ae::nn;
namespace T = ae::tensor;

namespace {

// f = 100 (y - x²)² + (1 - x)²: a curved valley whose floor leads slowly to (1, 1), f = 0.
double rosenbrock(const std::vector<double>& v, std::vector<double>& g) {
  const double x = v[0], y = v[1];
  g[0] = -400 * x * (y - x * x) - 2 * (1 - x);
  g[1] = 200 * (y - x * x);
  return 100 * (y - x * x) * (y - x * x) + (1 - x) * (1 - x);
}

TEST(Lbfgs, RosenbrockFromTheClassicStartReachesOneOne) {
  std::vector<double> x = {-1.2, 1.0};
  LbfgsOptions options;
  options.gradient_tolerance = 1e-8;
  options.value_tolerance = 0;
  const LbfgsReport report = lbfgs_minimize(rosenbrock, x, options);
  EXPECT_NEAR(x[0], 1.0, 1e-6);
  EXPECT_NEAR(x[1], 1.0, 1e-6);
  EXPECT_LT(report.value, 1e-12);
  EXPECT_EQ(report.stop, "gradient");
  // A quasi-Newton method needs tens of iterations here (steepest descent needs thousands).
  EXPECT_LT(report.iterations, 100);
  EXPECT_EQ(static_cast<int>(report.values.size()), report.iterations + 1);
  for (std::size_t i = 1; i < report.values.size(); ++i) {
    EXPECT_LT(report.values[i], report.values[i - 1]) << "f rose at iteration " << i;
  }
}

TEST(Lbfgs, QuadraticMinimumIsTheSolutionOfAxEqualsB) {
  // A = [[4,1,0],[1,3,1],[0,1,2]], b = (1, 2, 3): x* = A⁻¹b = (2/9, 1/9, 13/9), and
  // f(x*) = -½ bᵀx* = -43/18 (python3: numpy.linalg.solve(A, b)).
  const double A[3][3] = {{4, 1, 0}, {1, 3, 1}, {0, 1, 2}};
  const double b[3] = {1, 2, 3};
  auto f = [&](const std::vector<double>& x, std::vector<double>& g) {
    double value = 0;
    for (int i = 0; i < 3; ++i) {
      double ax = 0;
      for (int j = 0; j < 3; ++j) ax += A[i][j] * x[j];
      g[i] = ax - b[i];
      value += 0.5 * x[i] * ax - b[i] * x[i];
    }
    return value;
  };
  std::vector<double> x = {5, -3, 7};
  LbfgsOptions options;
  options.gradient_tolerance = 1e-10;
  options.value_tolerance = 0;
  const LbfgsReport report = lbfgs_minimize(f, x, options);
  EXPECT_NEAR(x[0], 2.0 / 9, 1e-9);
  EXPECT_NEAR(x[1], 1.0 / 9, 1e-9);
  EXPECT_NEAR(x[2], 13.0 / 9, 1e-9);
  EXPECT_NEAR(report.value, -43.0 / 18, 1e-12);
  // With exact line searches BFGS ends a 3-D quadratic in 3 steps; the Wolfe search is
  // inexact, so allow a few more.
  EXPECT_LE(report.iterations, 10);
}

TEST(Lbfgs, StepsIntoAnUndefinedRegionAreShortenedNotFatal) {
  // f = x - log x on x > 0 (NaN elsewhere): minimum at x = 1, f = 1. From x = 10 the
  // slope is 0.9, and a step of length 1/0.9 ... lands past 0 on some trials: the search
  // must back off from NaN.
  auto f = [](const std::vector<double>& x, std::vector<double>& g) {
    if (x[0] <= 0) {
      g[0] = std::numeric_limits<double>::quiet_NaN();
      return std::numeric_limits<double>::quiet_NaN();
    }
    g[0] = 1 - 1 / x[0];
    return x[0] - std::log(x[0]);
  };
  std::vector<double> x = {30};
  LbfgsOptions options;
  options.gradient_tolerance = 1e-9;
  options.value_tolerance = 0;
  const LbfgsReport report = lbfgs_minimize(f, x, options);
  EXPECT_NEAR(x[0], 1.0, 1e-6);
  EXPECT_NEAR(report.value, 1.0, 1e-12);
}

TEST(Lbfgs, BadStartAndBadOptionsAreErrors) {
  std::vector<double> empty;
  EXPECT_THROW(lbfgs_minimize(rosenbrock, empty), Error);
  std::vector<double> x = {0, 0};
  auto nan = [](const std::vector<double>&, std::vector<double>&) { return std::nan(""); };
  try {
    lbfgs_minimize(nan, x);
    FAIL() << "a NaN start must throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("starting point"), std::string::npos) << e.what();
  }
  LbfgsOptions bad;
  bad.c1 = 0.95;  // c1 must be below c2
  EXPECT_THROW(lbfgs_minimize(rosenbrock, x, bad), Error);
}

TEST(Lbfgs, IterationLimitIsRespectedAndReported) {
  std::vector<double> x = {-1.2, 1.0};
  LbfgsOptions options;
  options.max_iterations = 5;
  int calls = 0;
  const LbfgsReport report =
      lbfgs_minimize(rosenbrock, x, options, [&](int iteration, double) { calls = iteration; });
  EXPECT_EQ(report.iterations, 5);
  EXPECT_EQ(calls, 5);
  EXPECT_EQ(report.stop, "iterations");
}

TEST(LbfgsModule, FitsParametersThroughAutograd) {
  // loss = Σ (w - c)² + (b - 2)², minimum at w = c, b = 2, loss 0.
  Variable w(T::from_vector({0.0f, 0.0f, 0.0f}, {3}), true);
  Variable b(T::from_vector({5.0f}, {1}), true);
  const Variable c(T::from_vector({1.0f, -2.0f, 0.5f}, {3}));
  LBFGS lbfgs({w, b});
  const LbfgsReport report = lbfgs.minimize([&] {
    const Variable dw = w - c;
    const Variable db = b - 2.0f;
    return ae::sum(dw * dw) + ae::sum(db * db);
  });
  const std::vector<float> wv = w.value().to_vector();
  EXPECT_NEAR(wv[0], 1.0f, 1e-5);
  EXPECT_NEAR(wv[1], -2.0f, 1e-5);
  EXPECT_NEAR(wv[2], 0.5f, 1e-5);
  EXPECT_NEAR(b.value().item(), 2.0f, 1e-5);
  EXPECT_LT(report.value, 1e-9);
  EXPECT_FALSE(w.grad().defined()) << "gradients are cleared when minimize returns";
}

TEST(LbfgsModule, ParametersMustRequireGradients) {
  Variable frozen(T::from_vector({1.0f}, {1}), false);
  EXPECT_THROW(LBFGS({frozen}), Error);
  EXPECT_THROW(LBFGS({}), Error);
}

}  // namespace
