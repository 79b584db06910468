// nn/recommender: protocols, rating matrix, cosine similarity and the CF baselines. Expected
// values are worked out by hand in the comments beside them.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "linalg/error.hpp"
#include "nn/data/movielens.hpp"
#include "nn/recommender.hpp"
#include "tensor/ops.hpp"
#include "tensor/random.hpp"

namespace fs = std::filesystem;
namespace nn = ae::nn;
using ae::data::Rating;

namespace {

std::vector<Rating> list(std::initializer_list<std::array<double, 3>> triples) {
  std::vector<Rating> out;
  for (const auto& t : triples) {
    out.push_back({static_cast<int64_t>(t[0]), static_cast<int64_t>(t[1]),
                   static_cast<float>(t[2]), 0});
  }
  return out;
}

// The 3 x 3 example used below (- = unknown):
//        i0 i1 i2
//   u0 [  5  3  - ]
//   u1 [  4  -  1 ]
//   u2 [  1  1  1 ]
std::vector<Rating> small() {
  return list({{0, 0, 5}, {0, 1, 3}, {1, 0, 4}, {1, 2, 1}, {2, 0, 1}, {2, 1, 1}, {2, 2, 1}});
}

// A random rank-2 rating matrix on 30 x 40 with 40% of it observed, ratings in [1, 5].
std::vector<Rating> low_rank(uint64_t seed) {
  ae::Generator gen(seed);
  std::vector<double> a(30 * 2), b(40 * 2);
  for (double& x : a) x = gen.uniform();
  for (double& x : b) x = gen.uniform();
  std::vector<Rating> out;
  for (int64_t u = 0; u < 30; ++u) {
    for (int64_t i = 0; i < 40; ++i) {
      if (gen.uniform() > 0.4f) continue;
      const double r = 1.0 + 2.0 * (a[u * 2] * b[i * 2] + a[u * 2 + 1] * b[i * 2 + 1]);
      out.push_back({u, i, static_cast<float>(r), 0});
    }
  }
  return out;
}

}  // namespace

TEST(Recommender, KFoldFoldsAreDisjointAndCoverEverything) {
  std::vector<Rating> ratings;
  for (int64_t j = 0; j < 10; ++j) ratings.push_back({j, 0, 1.0f, 0});
  const auto splits = nn::kfold_splits(ratings, 3, 7);
  ASSERT_EQ(splits.size(), 3u);
  // 10 = 4 + 3 + 3: the first 10 % 3 = 1 fold takes one more.
  EXPECT_EQ(splits[0].test.size(), 4u);
  EXPECT_EQ(splits[1].test.size(), 3u);
  EXPECT_EQ(splits[2].test.size(), 3u);
  std::multiset<int64_t> seen;
  for (const auto& s : splits) {
    EXPECT_EQ(s.train.size() + s.test.size(), 10u);
    std::set<int64_t> test_users;
    for (const Rating& r : s.test) {
      seen.insert(r.user);
      test_users.insert(r.user);
    }
    for (const Rating& r : s.train) EXPECT_EQ(test_users.count(r.user), 0u);
  }
  EXPECT_EQ(seen.size(), 10u);
  for (int64_t j = 0; j < 10; ++j) EXPECT_EQ(seen.count(j), 1u) << j;
  // Another seed, another shuffle; the same seed, the same one.
  EXPECT_EQ(nn::kfold_splits(ratings, 3, 7)[0].test[0].user, splits[0].test[0].user);
  EXPECT_THROW(nn::kfold_splits(ratings, 1, 0), ae::Error);
  EXPECT_THROW(nn::kfold_splits(ratings, 11, 0), ae::Error);
}

TEST(Recommender, HoldoutSplitSizes) {
  std::vector<Rating> ratings;
  for (int64_t j = 0; j < 20; ++j) ratings.push_back({j, 0, 1.0f, 0});
  const auto split = nn::holdout_split(ratings, 0.25, 3);
  EXPECT_EQ(split.test.size(), 5u);
  EXPECT_EQ(split.train.size(), 15u);
  EXPECT_THROW(nn::holdout_split(ratings, 1.0, 3), ae::Error);
}

