// Chapter 5 (denoising autoencoders), run as a student runs it: `aelab run 5 --quick`.
//
// The bounds state the chapter's claims, from closed forms where there is one and loosened for
// a run of seconds (4000 training images, 4 epochs per model) where there is not:
//  - the noisy inputs' PSNR is fixed by the corruption: additive N(0, σ²) noise has MSE σ²,
//    so PSNR = -20 log10 σ (to within the sampling error of 784,000 squared normals, 0.035 dB
//    at 5 standard errors); masking noise with rate v has MSE v · mean(x²), so doubling v from
//    0.25 to 0.5 costs 10 log10 2 = 3.01 dB whatever the images (to within 0.085 dB, 5 standard
//    errors of the two binomial draws weighted by x², from NumPy on the first 1000 test images);
//  - lectures 000-002: trained on noisy inputs against clean targets, the DAE cleans noisy
//    test images better than the noisy input itself and better than a plain AE. In a quick run
//    that shows on every row but σ = 0.1, where the input is already at 20 dB and a model
//    trained for seconds reconstructs even clean images worse than that (the full run has the
//    check on every row);
//  - in-painting (lecture 004): a hole left black has MSE mean(x²) over the hole, above the
//    mean image's; the DAE trained on holes fills them better than the mean image and PCA;
//  - lecture 003: for squared error the best denoiser is E[x | x̃], which lies in the convex
//    hull of the data. Outside a circle of data that means every step r(x̃) - x̃ points inwards,
//    and a trained DAE should get at least 90% of the grid right;
//  - filter roughness is 1 for noise (nn/filters.hpp), so any learned filter is below it.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "chapters/chapters.hpp"
#include "tests/chapters/png_info.hpp"
#include "tests/chapters/run_chapter.hpp"

using aelab_test::metric;

TEST(Chapter5DenoisingAe, QuickRun) {
  const auto run = aelab_test::run_chapter(5);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  SCOPED_TRACE("chapter 5 output:\n" + run.output);
  aelab_test::expect_steps_point_at_their_code(run, ae::chapters::chapter_info(5).file);
  for (const char* s : {"Chapter 5", "Step 1.", "Step 10.", "Test PSNR", "In-painting", "check: PASS", "Figures written"})
    EXPECT_NE(run.output.find(s), std::string::npos) << "missing '" << s << "'";

  // Noisy inputs: closed forms.
  for (const double sigma : {0.1, 0.3, 0.5}) {
    const std::string key = "gaussian_" + std::string(sigma == 0.1 ? "0.1" : sigma == 0.3 ? "0.3" : "0.5");
    EXPECT_NEAR(metric(run, "psnr_noisy_" + key), -20 * std::log10(sigma), 0.035) << key;
  }
  EXPECT_NEAR(metric(run, "psnr_noisy_masking_0.25") - metric(run, "psnr_noisy_masking_0.5"), 10 * std::log10(2.0), 0.09);

  // The DAE beats the noisy input and the plain AE.
  for (const char* k : {"gaussian_0.3", "gaussian_0.5", "masking_0.25", "masking_0.5"}) {
    const std::string key = k;
    const double dae = metric(run, "psnr_dae_" + key);
    EXPECT_GT(dae, metric(run, "psnr_noisy_" + key)) << key;
    EXPECT_GT(dae, metric(run, "psnr_plain_" + key)) << key;
    EXPECT_EQ(metric(run, "check_dae_beats_both_" + key), 1.0) << key;
  }
  // σ = 0.1: recorded either way (see above).
  const double check01 = metric(run, "check_dae_beats_both_gaussian_0.1");
  EXPECT_TRUE(check01 == 0.0 || check01 == 1.0);
  // Some learning happened: the mean training image alone scores 10.6 dB on these 1000 test
  // images (NumPy).
  EXPECT_GT(metric(run, "psnr_plain_clean_input"), 15.0);

  // In-painting.
  const double zeros = metric(run, "inpaint_mse_zeros"), mean_image = metric(run, "inpaint_mse_mean_image");
  const double pca = metric(run, "inpaint_mse_pca"), dae = metric(run, "inpaint_mse_dae");
  EXPECT_LT(mean_image, zeros);
  EXPECT_LT(dae, mean_image);
  EXPECT_LT(dae, pca);
  EXPECT_EQ(metric(run, "check_inpaint_dae_best"), 1.0);

  // The vector field points back to the data.
  EXPECT_GE(metric(run, "field_share_towards_circle"), 0.9);
  EXPECT_GT(metric(run, "field_mean_cosine"), 0.8);
  EXPECT_EQ(metric(run, "check_field_points_to_data"), 1.0);

  // Filters: learned filters are smoother than noise (roughness 1).
  const double r_plain = metric(run, "filter_roughness_plain"), r_dae = metric(run, "filter_roughness_dae_masking_0.5");
  EXPECT_GT(r_plain, 0.0);
  EXPECT_GT(r_dae, 0.0);
  EXPECT_LT(r_dae, 1.0);
  EXPECT_LT(r_dae, r_plain);
  EXPECT_LT(metric(run, "dead_units_dae_masking_0.5"), 256);
  EXPECT_LT(metric(run, "dead_units_plain"), 256);

  for (const char* f : {"corruptions.png", "denoising.png", "filters.png", "inpainting.png", "vector_field.png"})
    EXPECT_TRUE(aelab_test::is_sensible_figure(run.dir / f)) << f;
}
