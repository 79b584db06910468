// Chapter 3 (deep autoencoders against PCA), run as a student runs it: `aelab run 3 --quick`
// (the first 5000 training and 1000 test images, 4 epochs per model).
//
//  - PCA's numbers come from NumPy on the same images (tests/chapters/quick_pca_reference.py;
//    values and command in quick_pca_reference.hpp), to 2e-6 relative (see ch01_test.cpp).
//  - lecture 000: a nonlinear autoencoder beats PCA at the same code size. With a 2-number
//    code the quick run shows it: the deep AE's test error is 0.76x PCA's (2026-12-05).
//  - At k = 30 the quick run does NOT show it. The full run gives the deep AE <= 0.6x PCA-30's
//    error, but after 4 epochs on 5000 images it is 1.71x PCA-30's (test MSE 0.0268 vs 0.0156;
//    seeds 0, 2, 3: 0.0268, 0.0290, 0.0276 — `aelab run 3 --quick --seed N`). What it does
//    show is how much 30 learned numbers say after seconds of training: more than PCA's best
//    6 components, less than its best 8 (NumPy's PCA test MSE: k = 6 0.0303, k = 7 0.0282,
//    k = 8 0.0266). The test asks for better than PCA with 5 components (0.0334), 15% above
//    the worst of the three seeds.
//  - the squared error per image is the per-pixel mean times the 784 pixels;
//  - lectures 000-002: an overcomplete autoencoder without regularisation drifts towards the
//    identity, so it loses less of every input than the undercomplete one — most of all on
//    inputs unlike the training images, which the undercomplete one cannot describe;
//  - a 2-D code keeps class structure: PCA's 5-NN accuracy is NumPy's (same vote and tie
//    rule; within 0.01, ten of the 1000 test images, for neighbours that a float32 code puts
//    in another order), and the deep AE's beats the 10% of guessing.
//
// AELAB_CH3_PROTOCOL=paper (Hinton & Salakhutdinov's 784-1000-500-250-30) with --quick is a
// smoke run of 2 epochs on the cross-entropy and 1 on the squared error: it must train that
// architecture, log every epoch, save its training state, and a second run must resume from
// that state instead of training again.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "chapters/chapters.hpp"
#include "tests/chapters/png_info.hpp"
#include "tests/chapters/quick_pca_reference.hpp"
#include "tests/chapters/run_chapter.hpp"

using aelab_test::metric;

TEST(Chapter3DeepAe, QuickRun) {
  const auto run = aelab_test::run_chapter(3);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  SCOPED_TRACE("chapter 3 output:\n" + run.output);
  aelab_test::expect_steps_point_at_their_code(run, ae::chapters::chapter_info(3).file);
  for (const char* s : {"Chapter 3", "Step 1.", "Step 10.", "Overcomplete", "interpolation", "Figures written"})
    EXPECT_NE(run.output.find(s), std::string::npos) << "missing '" << s << "'";

  namespace ref = quick_pca_reference;
  constexpr double kRel = 2e-6;
  ASSERT_NE(run.output.find("data: fashion-mnist"), std::string::npos)
      << "the NumPy values are for Fashion-MNIST; this run read other data";
  const double pca2 = metric(run, "pca_k2_test_mse"), pca30 = metric(run, "pca_k30_test_mse");
  const double ae2 = metric(run, "ae_k2_test_mse"), ae30 = metric(run, "ae_k30_test_mse");
  EXPECT_NEAR(pca2, ref::kTestMse5000[1], ref::kTestMse5000[1] * kRel);
  EXPECT_NEAR(pca30, ref::kTestMse5000[29], ref::kTestMse5000[29] * kRel);
  // Lecture 000's claim at k = 2, against NumPy's PCA.
  EXPECT_LT(ae2, ref::kTestMse5000[1]);
  EXPECT_NEAR(metric(run, "ae_to_pca_ratio_k2"), ae2 / ref::kTestMse5000[1], 1e-5);
  EXPECT_NEAR(metric(run, "ae_to_pca_ratio_k30"), ae30 / ref::kTestMse5000[29], 1e-5);
  // k = 30 on the quick run: better than PCA with 5 components (see the top of the file).
  EXPECT_LT(ae30, ref::kTestMse5000[4]);
  for (const char* m : {"pca_k2", "ae_k2", "pca_k30", "ae_k30"}) {
    const std::string key = m;
    EXPECT_NEAR(metric(run, key + "_test_sse_per_image"), 784 * metric(run, key + "_test_mse"),
                784 * metric(run, key + "_test_mse") * 1e-6)
        << key;
  }

  for (const char* probe : {"test", "turned", "inverted", "noise"}) {
    const std::string p = probe;
    const double under = metric(run, "undercomplete_relerr_" + p);
    const double over = metric(run, "overcomplete_relerr_" + p);
    EXPECT_GT(under, 0.0) << p;
    EXPECT_GT(over, 0.0) << p;
    if (p != "noise") {
      EXPECT_LT(over, under) << p;  // noise needs the full run's steps
    }
  }

  const double acc_pca = metric(run, "knn_accuracy_pca_k2"), acc_ae = metric(run, "knn_accuracy_ae_k2");
  EXPECT_NEAR(acc_pca, ref::kKnnAccuracyPcaK2, 0.01);
  EXPECT_GT(acc_ae, 0.1);
  EXPECT_LE(acc_ae, 1.0);

  for (const char* f : {"codes_pca.png", "codes_deep_ae.png", "reconstructions.png", "overcomplete_copies.png",
                        "overcomplete_training.png", "interpolation.png"})
    EXPECT_TRUE(aelab_test::is_sensible_figure(run.dir / f));
}

