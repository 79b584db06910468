// The chapters in lecture order. Each chapter file defines its run function.
#include "chapters/chapters.hpp"

namespace ae::chapters {

const std::vector<Chapter>& all_chapters() {
  static const std::vector<Chapter> chapters = {
      {1, "PCA, the best linear autoencoder", "000, 004", "chapters/01_pca.cpp", run_pca},
  };
  return chapters;
}

}  // namespace ae::chapters
