// Chapter 6 (contractive autoencoders), run as a student runs it: `aelab run 6 --quick`.
//
// The bounds state the chapter's claims and come from the mathematics:
//  - the closed form Σ_j (h_j(1-h_j))² Σ_i W_ji² is the exact ||J||²_F of a sigmoid layer, so
//    the reverse-mode Jacobian agrees with it to float rounding (1e-5 relative);
//  - Hutchinson's mean of m probes is unbiased with standard deviation sqrt(Var_1 / m), where
//    Var_1 = 2 Σ_{a≠b} (J Jᵀ)²_ab is computed from J, not from the probes: the 1024-probe mean
//    lies within 4 of those, and the spread measured over 40 repeats matches the formula to
//    within the sampling error of a 40-sample standard deviation (about 11%; 45% allowed over
//    seven values of m);
//  - the exact route costs k backward passes, the closed form one forward: it is slower;
//  - the CAE minimises Ω alongside the reconstruction, so its codes are the least sensitive
//    (lecture 002: it "limits the hidden layer"), and contract space most near test images;
//  - as r → 0 the contraction ratio is ||J u|| for a random unit u, and E||J u||² = ||J||²_F / d,
//    so by Jensen the small-r ratio is at most the mean ||J||_F / sqrt(d) (2% allowed for
//    r = 0.05 not being 0);
//  - codes keep class information: softmax regression does far better than the 90% error of
//    guessing among ten classes.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "chapters/chapters.hpp"
#include "tests/chapters/png_info.hpp"
#include "tests/chapters/run_chapter.hpp"

using aelab_test::metric;

TEST(Chapter6ContractiveAe, QuickRun) {
  const auto run = aelab_test::run_chapter(6);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  SCOPED_TRACE("chapter 6 output:\n" + run.output);
  aelab_test::expect_steps_point_at_their_code(run, ae::chapters::chapter_info(6).file);
  for (const char* s : {"Chapter 6", "Step 1.", "Step 10.", "Hutchinson", "Rifai", "Figures written"})
    EXPECT_NE(run.output.find(s), std::string::npos) << "missing '" << s << "'";
  EXPECT_EQ(run.output.find("FAIL"), std::string::npos);

  // Ω three ways.
  EXPECT_LT(metric(run, "closed_vs_exact_max_rel_diff"), 1e-5);
  EXPECT_GT(metric(run, "ms_per_image_exact"), metric(run, "ms_per_image_closed"));
  const double omega = metric(run, "hutchinson_omega"), var1 = metric(run, "hutchinson_var1");
  EXPECT_GT(omega, 0.0);
  EXPECT_GT(var1, 0.0);
  EXPECT_LT(metric(run, "hutchinson_1024_rel_error") * omega, 4 * std::sqrt(var1 / 1024));
  EXPECT_LT(metric(run, "hutchinson_spread_worst_ratio_deviation"), 0.45);

  // The CAE's codes are the least sensitive and contract most near the data.
  const double j_ae = metric(run, "ae_jacobian_norm"), j_dae = metric(run, "dae_jacobian_norm"),
               j_cae = metric(run, "cae_jacobian_norm");
  EXPECT_LT(j_cae, j_ae);
  EXPECT_LT(j_cae, j_dae);
  const double d = 784;
  for (const char* m : {"ae", "dae", "cae"}) {
    const std::string key = m;
    const double small_r = metric(run, key + "_contraction_ratio_r0.05");
    EXPECT_GT(small_r, 0.0) << key;
    EXPECT_LE(small_r, 1.02 * metric(run, key + "_jacobian_norm") / std::sqrt(d)) << key;
    const double share = metric(run, key + "_top10_share");
    EXPECT_GT(share, 0.0) << key;
    EXPECT_LE(share, 1.0 + 1e-9) << key;
  }
  EXPECT_LT(metric(run, "cae_contraction_ratio_r0.05"), metric(run, "ae_contraction_ratio_r0.05"));
  EXPECT_GT(metric(run, "cae_top10_share"), metric(run, "ae_top10_share"));
  for (const char* c : {"closed_equals_exact", "cae_least_sensitive", "cae_contracts_most_locally",
                        "cae_spectrum_most_concentrated"})
    EXPECT_EQ(metric(run, std::string("check_") + c), 1.0) << c;

  for (const char* m : {"pixels", "ae", "dae", "cae"}) {
    const double err = metric(run, std::string(m) + "_test_error_percent");
    EXPECT_GE(err, 0.0) << m;
    EXPECT_LT(err, 50.0) << m;
  }

  for (const char* f : {"hutchinson_convergence.png", "hutchinson_spread.png", "contraction_ratio.png",
                        "jacobian_spectrum.png", "tangent_directions.png"})
    EXPECT_TRUE(aelab_test::is_sensible_figure(run.dir / f)) << f;
}
