// Lesson's bookkeeping: step numbers and positions, timing, --step pauses, and the report
// files (written atomically; their text comes from lesson_console/json/html.cpp).
#include "chapters/lesson.hpp"

#include <cmath>
#include <iostream>

#include <fmt/format.h>

#include "chapters/lesson_report.hpp"
#include "linalg/error.hpp"
#include "nn/atomic_write.hpp"

namespace ae::chapters {

namespace fs = std::filesystem;

std::string num(double value, int digits) {
  if (!std::isfinite(value)) return std::isnan(value) ? "nan" : (value > 0 ? "inf" : "-inf");
  return fmt::format("{:.{}g}", value, digits);
}

std::string source_position(const std::source_location& where, const std::string& chapter_file) {
  const std::string file = where.file_name();
  const bool is_chapter_file =
      !chapter_file.empty() &&
      (file == chapter_file || (file.size() > chapter_file.size() && file.ends_with(chapter_file) &&
                                file[file.size() - chapter_file.size() - 1] == '/'));
  return fmt::format("{}:{}", is_chapter_file ? chapter_file : file, where.line());
}

Lesson::Lesson(ChapterInfo chapter, const Options& options)
    : chapter_(std::move(chapter)),
      options_(options),
      dir_(options.out / fmt::format("ch{:02d}", chapter_.number)),
      started_(std::chrono::steady_clock::now()) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw Error("cannot create output folder " + dir_.string() + ": " + ec.message());
  report::print_banner(chapter_, options_.quick);
}

void Lesson::begin_step(std::string_view title, const std::source_location& where) {
  ++steps_;
  step_position_ = source_position(where, chapter_.file);
  report::print_step_header(steps_, title, step_position_);
  step_started_ = std::chrono::steady_clock::now();
}

void Lesson::end_step() {
  report::print_step_time(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - step_started_).count());
  if (options_.step) {
    // Waits for a line on standard input: Enter at a terminal. A file or /dev/null supplies
    // the lines itself, and at its end the steps run on without pausing.
    report::print_step_prompt(steps_, step_position_);
    std::string ignored;
    std::getline(std::cin, ignored);
    if (!std::cin) report::end_step_prompt();
  }
}

void Lesson::say_line(const std::string& line) { report::print_line(line); }

void Lesson::metric(const std::string& key, double value, const std::string& description) {
  record(key, value);
  say("{:<58} {}", description, num(value));
}

void Lesson::record(const std::string& key, double value) {
  for (auto& [k, v] : metrics_) {
    if (k == key)
      throw Error("chapter " + std::to_string(chapter_.number) + ": metric '" + key + "' recorded twice");
  }
  metrics_.emplace_back(key, value);
}

void Lesson::table(Table t) { tables_.push_back(std::move(t)); }

fs::path Lesson::figure(const std::string& file, const std::string& caption) {
  figures_.push_back({file, caption});
  return dir_ / file;
}

void Lesson::note(const std::string& text) {
  notes_.push_back(text);
  say("note: {}", report::plain_math(text));
}

void Lesson::finish() {
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  const report::Report r{chapter_, options_, dir_, seconds, metrics_, tables_, figures_, notes_};
  report::print_results(r);

  std::string tsv;
  for (const auto& [k, v] : metrics_) tsv += fmt::format("{}\t{:.10g}\n", k, v);
  nn::write_file_atomically(dir_ / "metrics.tsv", tsv);
  nn::write_file_atomically(dir_ / "results.json", report::results_json(r));
  nn::write_file_atomically(dir_ / "section.html", report::section_html(r));
}

}  // namespace ae::chapters
