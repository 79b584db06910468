// nn/metrics, nn/interpolation and the Tensor <-> Matrix bridge. Expected values are worked out by hand in the
// comments beside them, or come from the NumPy line quoted next to the constant.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "linalg/error.hpp"
#include "nn/interpolation.hpp"
#include "nn/matrix_bridge.hpp"
#include "nn/metrics.hpp"
#include "tensor/ops.hpp"

using ae::Tensor;
namespace nn = ae::nn;
namespace tensor = ae::tensor;

namespace {

Tensor t(const std::vector<float>& values, const ae::Shape& shape) { return tensor::from_vector(values, shape); }

// Runs f, which must throw ae::Error with every one of `parts` in its message.
template <class F>
void expect_error(F&& f, const std::vector<std::string>& parts) {
  try {
    f();
    ADD_FAILURE() << "no ae::Error thrown";
  } catch (const ae::Error& e) {
    for (const auto& p : parts) EXPECT_NE(std::string(e.what()).find(p), std::string::npos) << e.what();
  }
}

}  // namespace

// ---- the bridge -------------------------------------------------------------------------------

TEST(MatrixBridge, StridedTensorToMatrixAndBack) {
  // [[1 2 3], [4 5 6]] transposed is a strided view [[1 4], [2 5], [3 6]].
  const Tensor a = t({1, 2, 3, 4, 5, 6}, {2, 3});
  const ae::linalg::Matrix m = nn::to_matrix(a.t());
  ASSERT_EQ(m.rows, 3);
  ASSERT_EQ(m.cols, 2);
  EXPECT_EQ(m(0, 1), 4.0);
  EXPECT_EQ(m(2, 0), 3.0);
  EXPECT_EQ(m(2, 1), 6.0);
  const Tensor back = nn::to_tensor(m);
  EXPECT_EQ(back.shape(), (ae::Shape{3, 2}));
  EXPECT_EQ(back.to_vector(), (std::vector<float>{1, 4, 2, 5, 3, 6}));
}

TEST(MatrixBridge, FloatViewBorrowsContiguousAndRefusesStrided) {
  const Tensor a = t({1, 2, 3, 4, 5, 6}, {2, 3});
  const ae::linalg::ViewF v = nn::float_view(a);
  EXPECT_EQ(v.data, a.data());
  EXPECT_EQ(v(1, 2), 6.0f);
  expect_error([&] { nn::float_view(a.t()); }, {"[3, 2]", "contiguous"});
  expect_error([&] { nn::to_matrix(t({1, 2}, {2})); }, {"[2]"});
}

// ---- subspaces --------------------------------------------------------------------------------

TEST(Metrics, PrincipalCosinesOfKnownSubspaces) {
  // span{e1, e2} against span{e1, 0.6 e2 + 0.8 e3}: angles 0 and acos(0.6).
  const Tensor a = t({2, 0, 0, 1, 1, 0}, {2, 3});  // not orthonormal, same span as e1, e2
  const Tensor b = t({1, 0, 0, 0, 0.6f, 0.8f}, {2, 3});
  const auto c = nn::principal_cosines(a, b);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_NEAR(c[0], 1.0, 1e-7);
  EXPECT_NEAR(c[1], 0.6, 1e-7);
  // A subspace against itself in another basis: all ones.
  for (double x : nn::principal_cosines(a, t({1, 0, 0, 0, 1, 0}, {2, 3}))) EXPECT_NEAR(x, 1.0, 1e-7);
  // Orthogonal subspaces: all zeros.
  EXPECT_NEAR(nn::principal_cosines(t({1, 0, 0}, {1, 3}), t({0, 0, 1}, {1, 3}))[0], 0.0, 1e-12);
}

TEST(Metrics, PrincipalCosinesMatchNumpyForSubspacesOfDifferentDimension) {
  const Tensor a = t({1, 2, 0, -1, 3, 0, 1, 1, 2, -1}, {2, 5});
  const Tensor b = t({2, -1, 1, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1, -2, 1}, {3, 5});
  // qa,_=np.linalg.qr(a.T); qb,_=np.linalg.qr(b.T); np.linalg.svd(qa.T@qb, compute_uv=False)
  const auto c = nn::principal_cosines(a, b);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_NEAR(c[0], 0.99500615, 1e-7);
  EXPECT_NEAR(c[1], 0.71272108, 1e-7);
  expect_error([&] { nn::principal_cosines(a, t({1, 2, 3}, {1, 3})); }, {"[2, 5]", "[1, 3]"});
}

