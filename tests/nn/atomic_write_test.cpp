// nn/atomic_write: the target holds the old bytes or the new ones, and no temporary is left.
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "linalg/error.hpp"
#include "nn/atomic_write.hpp"

namespace fs = std::filesystem;

namespace {

class AtomicWrite : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(AELAB_BINARY_DIR) / "test-out" / ("atomic-write-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string read(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename().string());
    return names;
  }

  fs::path dir_;
};

}  // namespace

TEST_F(AtomicWrite, CreatesAndReplacesTheContent) {
  const fs::path file = dir_ / "report.json";
  ae::nn::write_file_atomically(file, "first version, the longer one\n");
  EXPECT_EQ(read(file), "first version, the longer one\n");
  ae::nn::write_file_atomically(file, "second\n");  // shorter: nothing of the first may remain
  EXPECT_EQ(read(file), "second\n");
  ae::nn::write_file_atomically(file, std::string("a\0b", 3));
  EXPECT_EQ(read(file), std::string("a\0b", 3));
  EXPECT_EQ(entries(), std::vector<std::string>{"report.json"});
}

TEST_F(AtomicWrite, AWriteErrorLeavesTheOldFileAndNoTemporary) {
  const fs::path file = dir_ / "model.ckpt";
  ae::nn::write_file_atomically(file, "old");
  // Make write() fail part-way with EFBIG: a file-size limit of 4 KiB (and SIGXFSZ ignored, so
  // the limit is an error return instead of a signal). Root is not exempt from it.
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
  rlimit small = saved;
  small.rlim_cur = 4096;
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  std::string message;
  try {
    ae::nn::write_file_atomically(file, std::string(100000, 'x'));
  } catch (const ae::Error& e) {
    message = e.what();
  }
  setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, old_handler);

  EXPECT_NE(message.find("model.ckpt"), std::string::npos) << message;
  EXPECT_NE(message.find("write failed"), std::string::npos) << message;
  EXPECT_EQ(read(file), "old");
  EXPECT_EQ(entries(), std::vector<std::string>{"model.ckpt"});
}

TEST_F(AtomicWrite, AFailedRenameLeavesNoTemporary) {
  // The target is a non-empty directory: the temporary is written, the rename refused.
  const fs::path target = dir_ / "busy";
  fs::create_directories(target / "inside");
  EXPECT_THROW(ae::nn::write_file_atomically(target, "bytes"), ae::Error);
  EXPECT_TRUE(fs::is_directory(target / "inside"));
  EXPECT_EQ(entries(), std::vector<std::string>{"busy"});
}

TEST_F(AtomicWrite, AMissingDirectoryIsNamed) {
  const fs::path file = dir_ / "no" / "such" / "file.txt";
  try {
    ae::nn::write_file_atomically(file, "x");
    ADD_FAILURE() << "no error";
  } catch (const ae::Error& e) {
    EXPECT_NE(std::string(e.what()).find((dir_ / "no" / "such").string()), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir_ / "no"));
}

TEST_F(AtomicWrite, RemovesTheTemporariesOfDeadWritersOnly) {
  const fs::path file = dir_ / "model.ckpt";
  // A writer that has exited: its pid is free (until reused, which a few microseconds later
  // does not happen).
  const pid_t dead = ::fork();
  ASSERT_GE(dead, 0);
  if (dead == 0) ::_exit(0);
  int status = 0;
  ASSERT_EQ(::waitpid(dead, &status, 0), dead);
  const std::string stale = "model.ckpt.tmp-" + std::to_string(dead);
  const std::string live = "model.ckpt.tmp-" + std::to_string(::getppid());  // a running process
  for (const std::string& name : {stale, live, std::string("model.ckpt.tmp-notapid"),
                                  std::string("other.ckpt.tmp-") + std::to_string(dead)})
    std::ofstream(dir_ / name) << "half a checkpoint";
  ae::nn::write_file_atomically(file, "new");
  EXPECT_EQ(read(file), "new");
  auto names = entries();
  std::sort(names.begin(), names.end());
  std::vector<std::string> expected = {"model.ckpt", live, "model.ckpt.tmp-notapid",
                                       "other.ckpt.tmp-" + std::to_string(dead)};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(names, expected);
}
