#pragma once
// Runs one chapter through the real driver, as a student would, and reads back the numbers
// it wrote (out/chNN/metrics.tsv). Bounds in the tests come from the lectures, from
// mathematics or from NumPy — never from this program's own earlier output.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace aelab_test {

struct ChapterRun {
  int exit_code = -1;
  std::string output;                    ///< stdout and stderr of the run
  std::map<std::string, double> metrics;
  std::filesystem::path dir;             ///< out/chNN
};

/// `tag` names the output folder, so two runs of one chapter with other options don't clash.
inline ChapterRun run_chapter(int number, const std::string& extra_args = "",
                              const std::string& tag = "quick") {
  namespace fs = std::filesystem;
  ChapterRun run;
  const fs::path out = fs::path(AELAB_BINARY_DIR) / "test-out" /
                       ("ch" + std::to_string(number) + "-" + tag);
  fs::remove_all(out);
  fs::create_directories(out);
  const fs::path log = out / "run.log";
  const std::string command = std::string(AELAB_DRIVER) + " run " + std::to_string(number) +
                              " --quick --out " + out.string() + " " + extra_args + " > " +
                              log.string() + " 2>&1";
  const int status = std::system(command.c_str());
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream l(log);
  std::stringstream text;
  text << l.rdbuf();
  run.output = text.str();
  char name[16];
  std::snprintf(name, sizeof name, "ch%02d", number);
  run.dir = out / name;
  std::ifstream m(run.dir / "metrics.tsv");
  std::string key;
  double value;
  while (m >> key >> value) run.metrics[key] = value;
  return run;
}

/// The metric, or a test failure naming it when the chapter did not record it.
inline double metric(const ChapterRun& run, const std::string& key) {
  auto it = run.metrics.find(key);
  if (it == run.metrics.end()) {
    ADD_FAILURE() << "metric '" << key << "' missing; output:\n" << run.output;
    return std::nan("");
  }
  return it->second;
}

}  // namespace aelab_test
