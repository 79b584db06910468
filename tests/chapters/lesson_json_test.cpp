// results.json (chapters/lesson_json.cpp): every string escaped as JSON requires, numbers
// with ten significant digits, NaN and infinity as null, keys in the order reported.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "chapters/lesson_report.hpp"

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST(ResultsJson, EscapesEveryStringAndWritesNonFiniteNumbersAsNull) {
  using namespace ae::chapters;
  const ChapterInfo chapter{7, "a \"quoted\" title\\with a backslash", "000,\t004", "chapters/07.cpp"};
  Options options;
  options.quick = true;
  options.seed = 18446744073709551615ull;
  const std::filesystem::path dir = "out/ch07";
  const std::vector<std::pair<std::string, double>> metrics = {
      {"zeta", 1.0 / 3.0}, {"alpha", std::numeric_limits<double>::quiet_NaN()},
      {"inf", std::numeric_limits<double>::infinity()}, {"line\nbreak", -2.5e-7}};
  const std::vector<Table> tables = {{"T", {"h\x01"}, {{"cell \"1\""}, {"\xff"}}}};
  const std::vector<Figure> figures = {{"f.png", "caption </script>"}};
  const std::vector<std::string> notes = {"note \x1f end"};
  const report::Report r{chapter, options, dir, 1.25, metrics, tables, figures, notes};
  const std::string json = report::results_json(r);

  EXPECT_TRUE(contains(json, R"("title": "a \"quoted\" title\\with a backslash")")) << json;
  EXPECT_TRUE(contains(json, R"("lectures": "000,\t004")")) << json;
  EXPECT_TRUE(contains(json, R"("line\nbreak": -2.5e-07)")) << json;
  EXPECT_TRUE(contains(json, R"("h\u0001")")) << json;
  EXPECT_TRUE(contains(json, R"("note \u001f end")")) << json;
  EXPECT_TRUE(contains(json, R"("cell \"1\"")")) << json;
  // A byte that is not UTF-8 becomes U+FFFD (EF BF BD) rather than a file no reader accepts.
  EXPECT_TRUE(contains(json, "\"\xef\xbf\xbd\"")) << json;
  EXPECT_TRUE(contains(json, R"("alpha": null)")) << json;
  EXPECT_TRUE(contains(json, R"("inf": null)")) << json;
  EXPECT_TRUE(contains(json, R"("zeta": 0.3333333333)")) << json;
  EXPECT_TRUE(contains(json, R"("seed": 18446744073709551615)")) << json;
  EXPECT_TRUE(contains(json, R"("quick": true)")) << json;
  EXPECT_TRUE(contains(json, R"("seconds": 1.25)")) << json;
  // The order the chapter reported, not sorted.
  EXPECT_LT(json.find("\"zeta\""), json.find("\"alpha\"")) << json;
  EXPECT_LT(json.find("\"chapter\""), json.find("\"title\"")) << json;
  EXPECT_EQ(json.back(), '\n');
}
