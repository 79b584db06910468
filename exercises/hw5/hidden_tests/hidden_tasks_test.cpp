// HW5 tasks 1-4, hidden suite: random sizes, densities, similarities and folds from the
// grader's per-run hidden_seed (which the student runner never sees), checked against the
// double-precision references of hw5_testing.hpp.
#include <cmath>

#include <gtest/gtest.h>

#include "exercises/hw5/tests/hw5_student.hpp"
#include "exercises/hw5/tests/hw5_testing.hpp"

namespace {

using namespace hw5_testing;
using ae::Tensor;
using hw5_student::hidden_seed;

// ---- task 1

TEST(Task1Hidden, MatchesTheDoubleReference) {
  ae::Generator gen(hidden_seed(101));
  for (int trial = 0; trial < 5; ++trial) {
    const size_t n = 5 + gen.below(60);
    const double density = 0.2 + 0.6 * gen.uniform();
    const std::vector<double> a = sparse_ratings(n, density, gen), b = sparse_ratings(n, density, gen);
    EXPECT_NEAR(hw5_student::cosine_similarity(to_tensor(a), to_tensor(b)), co_rated_cosine(a, b), 1e-6)
        << "n = " << n << ", density " << density;
  }
}

// ---- task 2

TEST(Task2Hidden, MatchesTheDoubleReference) {
  ae::Generator gen(hidden_seed(201));
  for (int trial = 0; trial < 6; ++trial) {
    const size_t n = 4 + gen.below(10), m = 4 + gen.below(10);
    const Matrix R = sparse_ratings(n, m, 0.5, gen);
    Matrix S = zeros(m, m);
    for (size_t i = 0; i < m; ++i)
      for (size_t j = 0; j <= i; ++j) S[i][j] = S[j][i] = (i == j) ? 1.0 : -0.4 + 1.4 * gen.uniform();
    // The tensor holds floats: the reference uses the same numbers.
    const Matrix S_float = to_matrix(to_tensor(S));
    const size_t u = gen.below(n), i = gen.below(m), k = 1 + gen.below(5);
    const bool centred = trial % 2 == 1;
    EXPECT_NEAR(hw5_student::predict_item_based(to_tensor(R), to_tensor(S), static_cast<int64_t>(u),
                                                static_cast<int64_t>(i), static_cast<int64_t>(k), centred),
                item_based(R, S_float, u, i, k, centred), 1e-5)
        << n << " x " << m << " ratings, u = " << u << ", i = " << i << ", k = " << k
        << (centred ? ", mean-centred" : ", plain");
  }
}

// ---- task 3

TEST(Task3Hidden, LossAndGradientMatchTheLoop) {
  ae::Generator gen(hidden_seed(301));
  const size_t b = 2 + gen.below(10), d = 3 + gen.below(30), h = 1 + gen.below(8);
  Matrix X = sparse_ratings(b, d, 0.1 + 0.5 * gen.uniform(), gen);
  X[0][0] = 3;  // at least one observed rating
  const Matrix X_hat = to_matrix(to_tensor(uniform(b, d, 0, 6, gen)));
  const Matrix W = to_matrix(to_tensor(uniform(d, h, -1, 1, gen))), V = to_matrix(to_tensor(uniform(h, d, -1, 1, gen)));
  const double lambda = 0.1 * gen.uniform();
  const double expected = masked_loss(X_hat, X, W, V, lambda);
  EXPECT_NEAR(hw5_student::autorec_loss(to_tensor(X_hat), to_tensor(X), to_tensor(W), to_tensor(V), lambda), expected,
              1e-5 * expected)
      << b << " x " << d << " ratings, h = " << h << ", lambda = " << lambda;
  const Tensor g = hw5_student::autorec_loss_grad(to_tensor(X_hat), to_tensor(X));
  const Matrix expected_grad = masked_loss_grad(X_hat, X);
  EXPECT_LT(max_abs_diff(g, expected_grad), 1e-6) << b << " x " << d << " ratings";
  for (size_t r = 0; r < b && g.dim() == 2 && g.size(0) == static_cast<int64_t>(b); ++r)
    for (size_t j = 0; j < d; ++j)
      if (X[r][j] == 0) {
        ASSERT_EQ(g.at({static_cast<int64_t>(r), static_cast<int64_t>(j)}), 0.0f) << "unobserved entry";
      }
}

// ---- task 4

TEST(Task4Hidden, FoldsAndTrainingMeansOnOtherSizes) {
  ae::Generator gen(hidden_seed(401));
  const int64_t N = 20 + static_cast<int64_t>(gen.below(300)), k = 2 + static_cast<int64_t>(gen.below(9));
  const ae::hw5::Folds folds = hw5_student::k_fold_split(N, k, gen.below(1000000));
  EXPECT_EQ(fold_problem(folds, N, k), "") << "N = " << N << ", k = " << k;
  if (static_cast<int64_t>(folds.size()) != k) return;
  const int64_t items = 2 + static_cast<int64_t>(gen.below(12));
  const std::vector<Rating> ratings = random_ratings(static_cast<size_t>(N), 9, items, gen);
  const int64_t test_fold = static_cast<int64_t>(gen.below(static_cast<uint64_t>(k)));
  // The reference's own partition, so that a wrong split costs this check nothing more.
  ae::hw5::Folds dealt(static_cast<size_t>(k));
  for (int64_t t = 0; t < N; ++t) dealt[static_cast<size_t>((t * 7) % k)].push_back(t);
  std::vector<bool> training(static_cast<size_t>(N), true);
  for (int64_t t : dealt[static_cast<size_t>(test_fold)]) training[static_cast<size_t>(t)] = false;
  EXPECT_LT(max_abs_diff(hw5_student::training_item_means(ratings, dealt, test_fold, items),
                         means_of(ratings, training, items)),
            1e-5)
      << N << " ratings of " << items << " items, " << k << " folds, test fold " << test_fold;
}

}  // namespace
