// Chapter 9 (the variational autoencoder), run as a student runs it: `aelab run 9 --quick`.
//
// The bounds come from the mathematics of the ELBO, not from earlier runs:
//  - KL(q || N(0, I)) >= 0, so every KL term is non-negative;
//  - the importance-weighted estimate L_k is a tighter bound than the ELBO, so -L_k with
//    k = 500 lies below the negative ELBO, and -L_k does not grow with k (in expectation;
//    the steps here are large against the sampling noise);
//  - a decoder that ignores z reaches at best about the NLL of independent pixels with the
//    mean image (the entropy of the pixel means, measured on the test images): a trained VAE
//    lies below it, while an untrained one, whose pixels are coins of about 1/2, pays close to
//    784 log 2 = 543.4 nats, above it;
//  - beta trades the KL against the reconstruction: the KL falls as beta grows from 0.5 to 4.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "chapters/chapters.hpp"
#include "tests/chapters/png_info.hpp"
#include "tests/chapters/run_chapter.hpp"

using aelab_test::metric;

TEST(Chapter9Vae, QuickRun) {
  const auto run = aelab_test::run_chapter(9);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  SCOPED_TRACE("chapter 9 output:\n" + run.output);
  aelab_test::expect_steps_point_at_their_code(run, ae::chapters::chapter_info(9).file);
  for (const char* s : {"Chapter 9", "Step 1.", "Step 11.", "-log p(x)", "beta", "Figures written"})
    EXPECT_NE(run.output.find(s), std::string::npos) << "missing '" << s << "'";

  // The terms of the bound.
  EXPECT_GE(metric(run, "test_kl"), 0.0);
  EXPECT_GT(metric(run, "test_reconstruction"), 0.0);
  EXPECT_EQ(metric(run, "check_kl_nonnegative"), 1.0);
  for (const char* beta : {"0.5", "1", "4"}) EXPECT_GE(metric(run, std::string("beta_") + beta + "_kl"), 0.0) << beta;

  // Trained against untrained, against the best model that ignores z.
  const double untrained = metric(run, "negative_elbo_untrained");
  const double baseline = metric(run, "pixel_mean_nll");
  const double trained = metric(run, "test_negative_elbo");
  EXPECT_GT(untrained, 784 * std::log(2.0) - 20);  // random logits are coins of about 1/2
  EXPECT_GT(untrained, baseline);
  EXPECT_LT(trained, baseline);
  EXPECT_GT(trained, 0.0);

  // The importance-weighted bound.
  const double nelbo = metric(run, "subset_negative_elbo");
  EXPECT_EQ(metric(run, "iwae_k"), 500.0);
  EXPECT_LT(metric(run, "iwae_nll"), nelbo);
  EXPECT_EQ(metric(run, "check_iwae_below_elbo"), 1.0);
  EXPECT_LT(metric(run, "iwae_nll_k100"), metric(run, "iwae_nll_k1"));
  EXPECT_LE(metric(run, "iwae_nll_k500"), metric(run, "iwae_nll_k100") + 0.5);
  EXPECT_GT(metric(run, "iwae_nll"), 0.0);

  // beta: a heavier KL weight leaves a smaller KL.
  EXPECT_LT(metric(run, "beta_4_kl"), metric(run, "beta_0.5_kl"));
  EXPECT_LE(metric(run, "active_units"), 20.0);

  // Figures, with the sizes their grids imply: the 20 x 20 manifold of 28 x 28 images at
  // scale 2 is more than 20 * 56 = 1120 pixels wide.
  for (const char* f : {"elbo_terms.png", "samples_prior.png", "interpolation.png", "manifold_2d.png", "latent_2d.png",
                        "generation_vae_vs_ae.png"})
    EXPECT_TRUE(aelab_test::is_sensible_figure(run.dir / f)) << f;
  const auto [w, h] = aelab_test::png_size(run.dir / "manifold_2d.png");
  EXPECT_GE(w, 20u * 56u);
  EXPECT_GE(h, 20u * 56u);
  const auto [gw, gh] = aelab_test::png_size(run.dir / "generation_vae_vs_ae.png");
  EXPECT_GE(gw, 10u * 84u);  // 10 images of 28 pixels at scale 3 per row
  EXPECT_GE(gh, 3u * 84u);
}
