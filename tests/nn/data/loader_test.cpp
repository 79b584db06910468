// Batch loader, row gathering and the train / validation split.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <vector>

#include "linalg/error.hpp"
#include "nn/data/loader.hpp"
#include "tensor/ops.hpp"

using ae::data::BatchLoader;

namespace {

std::vector<std::vector<int64_t>> batches_of(BatchLoader::Epoch epoch) {
  std::vector<std::vector<int64_t>> out;
  for (std::span<const int64_t> batch : epoch) out.emplace_back(batch.begin(), batch.end());
  return out;
}

std::vector<int64_t> flatten(const std::vector<std::vector<int64_t>>& batches) {
  std::vector<int64_t> all;
  for (const auto& b : batches) all.insert(all.end(), b.begin(), b.end());
  return all;
}

std::vector<int64_t> iota(int64_t n) {
  std::vector<int64_t> v(static_cast<size_t>(n));
  std::iota(v.begin(), v.end(), int64_t{0});
  return v;
}

}  // namespace

TEST(DataBatchLoader, MnistSizedEpochKeepsThePartialBatch) {
  BatchLoader loader(60000, 128, true, 1);
  EXPECT_EQ(loader.num_batches(), 469);  // 468 * 128 = 59904, then 96 more
  const auto batches = batches_of(loader.next_epoch());
  ASSERT_EQ(batches.size(), 469u);
  EXPECT_EQ(batches.front().size(), 128u);
  EXPECT_EQ(batches.back().size(), 96u);
  auto all = flatten(batches);
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, iota(60000));  // every sample exactly once

  BatchLoader dropping(60000, 128, true, 1, /*drop_last=*/true);
  EXPECT_EQ(dropping.num_batches(), 468);
  EXPECT_EQ(dropping.samples_per_epoch(), 59904);
  EXPECT_EQ(batches_of(dropping.next_epoch()).back().size(), 128u);
}

TEST(DataBatchLoader, EachEpochIsANewPermutation) {
  BatchLoader loader(1000, 64, true, 7);
  std::vector<std::vector<int64_t>> orders;
  for (int e = 0; e < 3; ++e) {
    auto order = flatten(batches_of(loader.next_epoch()));
    auto sorted = order;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, iota(1000)) << "epoch " << e;
    EXPECT_NE(order, iota(1000)) << "epoch " << e << " is not shuffled";
    orders.push_back(order);
  }
  EXPECT_NE(orders[0], orders[1]);
  EXPECT_NE(orders[1], orders[2]);
  EXPECT_EQ(loader.epochs(), 3);
}

TEST(DataBatchLoader, SameSeedSameBatches) {
  BatchLoader a(500, 32, true, 123), b(500, 32, true, 123), c(500, 32, true, 124);
  for (int e = 0; e < 3; ++e) {
    const auto from_a = batches_of(a.next_epoch());
    EXPECT_EQ(from_a, batches_of(b.next_epoch())) << "epoch " << e;
    EXPECT_NE(from_a, batches_of(c.next_epoch())) << "epoch " << e;
  }
}

TEST(DataBatchLoader, WithoutShuffleInOrder) {
  BatchLoader loader(10, 4, false, 0);
  const auto batches = batches_of(loader.next_epoch());
  EXPECT_EQ(batches, (std::vector<std::vector<int64_t>>{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9}}));
  EXPECT_EQ(batches_of(loader.next_epoch()), batches);
}

// Fisher-Yates makes all n! orders equally likely. Over 6000 shuffles of 3 elements each
// of the 6 orders should appear about 1000 times (standard deviation about 29); a common
// off-by-one (swapping only with j < i) would never produce the identity at all.
TEST(DataBatchLoader, AllOrdersEquallyLikely) {
  BatchLoader loader(3, 3, true, 99);
  std::map<std::vector<int64_t>, int> counts;
  for (int e = 0; e < 6000; ++e) ++counts[flatten(batches_of(loader.next_epoch()))];
  ASSERT_EQ(counts.size(), 6u);
  for (const auto& [order, count] : counts) {
    EXPECT_GT(count, 850);
    EXPECT_LT(count, 1150);
  }
}

