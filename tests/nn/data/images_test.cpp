// Image sets: MNIST from ../shared/data, Debian's Fashion-MNIST, and small files written here.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "linalg/error.hpp"
#include "nn/data/idx.hpp"
#include "nn/data/images.hpp"
#include "tests/testing/fresh_dir.hpp"

namespace fs = std::filesystem;
using ae::data::load_images;

namespace {

const fs::path kMnist = fs::path(AELAB_SOURCE_DIR) / ".." / "shared" / "data" / "mnist";
const fs::path kFashion = "/usr/share/datasets/fashion-mnist";

// Writes an IDX file of unsigned bytes.
void write_idx(const fs::path& file, const std::vector<uint32_t>& dims,
               const std::vector<uint8_t>& values) {
  std::vector<uint8_t> bytes = {0, 0, 8, static_cast<uint8_t>(dims.size())};
  for (uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<uint8_t>(d >> shift));
  }
  bytes.insert(bytes.end(), values.begin(), values.end());
  std::ofstream out(file, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

class DataImageFiles : public ae::testing::FreshDirTest {};

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ae::Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no ae::Error thrown";
  return "";
}

// The byte each float came from: x = byte / 255 exactly rounded, so round(255 x) = byte.
int64_t byte_sum(const ae::Tensor& images) {
  int64_t sum = 0;
  for (float x : images.to_vector()) sum += std::lround(x * 255.0f);
  return sum;
}

}  // namespace

TEST_F(DataImageFiles, DottedNamesAndScaling) {
  // Two 2 x 3 images, spelled the way some copies spell them.
  write_idx(dir_ / "train-images.idx3-ubyte", {2, 2, 3},
            {0, 51, 102, 153, 204, 255, 255, 0, 0, 0, 0, 1});
  write_idx(dir_ / "train-labels.idx1-ubyte", {2}, {7, 3});
  const auto set = load_images(dir_, "train");
  EXPECT_EQ(set.rows, 2);
  EXPECT_EQ(set.cols, 3);
  EXPECT_EQ(set.images.shape(), (ae::Shape{2, 6}));
  EXPECT_EQ(set.labels, (std::vector<int>{7, 3}));
  EXPECT_EQ(set.source, dir_.string());
  const std::vector<float> expected = {0.0f, 0.2f, 0.4f, 0.6f, 0.8f, 1.0f,
                                       1.0f, 0,    0,    0,    0,    1.0f / 255.0f};
  const auto got = set.images.to_vector();
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_FLOAT_EQ(got[i], expected[i]) << i;
}

TEST_F(DataImageFiles, LimitKeepsTheFirstImages) {
  write_idx(dir_ / "t10k-images-idx3-ubyte", {3, 1, 2}, {10, 20, 30, 40, 50, 60});
  write_idx(dir_ / "t10k-labels-idx1-ubyte", {3}, {1, 2, 3});
  const auto set = load_images(dir_, "t10k", 2);
  EXPECT_EQ(set.images.shape(), (ae::Shape{2, 2}));
  EXPECT_EQ(set.labels, (std::vector<int>{1, 2}));
  EXPECT_EQ(byte_sum(set.images), 10 + 20 + 30 + 40);
  EXPECT_EQ(load_images(dir_, "t10k", 10).labels.size(), 3u);  // a limit beyond N keeps all
}

TEST_F(DataImageFiles, CountMismatchIsAnError) {
  write_idx(dir_ / "train-images-idx3-ubyte", {3, 1, 1}, {1, 2, 3});
  write_idx(dir_ / "train-labels-idx1-ubyte", {2}, {0, 1});
  const std::string message = error_of([&] { load_images(dir_, "train"); });
  EXPECT_NE(message.find("holds 3 images but train-labels-idx1-ubyte holds 2 labels"),
            std::string::npos)
      << message;
}

TEST_F(DataImageFiles, LabelOutsideTheClassesNamesFileIndexAndValue) {
  write_idx(dir_ / "train-images-idx3-ubyte", {4, 1, 1}, {1, 2, 3, 4});
  // 9 is the last class and loads; 200 at index 2 does not.
  write_idx(dir_ / "train-labels-idx1-ubyte", {4}, {9, 0, 200, 5});
  const fs::path labels = dir_ / "train-labels-idx1-ubyte";
  std::string message = error_of([&] { load_images(dir_, "train"); });
  EXPECT_NE(message.find(labels.string() + ": label 200 at index 2 is not a class"),
            std::string::npos)
      << message;
  // The whole file is checked, not only the images a limit keeps.
  message = error_of([&] { load_images(dir_, "train", 1); });
  EXPECT_NE(message.find("label 200 at index 2"), std::string::npos) << message;
  // 10 is one past the classes 0..9.
  write_idx(dir_ / "train-labels-idx1-ubyte", {4}, {9, 0, 1, 10});
  message = error_of([&] { load_images(dir_, "train"); });
  EXPECT_NE(message.find("label 10 at index 3"), std::string::npos) << message;
  write_idx(dir_ / "train-labels-idx1-ubyte", {4}, {9, 0, 1, 2});
  EXPECT_EQ(load_images(dir_, "train").labels, (std::vector<int>{9, 0, 1, 2}));
}

