#pragma once
// Lesson — what a running chapter uses to talk to its reader.
//
// A chapter reads top to bottom like its lecture: numbered steps that say what they do and
// print the numbers they get, then a closing results table and the list of figures written.
// Lesson numbers the steps itself and prints where each one begins in the chapter's file
// (`chapters/01_pca.cpp:77`), so the console, --step and an editor move together. It times
// each step, pauses between steps with --step, and writes the chapter's report into
// out/chNN/: metrics.tsv (key, value — for tests and scripts), results.json (everything, for
// machines) and section.html (for out/index.html). The writers are lesson_console.cpp,
// lesson_json.cpp and lesson_html.cpp.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <source_location>
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

/// What a chapter is, stated once in chapters/registry.cpp and read from there by the driver,
/// the chapter's Lesson and the tests that keep README.md and docs/chapters/ in agreement.
struct ChapterInfo {
  int number = 0;
  std::string title;
  std::string lectures;  ///< the lecture files it follows, e.g. "000, 004"
  std::string file;      ///< its source file, relative to the repository root
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
  /// Prints the chapter's banner and creates out/chNN. Chapters pass `chapter_info(N)`.
  Lesson(ChapterInfo chapter, const Options& options);

  const Options& options() const { return options_; }
  bool quick() const { return options_.quick; }
  /// out/chNN — created on construction.
  const std::filesystem::path& dir() const { return dir_; }

  /// Runs the next step: prints its number, its title and the file:line of this call (where
  /// the step's code begins), runs body, prints how long it took, and with --step waits for a
  /// line on standard input. Returns what body returns. `where` is the caller's position;
  /// leave it to its default.
  template <class Body>
  auto step(std::string_view title, Body&& body,
            std::source_location where = std::source_location::current()) {
    begin_step(title, where);
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
  void begin_step(std::string_view title, const std::source_location& where);
  void end_step();

  ChapterInfo chapter_;
  Options options_;
  int steps_ = 0;              ///< steps begun so far: the number of the current one
  std::string step_position_;  ///< "chapters/01_pca.cpp:77" of the current step
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

/// "FILE:LINE" of a position in a chapter, FILE relative to the repository root. The compiler
/// names a file as it was given on its command line (absolute, or relative to the build
/// folder); a file that ends in `chapter_file` (as registered) is printed as that.
std::string source_position(const std::source_location& where, const std::string& chapter_file);

}  // namespace ae::chapters