TEST(Recommender, RatingMatrixPlacesRatingsAndRefusesDuplicates) {
  const auto m = nn::rating_matrix(small(), 3, 3);
  EXPECT_EQ(m.values.at({0, 1}), 3.0f);
  EXPECT_EQ(m.values.at({0, 2}), 0.0f);
  EXPECT_EQ(m.mask.at({0, 2}), 0.0f);
  EXPECT_EQ(m.mask.at({1, 2}), 1.0f);
  EXPECT_EQ(ae::tensor::sum_double(m.mask), 7.0);
  auto twice = small();
  twice.push_back({0, 0, 2.0f, 0});
  EXPECT_THROW(nn::rating_matrix(twice, 3, 3), ae::Error);
  EXPECT_THROW(nn::rating_matrix(small(), 3, 2), ae::Error);  // item 2 does not fit
}

TEST(Recommender, SparsityOfMovieLens100k) {
  // 1 - 100000 / (943 * 1682) = 1 - 100000 / 1586126 = 0.936953...
  EXPECT_NEAR(nn::sparsity(100000, 943, 1682), 1.0 - 100000.0 / 1586126.0, 1e-15);
  EXPECT_NEAR(nn::sparsity(100000, 943, 1682), 0.93695, 1e-5);
}

TEST(Recommender, CosineOverCoRatedEntries) {
  const auto m = nn::rating_matrix(small(), 3, 3);
  const ae::Tensor s = nn::cosine_similarity(m.values, m.mask);
  // u0, u1 share i0 only: 5*4 / (5 * 4) = 1.
  EXPECT_NEAR(s.at({0, 1}), 1.0, 1e-6);
  // u0, u2 share i0, i1: (5 + 3) / (sqrt(34) sqrt(2)) = 8 / sqrt(68).
  EXPECT_NEAR(s.at({0, 2}), 8.0 / std::sqrt(68.0), 1e-6);
  // u1, u2 share i0, i2: (4 + 1) / (sqrt(17) sqrt(2)) = 5 / sqrt(34).
  EXPECT_NEAR(s.at({1, 2}), 5.0 / std::sqrt(34.0), 1e-6);
  EXPECT_NEAR(s.at({2, 1}), s.at({1, 2}), 1e-7);
  // Centred: means 4, 2.5, 1 -> u0 (1, -1, -), u1 (1.5, -, -1.5), u2 (0, 0, 0).
  const ae::Tensor c = nn::cosine_similarity(m.values, m.mask, true);
  EXPECT_NEAR(c.at({1, 0}), 1.0, 1e-6);  // i0 only: 1.5 * 1 / (1.5 * 1)
  EXPECT_EQ(c.at({1, 2}), 0.0f);        // u2 has norm 0
  EXPECT_THROW(nn::cosine_similarity(m.values, m.mask.reshape({9})), ae::Error);
}

TEST(Recommender, MeansAsDefined) {
  const auto train = small();
  // μ = (5 + 3 + 4 + 1 + 1 + 1 + 1) / 7 = 16 / 7.
  EXPECT_NEAR(nn::fit_mean(train, 4, 4, nn::MeanKind::Global)->predict(0, 0), 16.0 / 7.0, 1e-6);
  EXPECT_NEAR(nn::fit_mean(train, 4, 4, nn::MeanKind::User)->predict(1, 1), 2.5, 1e-6);
  EXPECT_NEAR(nn::fit_mean(train, 4, 4, nn::MeanKind::Item)->predict(2, 0), 10.0 / 3.0, 1e-6);
  // User 3 and item 3 have no rating: the global mean.
  EXPECT_NEAR(nn::fit_mean(train, 4, 4, nn::MeanKind::User)->predict(3, 0), 16.0 / 7.0, 1e-6);
  EXPECT_NEAR(nn::fit_mean(train, 4, 4, nn::MeanKind::Item)->predict(0, 3), 16.0 / 7.0, 1e-6);
  // RMSE / MAE of the global mean on two test ratings 1 and 5 (μ = 16/7).
  const auto errors =
      nn::rating_errors(*nn::fit_mean(train, 4, 4, nn::MeanKind::Global), list({{0, 2, 1}, {3, 3, 5}}));
  const double e1 = 16.0 / 7.0 - 1.0, e2 = 5.0 - 16.0 / 7.0;
  EXPECT_NEAR(errors.rmse, std::sqrt((e1 * e1 + e2 * e2) / 2.0), 1e-6);
  EXPECT_NEAR(errors.mae, (e1 + e2) / 2.0, 1e-6);
}

