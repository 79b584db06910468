// Chapter 4 (sparse autoencoders), run as a student runs it: `aelab run 4 --quick`.
//
// The bounds state the chapter's claims, loosened for a run of a few seconds (2000 images,
// a dozen L-BFGS iterations per model):
//  - the KL penalty's gradient from autograd is UFLDL's closed form: they differ only by
//    float rounding (relative 1e-4 leaves room for sums over 500 images);
//  - β Σ KL(ρ || ρ̂_j) is minimal, and zero, at ρ̂_j = ρ, so under β = 3 the mean activation
//    sits near ρ = 0.1 (the chapter's ±0.02 check); without a penalty nothing pulls it there;
//  - both penalties (KL towards ρ = 0.1, L1 towards 0) make the code sparser than none: lower
//    mean activation, more near-silent activations;
//  - a larger β pulls the mean activation closer to ρ;
//  - softmax regression on 5 classes, on pixels or on learned features, beats the 20% of
//    guessing by far.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <string>

#include "chapters/chapters.hpp"
#include "tests/chapters/png_info.hpp"
#include "tests/chapters/run_chapter.hpp"

using aelab_test::metric;

TEST(Chapter4SparseAe, QuickRun) {
  const auto run = aelab_test::run_chapter(4);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  SCOPED_TRACE("chapter 4 output:\n" + run.output);
  aelab_test::expect_steps_point_at_their_code(run, ae::chapters::chapter_info(4).file);
  for (const char* s : {"Chapter 4", "UFLDL", "fewer than UFLDL's 400", "check: autograd", "check: mean activation",
                        "about 98%", "Figures written"})
    EXPECT_NE(run.output.find(s), std::string::npos) << "missing '" << s << "'";

  EXPECT_LT(metric(run, "kl_gradient_gap_w1"), 1e-4);
  EXPECT_LT(metric(run, "kl_gradient_gap_b1"), 1e-4);
  EXPECT_EQ(metric(run, "check_kl_gradient"), 1.0);

  const double kl = metric(run, "kl_mean_activation"), l1 = metric(run, "l1_mean_activation");
  const double plain = metric(run, "plain_mean_activation");
  EXPECT_NEAR(kl, 0.1, 0.02);
  EXPECT_EQ(metric(run, "check_mean_activation"), 1.0);
  EXPECT_GT(std::abs(plain - 0.1), 0.05);
  EXPECT_LT(l1, plain);
  EXPECT_LT(kl, plain);
  EXPECT_GT(metric(run, "kl_share_below_0.05"), metric(run, "plain_share_below_0.05"));
  EXPECT_GT(metric(run, "l1_share_below_0.05"), metric(run, "plain_share_below_0.05"));
  for (const char* k : {"kl", "l1", "plain"}) EXPECT_GT(metric(run, std::string(k) + "_test_sse_per_image"), 0.0) << k;

  EXPECT_LT(std::abs(metric(run, "sweep_beta_10_mean_activation") - 0.1),
            std::abs(metric(run, "sweep_beta_0.1_mean_activation") - 0.1));

  for (const char* k : {"stl_accuracy_features_test", "stl_accuracy_features_heldout", "stl_accuracy_pixels_test",
                        "stl_accuracy_pixels_heldout"}) {
    EXPECT_GT(metric(run, k), 0.5) << k;
    EXPECT_LE(metric(run, k), 1.0) << k;
  }

  for (const char* f : {"filters.png", "activation_histogram.png", "rho_hat_per_unit.png", "beta_vs_error.png",
                        "beta_vs_activation.png"})
    EXPECT_TRUE(aelab_test::is_sensible_figure(run.dir / f)) << f;
}

TEST(Chapter4SparseAe, BadIterationCountIsAnError) {
  ::setenv("AELAB_CH4_ITERATIONS", "four hundred", 1);
  const auto run = aelab_test::run_chapter(4, "", "bad-iterations");
  ::unsetenv("AELAB_CH4_ITERATIONS");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.output.find("AELAB_CH4_ITERATIONS"), std::string::npos) << run.output;
}
