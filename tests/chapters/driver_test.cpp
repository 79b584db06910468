// The `aelab` driver's command line: help, listing, and clear errors for bad input.
#include <gtest/gtest.h>

#include "tests/testing/run_program.hpp"

#include <array>
#include <cstdio>
#include <memory>
#include <string>

namespace {

using ae::testing::contains;

ae::testing::ProgramResult aelab(const std::string& args) { return ae::testing::run_program(AELAB_DRIVER, args); }

}  // namespace

TEST(Driver, HelpOnEveryCommand) {
  for (const char* args : {"--help", "help", "run --help", "list --help", "help run"}) {
    const auto r = aelab(args);
    EXPECT_EQ(r.code, 0) << args;
    EXPECT_TRUE(contains(r.output, "Usage: aelab")) << args << ":\n" << r.output;
  }
  for (const char* option : {"--quick", "--step", "--data", "--out", "--seed", "--threads"})
    EXPECT_TRUE(contains(aelab("run --help").output, option)) << option;
  EXPECT_TRUE(contains(aelab("help run").output, "Usage: aelab run")) << aelab("help run").output;
  EXPECT_TRUE(contains(aelab("help list").output, "Usage: aelab list")) << aelab("help list").output;
}

TEST(Driver, NoArgumentsPrintsUsageAndFails) {
  const auto r = aelab("");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(r.output, "Usage: aelab"));
}

TEST(Driver, ListsTheChaptersInOrder) {
  const auto r = aelab("list");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, " 1  PCA")) << r.output;
  EXPECT_TRUE(contains(r.output, "chapters/01_pca.cpp")) << r.output;
}

TEST(Driver, BadInputIsAClearErrorWithNonZeroExit) {
  struct Case {
    const char* args;
    const char* message;
  };
  // Command-line errors are CLI11's; the chapter's own checks keep their words.
  for (const Case& c : {Case{"frobnicate", "not expected: frobnicate (see aelab --help)"},
                        Case{"--bogus", "--bogus (see aelab --help)"},
                        Case{"run 1 --bogus", "not expected: --bogus (see aelab run --help)"},
                        Case{"run", "chapter is required (see aelab run --help)"},
                        Case{"run 99", "there is no chapter 99"},
                        Case{"run one", "run expects a whole number or 'all', got 'one'"},
                        Case{"run 1 --seed -3", "--seed: expects a whole number >= 0, got '-3'"},
                        Case{"run 1 --seed x1", "--seed: expects a whole number >= 0, got 'x1'"},
                        Case{"run 1 --threads 0", "--threads: Value 0 not in range 1 to 256"},
                        Case{"run 1 --threads 257", "--threads: Value 257 not in range 1 to 256"},
                        Case{"run 1 --threads", "--threads: 1 required"},
                        Case{"run 1 2", "not expected: 2 (see aelab run --help)"},
                        Case{"list extra", "not expected: extra (see aelab list --help)"},
                        Case{"help frobnicate", "frobnicate not in {list,run}"}}) {
    const auto r = aelab(c.args);
    EXPECT_EQ(r.code, 2) << c.args;
    EXPECT_TRUE(contains(r.output, "error: ")) << c.args << " printed:\n" << r.output;
    EXPECT_TRUE(contains(r.output, c.message))
        << c.args << " printed:\n" << r.output;
  }
}

TEST(Driver, MissingDataFolderNamesItAndFails) {
  const auto r = aelab("run 1 --quick --out " + std::string(AELAB_BINARY_DIR) +
                       "/test-out/driver --data /nonexistent/aelab-data");
  EXPECT_NE(r.code, 0);
  EXPECT_TRUE(contains(r.output, "/nonexistent/aelab-data")) << r.output;
}
