#pragma once
// The list of chapters the `aelab` driver runs, in lecture order.
#include <functional>
#include <string>
#include <vector>

#include "chapters/lesson.hpp"

namespace ae::chapters {

/// A chapter: what it is (ChapterInfo) and the function that runs it.
struct Chapter : ChapterInfo {
  std::function<void(const Options&)> run;
};

// The chapters' run functions, one per file in chapters/.
void run_pca(const Options& options);  // 01_pca.cpp
void run_linear_ae(const Options& options);  // 02_linear_ae.cpp
void run_deep_ae(const Options& options);    // 03_deep_ae.cpp
void run_sparse_ae(const Options& options);  // 04_sparse_ae.cpp
void run_denoising_ae(const Options& options);  // 05_denoising_ae.cpp
void run_contractive_ae(const Options& options);  // 06_contractive_ae.cpp
void run_stacked_ae(const Options& options);  // 07_stacked_ae.cpp
void run_conv_ae(const Options& options);    // 08_conv_ae.cpp
void run_vae(const Options& options);        // 09_vae.cpp
void run_recommender(const Options& options);  // 10_recommender.cpp

/// Every chapter, in order (chapters/registry.cpp: the one place a chapter's number, title,
/// lectures and file are written down).
const std::vector<Chapter>& all_chapters();

/// The chapter numbered `number`; ae::Error when there is none.
const Chapter& chapter_info(int number);

/// Writes `OUT/index.html` from the `section.html` of every chapter folder present in `OUT`.
void write_index(const std::filesystem::path& out);

}  // namespace ae::chapters
