// Lesson's console output: the banner, step headers and times, the --step prompt, and the
// closing results tables and figure list.
#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "chapters/lesson_report.hpp"

namespace ae::chapters::report {

namespace {

// Columns are measured in characters (UTF-8 code points), as fmt pads them, not in bytes.
size_t display_width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

void print_table(const Table& math) {
  Table t{plain_math(math.title), {}, {}};
  for (const auto& h : math.headers) t.headers.push_back(plain_math(h));
  for (const auto& row : math.rows) {
    t.rows.emplace_back();
    for (const auto& cell : row) t.rows.back().push_back(plain_math(cell));
  }
  std::vector<size_t> width(t.headers.size());
  for (size_t c = 0; c < t.headers.size(); ++c) width[c] = display_width(t.headers[c]);
  for (const auto& row : t.rows)
    for (size_t c = 0; c < row.size() && c < width.size(); ++c)
      width[c] = std::max(width[c], display_width(row[c]));
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s = " ";
    for (size_t c = 0; c < width.size(); ++c) {
      const std::string cell = c < cells.size() ? cells[c] : "";
      s += c == 0 ? fmt::format(" {:<{}} ", cell, width[c]) : fmt::format(" {:>{}} ", cell, width[c]);
    }
    fmt::print("{}\n", s);
  };
  fmt::print("\n  {}\n", t.title);
  line(t.headers);
  size_t total = 1;
  for (size_t w : width) total += w + 2;
  fmt::print("  {}\n", std::string(total, '-'));
  for (const auto& row : t.rows) line(row);
}

}  // namespace

void print_banner(const ChapterInfo& chapter, bool quick) {
  fmt::print("\n{}\nChapter {} — {}\n(lectures: {}; file: {}){}\n{}\n", std::string(78, '='), chapter.number,
             chapter.title, chapter.lectures, chapter.file, quick ? "  [--quick: a small run for tests]" : "",
             std::string(78, '='));
  std::fflush(stdout);
}

void print_step_header(int number, std::string_view title, const std::string& position) {
  fmt::print("\nStep {}. {}  ({})\n", number, title, position);
  std::fflush(stdout);
}

void print_step_time(double seconds) {
  fmt::print("   ({:.2f} s)\n", seconds);
  std::fflush(stdout);
}

void print_step_prompt(int number, const std::string& position) {
  fmt::print("   -- end of step {} ({}); press Enter for the next step --", number, position);
  std::fflush(stdout);
}

void end_step_prompt() {
  fmt::print("\n");
  std::fflush(stdout);
}

void print_line(const std::string& line) {
  fmt::print("   {}\n", line);
  std::fflush(stdout);
}

void print_results(const Report& r) {
  fmt::print("\nResults of chapter {}\n", r.chapter.number);
  for (const auto& t : r.tables) print_table(t);
  fmt::print("\nFigures written:\n");
  for (const auto& f : r.figures) fmt::print("  {}  — {}\n", (r.dir / f.file).string(), plain_math(f.caption));
  fmt::print("\nChapter {} took {:.1f} s.\n", r.chapter.number, r.seconds);
  std::fflush(stdout);
}

}  // namespace ae::chapters::report
