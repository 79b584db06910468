// Chapter 2 (the linear autoencoder), run as a student runs it: `aelab run 2 --quick`
// (4000 training images, a few hundred SGD steps per model).
//
// Where the bounds come from:
//  - PCA of the same 4000 images by NumPy (tests/chapters/quick_pca_reference.py; values and
//    command in quick_pca_reference.hpp): the chapter's eigen-gaps and PCA errors must match it.
//  - Eckart–Young: on the (centred) training set no linear rank-k reconstruction beats PCA, so
//    every autoencoder's training error is >= PCA's.
//  - The subspace the decoder spans is tied to the error by the eigen-gap. For a rank-k
//    orthogonal projection P and the projection P_k on the top-k eigenvectors of C,
//        tr(P_k C) - tr(P C) >= (λ_k - λ_{k+1}) ||sin Θ(P, P_k)||²_F
//    (the variational form of Davis & Kahan's sin θ theorem: Vu & Lei, "Minimax sparse
//    principal subspace estimation in high dimensions", Ann. Statist. 41 (2013), Lemma 4.2,
//    written there as <C, P_k - P> >= (λ_k - λ_{k+1})/2 ||P_k - P||²_F). In three lines: with
//    a_i = u_iᵀ P u_i in [0, 1] and Σ a_i = k, the left side is Σ_{i<=k} λ_i (1 - a_i) -
//    Σ_{i>k} λ_i a_i >= λ_k s - λ_{k+1} s, where s = Σ_{i<=k} (1 - a_i) = Σ_{i>k} a_i =
//    ||sin Θ||²_F. On centred data the autoencoder loses at least what the orthogonal projection
//    on its decoder's span loses (the best encoder for a decoder is that projection, and a
//    bias only adds), so with n images of d pixels
//        1 - cos²θ_min <= ||sin Θ||²_F <= n d / (n - 1) · (MSE_AE - MSE_PCA) / (λ_k - λ_{k+1}).
//    Every model must satisfy it; for k = 2 (λ2 - λ3 = 8.5) it pins the subspace down, for
//    k = 30 (λ30 - λ31 = 0.012) it says that an error near PCA's does not imply the subspace.
//  - The chapter's claims: k = 2 is found in a few hundred steps (smallest cosine >= 0.99 and
//    error within 1% of PCA's, the two thresholds its figures draw); at k = 30 the error comes
//    within a percent of PCA's long before the subspace does (tied model; the untied one's
//    error is 3% above PCA's after the quick run, measured 2026-12-05, so it is held only to
//    the identities).
#include <gtest/gtest.h>

#include <string>

#include "chapters/chapters.hpp"
#include "tests/chapters/png_info.hpp"
#include "tests/chapters/quick_pca_reference.hpp"
#include "tests/chapters/run_chapter.hpp"

using aelab_test::metric;