TEST(Recommender, KnnPredictionsFollowTheLectureFormulas) {
  const auto train = small();
  // Item-based, (u0, i2): u0 rated i0 (5) and i1 (3); s(i2, i0) over u1, u2 = (4 + 1) /
  // (sqrt(17) sqrt(2)) = 5/sqrt(34); s(i2, i1) over u2 = 1.
  const double s20 = 5.0 / std::sqrt(34.0);
  nn::KnnCF items(train, 3, 3, nn::Neighbourhood::ItemBased, {.k = 40});
  EXPECT_NEAR(items.predict(0, 2), (s20 * 5 + 1.0 * 3) / (s20 + 1.0), 1e-5);
  nn::KnnCF nearest(train, 3, 3, nn::Neighbourhood::ItemBased, {.k = 1});
  EXPECT_NEAR(nearest.predict(0, 2), 3.0, 1e-6);  // the most similar item alone: i1
  // User-based, (u1, i1): rated by u0 (3, s = 1) and u2 (1, s = 5/sqrt(34)).
  nn::KnnCF users(train, 3, 3, nn::Neighbourhood::UserBased, {.k = 40});
  EXPECT_NEAR(users.predict(1, 1), (1.0 * 3 + s20 * 1) / (1.0 + s20), 1e-5);
  // Mean-centred: μ_u1 = 2.5, the only positive neighbour u0 (s = 1, μ = 4) rated 3.
  nn::KnnCF centred(train, 3, 3, nn::Neighbourhood::UserBased, {.k = 40, .mean_centred = true});
  EXPECT_NEAR(centred.predict(1, 1), 2.5 + (3.0 - 4.0), 1e-6);
  EXPECT_THROW(nn::KnnCF(train, 3, 3, nn::Neighbourhood::UserBased, {.k = 0}), ae::Error);
}

TEST(Recommender, FunkSvdFirstEpochByHand) {
  // Factors start at 0 (init_std 0) and stay there, so only the biases move. μ = 4.
  // Rating (0, 0, 5): e = 1, b_u0 = 0.5, b_i0 = 0.5.
  // Rating (0, 1, 3): e = 3 - (4 + 0.5 + 0) = -1.5, b_u0 = 0.5 - 0.75 = -0.25, b_i1 = -0.75.
  const auto train = list({{0, 0, 5}, {0, 1, 3}});
  nn::FunkSVD svd(train, 2, 3, {.factors = 2, .epochs = 1, .lr = 0.5, .reg = 0.0, .init_std = 0.0});
  EXPECT_NEAR(svd.predict(0, 0), 4.0 - 0.25 + 0.5, 1e-6);
  EXPECT_NEAR(svd.predict(0, 1), 4.0 - 0.25 - 0.75, 1e-6);
  EXPECT_NEAR(svd.predict(1, 0), 4.0 + 0.5, 1e-6);  // unknown user: μ + b_i
  EXPECT_NEAR(svd.epoch_rmse()[0], std::sqrt((1.0 + 2.25) / 2.0), 1e-9);
}

TEST(Recommender, FunkSvdFitsALowRankMatrix) {
  const auto ratings = low_rank(1);
  nn::FunkSVD svd(ratings, 30, 40, {.factors = 5, .epochs = 200, .lr = 0.02, .reg = 0.0});
  const auto& curve = svd.epoch_rmse();
  EXPECT_LT(curve.back(), 0.5 * curve.front());
  EXPECT_LT(nn::rating_errors(svd, ratings).rmse, 0.1);
}

