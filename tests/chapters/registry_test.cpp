// A chapter's number, title, lectures and file are written once, in chapters/registry.cpp.
// README.md's chapter table, the pages in docs/chapters/ and the first line of each chapter
// file repeat them for readers; this test keeps every copy equal to the registry.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "chapters/chapters.hpp"
#include "linalg/error.hpp"

namespace fs = std::filesystem;
using ae::chapters::all_chapters;
using ae::chapters::Chapter;

namespace {

const fs::path kSource = AELAB_SOURCE_DIR;

std::vector<std::string> lines_of(const fs::path& file) {
  std::ifstream f(file);
  EXPECT_TRUE(f) << "cannot read " << file;
  std::vector<std::string> lines;
  for (std::string line; std::getline(f, line);) lines.push_back(line);
  return lines;
}

struct ReadmeRow {
  std::string file, lectures;
};

// The rows "| N | `FILE` | LECTURES | what it shows |" of README.md's chapter table.
std::map<int, ReadmeRow> readme_chapter_rows() {
  static const std::regex row(R"(^\| (\d+) \| `([^`]+)` \| ([^|]+?) \| .*\|$)");
  std::map<int, ReadmeRow> rows;
  std::smatch m;
  for (const auto& line : lines_of(kSource / "README.md"))
    if (std::regex_match(line, m, row)) {
      const int number = std::stoi(m[1]);
      EXPECT_FALSE(rows.count(number)) << "README.md lists chapter " << number << " twice";
      rows[number] = {m[2], m[3]};
    }
  return rows;
}

// docs/chapters/chNN_*.md: the one page of chapter NN.
std::vector<fs::path> doc_pages(int number) {
  char prefix[8];
  std::snprintf(prefix, sizeof prefix, "ch%02d_", number);
  std::vector<fs::path> pages;
  for (const auto& e : fs::directory_iterator(kSource / "docs" / "chapters"))
    if (e.path().filename().string().starts_with(prefix) && e.path().extension() == ".md")
      pages.push_back(e.path());
  return pages;
}

}  // namespace

TEST(ChapterRegistry, NumbersRunOneToNAndFilesExist) {
  const auto& chapters = all_chapters();
  ASSERT_FALSE(chapters.empty());
  for (size_t i = 0; i < chapters.size(); ++i) {
    EXPECT_EQ(chapters[i].number, int(i + 1));
    EXPECT_TRUE(fs::exists(kSource / chapters[i].file)) << chapters[i].file;
    EXPECT_EQ(&ae::chapters::chapter_info(chapters[i].number), &chapters[i]);
  }
  EXPECT_THROW(ae::chapters::chapter_info(int(chapters.size()) + 1), ae::Error);
}

TEST(ChapterRegistry, ReadmeTableAgrees) {
  const auto rows = readme_chapter_rows();
  EXPECT_EQ(rows.size(), all_chapters().size()) << "README.md's chapter table has other chapters";
  for (const Chapter& ch : all_chapters()) {
    SCOPED_TRACE("chapter " + std::to_string(ch.number));
    const auto it = rows.find(ch.number);
    ASSERT_NE(it, rows.end()) << "README.md's chapter table has no row for it";
    EXPECT_EQ(it->second.file, ch.file);
    EXPECT_EQ(it->second.lectures, ch.lectures);
  }
}

TEST(ChapterRegistry, DocsPagesAgree) {
  const auto overview = lines_of(kSource / "docs" / "chapters" / "overview.md");
  for (const Chapter& ch : all_chapters()) {
    SCOPED_TRACE("chapter " + std::to_string(ch.number));
    const auto pages = doc_pages(ch.number);
    ASSERT_EQ(pages.size(), 1u) << "one docs/chapters/chNN_*.md page per chapter";
    const auto lines = lines_of(pages[0]);
    ASSERT_GE(lines.size(), 3u);
    // "# Chapter N — TITLE {#anchor}"
    const std::string title = "# Chapter " + std::to_string(ch.number) + " — " + ch.title + " {#";
    EXPECT_TRUE(lines[0].starts_with(title)) << pages[0] << " begins \"" << lines[0] << "\", expected \"" << title << "\"";
    const std::string meta = "File: `" + ch.file + "` · Lectures " + ch.lectures + " · Run: `build/aelab run " +
                             std::to_string(ch.number) + "`";
    EXPECT_EQ(lines[2], meta) << pages[0];
    // The overview links the page.
    const std::string anchor = lines[0].substr(lines[0].find("{#") + 2, lines[0].find('}') - lines[0].find("{#") - 2);
    EXPECT_NE(std::find(overview.begin(), overview.end(), "- @subpage " + anchor), overview.end())
        << "docs/chapters/overview.md does not link " << anchor;
  }
}

TEST(ChapterRegistry, ChapterFilesOpenWithTheirTitle) {
  for (const Chapter& ch : all_chapters()) {
    const auto lines = lines_of(kSource / ch.file);
    ASSERT_FALSE(lines.empty()) << ch.file;
    const std::string expected = "// Chapter " + std::to_string(ch.number) + " — " + ch.title;
    EXPECT_TRUE(lines[0].starts_with(expected)) << ch.file << " begins \"" << lines[0] << "\"";
  }
}
