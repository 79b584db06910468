// Chapter 2 (the linear autoencoder), run as a student runs it: `aelab run 2 --quick`.
//
// The bounds come from the mathematics of the chapter, loosened for a run of a few hundred
// SGD steps on 4000 images:
//  - Eckart–Young: on the training set no linear rank-k reconstruction beats PCA, so every
//    autoencoder's training error is >= PCA's (up to float rounding in the sums).
//  - Baldi & Hornik: the minima have W* W = the projection on the PCA subspace. For k = 2
//    the eigen-gap λ2/λ3 is about 3, so a few hundred steps reach it: all principal cosines
//    >= 0.99 and the test error within 1% of PCA's.
//  - Tied weights: W* = Wᵀ, so the encoder's and the decoder's subspaces are the same
//    matrix's, and at the optimum W Wᵀ = I (W = Q U_kᵀ with Q orthogonal).
//  - k = 30 has a small gap λ30/λ31, so the quick run does not find the subspace; its error
//    is still close to the optimum (the error is flat along the slow directions): within 5%.
#include <gtest/gtest.h>

#include <string>

#include "chapters/chapters.hpp"
#include "tests/chapters/png_info.hpp"
#include "tests/chapters/run_chapter.hpp"

using aelab_test::metric;

TEST(Chapter2LinearAe, QuickRun) {
  const auto run = aelab_test::run_chapter(2);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  SCOPED_TRACE("chapter 2 output:\n" + run.output);
  aelab_test::expect_steps_point_at_their_code(run, ae::chapters::chapter_info(2).file);
  for (const char* s : {"Chapter 2", "lectures: 001, 002, 004", "Step 1.", "Step 7.", "principal", "Figures written"})
    EXPECT_NE(run.output.find(s), std::string::npos) << "missing '" << s << "'";

  // The spectrum the chapter explains: a large gap at k = 2, a small one at k = 30.
  EXPECT_GT(metric(run, "eigengap_ratio_k2"), 2.0);
  EXPECT_GT(metric(run, "eigengap_ratio_k30"), 1.0);
  EXPECT_LT(metric(run, "eigengap_ratio_k30"), 1.3);

  for (const std::string model : {"untied_k2", "tied_k2", "untied_k30", "tied_k30"}) {
    SCOPED_TRACE(model);
    const std::string k = model.substr(model.find("_k") + 2);
    // Eckart–Young on the training set, with room for float rounding in the error sums.
    EXPECT_GE(metric(run, model + "_train_mse"), metric(run, "pca_train_mse_k" + k) * (1 - 1e-5));
    for (const char* c : {"_min_cosine", "_encoder_min_cosine"}) {
      EXPECT_GE(metric(run, model + c), 0.0);
      EXPECT_LE(metric(run, model + c), 1.0);
    }
  }
  for (const std::string model : {"untied_k2", "tied_k2"}) {
    SCOPED_TRACE(model);
    EXPECT_GE(metric(run, model + "_min_cosine"), 0.99);
    EXPECT_LE(metric(run, model + "_error_ratio"), 1.01);
    EXPECT_GE(metric(run, model + "_error_ratio"), 0.99);
  }
  for (const std::string model : {"untied_k30", "tied_k30"}) {
    SCOPED_TRACE(model);
    EXPECT_LE(metric(run, model + "_error_ratio"), 1.05);
  }
  // Tied: one matrix, so one subspace; and orthonormal rows at the optimum.
  EXPECT_NEAR(metric(run, "tied_k2_min_cosine"), metric(run, "tied_k2_encoder_min_cosine"), 1e-9);
  EXPECT_NEAR(metric(run, "tied_k30_min_cosine"), metric(run, "tied_k30_encoder_min_cosine"), 1e-9);
  EXPECT_LT(metric(run, "tied_k2_orthonormality_gap"), 0.02);

  for (const char* f : {"weights_vs_components.png", "error_over_pca.png", "subspace_cosine.png"}) {
    EXPECT_TRUE(aelab_test::is_sensible_figure(run.dir / f));
  }
  EXPECT_TRUE(std::filesystem::exists(run.dir / "metrics.tsv"));
}
