// Chapter 1 — PCA, the best linear autoencoder  (lectures 000 and 004)
//
// PCA finds W (k x d, orthonormal rows) that keeps the most variance of the centred data,
//     max  tr(W C Wᵀ),   C = X_cᵀ X_c / (n - 1),
// and, equivalently, loses the least when each image is rebuilt from its k numbers,
//     min  ||X_c - X_c Wᵀ W||²_F .
// Both are solved by the top-k eigenvectors of C (lecture 000: "reconstruction error +
// variance = constant"). Their SVD form gives Eckart–Young (lecture 004): the best rank-k
// approximation of X_c drops exactly Σ_{i>k} σ_i² of squared error.
//
// This chapter computes PCA three ways (cyclic Jacobi on C, block power iteration, a
// randomized SVD), checks they agree, shows the spectrum, the 2-D map of the test set and
// rank-k reconstructions, and prints both sides of the identities above.
#include <algorithm>
#include <cmath>
#include <vector>

#include "chapters/chapters.hpp"
#include "chapters/images.hpp"
#include "nn/codec.hpp"
#include "nn/metrics.hpp"
#include "nn/pca.hpp"
#include "nn/viz/plots.hpp"
#include "tensor/ops.hpp"

namespace ae::chapters {

namespace {

// Largest relative difference between the first k eigenvalues of two fits.
double max_relative_difference(const std::vector<double>& a, const std::vector<double>& b,
                               size_t k) {
  double worst = 0;
  for (size_t i = 0; i < k; ++i) worst = std::max(worst, std::abs(a[i] - b[i]) / std::abs(b[i]));
  return worst;
}

}  // namespace

void run_pca(const Options& options) {
  Lesson lesson(chapter_info(1), options);
  const int64_t ks[] = {2, 30, 50};

  auto images = lesson.step("Load the images: one 28 x 28 image = one point in R^784", [&] {
    return load_chapter_images(lesson, 5000, 1000);
  });
  const Tensor& x_train = images.train.images;
  const Tensor& x_test = images.test.images;
  const int64_t n = x_train.shape()[0], d = x_train.shape()[1];

  // ---- PCA three ways ----------------------------------------------------------------
  auto pca = lesson.step("Centre the images and eigen-decompose their covariance with cyclic Jacobi", [&] {
    nn::PCA p = nn::PCA::fit(x_train, d, nn::PcaSolver::Jacobi);
    const auto& r = p.report();
    lesson.say("C = X_cᵀX_c/(n-1) is {} x {}; Jacobi took {} sweeps, off-diagonal norm {:.2e}, {:.2f} s",
               d, d, r.iterations, r.residual, r.seconds);
    const auto& ev = p.eigenvalues();
    lesson.say("trace(C) = total variance = {:.8g}", p.total_variance());
    lesson.say("top eigenvalues: {:.6g} {:.6g} {:.6g} {:.6g} {:.6g}; smallest {:.3g}", ev[0], ev[1],
               ev[2], ev[3], ev[4], ev.back());
    lesson.record("jacobi_sweeps", r.iterations);
    lesson.record("total_variance", p.total_variance());
    return p;
  });

  lesson.step("The same top 50 by block power iteration and by a randomized SVD", [&] {
    const int64_t k = std::min<int64_t>(50, d);
    const nn::PCA top = pca.truncated(k);
    for (auto solver : {nn::PcaSolver::BlockPower, nn::PcaSolver::Randomized}) {
      const nn::PCA other = nn::PCA::fit(x_train, k, solver, options.seed);
      const auto& r = other.report();
      const double ev_diff = max_relative_difference(other.eigenvalues(), top.eigenvalues(), k);
      const double cosine = nn::principal_cosines(other.components(), top.components()).back();
      lesson.say("{:<12} {:3} iterations, {:.2f} s: eigenvalues within {:.1e} of Jacobi's, "
                 "subspace cosine {:.9f}",
                 nn::to_string(solver), r.iterations, r.seconds, ev_diff, cosine);
      const std::string key = solver == nn::PcaSolver::BlockPower ? "power" : "randomized";
      lesson.record(key + "_eigenvalue_rel_diff", ev_diff);
      lesson.record(key + "_subspace_cosine", cosine);
    }
  });

  // ---- what the components keep --------------------------------------------------------
  lesson.step("Explained variance: how much of the total the first k components keep", [&] {
    std::vector<double> top(pca.eigenvalues().begin(), pca.eigenvalues().begin() + std::min<int64_t>(50, d));
    viz::bar_chart(lesson.figure("spectrum.png", "The 50 largest eigenvalues of the covariance"),
                   top, "Spectrum of the covariance (top 50)", "component i", "eigenvalue λ_i");
    std::vector<double> ratio;
    for (int64_t j = 1; j <= d; ++j) ratio.push_back(pca.explained_variance_ratio(j));
    viz::line_plot(lesson.figure("explained_variance.png", "Explained variance ratio against k"),
                   {{"explained variance", {}, ratio}}, "Variance kept by the first k components",
                   "number of components k", "explained variance ratio");
    for (int64_t k : ks)
      lesson.metric("evr_k" + std::to_string(k), pca.explained_variance_ratio(k),
                    "explained variance ratio, k = " + std::to_string(k));
    if (images.dataset == "fashion-mnist" && !options.quick)
      lesson.say("NumPy/LAPACK on the same files: 0.467945 / 0.820739 / 0.862692 for k = 2 / 30 / 50");
  });

  lesson.step("Project the test set on the first two components (784 -> 2)", [&] {
    const Tensor z = pca.truncated(2).encode(x_test);
    const auto values = z.to_vector();
    std::vector<float> xs, ys;
    for (size_t i = 0; i < values.size(); i += 2) {
      xs.push_back(values[i]);
      ys.push_back(values[i + 1]);
    }
    viz::scatter_plot(lesson.figure("projection_2d.png", "Test images on the first two principal components"),
                      xs, ys, images.test.labels, images.classes,
                      "PCA: test images in 2-D", "component 1", "component 2");
    lesson.say("{} test images drawn, coloured by class", xs.size());
  });

  lesson.step("Rebuild the same test images from k = 1 ... 9 and 50 components", [&] {
    const Tensor originals = x_test.slice(0, 0, 10);
    std::vector<Tensor> rows = {originals};
    std::vector<std::string> labels = {"original"};
    for (int64_t k : {1, 2, 3, 4, 5, 6, 7, 8, 9, 50}) {
      rows.push_back(pca.truncated(k).reconstruct(originals));
      labels.push_back("k = " + std::to_string(k));
    }
    viz::image_grid(lesson.figure("rank_k_reconstructions.png", "Rank-k reconstructions (lecture 004)"),
                    rows, labels, "PCA reconstructions with k components", 2);
  });

  lesson.step("Test reconstruction error for k = 2, 30, 50", [&] {
    Table t{"PCA on the test set", {"k", "explained variance", "MSE per pixel", "squared error per image"}, {}};
    for (int64_t k : ks) {
      nn::PCA p = pca.truncated(k);
      const auto err = nn::reconstruction_error(p, x_test);
      const std::string ks_ = std::to_string(k);
      lesson.metric("test_mse_k" + ks_, err.mse_per_pixel, "test MSE per pixel, k = " + ks_);
      lesson.metric("test_sse_per_image_k" + ks_, err.sse_per_image, "test squared error per image, k = " + ks_);
      t.rows.push_back({ks_, num(pca.explained_variance_ratio(k)), num(err.mse_per_pixel),
                        num(err.sse_per_image)});
    }
    lesson.table(t);
    if (images.dataset == "mnist" && !options.quick) {
      nn::PCA p30 = pca.truncated(30);
      lesson.say("Hinton & Salakhutdinov (Science, 2006) report 13.87 for PCA with 30 components "
                 "on MNIST; this run: {:.4f}", nn::reconstruction_error(p30, x_test).sse_per_image);
    }
  });

  // ---- the identities --------------------------------------------------------------
  lesson.step("Eckart–Young: ||X_c - X_k||²_F = Σ_{i>k} σ_i²  (training set)", [&] {
    const Tensor centred = tensor::sub(x_train, pca.mean());
    const double total = nn::sum_of_squares(centred);
    Table t{"Eckart–Young and max variance = min error (training set)",
            {"k", R"($\lVert X_c - X_k\rVert^2$)", R"($\sum_{i>k} \sigma_i^2$)", "error/(n-1) + kept variance", "total variance"}, {}};
    for (int64_t k : ks) {
      nn::PCA p = pca.truncated(k);
      const Tensor codes = p.encode(x_train);
      const double error = nn::sum_of_squares(tensor::sub(p.decode(codes), x_train));  // left side
      double dropped = 0;                                                        // right side
      for (int64_t i = k; i < d; ++i) dropped += pca.eigenvalues()[i];
      dropped *= double(n - 1);  // σ_i² = (n - 1) λ_i
      const double kept = nn::sum_of_squares(tensor::sub(codes, tensor::mean(codes, {0}))) / double(n - 1);
      const std::string ks_ = std::to_string(k);
      lesson.say("k = {:2}: ||X_c - X_k||² = {:.7g}   Σ_{{i>k}} σ_i² = {:.7g}   (rel. gap {:.1e})", k,
                 error, dropped, std::abs(error - dropped) / dropped);
      lesson.say("        error/(n-1) {:.6g} + kept variance {:.6g} = {:.7g}; total variance {:.7g}",
                 error / double(n - 1), kept, error / double(n - 1) + kept, total / double(n - 1));
      lesson.record("eckart_young_rel_gap_k" + ks_, std::abs(error - dropped) / dropped);
      lesson.record("variance_identity_rel_gap_k" + ks_,
                    std::abs(error + kept * double(n - 1) - total) / total);
      t.rows.push_back({ks_, num(error, 8), num(dropped, 8), num(error / double(n - 1) + kept, 8),
                        num(total / double(n - 1), 8)});
    }
    lesson.table(t);
  });

  lesson.finish();
}

}  // namespace ae::chapters
