// The element-wise kernels at every SIMD level against the plain loop (the scalar level):
// map_unary / map_binary's contiguous paths, the broadcast path's flat runs, the fused
// activation gradients and sum_rows, at lengths that leave every kind of tail and at one
// above the threshold where the pass is split across threads. The wider levels may contract
// a multiply and an add into one FMA (one rounding instead of two), so an element may differ
// from the plain loop's in its last bits, never more; NaN stays NaN and infinities stay.
// sum_rows only adds, so it agrees bit for bit.
#include <gtest/gtest.h>

#include <omp.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "linalg/simd.hpp"
#include "tensor/ops.hpp"

using ae::Shape;
using ae::Tensor;
namespace T = ae::tensor;
using ae::linalg::SimdLevel;

namespace {

// Restores the process's level when a test ends.
class LevelGuard {
 public:
  LevelGuard() : saved_(ae::linalg::simd_level()) {}
  ~LevelGuard() { ae::linalg::set_simd_level(saved_); }
  LevelGuard(const LevelGuard&) = delete;
  LevelGuard& operator=(const LevelGuard&) = delete;

 private:
  SimdLevel saved_;
};

std::vector<SimdLevel> fast_levels() {
  std::vector<SimdLevel> levels;
  for (SimdLevel l : {SimdLevel::Avx2, SimdLevel::Avx512})
    if (ae::linalg::simd_level_available(l)) levels.push_back(l);
  return levels;
}

// Values spread over [-12, 12] with some exact zeros, ones and a NaN / infinities when asked.
Tensor values(const Shape& shape, uint64_t seed, bool specials) {
  ae::Generator gen(seed);
  Tensor x = T::rand(shape, gen, -12.0f, 12.0f);
  float* p = x.data();
  const int64_t n = x.numel();
  if (n > 3) {
    p[0] = 0.0f;
    p[n / 2] = 1.0f;
    p[n - 1] = -0.0f;
  }
  if (specials && n > 8) {
    p[3] = std::nanf("");
    p[5] = INFINITY;
    p[7] = -INFINITY;
  }
  return x;
}

// Equal, or within a few units in the last place: |a - b| <= 1e-6 |b| + atol, where atol
// covers the ops whose result is a difference of nearly equal terms (1 - t² near |t| = 1).
bool close(const Tensor& a, const Tensor& b, float atol = 1e-37f) {
  if (a.shape() != b.shape()) return false;
  const std::vector<float> x = a.to_vector(), y = b.to_vector();
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i] == y[i] || (x[i] != x[i] && y[i] != y[i])) continue;
    if (!(std::fabs(x[i] - y[i]) <= 1e-6f * std::fabs(y[i]) + atol)) return false;
  }
  return true;
}

bool same_bits(const Tensor& a, const Tensor& b) {
  if (a.shape() != b.shape()) return false;
  const std::vector<float> x = a.to_vector(), y = b.to_vector();
  // memcmp must not see the null data() of an empty vector.
  return x.empty() || std::memcmp(x.data(), y.data(), x.size() * sizeof(float)) == 0;
}

using Unary = std::function<Tensor(const Tensor&)>;
using Binary = std::function<Tensor(const Tensor&, const Tensor&)>;

const std::vector<std::pair<std::string, Unary>>& unary_ops() {
  static const std::vector<std::pair<std::string, Unary>> ops = {
      {"neg", [](const Tensor& x) { return T::neg(x); }},
      {"exp", [](const Tensor& x) { return T::exp(x); }},
      {"log", [](const Tensor& x) { return T::log(T::abs(x)); }},
      {"sqrt", [](const Tensor& x) { return T::sqrt(T::abs(x)); }},
      {"abs", [](const Tensor& x) { return T::abs(x); }},
      {"sign", [](const Tensor& x) { return T::sign(x); }},
      {"clamp", [](const Tensor& x) { return T::clamp(x, -1.0f, 2.0f); }},
      {"sigmoid", [](const Tensor& x) { return T::sigmoid(x); }},
      {"tanh", [](const Tensor& x) { return T::tanh(x); }},
      {"relu", [](const Tensor& x) { return T::relu(x); }},
      {"softplus", [](const Tensor& x) { return T::softplus(x); }},
      {"square", [](const Tensor& x) { return T::pow(x, 2.0f); }},
      {"x * s + t", [](const Tensor& x) { return x * 0.37f + 1.5f; }},
      {"s / x", [](const Tensor& x) { return 3.0f / x; }},
  };
  return ops;
}

const std::vector<std::pair<std::string, Binary>>& binary_ops() {
  static const std::vector<std::pair<std::string, Binary>> ops = {
      {"add", [](const Tensor& a, const Tensor& b) { return T::add(a, b); }},
      {"sub", [](const Tensor& a, const Tensor& b) { return T::sub(a, b); }},
      {"mul", [](const Tensor& a, const Tensor& b) { return T::mul(a, b); }},
      {"div", [](const Tensor& a, const Tensor& b) { return T::div(a, b); }},
      {"maximum", [](const Tensor& a, const Tensor& b) { return T::maximum(a, b); }},
      {"gt", [](const Tensor& a, const Tensor& b) { return T::gt(a, b); }},
      {"sigmoid_backward",
       [](const Tensor& g, const Tensor& x) { return T::sigmoid_backward(g, T::sigmoid(x)); }},
      {"tanh_backward",
       [](const Tensor& g, const Tensor& x) { return T::tanh_backward(g, T::tanh(x)); }},
      {"relu_backward", [](const Tensor& g, const Tensor& x) { return T::relu_backward(g, x); }},
  };
  return ops;
}

