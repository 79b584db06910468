// Chapter 1 (PCA), run as a student runs it: `aelab run 1 --quick`.
// The bounds come from linear algebra (identities that hold exactly up to float rounding)
// and from NumPy's PCA of the same quick subset (the first 5000 training and 1000 test images
// of Fashion-MNIST), computed by tests/chapters/quick_pca_reference.py: the values and the
// command that made them are in quick_pca_reference.hpp.
#include <gtest/gtest.h>

#include <fstream>

#include "chapters/chapters.hpp"
#include "tests/chapters/quick_pca_reference.hpp"
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

  // The same PCA as NumPy's on the same images. Both decompose C = X_cᵀX_c/(n-1) in double;
  // the chapter keeps pixels, codes and reconstructions in float32 (unit roundoff 6e-8) and
  // agrees with NumPy to 5e-8 relative (2026-12-05, Debian's Fashion-MNIST). The tolerance,
  // 2e-6, leaves room for another gemm kernel's summation order and is nearly three orders of
  // magnitude below what one component more or less changes (the smallest step, k = 49 to 50,
  // moves the EVR by 1.5e-3 and the test MSE by 1.1%).
  namespace ref = quick_pca_reference;
  constexpr double kRel = 2e-6;
  ASSERT_NE(run.output.find("data: fashion-mnist"), std::string::npos)
      << "the NumPy values are for Fashion-MNIST; this run read other data";
  EXPECT_NEAR(metric(run, "total_variance"), ref::kTotalVariance5000, ref::kTotalVariance5000 * kRel);
  for (int k : {2, 30, 50}) {
    SCOPED_TRACE("k = " + std::to_string(k));
    const std::string ks = std::to_string(k);
    EXPECT_NEAR(metric(run, "evr_k" + ks), ref::kExplainedVariance5000[k - 1], kRel);
    EXPECT_NEAR(metric(run, "test_mse_k" + ks), ref::kTestMse5000[k - 1], ref::kTestMse5000[k - 1] * kRel);
  }
  const double m30 = metric(run, "test_mse_k30");
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
