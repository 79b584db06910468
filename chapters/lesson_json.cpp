// out/chNN/results.json: the chapter's numbers, tables, figures and notes for machines.
#include <cmath>
#include <cstdlib>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "chapters/lesson_report.hpp"

namespace ae::chapters::report {

namespace {

using Json = nlohmann::ordered_json;  // keys in the order the chapter reported them

Json number(double v) {
  // JSON has no NaN or infinity; a chapter that produced one says so as null. Ten
  // significant digits are kept: more would be noise of the run, not information.
  if (!std::isfinite(v)) return nullptr;
  return std::strtod(fmt::format("{:.10g}", v).c_str(), nullptr);
}

}  // namespace

std::string results_json(const Report& r) {
  Json json;
  json["chapter"] = r.chapter.number;
  json["title"] = r.chapter.title;
  json["lectures"] = r.chapter.lectures;
  json["file"] = r.chapter.file;
  json["quick"] = r.options.quick;
  json["seed"] = r.options.seed;
  json["seconds"] = number(r.seconds);
  json["metrics"] = Json::object();
  for (const auto& [name, value] : r.metrics) json["metrics"][name] = number(value);
  json["tables"] = Json::array();
  for (const auto& t : r.tables) {
    Json table = {{"title", plain_math(t.title)}, {"headers", Json::array()}, {"rows", Json::array()}};
    for (const auto& header : t.headers) table["headers"].push_back(plain_math(header));
    for (const auto& row : t.rows) {
      Json cells = Json::array();
      for (const auto& cell : row) cells.push_back(plain_math(cell));
      table["rows"].push_back(std::move(cells));
    }
    json["tables"].push_back(std::move(table));
  }
  json["figures"] = Json::array();
  for (const auto& f : r.figures)
    json["figures"].push_back({{"file", f.file}, {"caption", plain_math(f.caption)}});
  json["notes"] = Json::array();
  for (const auto& note : r.notes) json["notes"].push_back(plain_math(note));
  // Text that is not valid UTF-8 is written with U+FFFD in its place rather than as a file
  // no JSON reader accepts.
  return json.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace ae::chapters::report
