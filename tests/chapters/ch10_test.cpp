// Chapter 10 (recommender systems), run as a student runs it: `aelab run 10 --quick`.
//
// Bounds from the mathematics and from computations made here, not from the chapter:
//  - the sparsity of MovieLens-100K is 1 - 100000 / (943 * 1682);
//  - the item-mean RMSE of fold 1 is recomputed here with plain loops on the same folds;
//  - I-AutoRec, trained for seconds, still beats that item-mean baseline, and U-AutoRec
//    stays behind I-AutoRec (Sedhain et al. 2015);
//  - without the data set the chapter runs on synthetic data and says so.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "chapters/chapters.hpp"
#include "nn/data/movielens.hpp"
#include "nn/recommender.hpp"
#include "tests/chapters/run_chapter.hpp"

namespace fs = std::filesystem;
using aelab_test::metric;

namespace {

// $AELAB_DATA, then the developers' ../shared/data; empty when neither holds ml-100k.
fs::path data_root() {
  if (const char* env = std::getenv("AELAB_DATA"); env != nullptr && fs::exists(fs::path(env) / "ml-100k" / "u.data"))
    return env;
  const fs::path shared = fs::path(AELAB_SOURCE_DIR) / ".." / "shared" / "data";
  return fs::exists(shared / "ml-100k" / "u.data") ? shared : fs::path();
}

}  // namespace

TEST(Chapter10Recommender, QuickRun) {
  // The synthetic fallback: an empty data folder, so MovieLens is not found.
  const fs::path empty = fs::path(AELAB_BINARY_DIR) / "test-out" / "ch10-empty-data";
  fs::create_directories(empty);
  const auto synthetic = aelab_test::run_chapter(10, "--data " + empty.string(), "synthetic");
  ASSERT_EQ(synthetic.exit_code, 0) << synthetic.output;
  EXPECT_NE(synthetic.output.find("SYNTHETIC DATA"), std::string::npos) << synthetic.output;
  EXPECT_NE(synthetic.output.find("get_data.sh"), std::string::npos);
  EXPECT_EQ(metric(synthetic, "synthetic"), 1.0);
  EXPECT_NEAR(metric(synthetic, "sparsity"), 1.0 - 100000.0 / (943.0 * 1682.0), 1e-9);

  const fs::path root = data_root();
  if (root.empty()) GTEST_SKIP() << "MovieLens-100K not present; only the synthetic path ran";
  const auto run = aelab_test::run_chapter(10, "--data " + root.string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  SCOPED_TRACE("chapter 10 output:\n" + run.output);
  aelab_test::expect_steps_point_at_their_code(run, ae::chapters::chapter_info(10).file);
  for (const char* s : {"Chapter 10", "93.7% of the matrix is empty", "Surprise", "Figures written"})
    EXPECT_NE(run.output.find(s), std::string::npos) << "missing '" << s << "'";
  EXPECT_EQ(metric(run, "synthetic"), 0.0);
  EXPECT_EQ(metric(run, "users"), 943.0);
  EXPECT_EQ(metric(run, "items"), 1682.0);
  EXPECT_NEAR(metric(run, "sparsity"), 1.0 - 100000.0 / (943.0 * 1682.0), 1e-9);

  // Item-mean RMSE of fold 1 (seed 0), with plain loops.
  const auto table = ae::data::read_movielens(root / "ml-100k" / "u.data");
  const auto fold = ae::nn::kfold_splits(table.ratings, 5, 0)[0];
  std::vector<double> sum(1682, 0.0), count(1682, 0.0);
  double global = 0;
  for (const auto& r : fold.train) {
    sum[r.item] += r.rating;
    count[r.item] += 1;
    global += r.rating;
  }
  global /= static_cast<double>(fold.train.size());
  double squared = 0;
  for (const auto& r : fold.test) {
    const double predicted = count[r.item] > 0 ? sum[r.item] / count[r.item] : global;
    squared += (predicted - r.rating) * (predicted - r.rating);
  }
  const double item_mean = std::sqrt(squared / static_cast<double>(fold.test.size()));
  EXPECT_NEAR(metric(run, "item_mean_rmse"), item_mean, 1e-4);

  const double i_autorec = metric(run, "i_autorec_rmse"), u_autorec = metric(run, "u_autorec_rmse");
  EXPECT_LT(i_autorec, item_mean);
  EXPECT_GT(u_autorec, i_autorec);
  // Precision and recall are shares.
  for (const char* k : {"i_autorec_precision_at_10", "i_autorec_recall_at_10"}) {
    EXPECT_GT(metric(run, k), 0.0) << k;
    EXPECT_LE(metric(run, k), 1.0) << k;
  }
}