TEST_F(DataImageFiles, LabelFileWithTwoAxesOrZeroImages) {
  write_idx(dir_ / "train-images-idx3-ubyte", {2, 1, 1}, {1, 2});
  write_idx(dir_ / "train-labels-idx1-ubyte", {2, 1}, {0, 1});
  std::string message = error_of([&] { load_images(dir_, "train"); });
  EXPECT_NE(message.find("expected 1 dimension (one label per image), the header has 2"),
            std::string::npos)
      << message;
  // Zero images (or zero rows) is a header with a 0 dimension: refused by the reader.
  write_idx(dir_ / "t10k-images-idx3-ubyte", {0, 28, 28}, {});
  write_idx(dir_ / "t10k-labels-idx1-ubyte", {0}, {});
  message = error_of([&] { load_images(dir_, "t10k"); });
  EXPECT_NE(message.find("t10k-images-idx3-ubyte: bad IDX header: dimension 0 of 0x28x28 is 0"),
            std::string::npos)
      << message;
}

TEST_F(DataImageFiles, MissingFilesAndBadShapes) {
  std::string message = error_of([&] { load_images(dir_, "train"); });
  EXPECT_NE(message.find("no train images file"), std::string::npos) << message;
  EXPECT_NE(message.find(dir_.string()), std::string::npos) << message;

  write_idx(dir_ / "train-images-idx3-ubyte", {3, 1, 1}, {1, 2, 3});
  message = error_of([&] { load_images(dir_, "train"); });
  EXPECT_NE(message.find("no train labels file"), std::string::npos) << message;

  // Images stored as a 2-D array: not N x rows x cols.
  write_idx(dir_ / "t10k-images-idx3-ubyte", {3, 1}, {1, 2, 3});
  write_idx(dir_ / "t10k-labels-idx1-ubyte", {3}, {0, 1, 2});
  message = error_of([&] { load_images(dir_, "t10k"); });
  EXPECT_NE(message.find("expected 3 dimensions"), std::string::npos) << message;

  message = error_of([&] { load_images(dir_, "test"); });
  EXPECT_NE(message.find("split \"test\""), std::string::npos) << message;
}

TEST(DataClassNames, KnownDataSets) {
  const auto fashion = ae::data::class_names("fashion-mnist");
  ASSERT_EQ(fashion.size(), 10u);
  EXPECT_EQ(fashion[0], "T-shirt/top");
  EXPECT_EQ(fashion[9], "Ankle boot");
  const auto digits = ae::data::class_names("mnist");
  ASSERT_EQ(digits.size(), 10u);
  EXPECT_EQ(digits[3], "3");
  EXPECT_THROW(ae::data::class_names("cifar"), ae::Error);
}

// ---- real files ----

// Loads all 60000 training images from gzip (about a second).
TEST(DataMnistImages, TrainSetMatchesPublishedFacts) {
  if (!fs::exists(kMnist / "train-images-idx3-ubyte.gz")) GTEST_SKIP() << kMnist << " not present";
  const auto set = load_images(kMnist, "train");
  EXPECT_EQ(set.images.shape(), (ae::Shape{60000, 784}));
  EXPECT_EQ(set.rows, 28);
  EXPECT_EQ(set.cols, 28);
  EXPECT_EQ(std::vector<int>(set.labels.begin(), set.labels.begin() + 10),
            (std::vector<int>{5, 0, 4, 1, 9, 2, 1, 3, 1, 4}));
  EXPECT_EQ(byte_sum(set.images), 1567298545);  // SOURCES.md of ../shared/data
}

TEST(DataMnistImages, TestSetLimit) {
  if (!fs::exists(kMnist / "t10k-images-idx3-ubyte.gz")) GTEST_SKIP() << kMnist << " not present";
  const auto all = load_images(kMnist, "t10k");
  EXPECT_EQ(all.images.shape(), (ae::Shape{10000, 784}));
  EXPECT_EQ(byte_sum(all.images), 264923200);
  const auto first = load_images(kMnist, "t10k", 100);
  EXPECT_EQ(first.images.shape(), (ae::Shape{100, 784}));
  const auto raw = ae::data::read_idx(kMnist / "t10k-images-idx3-ubyte.gz");
  int64_t prefix = 0;
  for (int64_t i = 0; i < 100 * 784; ++i) prefix += raw.values[i];
  EXPECT_EQ(byte_sum(first.images), prefix);
}

// Fashion-MNIST has 6000 training and 1000 test images of each of its 10 classes
// (Xiao, Rasul, Vollgraf 2017).
TEST(DataFashionMnistImages, BalancedClasses) {
  if (!fs::exists(kFashion)) GTEST_SKIP() << kFashion << " not installed (dataset-fashion-mnist)";
  for (const auto& [split, per_class] :
       {std::pair<std::string, int>{"train", 6000}, {"t10k", 1000}}) {
    const auto set = load_images(kFashion, split);
    EXPECT_EQ(set.images.shape(), (ae::Shape{10 * per_class, 784})) << split;
    std::vector<int> counts(10, 0);
    for (int label : set.labels) ++counts.at(label);
    EXPECT_EQ(counts, std::vector<int>(10, per_class)) << split;
  }
}