// Lengths with every tail of 4, 8 and 16 lanes, and one past the threading threshold.
const std::vector<int64_t> kLengths = {0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 100, 1027,
                                       (int64_t{1} << 18) + 37};

}  // namespace

TEST(SimdDispatch, UnaryOpsAgreeWithTheScalarLoopAtEveryLevel) {
  LevelGuard guard;
  for (int64_t n : kLengths) {
    for (bool specials : {false, true}) {
      const Tensor x = values({n}, 11 + static_cast<uint64_t>(n), specials);
      for (const auto& [name, op] : unary_ops()) {
        ae::linalg::set_simd_level(SimdLevel::Scalar);
        const Tensor want = op(x);
        for (SimdLevel level : fast_levels()) {
          ae::linalg::set_simd_level(level);
          EXPECT_TRUE(close(op(x), want))
              << name << " at " << ae::linalg::to_string(level) << ", n = " << n;
        }
      }
    }
  }
}

TEST(SimdDispatch, BinaryOpsAgreeWithTheScalarLoopAtEveryLevel) {
  LevelGuard guard;
  for (int64_t n : kLengths) {
    const Tensor a = values({n}, 21 + static_cast<uint64_t>(n), true);
    const Tensor b = values({n}, 31 + static_cast<uint64_t>(n), false);
    for (const auto& [name, op] : binary_ops()) {
      ae::linalg::set_simd_level(SimdLevel::Scalar);
      const Tensor want = op(a, b);
      for (SimdLevel level : fast_levels()) {
        ae::linalg::set_simd_level(level);
        EXPECT_TRUE(close(op(a, b), want, 1e-5f))
            << name << " at " << ae::linalg::to_string(level) << ", n = " << n;
      }
    }
  }
}

TEST(SimdDispatch, BroadcastRunsAgreeWithTheScalarLoopAtEveryLevel) {
  // A row-broadcast operand and a transposed view take the strided path, whose runs with
  // unit steps use the dispatched loop.
  LevelGuard guard;
  const Tensor m = values({37, 29}, 5, true);
  const Tensor row = values({29}, 6, false);
  const Tensor other = values({29, 37}, 7, false).t();
  for (const auto& [name, op] : binary_ops()) {
    ae::linalg::set_simd_level(SimdLevel::Scalar);
    const Tensor want_row = op(m, row), want_t = op(m, other);
    for (SimdLevel level : fast_levels()) {
      ae::linalg::set_simd_level(level);
      EXPECT_TRUE(close(op(m, row), want_row, 1e-5f)) << name << " with a row";
      EXPECT_TRUE(close(op(m, other), want_t, 1e-5f)) << name << " with a transposed view";
    }
  }
}

TEST(SimdDispatch, ThreadedPassesAgreeWithOneThread) {
  LevelGuard guard;
  const int saved = omp_get_max_threads();
  const int64_t n = (int64_t{1} << 19) + 5;
  const Tensor a = values({n}, 41, true), b = values({n}, 42, false);
  omp_set_num_threads(1);
  const Tensor want_u = T::sigmoid(a), want_b = T::mul(a, b);
  omp_set_num_threads(3);
  EXPECT_TRUE(same_bits(T::sigmoid(a), want_u));
  EXPECT_TRUE(same_bits(T::mul(a, b), want_b));
  omp_set_num_threads(saved);
}

TEST(FusedActivationGradients, EqualTheUnfusedRules) {
  // The autograd rules before fusion, as separate tensor passes (at the process's level).
  const Tensor x = values({13, 67}, 51, true), g = values({13, 67}, 52, false);
  const Tensor s = T::sigmoid(x), t = T::tanh(x);
  EXPECT_TRUE(close(T::sigmoid_backward(g, s), g * (s * (1.0f - s))));
  EXPECT_TRUE(close(T::tanh_backward(g, t), g * (1.0f - T::pow(t, 2.0f)), 1e-5f));
  EXPECT_TRUE(same_bits(T::relu_backward(g, x), g * T::gt(x, T::scalar(0.0f))));
}

TEST(SumRows, EqualsTheColumnSumAtEveryLevel) {
  LevelGuard guard;
  for (const Shape& shape : {Shape{1, 1}, Shape{128, 784}, Shape{3, 17}, Shape{200, 5},
                             Shape{0, 4}, Shape{4, 0}}) {
    const Tensor x = values(shape, 61, false);
    // The specification: each column's rows added in double, in row order.
    std::vector<double> want(static_cast<std::size_t>(shape[1]), 0.0);
    const std::vector<float> v = x.to_vector();
    for (int64_t r = 0; r < shape[0]; ++r)
      for (int64_t c = 0; c < shape[1]; ++c)
        want[static_cast<std::size_t>(c)] += v[static_cast<std::size_t>(r * shape[1] + c)];
    std::vector<float> want_f(want.begin(), want.end());
    const Tensor expected = T::from_vector(want_f, {shape[1]});
    for (SimdLevel level : {SimdLevel::Scalar, SimdLevel::Avx2, SimdLevel::Avx512}) {
      if (!ae::linalg::simd_level_available(level)) continue;
      ae::linalg::set_simd_level(level);
      EXPECT_TRUE(same_bits(T::sum_rows(x), expected)) << ae::to_string(shape);
    }
    EXPECT_TRUE(T::allclose(T::sum_rows(x), T::sum(x, {0}), 1e-6f, 1e-6f));
  }
  // A transposed view takes the general reduction.
  const Tensor m = values({9, 14}, 62, false);
  EXPECT_TRUE(T::allclose(T::sum_rows(m.t()), T::sum(m.t(), {0}), 1e-6f, 1e-6f));
  EXPECT_THROW(T::sum_rows(values({3}, 1, false)), ae::Error);
}
