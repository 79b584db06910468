#pragma once
// Lesson — what a running chapter uses to talk to its reader.
//
// A chapter reads top to bottom like its lecture: numbered steps that say what they do and
// print the numbers they get, then a closing results table and the list of figures written.
// Lesson prints all of that, times each step, pauses between steps with --step, and writes
// the chapter's report into out/chNN/: metrics.tsv (key, value — for tests and scripts),
// results.json (everything, for machines) and section.html (for out/index.html).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/core.h>

namespace ae::chapters {

/// Options every chapter receives from the `aelab` driver.
struct Options {
  std::optional<std::filesystem::path> data;  ///< --data DIR (else the dataset locator's order)
  std::filesystem::path out = "out";          ///< --out DIR
  uint64_t seed = 0;                          ///< --seed N
  int threads = 0;                            ///< --threads N (0: OpenMP's default)
  bool quick = false;                         ///< --quick: seconds per chapter, for tests
  bool step = false;                          ///< --step: pause after every numbered step
};

struct Table {
  std::string title;
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
};

struct Figure {
  std::string file;  ///< relative to the chapter's folder
  std::string caption;
};

class Lesson {
 public:
  Lesson(int number, std::string title, std::string lectures, const Options& options);

  const Options& options() const { return options_; }
  bool quick() const { return options_.quick; }
  /// out/chNN — created on construction.
  const std::filesystem::path& dir() const { return dir_; }

  /// Runs one numbered step: prints its title, runs body, prints how long it took, and with
  /// --step waits for Enter. Returns what body returns.
  template <class Body>
  auto step(int number, std::string_view title, Body&& body) {
    begin_step(number, title);
    if constexpr (std::is_void_v<std::invoke_result_t<Body>>) {
      body();
      end_step();
    } else {
      auto value = body();
      end_step();
      return value;
    }
  }

  /// A line of output under the current step.
  template <class... Args>
  void say(fmt::format_string<Args...> format, Args&&... args) {
    say_line(fmt::format(format, std::forward<Args>(args)...));
  }
  void say_line(const std::string& line);

  /// Records a number for the results (metrics.tsv / results.json) and prints it.
  void metric(const std::string& key, double value, const std::string& description);
  /// Records a number for the results without printing it (the step printed it already).
  void record(const std::string& key, double value);
  /// Records a table; it is printed in the closing results.
  void table(Table table);
  /// The path to write a figure to (`out/chNN/FILE`); the figure is listed in the results.
  std::filesystem::path figure(const std::string& file, const std::string& caption);
  /// A sentence for the results page (e.g. "numbers come from synthetic data").
  void note(const std::string& text);

  /// Prints the results tables and figure list and writes the report files.
  void finish();

 private:
  void begin_step(int number, std::string_view title);
  void end_step();

  int number_;
  std::string title_;
  std::string lectures_;
  Options options_;
  std::filesystem::path dir_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point step_started_;
  std::vector<std::pair<std::string, double>> metrics_;
  std::vector<Table> tables_;
  std::vector<Figure> figures_;
  std::vector<std::string> notes_;
};

/// Formats a number for a table with `digits` significant digits.
std::string num(double value, int digits = 6);

}  // namespace ae::chapters
