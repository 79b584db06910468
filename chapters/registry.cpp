// The chapters in lecture order: the one place where a chapter's number, title, lectures and
// file are written. The driver lists them from here, each chapter's Lesson prints them from
// here, and tests/chapters/registry_test.cpp checks README.md's table and the pages in
// docs/chapters/ against them.
#include <string>

#include "chapters/chapters.hpp"
#include "linalg/error.hpp"

namespace ae::chapters {

const std::vector<Chapter>& all_chapters() {
  static const std::vector<Chapter> chapters = {
      {{1, "PCA, the best linear autoencoder", "000, 004", "chapters/01_pca.cpp"}, run_pca},
      {{2, "The linear autoencoder finds the PCA subspace", "001, 002, 004", "chapters/02_linear_ae.cpp"},
       run_linear_ae},
      {{3, "Deep autoencoders against PCA", "000–004", "chapters/03_deep_ae.cpp"}, run_deep_ae},
      {{4, "Sparse autoencoders", "000, 001, 003", "chapters/04_sparse_ae.cpp"}, run_sparse_ae},
      {{5, "Denoising autoencoders", "000–004", "chapters/05_denoising_ae.cpp"}, run_denoising_ae},
      {{6, "Contractive autoencoders", "002, 003", "chapters/06_contractive_ae.cpp"}, run_contractive_ae},
      {{7, "Stacked autoencoders: greedy pre-training, a classifier, fine-tuning", "000, 002", "chapters/07_stacked_ae.cpp"}, run_stacked_ae},
      {{8, "Convolutional autoencoders", "002", "chapters/08_conv_ae.cpp"}, run_conv_ae},
      {{9, "The variational autoencoder", "001, 004", "chapters/09_vae.cpp"}, run_vae},
      {{10, "Recommender systems: CF baselines and AutoRec on MovieLens-100K", "000, 001", "chapters/10_recommender.cpp"}, run_recommender},
  };
  return chapters;
}

const Chapter& chapter_info(int number) {
  for (const Chapter& ch : all_chapters())
    if (ch.number == number) return ch;
  throw Error("there is no chapter " + std::to_string(number));
}

}  // namespace ae::chapters