TEST(DataBatchLoader, BadArguments) {
  EXPECT_THROW(BatchLoader(10, 0, true, 1), ae::Error);
  EXPECT_THROW(BatchLoader(-1, 8, true, 1), ae::Error);
  BatchLoader loader(10, 4, false, 0);
  const auto epoch = loader.next_epoch();
  EXPECT_THROW(epoch.batch(3), ae::Error);
  BatchLoader empty(0, 4, true, 0);
  EXPECT_EQ(empty.next_epoch().size(), 0);
}

TEST(DataGatherRows, PicksRowsInOrder) {
  // x = [[0 1 2] [10 11 12] [20 21 22] [30 31 32]]
  const ae::Tensor x =
      ae::tensor::from_vector({0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32}, {4, 3});
  const std::vector<int64_t> idx = {2, 0, 2};
  const ae::Tensor rows = ae::data::gather_rows(x, idx);
  EXPECT_EQ(rows.shape(), (ae::Shape{3, 3}));
  EXPECT_EQ(rows.to_vector(), (std::vector<float>{20, 21, 22, 0, 1, 2, 20, 21, 22}));

  // A transposed (strided) view: rows of x^T are the columns of x.
  const std::vector<int64_t> cols = {1};
  EXPECT_EQ(ae::data::gather_rows(x.t(), cols).to_vector(), (std::vector<float>{1, 11, 21, 31}));

  // 3-D: rows are whole 2 x 2 slabs.
  const ae::Tensor cube = ae::tensor::from_vector({0, 1, 2, 3, 4, 5, 6, 7}, {2, 2, 2});
  const std::vector<int64_t> second = {1};
  const ae::Tensor slab = ae::data::gather_rows(cube, second);
  EXPECT_EQ(slab.shape(), (ae::Shape{1, 2, 2}));
  EXPECT_EQ(slab.to_vector(), (std::vector<float>{4, 5, 6, 7}));
}

TEST(DataGatherRows, OutOfRangeNamesTheIndex) {
  const ae::Tensor x = ae::tensor::zeros({4, 3});
  const std::vector<int64_t> idx = {0, 4};
  try {
    ae::data::gather_rows(x, idx);
    FAIL() << "no error";
  } catch (const ae::Error& e) {
    EXPECT_NE(std::string(e.what()).find("index 4 out of range for 4 rows"), std::string::npos)
        << e.what();
  }
  const std::vector<int64_t> negative = {-1};
  EXPECT_THROW(ae::data::gather_rows(x, negative), ae::Error);
}

TEST(DataSplitTrainValidation, SizesDisjointAndReproducible) {
  const auto split = ae::data::split_train_validation(60000, 0.1, 5);
  EXPECT_EQ(split.validation.size(), 6000u);
  EXPECT_EQ(split.train.size(), 54000u);
  EXPECT_TRUE(std::is_sorted(split.train.begin(), split.train.end()));
  EXPECT_TRUE(std::is_sorted(split.validation.begin(), split.validation.end()));
  std::vector<int64_t> all = split.train;
  all.insert(all.end(), split.validation.begin(), split.validation.end());
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, iota(60000));  // disjoint and complete

  const auto again = ae::data::split_train_validation(60000, 0.1, 5);
  EXPECT_EQ(again.validation, split.validation);
  EXPECT_NE(ae::data::split_train_validation(60000, 0.1, 6).validation, split.validation);
  // Not simply the last 10%: a random split reaches into the first half.
  EXPECT_LT(split.validation.front(), 30000);

  EXPECT_EQ(ae::data::split_train_validation(10, 0.0, 1).train.size(), 10u);
  EXPECT_EQ(ae::data::split_train_validation(10, 0.25, 1).validation.size(), 3u);  // round(2.5) = 3
  EXPECT_THROW(ae::data::split_train_validation(10, 1.0, 1), ae::Error);
  EXPECT_THROW(ae::data::split_train_validation(10, -0.1, 1), ae::Error);
}
