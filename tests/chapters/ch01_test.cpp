// Chapter 1 (PCA), run as a student runs it: `aelab run 1 --quick`.
// The bounds come from linear algebra (identities that hold exactly up to float rounding)
// and from NumPy's PCA of the full Fashion-MNIST (EVR 0.467945 / 0.820739 / 0.862692, test
// MSE 0.046096 / 0.015616 / 0.011985 for k = 2 / 30 / 50), loosened for the quick run's
// 5,000-image subset.
#include <gtest/gtest.h>

#include <fstream>

#include "chapters/chapters.hpp"
#include "tests/chapters/run_chapter.hpp"

using aelab_test::metric;

namespace {

bool is_png(const std::filesystem::path& file) {
  std::ifstream f(file, std::ios::binary);
  char sig[8] = {};
  f.read(sig, 8);
  return f && std::string(sig + 1, 3) == "PNG" && std::filesystem::file_size(file) > 1000;
}

}  // namespace

// One test runs the chapter once (each CTest test is its own process) and checks it all.
TEST(Chapter1Pca, QuickRun) {
  const auto run = aelab_test::run_chapter(1);
  ASSERT_EQ(run.exit_code, 0) << run.output;

  SCOPED_TRACE("chapter 1 output:\n" + run.output);
  aelab_test::expect_steps_point_at_their_code(run, ae::chapters::chapter_info(1).file);
  for (const char* s : {"Chapter 1", "Step 1.", "Step 8.", "Eckart", "Figures written"})
    EXPECT_NE(run.output.find(s), std::string::npos) << "missing '" << s << "'";

  // Explained variance near NumPy's full-data values, increasing in k.
  const double e2 = metric(run, "evr_k2"), e30 = metric(run, "evr_k30"), e50 = metric(run, "evr_k50");
  EXPECT_NEAR(e2, 0.467945, 0.03);
  EXPECT_NEAR(e30, 0.820739, 0.02);
  EXPECT_NEAR(e50, 0.862692, 0.02);
  EXPECT_LT(e2, e30);
  EXPECT_LT(e30, e50);
  EXPECT_LT(e50, 1.0);

  // Test error falls with k and is near NumPy's full-data values.
  const double m2 = metric(run, "test_mse_k2"), m30 = metric(run, "test_mse_k30"),
               m50 = metric(run, "test_mse_k50");
  EXPECT_NEAR(m2, 0.046096, 0.046096 * 0.15);
  EXPECT_NEAR(m30, 0.015616, 0.015616 * 0.15);
  EXPECT_NEAR(m50, 0.011985, 0.011985 * 0.15);
  EXPECT_GT(m2, m30);
  EXPECT_GT(m30, m50);
  // Squared error per image is the per-pixel mean times 784 pixels.
  EXPECT_NEAR(metric(run, "test_sse_per_image_k30"), 784 * m30, 784 * m30 * 1e-6);

  // Eckart–Young and reconstruction error + kept variance = total hold up to float rounding.
  for (const char* k : {"2", "30", "50"}) {
    EXPECT_LT(metric(run, std::string("eckart_young_rel_gap_k") + k), 1e-4) << "k = " << k;
    EXPECT_LT(metric(run, std::string("variance_identity_rel_gap_k") + k), 1e-4) << "k = " << k;
  }

  // The three solvers agree: block power to double precision in the eigenvalues (the
  // subspace cosine is computed from float components), the randomized SVD to 1e-3.
  EXPECT_LT(metric(run, "power_eigenvalue_rel_diff"), 1e-6);
  EXPECT_GT(metric(run, "power_subspace_cosine"), 1 - 1e-5);
  EXPECT_LT(metric(run, "randomized_eigenvalue_rel_diff"), 1e-3);
  EXPECT_GT(metric(run, "randomized_subspace_cosine"), 0.999);

  for (const char* f : {"spectrum.png", "explained_variance.png", "projection_2d.png",
                        "rank_k_reconstructions.png"})
    EXPECT_TRUE(is_png(run.dir / f)) << f;
  EXPECT_TRUE(std::filesystem::exists(run.dir / "results.json"));
  EXPECT_TRUE(std::filesystem::exists(run.dir.parent_path() / "index.html"));
}

// With --step the chapter waits after every step for a line on standard input and its prompt
// names the step and where its code begins; /dev/null ends the input, so the run goes on.
TEST(Chapter1Pca, StepPromptsNameTheirPosition) {
  const auto run = aelab_test::run_chapter(1, "--step < /dev/null", "step");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  SCOPED_TRACE("chapter 1 output:\n" + run.output);
  const auto steps = aelab_test::step_headers(run.output);
  ASSERT_FALSE(steps.empty());
  for (const auto& s : steps) {
    const std::string prompt = "-- end of step " + std::to_string(s.number) + " (" + s.file + ":" +
                               std::to_string(s.line) + "); press Enter for the next step --";
    EXPECT_NE(run.output.find(prompt), std::string::npos) << "missing '" << prompt << "'";
  }
}
