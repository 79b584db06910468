// Chapter 2 — The linear autoencoder finds the PCA subspace  (lectures 001, 002 and 004)
//
// Lecture 001 defines the simplest autoencoder. For an input x in R^D and a code of size K,
//     h = W x + b           W: K x D  (the encoder)
//     x̂ = W* h + c          W*: D x K (the decoder)
// trained to minimise the squared error Σ_i ||x_i - x̂_i||², and it states that with tied
// weights, W* = Wᵀ, this autoencoder is optimal and equivalent to PCA. Lecture 002 says the
// same in words ("an AE without activation functions achieves the PCA capacity") and lecture
// 004 gives the reason: x̂ = W* W x + (W* b + c) is a rank-K map of x plus a constant, and by
// Eckart–Young no rank-K approximation of the centred data beats the projection on its top-K
// principal subspace U_K (the K leading eigenvectors of the covariance C).
//
// Baldi & Hornik (1989) proved more: the loss has no local minima other than the global
// ones, and at every one of them
//     W* W = U_K U_Kᵀ      that is      W = A U_Kᵀ,   W* = U_K A⁻¹   for an invertible K x K A
// (A orthogonal when tied). Gradient descent therefore finds the PCA *subspace*, but not the
// principal components: every A gives the same reconstructions, so the learned W is a
// rotation (untied: any invertible mix) of the PCA basis, not the same vectors. Only something
// that breaks this symmetry — a penalty on W, an ordering of the code units — would pick
// the eigenvectors themselves.
//
// How fast gradient descent gets there is set by the spectrum. A code unit w that mixes the
// K-th direction with the (K+1)-th at an angle θ costs (λ_K - λ_{K+1}) sin²θ per image over
// the optimum, and each step shrinks θ by a factor of about 1 - 4η(λ_K - λ_{K+1}) (tied,
// loss summed over pixels, step size η). On Fashion-MNIST λ_2 - λ_3 ≈ 8 but λ_30 - λ_31 ≈
// 0.012: the k = 30 subspace is hundreds of times slower to find than the k = 2 one, and its
// reconstruction error can be within a percent of PCA's long before its subspace is. What
// keeps the error above PCA's is then mostly minibatch noise, which scales with the step
// size — hence a step cut at the end.
//
// The chapter trains the linear autoencoder by stochastic gradient descent, untied and tied,
// for K = 2 and K = 30, and measures the principal angles between the subspace it learned
// and PCA's.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "autograd/ops.hpp"
#include "chapters/chapters.hpp"
#include "chapters/images.hpp"
#include "linalg/householder_qr.hpp"
#include "linalg/matmul_f64.hpp"
#include "nn/autoencoder.hpp"
#include "nn/codec.hpp"
#include "nn/losses.hpp"
#include "nn/matrix_bridge.hpp"
#include "nn/metrics.hpp"
#include "nn/optim.hpp"
#include "nn/pca.hpp"
#include "nn/train.hpp"
#include "nn/viz/plots.hpp"
#include "tensor/ops.hpp"

