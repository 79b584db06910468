// out/chNN/results.json: the chapter's numbers, tables, figures and notes for machines.
#include <cmath>

#include <fmt/format.h>

#include "chapters/lesson_report.hpp"

namespace ae::chapters::report {

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

}  // namespace

std::string results_json(const Report& r) {
  std::string json = fmt::format("{{\n  \"chapter\": {},\n  \"title\": {},\n  \"lectures\": {},\n  \"file\": {},\n",
                                 r.chapter.number, json_string(r.chapter.title), json_string(r.chapter.lectures),
                                 json_string(r.chapter.file));
  json += fmt::format("  \"quick\": {},\n  \"seed\": {},\n  \"seconds\": {},\n",
                      r.options.quick ? "true" : "false", r.options.seed, json_number(r.seconds));
  json += "  \"metrics\": {";
  for (size_t i = 0; i < r.metrics.size(); ++i)
    json += fmt::format("{}\n    {}: {}", i ? "," : "", json_string(r.metrics[i].first),
                        json_number(r.metrics[i].second));
  json += "\n  },\n  \"tables\": [";
  for (size_t i = 0; i < r.tables.size(); ++i) {
    const auto& t = r.tables[i];
    json += fmt::format("{}\n    {{\"title\": {}, \"headers\": [", i ? "," : "", json_string(plain_math(t.title)));
    for (size_t c = 0; c < t.headers.size(); ++c) json += (c ? ", " : "") + json_string(plain_math(t.headers[c]));
    json += "], \"rows\": [";
    for (size_t row = 0; row < t.rows.size(); ++row) {
      json += row ? ", [" : "[";
      for (size_t c = 0; c < t.rows[row].size(); ++c) json += (c ? ", " : "") + json_string(plain_math(t.rows[row][c]));
      json += "]";
    }
    json += "]}";
  }
  json += "\n  ],\n  \"figures\": [";
  for (size_t i = 0; i < r.figures.size(); ++i)
    json += fmt::format("{}\n    {{\"file\": {}, \"caption\": {}}}", i ? "," : "",
                        json_string(r.figures[i].file), json_string(plain_math(r.figures[i].caption)));
  json += "\n  ],\n  \"notes\": [";
  for (size_t i = 0; i < r.notes.size(); ++i) json += (i ? ", " : "") + json_string(plain_math(r.notes[i]));
  json += "]\n}\n";
  return json;
}

}  // namespace ae::chapters::report