TEST(Chapter2LinearAe, QuickRun) {
  namespace ref = quick_pca_reference;
  const auto run = aelab_test::run_chapter(2);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  SCOPED_TRACE("chapter 2 output:\n" + run.output);
  aelab_test::expect_steps_point_at_their_code(run, ae::chapters::chapter_info(2).file);
  for (const char* s : {"Chapter 2", "lectures: 001, 002, 004", "Step 1.", "Step 7.", "principal", "Figures written"})
    EXPECT_NE(run.output.find(s), std::string::npos) << "missing '" << s << "'";
  ASSERT_NE(run.output.find("data: fashion-mnist"), std::string::npos)
      << "the NumPy values are for Fashion-MNIST; this run read other data";

  // The spectrum and the PCA errors, as NumPy computes them. The chapter agrees to 4e-8
  // relative (2026-12-05); 2e-6 allows for another gemm kernel's rounding (see ch01_test.cpp).
  constexpr double kRel = 2e-6;
  const double* ev = ref::kEigenvalues4000;
  EXPECT_NEAR(metric(run, "eigengap_ratio_k2"), ev[1] / ev[2], ev[1] / ev[2] * kRel);
  EXPECT_NEAR(metric(run, "eigengap_ratio_k30"), ev[29] / ev[30], ev[29] / ev[30] * kRel);
  auto pca_train_mse = [](int k) { return k == 2 ? ref::kTrainMse4000K2 : ref::kTrainMse4000K30; };
  EXPECT_NEAR(metric(run, "pca_train_mse_k2"), ref::kTrainMse4000K2, ref::kTrainMse4000K2 * kRel);
  EXPECT_NEAR(metric(run, "pca_test_mse_k2"), ref::kTestMse4000K2, ref::kTestMse4000K2 * kRel);
  EXPECT_NEAR(metric(run, "pca_train_mse_k30"), ref::kTrainMse4000K30, ref::kTrainMse4000K30 * kRel);
  EXPECT_NEAR(metric(run, "pca_test_mse_k30"), ref::kTestMse4000K30, ref::kTestMse4000K30 * kRel);

  constexpr double n = 4000, d = 784;
  for (const std::string model : {"untied_k2", "tied_k2", "untied_k30", "tied_k30"}) {
    SCOPED_TRACE(model);
    const int k = std::stoi(model.substr(model.find("_k") + 2));
    const double pca_train = pca_train_mse(k);
    const double ae_train = metric(run, model + "_train_mse");
    // Eckart–Young, with PCA's error from NumPy less its rounding allowance.
    EXPECT_GE(ae_train, pca_train * (1 - kRel));
    // The eigen-gap bound on the smallest principal cosine of the decoder's span. The
    // allowance in the excess is the rounding of both errors; 1e-6 is the cosine's (computed
    // from float32 weights).
    const double excess = n * d / (n - 1) * (ae_train - pca_train + kRel * (ae_train + pca_train));
    const double gap = ev[k - 1] - ev[k];
    const double cosine = metric(run, model + "_min_cosine");
    EXPECT_LE(1 - cosine * cosine, excess / gap + 1e-6)
        << "excess variance " << excess << ", eigen-gap " << gap;
  }

  // k = 2: the subspace and the error are found.
  for (const std::string model : {"untied_k2", "tied_k2"}) {
    SCOPED_TRACE(model);
    EXPECT_GE(metric(run, model + "_min_cosine"), 0.99);
    EXPECT_LE(metric(run, model + "_train_mse"), 1.01 * ref::kTrainMse4000K2);
    EXPECT_LE(metric(run, model + "_test_mse"), 1.01 * ref::kTestMse4000K2);
  }
  // k = 30, tied: the error is within 1% of PCA's while the subspace is still far off. How far
  // the chapter's own rate estimate says: each step shrinks the angle to the slow directions by
  // about 1 - 4 η (λ30 - λ31), η = 10 x the rate with momentum 0.9; 192 steps at 0.008 and 64
  // at 0.0008 give e^-0.75, and a random start sits at tan θ ≈ sqrt(754 / 30) ≈ 5, so about
  // tan θ ≈ 2.4, cos θ ≈ 0.4 (measured: 0.40). The test asks for < 0.9, far from converged.
  EXPECT_LE(metric(run, "tied_k30_train_mse"), 1.01 * ref::kTrainMse4000K30);
  EXPECT_LT(metric(run, "tied_k30_min_cosine"), 0.9);

  // Tied: one matrix, so one subspace; and orthonormal rows at the optimum.
  EXPECT_NEAR(metric(run, "tied_k2_min_cosine"), metric(run, "tied_k2_encoder_min_cosine"), 1e-9);
  EXPECT_NEAR(metric(run, "tied_k30_min_cosine"), metric(run, "tied_k30_encoder_min_cosine"), 1e-9);
  EXPECT_LT(metric(run, "tied_k2_orthonormality_gap"), 0.02);

  for (const char* f : {"weights_vs_components.png", "error_over_pca.png", "subspace_cosine.png"}) {
    EXPECT_TRUE(aelab_test::is_sensible_figure(run.dir / f));
  }
  EXPECT_TRUE(std::filesystem::exists(run.dir / "metrics.tsv"));
}
