#pragma once
// The list of chapters the `aelab` driver runs, in lecture order.
#include <functional>
#include <string>
#include <vector>

#include "chapters/lesson.hpp"

namespace ae::chapters {

struct Chapter {
  int number;
  std::string title;
  std::string lectures;  ///< lecture files it follows, e.g. "000, 004"
  std::string file;      ///< the source file a reader opens alongside
  std::function<void(const Options&)> run;
};

// The chapters' run functions, one per file in chapters/.
void run_pca(const Options& options);  // 01_pca.cpp
void run_linear_ae(const Options& options);  // 02_linear_ae.cpp
void run_deep_ae(const Options& options);    // 03_deep_ae.cpp

/// Every chapter, in order.
const std::vector<Chapter>& all_chapters();

/// Writes `OUT/index.html` from the `section.html` of every chapter folder present in `OUT`.
void write_index(const std::filesystem::path& out);

}  // namespace ae::chapters
