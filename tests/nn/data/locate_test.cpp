// Dataset locator: the search order of DESIGN.md on directories made here, and the real
// places on this machine.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "linalg/error.hpp"
#include "nn/data/locate.hpp"

namespace fs = std::filesystem;
using ae::data::DataSearch;
using ae::data::locate_dataset;

namespace {

class DataLocate : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::temp_directory_path() /
            ("aelab_locate_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "work");
    search_.working_dir = root_ / "work";
  }
  void TearDown() override { fs::remove_all(root_); }

  // A directory holding an (empty) file that marks a data set; the locator looks only at names.
  fs::path make(const fs::path& dir, const std::string& file = "train-images-idx3-ubyte.gz") {
    fs::create_directories(dir);
    std::ofstream(dir / file) << "";
    return dir;
  }

  std::string error_of(const std::string& name) {
    try {
      locate_dataset(name, search_);
    } catch (const ae::Error& e) {
      return e.what();
    }
    ADD_FAILURE() << "locate_dataset(" << name << ") did not throw";
    return "";
  }

  fs::path root_;
  DataSearch search_;
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_F(DataLocate, DataOptionUsedAsIsOrWithTheName) {
  const fs::path direct = make(root_ / "my-digits", "t10k-images.idx3-ubyte");
  search_.data_option = direct;
  EXPECT_EQ(locate_dataset("mnist", search_), direct);

  const fs::path nested = make(root_ / "all" / "mnist");
  search_.data_option = root_ / "all";
  EXPECT_EQ(locate_dataset("mnist", search_), nested);
}

TEST_F(DataLocate, DataOptionWithoutTheFilesIsAnErrorNotAFallThrough) {
  make(search_.working_dir / "data" / "mnist");  // would be found by step 3
  fs::create_directories(root_ / "elsewhere");
  search_.data_option = root_ / "elsewhere";
  const std::string message = error_of("mnist");
  EXPECT_TRUE(contains(message, "--data " + (root_ / "elsewhere").string())) << message;
  EXPECT_TRUE(contains(message, (root_ / "elsewhere" / "mnist").string() + " (no such directory)"))
      << message;
}

TEST_F(DataLocate, EnvironmentThenWorkingDirThenShared) {
  const fs::path shared = make(root_ / "shared" / "data" / "mnist");
  EXPECT_EQ(locate_dataset("mnist", search_), shared);

  const fs::path local = make(search_.working_dir / "data" / "mnist");
  EXPECT_EQ(locate_dataset("mnist", search_), local);

  const fs::path env = make(root_ / "env" / "mnist");
  search_.env_data = root_ / "env";
  EXPECT_EQ(locate_dataset("mnist", search_), env);

  // $AELAB_DATA that holds nothing: the search goes on.
  search_.env_data = root_ / "nothing";
  EXPECT_EQ(locate_dataset("mnist", search_), local);
}

TEST_F(DataLocate, SystemDirectoryIsLast) {
  const fs::path system = make(root_ / "usr" / "fashion-mnist");
  search_.system_dirs = {system};
  EXPECT_EQ(locate_dataset("fashion-mnist", search_), system);
  const fs::path local = make(search_.working_dir / "data" / "fashion-mnist");
  EXPECT_EQ(locate_dataset("fashion-mnist", search_), local);
}

TEST_F(DataLocate, NothingFoundListsEveryPlaceAndHowToInstall) {
  search_.env_data = root_ / "env";
  search_.system_dirs = {root_ / "usr" / "fashion-mnist"};
  fs::create_directories(search_.working_dir / "data" / "fashion-mnist");  // exists, but empty
  const std::string message = error_of("fashion-mnist");
  EXPECT_TRUE(contains(message, "cannot find the fashion-mnist data set")) << message;
  EXPECT_TRUE(contains(message, "$AELAB_DATA=" + (root_ / "env").string() + ": no such directory"))
      << message;
  EXPECT_TRUE(contains(
      message, (search_.working_dir / "data" / "fashion-mnist").string() + ": no train-images"))
      << message;
  EXPECT_TRUE(contains(
      message, (root_ / "shared" / "data" / "fashion-mnist").string() + ": no such directory"))
      << message;
  EXPECT_TRUE(contains(message, (root_ / "usr" / "fashion-mnist").string())) << message;
  EXPECT_TRUE(contains(message, "sudo apt-get install dataset-fashion-mnist")) << message;
}

TEST_F(DataLocate, MovieLensAndMnistHints) {
  std::string message = error_of("ml-100k");
  EXPECT_TRUE(contains(message, "$AELAB_DATA: not set")) << message;
  EXPECT_TRUE(contains(message, "u.data")) << message;
  EXPECT_TRUE(contains(message, "./data/ml-100k")) << message;
  message = error_of("mnist");
  EXPECT_TRUE(contains(message, "./data/mnist")) << message;

  const fs::path ml = make(search_.working_dir / "data" / "ml-100k", "u.data");
  EXPECT_EQ(locate_dataset("ml-100k", search_), ml);
  EXPECT_THROW(locate_dataset("cifar-10", search_), ae::Error);
}

TEST_F(DataLocate, EnvironmentVariableIsRead) {
  const fs::path env = make(root_ / "env" / "mnist");
  ::setenv("AELAB_DATA", (root_ / "env").c_str(), 1);
  const DataSearch search = DataSearch::from_environment("mnist", std::nullopt);
  ::unsetenv("AELAB_DATA");
  ASSERT_TRUE(search.env_data.has_value());
  EXPECT_EQ(*search.env_data, root_ / "env");
  EXPECT_EQ(locate_dataset("mnist", search), env);
  EXPECT_EQ(DataSearch::from_environment("fashion-mnist", std::nullopt).system_dirs,
            std::vector<fs::path>{"/usr/share/datasets/fashion-mnist"});
  EXPECT_TRUE(DataSearch::from_environment("mnist", std::nullopt).system_dirs.empty());
}

TEST(DataDetectDatasetName, FromTheInnermostNamingDirectory) {
  EXPECT_EQ(ae::data::detect_dataset_name("/usr/share/datasets/fashion-mnist"), "fashion-mnist");
  EXPECT_EQ(ae::data::detect_dataset_name("/tmp/no-such/Fashion_MNIST/raw"), "fashion-mnist");
  EXPECT_EQ(ae::data::detect_dataset_name("/tmp/no-such/MNIST"), "mnist");
  EXPECT_EQ(ae::data::detect_dataset_name("/tmp/no-such/fashion-mnist/mnist"), "mnist");
  EXPECT_EQ(ae::data::detect_dataset_name("/tmp/no-such/digits"), "");
}

// The real places: from the repository, ../shared/data/mnist is found (when present).
TEST(DataLocateReal, SharedMnistFromTheRepository) {
  const fs::path shared = fs::path(AELAB_SOURCE_DIR) / ".." / "shared" / "data" / "mnist";
  if (!fs::exists(shared)) GTEST_SKIP() << shared << " not present";
  const fs::path before = fs::current_path();
  fs::current_path(AELAB_SOURCE_DIR);
  const char* env = std::getenv("AELAB_DATA");
  const std::string saved = env ? env : "";
  ::unsetenv("AELAB_DATA");
  fs::path found;
  if (!fs::exists("data/mnist")) found = locate_dataset("mnist", std::nullopt);
  if (env) ::setenv("AELAB_DATA", saved.c_str(), 1);
  fs::current_path(before);
  if (!found.empty()) {
    EXPECT_EQ(found, shared.lexically_normal());
  }
}
