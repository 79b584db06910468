// The chapters in lecture order. Each chapter file defines its run function.
#include "chapters/chapters.hpp"

namespace ae::chapters {

const std::vector<Chapter>& all_chapters() {
  static const std::vector<Chapter> chapters = {};
  return chapters;
}

}  // namespace ae::chapters
