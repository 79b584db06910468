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
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace aelab_test {

struct ChapterRun {
  int exit_code = -1;
  std::string output;                    ///< stdout and stderr of the run
  std::map<std::string, double> metrics;
  std::filesystem::path dir;             ///< out/chNN
};

/// `tag` names the output folder, so two runs of one chapter with other options don't clash.
/// The folder is emptied first unless `keep_output` (a second run that resumes the first).
inline ChapterRun run_chapter(int number, const std::string& extra_args = "",
                              const std::string& tag = "quick", bool keep_output = false) {
  namespace fs = std::filesystem;
  ChapterRun run;
  const fs::path out = fs::path(AELAB_BINARY_DIR) / "test-out" /
                       ("ch" + std::to_string(number) + "-" + tag);
  if (!keep_output) fs::remove_all(out);
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

/// Line `line` (1-based) of a file in the repository, or "" when there is none.
inline std::string source_line(const std::string& file, int line) {
  std::ifstream f(std::filesystem::path(AELAB_SOURCE_DIR) / file);
  std::string text;
  for (int i = 0; i < line && std::getline(f, text); ++i) {
  }
  return f ? text : std::string();
}

/// How many times `part` occurs in a file of the repository.
inline int count_in_source(const std::string& file, const std::string& part) {
  std::ifstream f(std::filesystem::path(AELAB_SOURCE_DIR) / file);
  std::stringstream text;
  text << f.rdbuf();
  const std::string all = text.str();
  int n = 0;
  for (size_t at = all.find(part); at != std::string::npos; at = all.find(part, at + part.size())) ++n;
  return n;
}

/// One printed step header: "Step N. title  (FILE:LINE)".
struct StepHeader {
  int number = 0;
  std::string file;
  int line = 0;
};

inline std::vector<StepHeader> step_headers(const std::string& output) {
  static const std::regex header(R"(^Step (\d+)\. .*  \(([^()\s]+):(\d+)\)$)");
  std::vector<StepHeader> out;
  std::istringstream lines(output);
  std::string text;
  std::smatch m;
  while (std::getline(lines, text))
    if (std::regex_match(text, m, header)) out.push_back({std::stoi(m[1]), m[2], std::stoi(m[3])});
  return out;
}

/// The chapter numbered its steps 1..N, one for every `lesson.step(` in its file, and each
/// header points at a line of `file` on which a `lesson.step(` call is written.
inline void expect_steps_point_at_their_code(const ChapterRun& run, const std::string& file) {
  const auto steps = step_headers(run.output);
  EXPECT_EQ(int(steps.size()), count_in_source(file, "lesson.step("))
      << "each lesson.step( in " << file << " prints one header";
  for (size_t i = 0; i < steps.size(); ++i) {
    SCOPED_TRACE("step " + std::to_string(i + 1));
    EXPECT_EQ(steps[i].number, int(i + 1));
    EXPECT_EQ(steps[i].file, file);
    EXPECT_NE(source_line(file, steps[i].line).find("lesson.step("), std::string::npos)
        << file << ":" << steps[i].line << " is \"" << source_line(file, steps[i].line) << "\"";
  }
}

}  // namespace aelab_test