// ---- reconstruction ---------------------------------------------------------------------------

TEST(Metrics, ReconstructionErrors) {
  const Tensor x = t({0, 0.5f, 1, 0.25f}, {2, 2});
  const Tensor x_hat = t({0.1f, 0.5f, 0.8f, 0.25f}, {2, 2});
  // Σx² = 0.25 + 1 + 0.0625 = 1.3125; Σ(x - x̂)² = 0.01 + 0.04 = 0.05.
  EXPECT_NEAR(nn::sum_of_squares(x), 1.3125, 1e-12);
  EXPECT_NEAR(nn::relative_error(x, x_hat), 0.05 / 1.3125, 1e-7);
  // MSE = 0.05 / 4 = 0.0125, PSNR = 10 log10(1 / 0.0125) = 10 log10(80).
  // 10*np.log10(1/np.mean((np.array([0,.5,1,.25])-np.array([.1,.5,.8,.25]))**2)) = 19.030899869919438
  EXPECT_NEAR(nn::psnr(x, x_hat), 19.030899869919438, 1e-5);
  // With pixels in [0, 255] and the same relative errors the MSE grows by 255², PSNR unchanged.
  EXPECT_NEAR(nn::psnr(tensor::mul(x, tensor::scalar(255)), tensor::mul(x_hat, tensor::scalar(255)), 255),
              19.030899869919438, 1e-4);
  EXPECT_EQ(nn::psnr(x, x), std::numeric_limits<double>::infinity());
  expect_error([&] { nn::psnr(x, t({1, 2, 3}, {3})); }, {"[2, 2]", "[3]"});
  expect_error([&] { nn::relative_error(tensor::zeros({2}), tensor::zeros({2})); }, {"all zeros"});
}

TEST(Metrics, RmseAndMaeOnAllAndOnObservedEntries) {
  const Tensor p = t({1, 2, 3, 4}, {2, 2});
  const Tensor target = t({1.5f, 2, 1, 4}, {2, 2});
  // Errors -0.5, 0, 2, 0: MSE = 4.25 / 4, MAE = 2.5 / 4.
  EXPECT_NEAR(nn::rmse(p, target), std::sqrt(4.25 / 4), 1e-9);
  EXPECT_NEAR(nn::mae(p, target), 0.625, 1e-9);
  // Only entries 0 and 2 observed: errors -0.5 and 2.
  const Tensor observed = t({1, 0, 1, 0}, {2, 2});
  EXPECT_NEAR(nn::rmse(p, target, observed), std::sqrt(4.25 / 2), 1e-9);
  EXPECT_NEAR(nn::mae(p, target, observed), 1.25, 1e-9);
  // Unobserved entries do not count however wrong they are.
  const Tensor wild = t({1, 1000, 3, -1000}, {2, 2});
  EXPECT_NEAR(nn::rmse(wild, target, observed), std::sqrt(4.25 / 2), 1e-9);
  expect_error([&] { nn::rmse(p, target, tensor::zeros({2, 2})); }, {"no entry", "[2, 2]"});
  expect_error([&] { nn::mae(p, target, tensor::zeros({4})); }, {"[2, 2]", "[4]"});
  expect_error([&] { nn::rmse(p, t({1, 2}, {1, 2})); }, {"[2, 2]", "[1, 2]"});
}

// ---- classification ---------------------------------------------------------------------------

