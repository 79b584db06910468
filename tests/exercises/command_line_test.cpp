// Every set's experiment program (exercises/common/experiment_main.hpp) answers --help and
// turns a bad command line into a clear error with a non-zero exit, before any training.
#include <gtest/gtest.h>

#include "tests/testing/run_program.hpp"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace {

using ae::testing::contains;

ae::testing::ProgramResult run(const std::string& program, const std::string& args) {
  return ae::testing::run_program(program, args);
}

// (name, path) of every set's program: AELAB_SET_PROGRAMS is "name=path,name=path,...".
std::vector<std::pair<std::string, std::string>> programs() {
  std::vector<std::pair<std::string, std::string>> all;
  const std::string list = AELAB_SET_PROGRAMS;
  for (size_t start = 0; start < list.size();) {
    size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    const std::string item = list.substr(start, end - start);
    const size_t eq = item.find('=');
    if (eq != std::string::npos) all.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    start = end + 1;
  }
  return all;
}

}  // namespace

TEST(ExercisesCommandLine, EverySetWithAProgramIsChecked) {
  EXPECT_GE(programs().size(), 1u) << "AELAB_SET_PROGRAMS: " << AELAB_SET_PROGRAMS;
}

TEST(ExercisesCommandLine, HelpListsTheOptionsAndSucceeds) {
  for (const auto& [name, path] : programs()) {
    const auto r = run(path, "--help");
    EXPECT_EQ(r.code, 0) << name << ":\n" << r.output;
    EXPECT_TRUE(contains(r.output, "Usage: " + name)) << name << ":\n" << r.output;
    for (const char* option : {"--graded", "--data", "--seed", "--epochs", "--lr"})
      EXPECT_TRUE(contains(r.output, option)) << name << " --help does not list " << option << ":\n" << r.output;
  }
}

TEST(ExercisesCommandLine, BadInputIsAClearErrorWithNonZeroExit) {
  struct Case {
    const char* args;
    const char* message;  // what the error must name
  };
  for (const auto& [name, path] : programs()) {
    for (const Case& c : {Case{"--bogus", "--bogus"},
                          Case{"--graded --frobnicate 3", "--frobnicate"},
                          Case{"--epochs", "--epochs"},
                          Case{"--epochs many", "many"},
                          Case{"--seed -3", "-3"},
                          Case{"--lr 0", "--lr"},
                          Case{"--lr nan", "--lr"},
                          Case{"extra", "extra"}}) {
      const auto r = run(path, c.args);
      EXPECT_EQ(r.code, 2) << name << " " << c.args << ":\n" << r.output;
      EXPECT_TRUE(contains(r.output, "error: ")) << name << " " << c.args << ":\n" << r.output;
      EXPECT_TRUE(contains(r.output, c.message)) << name << " " << c.args << ":\n" << r.output;
      EXPECT_TRUE(contains(r.output, name + " --help")) << name << " " << c.args << ":\n" << r.output;
    }
  }
}

TEST(ExercisesCommandLine, AMissingDataFolderNamesItAndFails) {
  for (const auto& [name, path] : programs()) {
    const auto r = run(path, "--graded --data /nonexistent/aelab-data");
    EXPECT_EQ(r.code, 1) << name << ":\n" << r.output;
    EXPECT_TRUE(contains(r.output, "/nonexistent/aelab-data")) << name << ":\n" << r.output;
  }
}
