#pragma once
// What Lesson hands to its three writers (console, JSON, HTML) — internal to chapters/.
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chapters/lesson.hpp"

namespace ae::chapters::report {

/// Everything a finished chapter reports, borrowed from its Lesson.
struct Report {
  const ChapterInfo& chapter;
  const Options& options;
  const std::filesystem::path& dir;  ///< out/chNN
  double seconds;
  const std::vector<std::pair<std::string, double>>& metrics;
  const std::vector<Table>& tables;
  const std::vector<Figure>& figures;
  const std::vector<std::string>& notes;
};

// ---- lesson_math.cpp: formulas written as $TeX$ in report strings ----
/// The text with every $…$ formula in plain text ("$\\sum_{i>k} \\sigma_i^2$" → "Σ_{i>k} σ_i²"),
/// for the console and results.json; out/index.html renders the TeX with MathJax.
std::string plain_math(std::string_view text);

// ---- lesson_console.cpp: what the reader sees while the chapter runs ----
void print_banner(const ChapterInfo& chapter, bool quick);
void print_step_header(int number, std::string_view title, const std::string& position);
void print_step_time(double seconds);
void print_step_prompt(int number, const std::string& position);
void end_step_prompt();  ///< ends the prompt's line when no Enter echoed a newline
void print_line(const std::string& line);
void print_results(const Report& report);

// ---- lesson_json.cpp: out/chNN/results.json ----
std::string results_json(const Report& report);

// ---- lesson_html.cpp: out/chNN/section.html, one section of out/index.html ----
std::string section_html(const Report& report);

}  // namespace ae::chapters::report
