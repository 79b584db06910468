#include "chapters/lesson.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "linalg/error.hpp"

namespace ae::chapters {

namespace fs = std::filesystem;

namespace {

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", int(c));
        else out += c;
    }
  }
  return out + "\"";
}

std::string json_number(double v) {
  // JSON has no NaN or infinity; a chapter that produced one says so as null.
  return std::isfinite(v) ? fmt::format("{:.10g}", v) : "null";
}

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// Writes next to the target and renames, so a report is never half written.
void write_file(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary);
    if (!f) throw Error("cannot write " + tmp.string());
    f << text;
    if (!f) throw Error("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

void print_table(const Table& t) {
  std::vector<size_t> width(t.headers.size());
  for (size_t c = 0; c < t.headers.size(); ++c) width[c] = t.headers[c].size();
  for (const auto& row : t.rows)
    for (size_t c = 0; c < row.size() && c < width.size(); ++c)
      width[c] = std::max(width[c], row[c].size());
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

std::string num(double value, int digits) {
  if (!std::isfinite(value)) return std::isnan(value) ? "nan" : (value > 0 ? "inf" : "-inf");
  return fmt::format("{:.{}g}", value, digits);
}

Lesson::Lesson(int number, std::string title, std::string lectures, const Options& options)
    : number_(number),
      title_(std::move(title)),
      lectures_(std::move(lectures)),
      options_(options),
      dir_(options.out / fmt::format("ch{:02d}", number)),
      started_(std::chrono::steady_clock::now()) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw Error("cannot create output folder " + dir_.string() + ": " + ec.message());
  fmt::print("\n{}\nChapter {} — {}\n(lectures: {}){}\n{}\n", std::string(78, '='), number_,
             title_, lectures_, options_.quick ? "  [--quick: a small run for tests]" : "",
             std::string(78, '='));
  std::fflush(stdout);
}

void Lesson::begin_step(int number, std::string_view title) {
  fmt::print("\nStep {}. {}\n", number, title);
  std::fflush(stdout);
  step_started_ = std::chrono::steady_clock::now();
}

void Lesson::end_step() {
  const double s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - step_started_).count();
  fmt::print("   ({:.2f} s)\n", s);
  std::fflush(stdout);
  if (options_.step && isatty(STDIN_FILENO)) {
    fmt::print("   -- press Enter for the next step --");
    std::fflush(stdout);
    std::string ignored;
    std::getline(std::cin, ignored);
  }
}

void Lesson::say_line(const std::string& line) {
  fmt::print("   {}\n", line);
  std::fflush(stdout);
}

void Lesson::metric(const std::string& key, double value, const std::string& description) {
  record(key, value);
  say("{:<58} {}", description, num(value));
}

void Lesson::record(const std::string& key, double value) {
  for (auto& [k, v] : metrics_) {
    if (k == key) throw Error("chapter " + std::to_string(number_) + ": metric '" + key + "' recorded twice");
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
  say("note: {}", text);
}

void Lesson::finish() {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();

  fmt::print("\nResults of chapter {}\n", number_);
  for (const auto& t : tables_) print_table(t);
  fmt::print("\nFigures written:\n");
  for (const auto& f : figures_) fmt::print("  {}  — {}\n", (dir_ / f.file).string(), f.caption);
  fmt::print("\nChapter {} took {:.1f} s.\n", number_, seconds);
  std::fflush(stdout);

  std::string tsv;
  for (const auto& [k, v] : metrics_) tsv += fmt::format("{}\t{:.10g}\n", k, v);
  write_file(dir_ / "metrics.tsv", tsv);

  std::string json = fmt::format("{{\n  \"chapter\": {},\n  \"title\": {},\n  \"lectures\": {},\n",
                                 number_, json_string(title_), json_string(lectures_));
  json += fmt::format("  \"quick\": {},\n  \"seed\": {},\n  \"seconds\": {},\n",
                      options_.quick ? "true" : "false", options_.seed, json_number(seconds));
  json += "  \"metrics\": {";
  for (size_t i = 0; i < metrics_.size(); ++i)
    json += fmt::format("{}\n    {}: {}", i ? "," : "", json_string(metrics_[i].first),
                        json_number(metrics_[i].second));
  json += "\n  },\n  \"tables\": [";
  for (size_t i = 0; i < tables_.size(); ++i) {
    const auto& t = tables_[i];
    json += fmt::format("{}\n    {{\"title\": {}, \"headers\": [", i ? "," : "", json_string(t.title));
    for (size_t c = 0; c < t.headers.size(); ++c) json += (c ? ", " : "") + json_string(t.headers[c]);
    json += "], \"rows\": [";
    for (size_t r = 0; r < t.rows.size(); ++r) {
      json += r ? ", [" : "[";
      for (size_t c = 0; c < t.rows[r].size(); ++c) json += (c ? ", " : "") + json_string(t.rows[r][c]);
      json += "]";
    }
    json += "]}";
  }
  json += "\n  ],\n  \"figures\": [";
  for (size_t i = 0; i < figures_.size(); ++i)
    json += fmt::format("{}\n    {{\"file\": {}, \"caption\": {}}}", i ? "," : "",
                        json_string(figures_[i].file), json_string(figures_[i].caption));
  json += "\n  ],\n  \"notes\": [";
  for (size_t i = 0; i < notes_.size(); ++i) json += (i ? ", " : "") + json_string(notes_[i]);
  json += "]\n}\n";
  write_file(dir_ / "results.json", json);

  // The chapter's section of out/index.html; figure paths are relative to out/.
  const std::string folder = dir_.filename().string();
  std::string html = fmt::format("<section id=\"{}\">\n<h2>Chapter {} — {}</h2>\n", folder,
                                 number_, html_escape(title_));
  html += fmt::format("<p class=\"meta\">Lectures {} · {} run · seed {} · {:.1f} s</p>\n",
                      html_escape(lectures_), options_.quick ? "quick" : "full", options_.seed,
                      seconds);
  for (const auto& n : notes_) html += "<p class=\"note\">" + html_escape(n) + "</p>\n";
  for (const auto& t : tables_) {
    html += "<table>\n<caption>" + html_escape(t.title) + "</caption>\n<tr>";
    for (const auto& h : t.headers) html += "<th>" + html_escape(h) + "</th>";
    html += "</tr>\n";
    for (const auto& row : t.rows) {
      html += "<tr>";
      for (const auto& cell : row) html += "<td>" + html_escape(cell) + "</td>";
      html += "</tr>\n";
    }
    html += "</table>\n";
  }
  for (const auto& f : figures_)
    html += fmt::format("<figure><img src=\"{}/{}\" alt=\"{}\"><figcaption>{}</figcaption></figure>\n",
                        folder, html_escape(f.file), html_escape(f.caption), html_escape(f.caption));
  html += "</section>\n";
  write_file(dir_ / "section.html", html);
}

}  // namespace ae::chapters