namespace ae::chapters {

namespace {

// ---- the geometry of subspaces ------------------------------------------------------------

// The rows of b projected on the span of the rows of a: each row of b as the learned
// subspace sees it.
Tensor project_rows_on_span(const Tensor& b, const Tensor& a) {
  const linalg::Matrix q = linalg::householder_qr(nn::to_matrix(a).transposed()).q;  // d x k
  const linalg::Matrix coeff = linalg::matmul(nn::to_matrix(b), q);                    // m x k
  return nn::to_tensor(linalg::matmul(coeff, q, linalg::Trans::No, linalg::Trans::Yes));
}

// ||W Wᵀ - I||_F / sqrt(k): 0 for orthonormal rows.
double orthonormality_gap(const Tensor& w) {
  const linalg::Matrix wd = nn::to_matrix(w);
  linalg::Matrix g = linalg::matmul(wd, wd, linalg::Trans::No, linalg::Trans::Yes);
  double s = 0;
  for (int64_t i = 0; i < g.rows; ++i)
    for (int64_t j = 0; j < g.cols; ++j) {
      const double e = g(i, j) - (i == j ? 1.0 : 0.0);
      s += e * e;
    }
  return std::sqrt(s / double(g.rows));
}

// Mean over i of |cos(w_i, v_i)|: 1 if the learned rows were the principal components
// themselves (up to sign), small for a rotation of them.
double mean_rowwise_cosine(const Tensor& w, const Tensor& v) {
  const linalg::Matrix wd = nn::to_matrix(w), vd = nn::to_matrix(v);
  double total = 0;
  for (int64_t i = 0; i < wd.rows; ++i) {
    double dot = 0, ww = 0, vv = 0;
    for (int64_t j = 0; j < wd.cols; ++j) {
      dot += wd(i, j) * vd(i, j);
      ww += wd(i, j) * wd(i, j);
      vv += vd(i, j) * vd(i, j);
    }
    total += std::abs(dot) / std::sqrt(ww * vv);
  }
  return total / double(wd.rows);
}

// Weight vectors as pictures: 0 is mid-gray, each row scaled by its own largest |value|.
Tensor rows_as_images(const Tensor& rows) {
  const Tensor scale = tensor::max(tensor::abs(rows), {1}, /*keepdim=*/true);
  return tensor::add(tensor::div(rows, tensor::mul(scale, tensor::scalar(2.0f))),
                     tensor::scalar(0.5f));
}

// ---- training ---------------------------------------------------------------------------

struct LinearRun {
  std::string key;   // "untied_k30": the prefix of its metrics
  std::string label; // "untied, k = 30"
  int64_t k = 0;
  bool tied = false;
  std::shared_ptr<nn::Autoencoder> model;
  nn::History history;
  std::vector<double> min_cosine_per_epoch;  // decoder span vs PCA, after each epoch
  std::vector<double> excess_per_epoch;      // (train MSE - PCA's) / PCA's, after each epoch
  double seconds = 0;
};

// The subspace the reconstructions live in: x̂ - c ∈ span of the columns of W*, i.e. of the
// rows of W*ᵀ. For the tied model W*ᵀ = W.
Tensor decoder_basis(const LinearRun& run) {
  if (run.tied) return run.model->encoder().at<nn::Linear>(0).weight.value();
  return run.model->decoder().at<nn::Linear>(0).weight.value().t();
}
Tensor encoder_rows(const LinearRun& run) {
  return run.model->encoder().at<nn::Linear>(0).weight.value();
}

struct Schedule {
  int epochs;
  float lr;
};

LinearRun train_linear(Lesson& lesson, int64_t k, bool tied, const Tensor& train, const Tensor& test,
                       const Tensor& pca_basis, double pca_train_mse, Schedule schedule, uint64_t seed) {
  LinearRun run;
  run.k = k;
  run.tied = tied;
  run.key = fmt::format("{}_k{}", tied ? "tied" : "untied", k);
  run.label = fmt::format("{}, k = {}", tied ? "tied" : "untied", k);
  Generator gen(seed);
  const int64_t d = train.shape()[1];
  run.model = nn::linear_autoencoder(d, k, tied, gen, /*init_std=*/1e-3f);

  // SGD with momentum on the squared error per image Σ_j (x_j - x̂_j)² (the lecture's loss,
  // averaged over the batch). Momentum 0.9 multiplies the effective step by 10, which is what
  // makes the slow, small-gap directions move; the step is cut tenfold for the last quarter
  // of the epochs to let the minibatch noise settle. The tied W gets two gradients (encoder
  // and decoder use), so it takes a smaller step.
  nn::SGD sgd(run.model->parameters(), {.lr = schedule.lr, .momentum = 0.9f});
  nn::FitOptions fit_options;
  fit_options.epochs = schedule.epochs;
  fit_options.batch_size = 256;
  fit_options.seed = seed;
  fit_options.eval_data = nn::Dataset(test);
  fit_options.eval_loss = [&](const nn::Batch& b) { return nn::mse((*run.model)(b[0]), b[0]); };
  fit_options.label = run.label + ", epoch";
  fit_options.lr_schedule = nn::LrSchedule::cut_last(0.25, 0.1);
  fit_options.on_epoch_end = [&](const nn::EpochStats& e) {
    const double cosine = nn::principal_cosines(decoder_basis(run), pca_basis).back();
    run.min_cosine_per_epoch.push_back(cosine);
    // The error over the training set after the epoch (fit's train_loss is the average during
    // it): Eckart–Young makes it >= PCA's, so the excess is >= 0 and can go on a log scale.
    const double train_mse = nn::reconstruction_error(*run.model, train).mse_per_pixel;
    run.excess_per_epoch.push_back((train_mse - pca_train_mse) / pca_train_mse);
    lesson.say("{:<16} epoch {:2}: train MSE {:.6f} ({:+.2e} over PCA's), test MSE {:.6f}, smallest cosine {:.4f}",
               run.label, e.epoch, train_mse, run.excess_per_epoch.back(), e.eval_loss, cosine);
  };
  const auto t0 = std::chrono::steady_clock::now();
  run.history = nn::fit(*run.model, sgd, nn::Dataset(train), [&](const nn::Batch& b) {
    const Variable x = b[0];
    return nn::mse((*run.model)(x), x, nn::Reduction::Sum) / float(b.size());
  }, fit_options);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return run;
}

}  // namespace

void run_linear_ae(const Options& options) {
  Lesson lesson(chapter_info(2), options);
  const bool quick = options.quick;

  auto images = lesson.step("Load the images and centre them with the training mean", [&] {
    ChapterImages im = load_chapter_images(lesson, 4000, 1000);
    const Tensor mean = tensor::mean(im.train.images, {0});
    const double mean_energy = tensor::sum(tensor::mul(mean, mean)).item();
    lesson.say("PCA works on centred data; so does the autoencoder here. Its biases b and c could");
    lesson.say("learn the mean themselves, but the mean image is a direction with ||μ||² = {:.1f},", mean_energy);
    lesson.say("far above the largest variance: a step size stable for it would be several times");
    lesson.say("smaller, and this chapter is about the subspace, not the mean.");
    im.train.images = tensor::sub(im.train.images, mean);
    im.test.images = tensor::sub(im.test.images, mean);
    return im;
  });
  const Tensor& x_train = images.train.images;
  const Tensor& x_test = images.test.images;

  // ---- the target ----------------------------------------------------------------------------
  const int64_t ks[] = {2, 30};
  auto pca = lesson.step("The target: PCA of the training images (covariance + cyclic Jacobi)", [&] {
    nn::PCA p = nn::PCA::fit(x_train, 31, nn::PcaSolver::Jacobi);
    const auto& ev = p.eigenvalues();
    lesson.say("eigenvalues λ1..λ4: {:.4f} {:.4f} {:.4f} {:.4f};  λ29..λ32: {:.4f} {:.4f} {:.4f} {:.4f}",
               ev[0], ev[1], ev[2], ev[3], ev[28], ev[29], ev[30], ev[31]);
    lesson.metric("eigengap_ratio_k2", ev[1] / ev[2], "eigen-gap λ2/λ3");
    lesson.metric("eigengap_ratio_k30", ev[29] / ev[30], "eigen-gap λ30/λ31");
    lesson.say("λ2 - λ3 = {:.4f} but λ30 - λ31 = {:.4f}: expect k = 30 to converge ~{:.0f}x slower",
               ev[1] - ev[2], ev[29] - ev[30], (ev[1] - ev[2]) / (ev[29] - ev[30]));
    for (int64_t k : ks) {
      nn::PCA pk = p.truncated(k);
      const auto train_err = nn::reconstruction_error(pk, x_train);
      const auto test_err = nn::reconstruction_error(pk, x_test);
      lesson.metric(fmt::format("pca_train_mse_k{}", k), train_err.mse_per_pixel,
                    fmt::format("PCA k = {}: train MSE per pixel", k));
      lesson.metric(fmt::format("pca_test_mse_k{}", k), test_err.mse_per_pixel,
                    fmt::format("PCA k = {}: test MSE per pixel", k));
    }
    return p;
  });
  const Tensor pca_basis_all = pca.components();  // 31 x d

  // ---- training ------------------------------------------------------------------------------
  // Full run: 60000 images, 235 steps per epoch. k = 2 converges within a few epochs; k = 30
  // needs 5 to 15 for its smallest cosine to pass 0.99, depending on how the random start
  // happens to sit (see the figure), and the smaller step of the last quarter settles it.
  // --quick: 4000 images and a few hundred steps, enough for k = 2 only.
  const Schedule k2_untied{quick ? 12 : 6, 0.01f}, k2_tied{quick ? 12 : 6, 0.008f};
  const Schedule k30_untied{quick ? 16 : 24, 0.01f}, k30_tied{quick ? 16 : 24, 0.008f};
  if (quick) lesson.note("--quick: 4000 training images and few steps; the k = 30 subspace does not converge in a quick run");

  std::vector<LinearRun> runs;
  auto pca_train_mse = [&](int64_t k) {
    nn::PCA pk = pca.truncated(k);
    return nn::reconstruction_error(pk, x_train).mse_per_pixel;
  };
  lesson.step("Train h = Wx + b, x̂ = W*h + c with k = 2, untied and tied (W* = Wᵀ), by SGD", [&] {
    const Tensor basis = pca_basis_all.slice(0, 0, 2);
    const double optimum = pca_train_mse(2);
    runs.push_back(train_linear(lesson, 2, false, x_train, x_test, basis, optimum, k2_untied, options.seed + 1));
    runs.push_back(train_linear(lesson, 2, true, x_train, x_test, basis, optimum, k2_tied, options.seed + 2));
  });
  lesson.step("The same with k = 30: the eigen-gap λ30/λ31 is small, so this is the slow one", [&] {
    const Tensor basis = pca_basis_all.slice(0, 0, 30);
    const double optimum = pca_train_mse(30);
    runs.push_back(train_linear(lesson, 30, false, x_train, x_test, basis, optimum, k30_untied, options.seed + 3));
    runs.push_back(train_linear(lesson, 30, true, x_train, x_test, basis, optimum, k30_tied, options.seed + 4));
  });

  // ---- the comparison ----------------------------------------------------------------------
  lesson.step("Principal angles between the learned subspace and PCA's, and the errors", [&] {
    lesson.say("The learned subspace is the column space of the decoder W*: every reconstruction");
    lesson.say("x̂ - c lies in it, and the loss pins it down. The encoder's row space equals it at");
    lesson.say("the optimum (the best encoder for a decoder is its pseudo-inverse), but the encoder");
    lesson.say("is only pinned along directions in which the images vary: a component along a");
    lesson.say("direction of tiny variance changes the loss by that tiny variance, so it keeps its");
    lesson.say("initial value and collects minibatch noise. Hence the small initial weights.");
    Table t{"Linear autoencoder against PCA (test set)",
            {"model", "k", "smallest cos (decoder)", "smallest cos (encoder)", "test MSE", "PCA test MSE",
             "AE / PCA", "train MSE - PCA's", "seconds"},
            {}};
    for (const auto& run : runs) {
      const Tensor basis = pca_basis_all.slice(0, 0, run.k);
      const auto cos_dec = nn::principal_cosines(decoder_basis(run), basis);
      const auto cos_enc = nn::principal_cosines(encoder_rows(run), basis);
      const auto test_err = nn::reconstruction_error(*run.model, x_test);
      const auto train_err = nn::reconstruction_error(*run.model, x_train);
      nn::PCA pk = pca.truncated(run.k);
      const double pca_test = nn::reconstruction_error(pk, x_test).mse_per_pixel;
      const double pca_train = nn::reconstruction_error(pk, x_train).mse_per_pixel;
      std::string cos_list;
      for (size_t i = 0; i < cos_dec.size(); ++i)
        if (i < 3 || i + 3 >= cos_dec.size()) cos_list += fmt::format(" {:.4f}", cos_dec[i]);
        else if (i == 3) cos_list += " ...";
      lesson.say("{}: cosines{}", run.label, cos_list);
      lesson.metric(run.key + "_min_cosine", cos_dec.back(), run.label + ": smallest cosine, decoder span vs PCA");
      lesson.metric(run.key + "_encoder_min_cosine", cos_enc.back(), run.label + ": smallest cosine, encoder rows vs PCA");
      lesson.metric(run.key + "_test_mse", test_err.mse_per_pixel, run.label + ": test MSE per pixel");
      lesson.metric(run.key + "_train_mse", train_err.mse_per_pixel, run.label + ": train MSE per pixel");
      lesson.metric(run.key + "_error_ratio", test_err.mse_per_pixel / pca_test, run.label + ": test error / PCA's");
      lesson.metric(run.key + "_seconds", run.seconds, run.label + ": training seconds");
      t.rows.push_back({run.tied ? "tied" : "untied", std::to_string(run.k), fmt::format("{:.4f}", cos_dec.back()),
                        fmt::format("{:.4f}", cos_enc.back()), num(test_err.mse_per_pixel), num(pca_test),
                        fmt::format("{:.4f}", test_err.mse_per_pixel / pca_test),
                        fmt::format("{:+.2e}", train_err.mse_per_pixel - pca_train), fmt::format("{:.1f}", run.seconds)});
    }
    lesson.table(t);
    lesson.say("On the training set no linear autoencoder can beat PCA (Eckart–Young), so the");
    lesson.say("column 'train MSE - PCA's' is >= 0 up to rounding; on the test set it may dip below.");
  });

  lesson.step("Same subspace, other basis: the learned W is a rotation of the PCA basis", [&] {
    for (const auto& run : runs) {
      const Tensor w = encoder_rows(run);
      const Tensor v = pca_basis_all.slice(0, 0, run.k);
      const double rowwise = mean_rowwise_cosine(w, v);
      const double gap = orthonormality_gap(w);
      lesson.say("{:<16} mean |cos(w_i, v_i)| = {:.3f}   ||W Wᵀ - I||_F/√k = {:.3f}", run.label, rowwise, gap);
      lesson.metric(run.key + "_rowwise_cosine", rowwise, run.label + ": mean |cos(row i, PC i)|");
      lesson.metric(run.key + "_orthonormality_gap", gap, run.label + ": ||W Wᵀ - I||_F / sqrt(k)");
    }
    lesson.say("Row i of W is not principal component i (mean |cos| far below 1) although the spans");
    lesson.say("agree. Tied rows come out orthonormal (W = Q U_kᵀ with Q orthogonal); untied ones need not.");

    // Rows: the principal components, the learned rows, and the components as the learned
    // subspace sees them (their projection on span W) — identical to the first row if the
    // spans agree.
    const int64_t shown = 10;
    const LinearRun& tied30 = runs[3];
    const LinearRun& untied30 = runs[2];
    const Tensor v = pca_basis_all.slice(0, 0, shown);
    viz::image_grid(
        lesson.figure("weights_vs_components.png",
                      "Principal components, learned rows of W (k = 30), and the components projected on the learned span"),
        {rows_as_images(v), rows_as_images(encoder_rows(tied30).slice(0, 0, shown)),
         rows_as_images(encoder_rows(untied30).slice(0, 0, shown)),
         rows_as_images(project_rows_on_span(v, decoder_basis(tied30)))},
        {"PCA v1..v10", "tied W rows", "untied W rows", "v_i on span W"},
        "k = 30: same subspace, different basis (gray = 0)", 2);
  });

  lesson.step("Figures: the error and the subspace converge on different clocks", [&] {
    const int epochs = std::max(k2_untied.epochs, k30_untied.epochs);
    std::vector<viz::Series> excess_series, cosine_series;
    for (const auto& run : runs) {
      excess_series.push_back({run.label, {}, run.excess_per_epoch});
      std::vector<double> gap;  // 1 - cos θ_min, so the last digits before 1 are visible on a log scale
      for (double c : run.min_cosine_per_epoch) gap.push_back(1.0 - c);
      cosine_series.push_back({run.label, {}, gap});
    }
    excess_series.push_back({"1% over PCA", {}, std::vector<double>(epochs, 0.01)});
    cosine_series.push_back({"cos = 0.99", {}, std::vector<double>(epochs, 0.01)});
    viz::line_plot(lesson.figure("error_over_pca.png",
                                 "Training error above PCA's optimum, (AE - PCA) / PCA, after each epoch"),
                   excess_series, "Linear autoencoder: training error above PCA's", "epoch",
                   "(MSE - PCA's MSE) / PCA's MSE", /*log_y=*/true);
    viz::line_plot(lesson.figure("subspace_cosine.png",
                                 "1 - smallest principal cosine between the learned and the PCA subspace after each epoch"),
                   cosine_series, "Convergence to the PCA subspace", "epoch",
                   "1 - smallest cosine of the principal angles", /*log_y=*/true);
    for (const auto& run : runs) {
      auto first = [&](const std::vector<double>& v, auto good) {
        for (size_t i = 0; i < v.size(); ++i)
          if (good(v[i])) return fmt::format("{}", i + 1);
        return std::string("-");
      };
      lesson.say("{:<16} error first within 1% of PCA's at epoch {:>2}; smallest cosine first >= 0.99 at epoch {:>2}", run.label,
                 first(run.excess_per_epoch, [](double x) { return x <= 0.01; }),
                 first(run.min_cosine_per_epoch, [](double c) { return c >= 0.99; }));
    }
    lesson.say("The angle to the slow directions costs only (λ_k - λ_{{k+1}}) sin²θ of error, so the error");
    lesson.say("can pass 1% while the subspace is still turning. What holds the error above PCA's");
    lesson.say("before the step is cut is minibatch noise in the weights, proportional to the step");
    lesson.say("size: the cut lowers it tenfold at once, whatever the angles were doing.");
  });

  lesson.finish();
}

}  // namespace ae::chapters
