// The chapters in lecture order. Each chapter file defines its run function.
#include "chapters/chapters.hpp"

namespace ae::chapters {

const std::vector<Chapter>& all_chapters() {
  static const std::vector<Chapter> chapters = {
      {1, "PCA, the best linear autoencoder", "000, 004", "chapters/01_pca.cpp", run_pca},
      {2, "The linear autoencoder finds the PCA subspace", "001, 002, 004", "chapters/02_linear_ae.cpp",
       run_linear_ae},
      {3, "Deep autoencoders against PCA", "000-004", "chapters/03_deep_ae.cpp", run_deep_ae},
  };
  return chapters;
}

}  // namespace ae::chapters
