#pragma once
// The image data a chapter trains and tests on, found and loaded the same way everywhere.
#include <cstdint>
#include <string>
#include <vector>

#include "chapters/lesson.hpp"
#include "nn/data/images.hpp"

namespace ae::chapters {

struct ChapterImages {
  data::ImageSet train;
  data::ImageSet test;
  std::string dataset;              ///< "fashion-mnist", "mnist", or "" when unknown
  std::vector<std::string> classes; ///< names of the labels, for legends
};

/// Finds the images (--data, $AELAB_DATA, ./data, ../shared/data, Debian's Fashion-MNIST),
/// loads train and test — only the first quick_train / quick_test images with --quick —
/// and tells the reader what was loaded from where.
ChapterImages load_chapter_images(Lesson& lesson, int64_t quick_train, int64_t quick_test);

}  // namespace ae::chapters