TEST(Recommender, FullRankImputedSvdReproducesTheImputedMatrix) {
  // At full rank U Σ Vᵀ is the filled matrix itself: known ratings come back, unknown ones are
  // the item means (i0: 10/3, i1: 2, i2: 1).
  auto svd = nn::fit_imputed_svd(small(), 3, 3, 3);
  EXPECT_NEAR(svd->predict(0, 0), 5.0, 1e-4);
  EXPECT_NEAR(svd->predict(1, 0), 4.0, 1e-4);
  EXPECT_NEAR(svd->predict(0, 2), 1.0, 1e-4);
  EXPECT_NEAR(svd->predict(1, 1), 2.0, 1e-4);
  EXPECT_THROW(nn::fit_imputed_svd(small(), 3, 3, 4), ae::Error);
}

TEST(Recommender, NmfObjectiveNeverIncreases) {
  const auto ratings = low_rank(2);
  const auto result = nn::fit_nmf(ratings, 30, 40, {.factors = 3, .epochs = 60, .reg_p = 0.01, .reg_q = 0.01});
  ASSERT_EQ(result.objective.size(), 60u);
  for (size_t e = 1; e < result.objective.size(); ++e) {
    EXPECT_LE(result.objective[e], result.objective[e - 1] * (1 + 1e-5)) << "epoch " << e + 1;
  }
  // Multiplicative updates keep P, Q >= 0, so no estimate is negative.
  EXPECT_EQ(ae::tensor::sum_double(ae::tensor::lt(result.predictor->estimates(),
                                                  ae::tensor::scalar(0.0f))),
            0.0);
  // Better than the item mean on its own training data.
  const double nmf = nn::rating_errors(*result.predictor, ratings).rmse;
  const double item = nn::rating_errors(*nn::fit_mean(ratings, 30, 40, nn::MeanKind::Item), ratings).rmse;
  EXPECT_LT(nmf, item);
}

TEST(Recommender, MatrixPredictorClipsAndFallsBack) {
  const ae::Tensor estimates = ae::tensor::from_vector({7.0f, -2.0f, 3.5f, 0.0f}, {2, 2});
  const auto train = list({{0, 0, 4}, {0, 1, 2}});
  nn::MatrixPredictor p("m", estimates, train, nn::Fallback::Three);
  EXPECT_EQ(p.predict(0, 0), 5.0f);
  EXPECT_EQ(p.predict(0, 1), 1.0f);
  EXPECT_EQ(p.predict(1, 0), 3.0f);  // user 1 has no training rating
  nn::MatrixPredictor g("m", estimates, train, nn::Fallback::GlobalMean);
  EXPECT_EQ(g.predict(1, 0), 3.0f);  // (4 + 2) / 2
}

TEST(Recommender, PublishedSplitsIndexLikeUData) {
  // $AELAB_DATA first (DESIGN.md, "Data"), then the developers' ../shared/data.
  const char* env = std::getenv("AELAB_DATA");
  fs::path dir = fs::path(AELAB_SOURCE_DIR) / ".." / "shared" / "data" / "ml-100k";
  if (env != nullptr && fs::exists(fs::path(env) / "ml-100k" / "u1.base")) dir = fs::path(env) / "ml-100k";
  if (!fs::exists(dir / "u1.base")) GTEST_SKIP() << dir << " not present";
  const auto full = ae::data::read_movielens(dir / "u.data");
  const auto split = nn::movielens_published_split(dir, "1", full);
  // ml-100k/README: u1.base holds 80,000 ratings and u1.test 20,000.
  EXPECT_EQ(split.train.size(), 80000u);
  EXPECT_EQ(split.test.size(), 20000u);
  for (const Rating& r : split.test) {
    ASSERT_LT(r.user, 943);
    ASSERT_LT(r.item, 1682);
  }
  // ml-100k's ids run 1..943 and 1..1682 without gaps, so dense index = id - 1; u1.test's
  // first line is "1 6 5 887431973".
  EXPECT_EQ(split.test[0].user, 0);
  EXPECT_EQ(split.test[0].item, 5);
  EXPECT_EQ(split.test[0].rating, 5.0f);
}
