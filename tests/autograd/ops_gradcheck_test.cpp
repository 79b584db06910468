// Every differentiable op against central finite differences: first derivatives
// (gradcheck) and second derivatives through backward(create_graph=true) (gradgradcheck),
// with broadcasting, views and the 1-D / batched cases of matmul.
//
// Inputs keep away from the points where an op has no derivative (relu, abs and sign at
// 0, clamp's edges, ties of max / maximum), by more than the finite-difference step.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "autograd/gradcheck.hpp"
#include "autograd/ops.hpp"

namespace {

using ae::Generator;
using ae::Shape;
using ae::Tensor;
using ae::Variable;
namespace T = ae::tensor;
using Args = std::vector<Variable>;

// Uniform on [low, high).
Tensor uniform(const Shape& shape, uint64_t seed, float low = -1.0f, float high = 1.0f) {
  Generator gen(seed);
  return T::rand(shape, gen, low, high);
}

// Magnitudes in [0.2, 1.2), random signs: at least 0.2 away from 0.
Tensor away_from_zero(const Shape& shape, uint64_t seed) {
  Generator gen(seed);
  Tensor magnitude = T::rand(shape, gen, 0.2f, 1.2f);
  Tensor sign = T::bernoulli(shape, 0.5f, gen) * 2.0f - 1.0f;
  return magnitude * sign;
}

Tensor positive(const Shape& shape, uint64_t seed) { return uniform(shape, seed, 0.5f, 2.0f); }

// Distinct values 0.1 apart in a random order: no ties anywhere.
Tensor distinct(const Shape& shape, uint64_t seed) {
  Generator gen(seed);
  std::vector<float> values(static_cast<std::size_t>(ae::numel_of(shape)));
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = 0.1f * static_cast<float>(i) - 1.0f;
  for (std::size_t i = values.size(); i > 1; --i)
    std::swap(values[i - 1], values[gen.below(i)]);
  return T::from_vector(values, shape);
}

struct OpCase {
  std::string name;
  std::function<Variable(const Args&)> f;
  std::vector<Tensor> inputs;
};

std::vector<OpCase> cases() {
  using namespace ae;
  std::vector<OpCase> c;
  // ---- binary, with and without broadcasting ----
  c.push_back({"add", [](const Args& x) { return x[0] + x[1]; },
               {uniform({3, 4}, 1), uniform({3, 4}, 2)}});
  c.push_back({"add_broadcast_row", [](const Args& x) { return x[0] + x[1]; },
               {uniform({3, 4}, 3), uniform({4}, 4)}});
  c.push_back({"add_broadcast_both", [](const Args& x) { return add(x[0], x[1]); },
               {uniform({3, 1}, 5), uniform({1, 4}, 6)}});
  c.push_back({"add_scalar_tensor", [](const Args& x) { return x[0] + x[1]; },
               {uniform({}, 7), uniform({2, 3}, 8)}});
  c.push_back({"sub", [](const Args& x) { return x[0] - x[1]; },
               {uniform({3, 4}, 9), uniform({3, 4}, 10)}});
  c.push_back({"sub_broadcast", [](const Args& x) { return sub(x[0], x[1]); },
               {uniform({2, 3, 4}, 11), uniform({3, 1}, 12)}});
  c.push_back({"mul", [](const Args& x) { return x[0] * x[1]; },
               {uniform({3, 4}, 13), uniform({3, 4}, 14)}});
  c.push_back({"mul_broadcast", [](const Args& x) { return mul(x[0], x[1]); },
               {uniform({2, 1, 4}, 15), uniform({3, 1}, 16)}});
  c.push_back({"mul_same_input", [](const Args& x) { return x[0] * x[0]; }, {uniform({5}, 17)}});
  c.push_back({"div", [](const Args& x) { return x[0] / x[1]; },
               {uniform({3, 4}, 18), positive({3, 4}, 19)}});
  c.push_back({"div_broadcast", [](const Args& x) { return div(x[0], x[1]); },
               {uniform({3, 4}, 20), positive({4}, 21)}});
  c.push_back({"pow", [](const Args& x) { return pow(x[0], x[1]); },
               {positive({3, 4}, 22), uniform({3, 4}, 23, -2.0f, 2.0f)}});
  c.push_back({"pow_broadcast", [](const Args& x) { return pow(x[0], x[1]); },
               {positive({3, 4}, 24), uniform({4}, 25, -2.0f, 2.0f)}});
  c.push_back({"maximum", [](const Args& x) { return maximum(x[0], x[1]); },
               {distinct({3, 4}, 26), distinct({3, 4}, 27) + 0.05f}});
  c.push_back({"maximum_broadcast", [](const Args& x) { return maximum(x[0], x[1]); },
               {distinct({3, 4}, 28), distinct({4}, 29) + 0.05f}});
  c.push_back({"minimum", [](const Args& x) { return minimum(x[0], x[1]); },
               {distinct({3, 4}, 30), distinct({3, 4}, 31) + 0.05f}});
  c.push_back({"minimum_broadcast", [](const Args& x) { return minimum(x[0], x[1]); },
               {distinct({4}, 32), distinct({3, 4}, 33) + 0.05f}});
  {
    const Tensor cond = T::from_vector({1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 1, 1}, {3, 4});
    c.push_back({"where", [cond](const Args& x) { return where(cond, x[0], x[1]); },
                 {uniform({3, 4}, 34), uniform({3, 4}, 35)}});
    c.push_back({"where_broadcast", [cond](const Args& x) { return where(cond, x[0], x[1]); },
                 {uniform({3, 4}, 36), uniform({4}, 37)}});
  }
  // ---- with a float ----
  c.push_back({"add_float", [](const Args& x) { return x[0] + 2.0f; }, {uniform({3}, 38)}});
  c.push_back({"float_add", [](const Args& x) { return 2.0f + x[0]; }, {uniform({3}, 39)}});
  c.push_back({"sub_float", [](const Args& x) { return x[0] - 2.0f; }, {uniform({3}, 40)}});
  c.push_back({"float_sub", [](const Args& x) { return 2.0f - x[0]; }, {uniform({3}, 41)}});
  c.push_back({"mul_float", [](const Args& x) { return x[0] * 3.0f; }, {uniform({3}, 42)}});
  c.push_back({"float_mul", [](const Args& x) { return 3.0f * x[0]; }, {uniform({3}, 43)}});
  c.push_back({"div_float", [](const Args& x) { return x[0] / 4.0f; }, {uniform({3}, 44)}});
  c.push_back({"float_div", [](const Args& x) { return 2.0f / x[0]; }, {positive({3}, 45)}});
  // ---- unary ----
  c.push_back({"neg", [](const Args& x) { return -x[0]; }, {uniform({3, 4}, 46)}});
  c.push_back({"exp", [](const Args& x) { return exp(x[0]); }, {uniform({3, 4}, 47)}});
  c.push_back({"log", [](const Args& x) { return log(x[0]); }, {positive({3, 4}, 48)}});
  c.push_back({"sqrt", [](const Args& x) { return sqrt(x[0]); }, {positive({3, 4}, 49)}});
  c.push_back({"square", [](const Args& x) { return square(x[0]); }, {uniform({3, 4}, 50)}});
  c.push_back({"pow_float_3", [](const Args& x) { return pow(x[0], 3.0f); },
               {uniform({3, 4}, 51)}});
  c.push_back({"pow_float_half", [](const Args& x) { return pow(x[0], 0.5f); },
               {positive({3, 4}, 52)}});
  c.push_back({"pow_float_negative", [](const Args& x) { return pow(x[0], -1.5f); },
               {positive({3, 4}, 53)}});
  c.push_back({"pow_float_0", [](const Args& x) { return pow(x[0], 0.0f); }, {uniform({4}, 54)}});
  c.push_back({"abs", [](const Args& x) { return abs(x[0]); }, {away_from_zero({3, 4}, 55)}});
  c.push_back({"sign", [](const Args& x) { return sign(x[0]) * x[0]; },
               {away_from_zero({3, 4}, 56)}});
  // Values at least 0.05 from the edges ±0.5, on both sides of them.
  c.push_back({"clamp", [](const Args& x) { return clamp(x[0], -0.5f, 0.5f); },
               {T::from_vector({-0.9f, -0.55f, -0.45f, 0.0f, 0.3f, 0.45f, 0.55f, 1.2f}, {2, 4})}});
  c.push_back({"sigmoid", [](const Args& x) { return sigmoid(x[0]); },
               {uniform({3, 4}, 57, -3.0f, 3.0f)}});
  c.push_back({"tanh", [](const Args& x) { return tanh(x[0]); },
               {uniform({3, 4}, 58, -2.0f, 2.0f)}});
  c.push_back({"relu", [](const Args& x) { return relu(x[0]) * x[0]; },
               {away_from_zero({3, 4}, 59)}});
  c.push_back({"softplus", [](const Args& x) { return softplus(x[0]); },
               {uniform({3, 4}, 60, -3.0f, 3.0f)}});
  // ---- reductions ----
  c.push_back({"sum_all", [](const Args& x) { return sum(x[0]); }, {uniform({3, 4}, 61)}});
  c.push_back({"sum_axis", [](const Args& x) { return sum(x[0], {1}) * x[1]; },
               {uniform({3, 4}, 62), uniform({3}, 63)}});
  c.push_back({"sum_axes_keepdim", [](const Args& x) { return sum(x[0], {0, 2}, true) * x[1]; },
               {uniform({2, 3, 4}, 64), uniform({1, 3, 1}, 65)}});
  c.push_back({"sum_negative_axis", [](const Args& x) { return square(sum(x[0], {-1})); },
               {uniform({3, 4}, 66)}});
  c.push_back({"mean_all", [](const Args& x) { return square(mean(x[0])); },
               {uniform({3, 4}, 67)}});
  c.push_back({"mean_axis", [](const Args& x) { return mean(x[0], {0}) * x[1]; },
               {uniform({3, 4}, 68), uniform({4}, 69)}});
  c.push_back({"mean_keepdim", [](const Args& x) { return x[0] * mean(x[0], {1}, true); },
               {uniform({3, 4}, 70)}});
  c.push_back({"max_all", [](const Args& x) { return square(max(x[0])); }, {distinct({3, 4}, 71)}});
  c.push_back({"max_axis", [](const Args& x) { return max(x[0], {1}) * x[1]; },
               {distinct({3, 4}, 72), uniform({3}, 73)}});
  c.push_back({"max_keepdim", [](const Args& x) { return x[0] * max(x[0], {0, 2}, true); },
               {distinct({2, 3, 2}, 74)}});
  c.push_back({"logsumexp_all", [](const Args& x) { return logsumexp(x[0]); },
               {uniform({3, 4}, 75, -2.0f, 2.0f)}});
  c.push_back({"logsumexp_axis", [](const Args& x) { return logsumexp(x[0], {1}) * x[1]; },
               {uniform({3, 4}, 76, -2.0f, 2.0f), uniform({3}, 77)}});
  c.push_back({"logsumexp_keepdim", [](const Args& x) { return x[0] - logsumexp(x[0], {0}, true); },
               {uniform({3, 4}, 78, -2.0f, 2.0f)}});
  // ---- linear algebra ----
  c.push_back({"matmul", [](const Args& x) { return matmul(x[0], x[1]); },
               {uniform({3, 4}, 79), uniform({4, 5}, 80)}});
  c.push_back({"matmul_transposed_views",
               [](const Args& x) { return matmul(transpose(x[0], 0, 1), transpose(x[1], 0, 1)); },
               {uniform({4, 3}, 81), uniform({5, 4}, 82)}});
  c.push_back({"matmul_batched", [](const Args& x) { return matmul(x[0], x[1]); },
               {uniform({2, 3, 4}, 83), uniform({2, 4, 2}, 84)}});
  c.push_back({"matmul_batch_times_matrix", [](const Args& x) { return matmul(x[0], x[1]); },
               {uniform({2, 3, 4}, 85), uniform({4, 2}, 86)}});
  c.push_back({"matmul_matrix_times_batch", [](const Args& x) { return matmul(x[0], x[1]); },
               {uniform({3, 4}, 87), uniform({2, 4, 2}, 88)}});
  c.push_back({"matmul_batch_broadcast", [](const Args& x) { return matmul(x[0], x[1]); },
               {uniform({1, 3, 4}, 89), uniform({2, 1, 4, 2}, 90)}});
  c.push_back({"matmul_vector_matrix", [](const Args& x) { return matmul(x[0], x[1]); },
               {uniform({4}, 91), uniform({4, 3}, 92)}});
  c.push_back({"matmul_matrix_vector", [](const Args& x) { return matmul(x[0], x[1]); },
               {uniform({3, 4}, 93), uniform({4}, 94)}});
  c.push_back({"matmul_vector_vector", [](const Args& x) { return matmul(x[0], x[1]); },
               {uniform({4}, 95), uniform({4}, 96)}});
  c.push_back({"matmul_vector_batch", [](const Args& x) { return matmul(x[0], x[1]); },
               {uniform({4}, 97), uniform({2, 4, 3}, 98)}});
  c.push_back({"addmm_bias_row",
               [](const Args& x) { return addmm(x[0], x[1], x[2], 0.5f, 2.0f); },
               {uniform({5}, 99), uniform({3, 4}, 100), uniform({4, 5}, 101)}});
  c.push_back({"addmm_full", [](const Args& x) { return addmm(x[0], x[1], x[2]); },
               {uniform({3, 5}, 102), uniform({3, 4}, 103), uniform({4, 5}, 104)}});
  c.push_back({"linear", [](const Args& x) { return linear(x[0], x[1], x[2]); },
               {uniform({3, 4}, 105), uniform({5, 4}, 106), uniform({5}, 107)}});
  c.push_back({"linear_no_bias", [](const Args& x) { return linear(x[0], x[1]); },
               {uniform({3, 4}, 108), uniform({5, 4}, 109)}});
  c.push_back({"linear_3d_input", [](const Args& x) { return linear(x[0], x[1], x[2]); },
               {uniform({2, 3, 4}, 110), uniform({2, 4}, 111), uniform({2}, 112)}});
  c.push_back({"linear_1d_input", [](const Args& x) { return linear(x[0], x[1], x[2]); },
               {uniform({4}, 113), uniform({3, 4}, 114), uniform({3}, 115)}});
  // ---- shapes and views (multiplied by a weight so the check sees where values go) ----
  c.push_back({"reshape", [](const Args& x) { return reshape(x[0], {4, 3}) * x[1]; },
               {uniform({3, 4}, 116), uniform({4, 3}, 117)}});
  c.push_back({"reshape_infer", [](const Args& x) { return square(reshape(x[0], {-1})); },
               {uniform({2, 3, 2}, 118)}});
  c.push_back({"transpose", [](const Args& x) { return transpose(x[0], 0, 2) * x[1]; },
               {uniform({2, 3, 4}, 119), uniform({4, 3, 2}, 120)}});
  c.push_back({"permute", [](const Args& x) { return permute(x[0], {2, 0, 1}) * x[1]; },
               {uniform({2, 3, 4}, 121), uniform({4, 2, 3}, 122)}});
  c.push_back({"permute_negative", [](const Args& x) { return permute(x[0], {-1, 0, 1}) * x[1]; },
               {uniform({2, 3, 4}, 123), uniform({4, 2, 3}, 124)}});
  c.push_back({"slice", [](const Args& x) { return slice(x[0], 1, 1, 4) * x[1]; },
               {uniform({2, 5}, 125), uniform({2, 3}, 126)}});
  c.push_back({"slice_step_negative_start",
               [](const Args& x) { return square(slice(x[0], 0, -5, 6, 2)); },
               {uniform({6, 2}, 127)}});
  c.push_back({"expand", [](const Args& x) { return expand(x[0], {2, 3, 4}) * x[1]; },
               {uniform({3, 1}, 128), uniform({2, 3, 4}, 129)}});
  c.push_back({"sum_to", [](const Args& x) { return sum_to(x[0], {3, 1}) * x[1]; },
               {uniform({2, 3, 4}, 130), uniform({3, 1}, 131)}});
  c.push_back({"squeeze", [](const Args& x) { return squeeze(x[0], 1) * x[1]; },
               {uniform({3, 1, 2}, 132), uniform({3, 2}, 133)}});
  c.push_back({"unsqueeze", [](const Args& x) { return unsqueeze(x[0], -1) * x[1]; },
               {uniform({3, 2}, 134), uniform({3, 2, 2}, 135)}});
  c.push_back({"index_select_repeats",
               [](const Args& x) { return index_select(x[0], 0, {2, 0, 2, -1}) * x[1]; },
               {uniform({4, 3}, 136), uniform({4, 3}, 137)}});
  c.push_back({"index_select_axis1",
               [](const Args& x) { return square(index_select(x[0], 1, {1, 1, 0})); },
               {uniform({2, 3}, 138)}});
  c.push_back({"concat", [](const Args& x) { return concat({x[0], x[1], x[2]}, 1) * x[3]; },
               {uniform({2, 1}, 139), uniform({2, 3}, 140), uniform({2, 2}, 141),
                uniform({2, 6}, 142)}});
  c.push_back({"concat_negative_axis",
               [](const Args& x) { return square(concat({x[0], x[1]}, -2)); },
               {uniform({1, 3}, 143), uniform({2, 3}, 144)}});
  c.push_back({"stack", [](const Args& x) { return stack({x[0], x[1]}, 1) * x[2]; },
               {uniform({3, 2}, 145), uniform({3, 2}, 146), uniform({3, 2, 2}, 147)}});
  // ---- a small network: every kind of op in one graph ----
  c.push_back({"mlp_mse",
               [](const Args& x) {
                 const Variable h = tanh(linear(x[0], x[1], x[2]));
                 const Variable y = sigmoid(linear(h, x[3], x[4]));
                 return mean(square(y - x[0]));
               },
               {uniform({3, 4}, 148), uniform({2, 4}, 149), uniform({2}, 150),
                uniform({4, 2}, 151), uniform({4}, 152)}});
  c.push_back({"softmax_cross_entropy",
               [](const Args& x) {
                 const Tensor one_hot = T::from_vector({0, 1, 0, 0, 0, 1}, {2, 3});
                 return mean(logsumexp(x[0], {1}) - sum(x[0] * one_hot, {1}));
               },
               {uniform({2, 3}, 153, -2.0f, 2.0f)}});
  return c;
}

// gtest prints a parameter that fails; the name says which case it is.
void PrintTo(const OpCase& op, std::ostream* os) { *os << op.name; }

class Ops : public ::testing::TestWithParam<OpCase> {};

TEST_P(Ops, FirstDerivativesMatchFiniteDifferences) {
  const OpCase& op = GetParam();
  const ae::GradcheckResult r = ae::gradcheck(op.f, op.inputs);
  EXPECT_TRUE(r.ok) << r.message;
}

TEST_P(Ops, SecondDerivativesMatchFiniteDifferences) {
  const OpCase& op = GetParam();
  const ae::GradcheckResult r = ae::gradgradcheck(op.f, op.inputs);
  EXPECT_TRUE(r.ok) << r.message;
}

INSTANTIATE_TEST_SUITE_P(Autograd, Ops, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<OpCase>& param) {
                           return param.param.name;
                         });

}  // namespace
