// Chapter 8 (convolutional autoencoders), run as a student runs it: `aelab run 8 --quick`.
//
// The bounds state the chapter's claims, from the math rather than from a run:
//  - the convolution by unfold + gemm equals the direct loops (float rounding only);
//  - the lecture's Keras model has 1·9·32+32 + 3·(32·9·32+32) + 32·9+1 = 28,353 parameters,
//    and the dense 784-h-784 closest to it has h = round((28353 - 784) / 1569) = 18, so
//    2·784·18 + 18 + 784 = 29,026;
//  - the noisy input x̃ = clip(x + 0.5 ε, 0, 1): for any pixel value in [0, 1] the expected
//    (x̃ - x)² lies between 0.1135 and 0.1290 (NumPy, 2·10⁶ draws per value on a grid of 101
//    values), so its PSNR is between 8.89 and 9.45 dB whatever the images are;
//  - denoising: even after the quick run's few hundred steps the conv DAE's output is closer
//    to x than x̃ is (its PSNR exceeds the noisy input's);
//  - the errors are per pixel, so MSE <= 1 and PSNR = 10 log10(1 / MSE) >= 0; BCE > 0.
#include <gtest/gtest.h>

#include <string>

#include "chapters/chapters.hpp"
#include "tests/chapters/png_info.hpp"
#include "tests/chapters/run_chapter.hpp"

using aelab_test::metric;

TEST(Chapter8ConvAe, QuickRun) {
  const auto run = aelab_test::run_chapter(8);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  SCOPED_TRACE("chapter 8 output:\n" + run.output);
  aelab_test::expect_steps_point_at_their_code(run, ae::chapters::chapter_info(8).file);
  for (const char* s : {"Chapter 8", "Step 1.", "unfold", "conv DAE", "dense DAE", "check:", "Figures written"})
    EXPECT_NE(run.output.find(s), std::string::npos) << "missing '" << s << "'";

  EXPECT_EQ(metric(run, "check_conv_matches_direct"), 1.0);
  EXPECT_LT(metric(run, "conv_vs_direct_max_abs_diff"), 1e-4);
  EXPECT_EQ(metric(run, "conv_parameters"), 28353);
  EXPECT_EQ(metric(run, "dense_hidden"), 18);
  EXPECT_EQ(metric(run, "dense_parameters"), 29026);
  EXPECT_EQ(metric(run, "conv_dae_parameters"), 28353);
  EXPECT_EQ(metric(run, "dense_dae_parameters"), 29026);

  const double noisy = metric(run, "psnr_noisy_input");
  EXPECT_GT(noisy, 8.85);
  EXPECT_LT(noisy, 9.50);
  EXPECT_GT(metric(run, "conv_dae_psnr_noisy"), noisy);
  EXPECT_EQ(metric(run, "check_conv_dae_denoises"), 1.0);

  for (const char* m : {"conv_ae", "dense_ae", "conv_dae", "dense_dae"}) {
    const std::string key = m;
    EXPECT_GT(metric(run, key + "_test_bce"), 0.0) << key;
    EXPECT_GT(metric(run, key + "_test_mse"), 0.0) << key;
    EXPECT_LT(metric(run, key + "_test_mse"), 1.0) << key;
    EXPECT_GT(metric(run, key + "_psnr_noisy"), 0.0) << key;
    EXPECT_GE(metric(run, key + "_keras_accuracy_noisy"), 0.0) << key;
    EXPECT_LE(metric(run, key + "_keras_accuracy_noisy"), 1.0) << key;
    EXPECT_GT(metric(run, key + "_seconds_per_epoch"), 0.0) << key;
  }

  for (const char* f : {"denoising.png", "feature_maps.png", "training.png"})
    EXPECT_TRUE(aelab_test::is_sensible_figure(run.dir / f)) << f;
}