TEST(Metrics, AccuracyAndPredictedClasses) {
  EXPECT_DOUBLE_EQ(nn::accuracy({0, 1, 2, 1}, {0, 1, 1, 1}), 0.75);
  // Row argmax: [0.1 0.7 0.2] -> 1, [0.5 0.5 0] -> 0 (first of a tie), [0 0 3] -> 2.
  const Tensor scores = t({0.1f, 0.7f, 0.2f, 0.5f, 0.5f, 0, 0, 0, 3}, {3, 3});
  EXPECT_EQ(nn::predicted_classes(scores), (std::vector<int>{1, 0, 2}));
  EXPECT_NEAR(nn::accuracy(scores, {1, 1, 2}), 2.0 / 3.0, 1e-12);
  expect_error([&] { nn::accuracy({0, 1}, {0}); }, {"2 predictions", "1 labels"});
  expect_error([&] { nn::accuracy(scores, {1, 1}); }, {"[3, 3]", "2 labels"});
}

TEST(Metrics, ConfusionMatrixCountsTrueAgainstPredicted) {
  const std::vector<int> truth = {0, 0, 1, 1, 1, 2};
  const std::vector<int> predicted = {0, 1, 1, 1, 2, 2};
  const nn::ConfusionMatrix m = nn::confusion_matrix(predicted, truth, 3);
  // Row = true class: 0 -> {0: 1, 1: 1}; 1 -> {1: 2, 2: 1}; 2 -> {2: 1}.
  const std::vector<int64_t> expected = {1, 1, 0, 0, 2, 1, 0, 0, 1};
  EXPECT_EQ(m.counts, expected);
  EXPECT_EQ(m(1, 2), 1);
  EXPECT_NEAR(m.accuracy(), 4.0 / 6.0, 1e-12);
  expect_error([&] { nn::confusion_matrix({0, 3}, {0, 1}, 3); }, {"predicted[1] = 3", "0..2"});
}

TEST(Metrics, KnnAccuracyOnALine) {
  // Reference points on a line: class 0 at 0, 1, 2 and class 1 at 10, 11, 12.
  const Tensor ref = t({0, 1, 2, 10, 11, 12}, {6, 1});
  const std::vector<int> ref_labels = {0, 0, 0, 1, 1, 1};
  // 3-NN: 0.5 -> {0, 1, 2}: class 0. 11.5 -> {11, 12, 10}: class 1. 5 is 3, 4, 5 away from
  // 2, 1, 0 and 5 from 10: at least two votes for class 0. 7 is 3, 4 away from 10, 11 and 5
  // from 2 and 12: at least two votes for class 1.
  const Tensor query = t({0.5f, 11.5f, 5, 7}, {4, 1});
  EXPECT_DOUBLE_EQ(nn::knn_accuracy(ref, ref_labels, query, {0, 1, 0, 1}, 3), 1.0);
  EXPECT_DOUBLE_EQ(nn::knn_accuracy(ref, ref_labels, query, {0, 0, 0, 0}, 3), 0.5);
  // 2-NN with a tie: 6.2 has 2 (distance 4.2) and 10 (distance 3.8): one vote each, the
  // nearer one's label (1) wins.
  EXPECT_DOUBLE_EQ(nn::knn_accuracy(ref, ref_labels, t({6.2f}, {1, 1}), {1}, 2), 1.0);
  expect_error([&] { nn::knn_accuracy(ref, ref_labels, t({1, 2}, {1, 2}), {0}, 3); }, {"[6, 1]", "[1, 2]"});
  expect_error([&] { nn::knn_accuracy(ref, ref_labels, query, {0, 1, 0, 1}, 7); }, {"neighbours = 7"});
}

// ---- recommendation ---------------------------------------------------------------------------