TEST(Chapter3DeepAe, PaperProtocolSmokeRunAndResume) {
  ::setenv("AELAB_CH3_PROTOCOL", "paper", 1);
  const auto first = aelab_test::run_chapter(3, "", "paper");
  const auto second = aelab_test::run_chapter(3, "", "paper", /*keep_output=*/true);
  ::unsetenv("AELAB_CH3_PROTOCOL");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  ASSERT_EQ(second.exit_code, 0) << second.output;
  SCOPED_TRACE("first run:\n" + first.output);
  EXPECT_NE(first.output.find("784-1000-500-250-30"), std::string::npos);
  EXPECT_NE(first.output.find("paper AE epoch   2: train cross-entropy"), std::string::npos);
  EXPECT_NE(first.output.find("paper AE epoch   3: train squared error"), std::string::npos);
  EXPECT_EQ(metric(first, "paper_epochs_done"), 3);
  // The per-epoch log's last test error is the chapter's own measure of the final model.
  const double sse = metric(first, "paper_test_sse_per_image");
  EXPECT_TRUE(std::isfinite(sse) && sse > 0);
  EXPECT_NEAR(metric(first, "ae_k30_test_sse_per_image"), sse, sse * 1e-4);
  EXPECT_TRUE(std::filesystem::exists(first.dir / "paper_run_quick.ckpt"));
  EXPECT_TRUE(aelab_test::is_sensible_figure(first.dir / "paper_run.png"));
  EXPECT_NE(first.output.find("Hinton & Salakhutdinov"), std::string::npos);

  // The second run finds the finished state: no epoch is trained, the model is the same.
  EXPECT_NE(second.output.find("resuming from paper_run_quick.ckpt after epoch 3 of 3"), std::string::npos)
      << second.output;
  EXPECT_EQ(second.output.find("paper AE epoch"), std::string::npos) << second.output;
  EXPECT_EQ(metric(second, "paper_epochs_done"), 3);
  EXPECT_EQ(metric(second, "ae_k30_test_sse_per_image"), metric(first, "ae_k30_test_sse_per_image"));
}

TEST(Chapter3DeepAe, UnknownProtocolIsAnError) {
  ::setenv("AELAB_CH3_PROTOCOL", "hinton", 1);
  const auto run = aelab_test::run_chapter(3, "", "bad-protocol");
  ::unsetenv("AELAB_CH3_PROTOCOL");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.output.find("AELAB_CH3_PROTOCOL='hinton'"), std::string::npos) << run.output;
}