TEST(Metrics, PrecisionRecallAtK) {
  // Two users, five items.
  const Tensor scores = t({0.9f, 0.1f, 0.8f, 0.3f, 0.5f,    // user 0 ranks 0, 2, 4, 3, 1
                           0.2f, 0.7f, 0.7f, 0.1f, 0.0f},  // user 1 ranks 1, 2 (tie: lower first), 0, 3, 4
                          {2, 5});
  const std::vector<std::vector<int64_t>> relevant = {{2, 3}, {2}};
  // k = 2: user 0 gets {0, 2}: 1 hit -> P 1/2, R 1/2; user 1 gets {1, 2}: 1 hit -> P 1/2, R 1.
  auto r = nn::precision_recall_at_k(scores, relevant, 2);
  EXPECT_EQ(r.users, 2);
  EXPECT_NEAR(r.precision, 0.5, 1e-12);
  EXPECT_NEAR(r.recall, 0.75, 1e-12);
  // Excluding the items seen in training (user 0: item 0; user 1: item 1): user 0 gets {2, 4}
  // -> P 1/2, R 1/2; user 1 gets {2, 0} -> P 1/2, R 1.
  const Tensor seen = t({1, 0, 0, 0, 0, 0, 1, 0, 0, 0}, {2, 5});
  r = nn::precision_recall_at_k(scores, relevant, 2, seen);
  EXPECT_NEAR(r.precision, 0.5, 1e-12);
  EXPECT_NEAR(r.recall, 0.75, 1e-12);
  // k = 1 without exclusion: user 0 gets {0}: 0 hits; user 1 gets {1}: 0 hits.
  r = nn::precision_recall_at_k(scores, relevant, 1);
  EXPECT_NEAR(r.precision, 0.0, 1e-12);
  // k = 1 with exclusion: user 0 gets {2}: hit (P 1, R 1/2); user 1 gets {2}: hit (P 1, R 1).
  r = nn::precision_recall_at_k(scores, relevant, 1, seen);
  EXPECT_NEAR(r.precision, 1.0, 1e-12);
  EXPECT_NEAR(r.recall, 0.75, 1e-12);
  // A user without relevant items is left out of the means.
  r = nn::precision_recall_at_k(scores, {{2, 3}, {}}, 2);
  EXPECT_EQ(r.users, 1);
  EXPECT_NEAR(r.recall, 0.5, 1e-12);
  expect_error([&] { nn::precision_recall_at_k(scores, relevant, 6); }, {"k = 6", "1..5"});
  expect_error([&] { nn::precision_recall_at_k(scores, {{1}}, 2); }, {"1 users", "[2, 5]"});
  expect_error([&] { nn::precision_recall_at_k(scores, {{7}, {1}}, 2); }, {"item 7"});
  expect_error([&] { nn::precision_recall_at_k(scores, relevant, 2, tensor::zeros({5, 2})); }, {"[5, 2]", "[2, 5]"});
}

// ---- codes ------------------------------------------------------------------------------------

TEST(Metrics, MeanActivationPerUnit) {
  // Columns (0, 1, 0.5) -> 0.5, (0.2, 0.2, 0.2) -> 0.2, (1, 0, 0) -> 1/3.
  const Tensor h = t({0, 0.2f, 1, 1, 0.2f, 0, 0.5f, 0.2f, 0}, {3, 3});
  const auto m = nn::mean_activation(h);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_NEAR(m[0], 0.5, 1e-7);
  EXPECT_NEAR(m[1], 0.2, 1e-7);
  EXPECT_NEAR(m[2], 1.0 / 3.0, 1e-7);
  // A strided view (the transpose) is read by its logical layout: row means of h.
  const auto mt = nn::mean_activation(h.t());
  EXPECT_NEAR(mt[0], 0.4, 1e-7);
  expect_error([&] { nn::mean_activation(t({1, 2, 3}, {3})); }, {"[3]"});
}

// ---- interpolation ----------------------------------------------------------------------------

TEST(Interpolation, StraightLineBetweenTwoRows) {
  // a = (0, 4), b = (2, 0), three steps: α = 0, 1/2, 1 -> (0, 4), (1, 2), (2, 0).
  const Tensor path = nn::interpolate(t({0, 4}, {1, 2}), t({2, 0}, {1, 2}), 3);
  EXPECT_EQ(path.shape(), (ae::Shape{3, 2}));
  EXPECT_EQ(path.to_vector(), (std::vector<float>{0, 4, 1, 2, 2, 0}));
  expect_error([&] { nn::interpolate(t({0, 4}, {1, 2}), t({2}, {1, 1}), 3); }, {"[1, 2]", "[1, 1]"});
  expect_error([&] { nn::interpolate(t({0, 4}, {1, 2}), t({2, 0}, {1, 2}), 1); }, {"steps = 1"});
}
