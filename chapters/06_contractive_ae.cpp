// Chapter 6 — Contractive autoencoders  (lectures 002 and 003)
//
// Lecture 002: "we wish to extract features that only reflect variations observed in the
// training set", and be invariant to the others. The contractive autoencoder (CAE) asks for it
// directly, adding to the reconstruction loss the squared Frobenius norm of the encoder's
// Jacobian,
//     L*(x) = L(x) + λ Ω(x),        Ω(x) = ||J_f(x)||²_F = Σ_ij (∂h_j / ∂x_i)²,
// where L alone would keep everything about x (λ → 0) and Ω alone would throw everything away
// (λ → ∞): the sum keeps only what reconstruction needs — the directions along the data
// (Rifai, Vincent, Muller, Glorot & Bengio, "Contractive auto-encoders: explicit invariance
// during feature extraction", ICML 2011). Lecture 003 describes the denoising autoencoder as
// learning a vector field back to the data manifold; lecture 002 compares the two: the DAE
// makes the *reconstruction* resist small finite corruptions, the CAE makes the *code* resist
// infinitesimal ones, with a deterministic gradient.
//
// The model is one sigmoid layer, h = σ(W x + b) with 1000 units, and a sigmoid decoder,
// trained on the summed cross-entropy of the pixels, as in Rifai et al. For it,
// ∂h_j/∂x_i = h_j (1 - h_j) W_ji, so Ω has a closed form; the chapter checks it against the
// exact Jacobian by reverse mode and against Hutchinson's random-probe estimate
// (nn/contractive.hpp), then trains an AE, a DAE and a CAE of the same shape and compares how
// sensitive their codes are, how they contract space around test images, the singular values
// of their Jacobians (the local tangent directions) and how well a linear classifier reads the
// class off their codes.
//
// The full run trains on the first 10000 training images for a few epochs each, to stay within
// about a minute and a half; AELAB_CH6_PROTOCOL=paper uses all 60000 with more epochs and
// L-BFGS iterations (docs/chapters/ch06_contractive_ae.md gives its time).
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "autograd/ops.hpp"
#include "chapters/chapters.hpp"
#include "chapters/images.hpp"
#include "linalg/svd_jacobi.hpp"
#include "nn/autoencoder.hpp"
#include "nn/contractive.hpp"
#include "nn/losses.hpp"
#include "nn/matrix_bridge.hpp"
#include "nn/metrics.hpp"
#include "nn/optim.hpp"
#include "nn/softmax_regression.hpp"
#include "nn/train.hpp"
#include "nn/viz/plots.hpp"
#include "tensor/ops.hpp"

namespace ae::chapters {

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// How long the chapter trains. "default" fits the ~90 s budget of a full run; "paper" is the
// published protocol's size (all training images, 1000 units, longer training).
struct Protocol {
  std::string name;
  int64_t train_images;  ///< -1: all
  int epochs;
  int lbfgs_iterations;
  int64_t classifier_train;  ///< training images the softmax classifier sees (-1: all)
};

Protocol choose_protocol(bool quick) {
  if (quick) return {"quick", -1, 2, 60, -1};
  if (const char* p = std::getenv("AELAB_CH6_PROTOCOL"); p != nullptr && std::string(p) == "paper")
    return {"paper", -1, 30, 400, -1};
  return {"default", 10000, 4, 150, 10000};
}

// One hidden layer of sigmoid units and a sigmoid decoder: h = σ(W x + b), x̂ = σ(V h + c).
std::shared_ptr<nn::Autoencoder> sigmoid_autoencoder(int64_t d, int64_t k, uint64_t seed, const std::string& name) {
  Generator gen(seed);
  return nn::mlp_autoencoder({d, k}, gen, {.code = nn::Activation::Sigmoid, .output = nn::Activation::Sigmoid}, name);
}

nn::Linear& encoder_layer(nn::Autoencoder& m) { return m.encoder().at<nn::Linear>(0); }

nn::EncoderFn encoder_fn(nn::Autoencoder& m) {
  return [&m](const Variable& x) { return m.encoder()(x); };
}

// Ω(x) for each row of x by the closed form, without a graph: (n).
std::vector<float> penalty_per_image(nn::Autoencoder& m, const Tensor& x) {
  NoGradGuard off;
  return nn::contraction_sigmoid(m.encoder()(Variable(x)), encoder_layer(m).weight).value().to_vector();
}

// The summed cross-entropy over the pixels of an image, averaged over the batch (Rifai et al.'s
// reconstruction cost for pixels in [0, 1]).
Variable reconstruction_cost(const Variable& x_hat, const Variable& x) {
  return nn::bce(x_hat, x) * float(x.shape()[1]);
}

// "AE" -> "ae": metric keys are lower case.
std::string metric_key(std::string name) {
  for (char& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

void check(Lesson& lesson, const std::string& key, bool ok, const std::string& claim) {
  lesson.say("check: {}: {}", claim, ok ? "pass" : "FAIL");
  lesson.record("check_" + key, ok ? 1.0 : 0.0);
}

// Milliseconds per call of `body`: the median of `repeats` calls after one warm-up, or one
// cold call when repeats is 0.
double milliseconds_per_call(int repeats, const std::function<void()>& body) {
  std::vector<double> t;
  if (repeats == 0) {
    const auto t0 = Clock::now();
    body();
    return 1e3 * seconds_since(t0);
  }
  body();
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = Clock::now();
    body();
    t.push_back(1e3 * seconds_since(t0));
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

// A right singular vector (d = side²) as an image: 0 is mid-grey, ± the largest |v| are white
// and black.
Tensor signed_image(const std::vector<double>& v) {
  double peak = 1e-30;
  for (double e : v) peak = std::max(peak, std::fabs(e));
  std::vector<float> px(v.size());
  for (size_t i = 0; i < v.size(); ++i) px[i] = float(0.5 + 0.5 * v[i] / peak);
  return tensor::from_vector(px, {1, int64_t(v.size())});
}

}  // namespace

void run_contractive_ae(const Options& options) {
  Lesson lesson(chapter_info(6), options);
  const Protocol protocol = choose_protocol(options.quick);

  auto images = lesson.step("Load the images (pixels in [0, 1]: sigmoid decoder, cross-entropy loss)", [&] {
    return load_chapter_images(lesson, 2000, 500);
  });
  const int64_t n_all = images.train.images.shape()[0];
  const int64_t n_train = protocol.train_images < 0 ? n_all : std::min(protocol.train_images, n_all);
  const Tensor x_train = images.train.images.slice(0, 0, n_train);
  const std::vector<int> y_train(images.train.labels.begin(), images.train.labels.begin() + n_train);
  const Tensor& x_test = images.test.images;
  const int64_t d = x_train.shape()[1];
  // Rifai et al.'s single-layer models have 1000 hidden units; --quick uses 250 (the exact
  // Jacobian costs k backward passes and the SVD of J grows with k).
  const int64_t k = options.quick ? 250 : 1000;
  lesson.say("protocol '{}': {} training images, {} epochs per model, {} hidden units", protocol.name, n_train,
             protocol.epochs, k);
  if (protocol.name == "default")
    lesson.note("The default run trains on 10000 training images for 4 epochs per model; "
                "AELAB_CH6_PROTOCOL=paper trains on every training image for 30.");

  // ---- the penalty three ways ---------------------------------------------------------------
  auto cae = sigmoid_autoencoder(d, k, options.seed + 6, "CAE");
  lesson.step("Ω = ||J_f(x)||²_F three ways: closed form, exact Jacobian, Hutchinson", [&] {
    // The CAE's encoder as initialised, on a few test images.
    const int64_t n = 4;
    const Tensor x = x_test.slice(0, 0, n);
    nn::Autoencoder& m = *cae;
    const nn::EncoderFn f = encoder_fn(m);
    const auto closed = penalty_per_image(m, x);
    const auto exact = nn::contraction_exact(f, x, /*create_graph=*/false).value().to_vector();
    Generator probes(options.seed + 60);
    const auto hutch = nn::contraction_hutchinson(f, x, 64, probes, false).value().to_vector();
    Table t{fmt::format("Ω at four test images, untrained {}-{} sigmoid encoder", d, k),
            {"image", "closed form", fmt::format("exact ({} VJPs)", k), "Hutchinson, 64 probes", "|exact - closed| / closed"}, {}};
    double worst = 0;
    for (int64_t i = 0; i < n; ++i) {
      const double rel = std::fabs(double(exact[size_t(i)]) - closed[size_t(i)]) / closed[size_t(i)];
      worst = std::max(worst, rel);
      t.rows.push_back({std::to_string(i), num(closed[size_t(i)], 7), num(exact[size_t(i)], 7),
                        num(hutch[size_t(i)], 5), fmt::format("{:.1e}", rel)});
    }
    lesson.table(t);
    lesson.metric("closed_vs_exact_max_rel_diff", worst, "largest |exact - closed| / closed over the images");
    check(lesson, "closed_equals_exact", worst < 1e-5,
          fmt::format("closed form = exact Jacobian to float precision (max relative difference {:.1e} < 1e-5)", worst));

    // One training step's worth of work: Ω on a batch and its gradient in W and b, per image.
    // The exact route records k backward passes, so it is timed once, on two images.
    const int64_t batch = 2;
    const Tensor xb = x_test.slice(0, 0, batch);
    auto step_time = [&](int repeats, const std::function<Variable()>& penalty) {
      return milliseconds_per_call(repeats, [&] {
        const Variable total = sum(penalty());
        (void)grad({total}, {encoder_layer(m).weight, encoder_layer(m).bias});
      }) / double(batch);
    };
    Generator g2(options.seed + 61);
    const double ms_closed = step_time(9, [&] { return nn::contraction_sigmoid(m.encoder()(Variable(xb)), encoder_layer(m).weight); });
    const double ms_exact = step_time(0, [&] { return nn::contraction_exact(f, xb, true); });
    const double ms_h1 = step_time(9, [&] { return nn::contraction_hutchinson(f, xb, 1, g2, true); });
    const double ms_h16 = step_time(9, [&] { return nn::contraction_hutchinson(f, xb, 16, g2, true); });
    Table tt{"Time for Ω and its gradient in (W, b), per image (batch of 2)", {"route", "ms per image", "work"}, {}};
    tt.rows.push_back({"closed form", num(ms_closed, 3), "one forward, O(k d)"});
    tt.rows.push_back({"exact, double backward", num(ms_exact, 3), fmt::format("k = {} VJPs, recorded: O(k² d)", k)});
    tt.rows.push_back({"Hutchinson, 1 probe", num(ms_h1, 3), "one VJP, recorded: O(k d)"});
    tt.rows.push_back({"Hutchinson, 16 probes", num(ms_h16, 3), "16 VJPs, recorded: O(16 k d)"});
    lesson.table(tt);
    for (const auto& [key, ms] : {std::pair<const char*, double>{"closed", ms_closed}, {"exact", ms_exact},
                                  {"hutchinson1", ms_h1}, {"hutchinson16", ms_h16}}) {
      lesson.say("{:<13} {:9.3f} ms per image", key, ms);
      lesson.record(std::string("ms_per_image_") + key, ms);
    }
  });

  lesson.step("Hutchinson's estimate: its mean converges, its spread falls as 1/√m", [&] {
    // E_v ||Jᵀv||² = ||J||²_F for Rademacher v; one probe's variance is 2 Σ_{a≠b} (J Jᵀ)²_ab.
    nn::Autoencoder& m = *cae;
    const nn::EncoderFn f = encoder_fn(m);
    const Tensor x = x_test.slice(0, 0, 1);
    const Tensor jac = nn::encoder_jacobian(f, x).value().reshape({k, d});
    const double omega = penalty_per_image(m, x)[0];
    const double var1 = nn::hutchinson_variance(jac);
    lesson.say("Ω = {:.5f} at the first test image; one probe's standard deviation {:.5f} ({:.1f}% of Ω)", omega,
               std::sqrt(var1), 100 * std::sqrt(var1) / omega);
    Generator probes(options.seed + 62);
    // A running mean over one long sequence of probes.
    const int n_long = 1024;
    const auto seq = nn::hutchinson_samples(f, x, n_long, probes).to_vector();
    std::vector<double> counts, running, exact_line, upper, lower;
    double acc = 0;
    for (int i = 0; i < n_long; ++i) {
      acc += seq[size_t(i)];
      counts.push_back(i + 1);
      running.push_back(acc / (i + 1));
      exact_line.push_back(omega);
      upper.push_back(omega + 2 * std::sqrt(var1 / (i + 1)));
      lower.push_back(omega - 2 * std::sqrt(var1 / (i + 1)));
    }
    viz::line_plot(lesson.figure("hutchinson_convergence.png", "Running mean of Hutchinson's estimate against the exact Ω"),
                   {{"mean of the first m probes", counts, running}, {"exact Ω (closed form)", counts, exact_line},
                    {"Ω + 2 sqrt(Var_1 / m)", counts, upper}, {"Ω - 2 sqrt(Var_1 / m)", counts, lower}},
                   "Hutchinson's estimate of ||J||²_F converges", "number of probes m", "estimate of Ω");
    lesson.metric("hutchinson_1024_rel_error", std::fabs(running.back() - omega) / omega,
                  "|mean of 1024 probes - Ω| / Ω");
    // The spread of the m-probe mean over R independent repeats, against sqrt(Var_1 / m).
    const int repeats = 40;
    const int max_m = protocol.name == "quick" ? 64 : 256;
    std::vector<double> ms, measured, predicted;
    double worst_ratio_dev = 0;
    for (int mp = 1; mp <= max_m; mp *= 2) {
      const Tensor s = nn::hutchinson_samples(f, x, mp * repeats, probes).reshape({repeats, mp});
      const auto means = tensor::mean(s, {1}).to_vector();
      double mu = 0, sq = 0;
      for (float v : means) mu += v;
      mu /= repeats;
      for (float v : means) sq += (v - mu) * (v - mu);
      const double sd = std::sqrt(sq / (repeats - 1));
      ms.push_back(std::log2(double(mp)));
      measured.push_back(sd / omega);
      predicted.push_back(std::sqrt(var1 / mp) / omega);
      worst_ratio_dev = std::max(worst_ratio_dev, std::fabs(measured.back() / predicted.back() - 1));
      lesson.say("m = {:3}: relative spread {:.4f}, predicted {:.4f}", mp, measured.back(), predicted.back());
    }
    viz::line_plot(lesson.figure("hutchinson_spread.png", "Spread of the m-probe estimate against m, measured and predicted"),
                   {{"measured (40 repeats)", ms, measured}, {"predicted sqrt(Var_1 / m)", ms, predicted}},
                   "Relative spread of Hutchinson's estimate", "log2 of the number of probes m", "std / Ω",
                   /*log_y=*/true);
    lesson.metric("hutchinson_spread_worst_ratio_deviation", worst_ratio_dev,
                  "largest |measured spread / predicted - 1| over m");
    lesson.record("hutchinson_omega", omega);
    lesson.record("hutchinson_var1", var1);
  });

  // ---- three autoencoders ---------------------------------------------------------------------
  struct Trained {
    std::shared_ptr<nn::Autoencoder> model;
    nn::History history;
    double seconds = 0;
  };
  // Adam on mini-batches of 64. `loss` gives the terms of a batch; the held-out loss is the
  // clean reconstruction cost for all three models, so their numbers compare.
  auto train = [&](std::shared_ptr<nn::Autoencoder> model, const nn::LossFn& loss, uint64_t seed) {
    Trained out{std::move(model), {}, 0};
    nn::Autoencoder& m = *out.model;
    nn::Adam adam(m.parameters(), {.lr = 1e-3f});
    nn::FitOptions fo;
    fo.epochs = protocol.epochs;
    fo.batch_size = 64;
    fo.seed = seed;
    fo.label = m.name() + ", epoch";
    fo.eval_data = nn::Dataset(x_test);
    fo.eval_loss = [&m](const nn::Batch& b) { return reconstruction_cost(m(b[0]), b[0]); };
    fo.on_epoch_end = [&](const nn::EpochStats& e) {
      std::string terms;
      for (const auto& [name, value] : e.train_terms) terms += fmt::format("  {} {:.3f}", name, value);
      lesson.say("{:<4} epoch {:2}:{}   test cross-entropy {:.3f}  ({:.1f} s)", m.name(), e.epoch, terms, e.eval_loss,
                 e.seconds);
    };
    const auto t0 = Clock::now();
    out.history = nn::fit(m, adam, nn::Dataset(x_train), loss, fo);
    out.seconds = seconds_since(t0);
    return out;
  };

  auto ae = lesson.step(fmt::format("Train a plain AE {}-{}-{} (sigmoid units, cross-entropy)", d, k, d), [&] {
    auto model = sigmoid_autoencoder(d, k, options.seed + 4, "AE");
    nn::Autoencoder& m = *model;
    return train(model, [&m](const nn::Batch& b) {
      return nn::LossTerms{{"reconstruction", reconstruction_cost(m(b[0]), b[0])}};
    }, options.seed + 40);
  });

  const float masking = 0.25f;  // share of pixels set to 0 (Vincent et al. 2008's MNIST setting)
  auto dae = lesson.step("Train a DAE: the same model, fed images with 25% of the pixels masked", [&] {
    auto model = sigmoid_autoencoder(d, k, options.seed + 5, "DAE");
    nn::Autoencoder& m = *model;
    auto noise = std::make_shared<Generator>(options.seed + 50);
    return train(model, [&m, noise, masking](const nn::Batch& b) {
      // Masking noise x̃ = x ⊙ mask, mask_i ~ Bernoulli(1 - ν); nn/corruption (chapter 5) replaces this line.
      const Tensor x_tilde = tensor::mul(b[0], tensor::bernoulli(b[0].shape(), 1.0f - masking, *noise));
      return nn::LossTerms{{"reconstruction", reconstruction_cost(m(x_tilde), b[0])}};
    }, options.seed + 51);
  });

  // λ Ω starts at a few percent of the cross-entropy: enough to flatten the code, too little
  // to stop it from learning to reconstruct.
  const float lambda = 1.0f;
  auto cae_trained = lesson.step("Train the CAE: cross-entropy + λ ||J_f(x)||²_F by the closed form, λ = 1", [&] {
    nn::Autoencoder& m = *cae;
    return train(cae, [&m, lambda](const nn::Batch& b) {
      const Variable h = m.encoder()(b[0]);
      return nn::LossTerms{{"reconstruction", reconstruction_cost(m.decoder()(h), b[0])},
                           {"contraction", lambda * mean(nn::contraction_sigmoid(h, encoder_layer(m).weight))}};
    }, options.seed + 61);
  });
  const std::vector<Trained*> models = {&ae, &dae, &cae_trained};

  // ---- how sensitive are the codes ----------------------------------------------------------------
  const int64_t n_eval = std::min<int64_t>(2000, x_test.shape()[0]);
  const Tensor x_eval = x_test.slice(0, 0, n_eval);
  std::vector<double> sensitivity;
  lesson.step("Sensitivity of the codes: mean ||J_f(x)||_F on test images", [&] {
    Table t{"Encoder sensitivity and reconstruction on test images",
            {"model", R"(mean $\lVert J\rVert_F$)", R"(mean $\lVert J\rVert_F^2$)", "test cross-entropy", "train seconds"}, {}};
    for (Trained* tr : models) {
      nn::Autoencoder& m = *tr->model;
      const auto omega = penalty_per_image(m, x_eval);
      double s = 0, s2 = 0;
      for (float v : omega) {
        s += std::sqrt(double(v));
        s2 += v;
      }
      s /= double(omega.size());
      s2 /= double(omega.size());
      sensitivity.push_back(s);
      const double ce = tr->history.epochs.back().eval_loss;
      const std::string key = metric_key(m.name());
      lesson.metric(key + "_jacobian_norm", s, m.name() + ": mean ||J_f(x)||_F on test images");
      lesson.metric(key + "_test_cross_entropy", ce, m.name() + ": test cross-entropy per image");
      t.rows.push_back({m.name(), num(s, 4), num(s2, 4), num(ce, 5), fmt::format("{:.0f}", tr->seconds)});
    }
    lesson.table(t);
    check(lesson, "cae_least_sensitive", sensitivity[2] < sensitivity[0] && sensitivity[2] < sensitivity[1],
          "the CAE's code is the least sensitive of the three");
  });

  lesson.step("Contraction ratio ||f(x + r u) - f(x)|| / r against the distance r (Rifai et al. 2011, Fig. 3)", [&] {
    // u: a random unit direction (isotropic) for each of 200 test images.
    const int64_t n_pts = std::min<int64_t>(200, x_test.shape()[0]);
    const Tensor x0 = x_test.slice(0, 0, n_pts);
    const std::vector<double> radii = {0.05, 1, 2, 4, 6, 8, 10, 12, 15, 20, 25, 30};
    // The same directions for every radius and model, so the curves differ only by r and f.
    Generator gen(options.seed + 70);
    Tensor u = tensor::randn({n_pts, d}, gen);
    u = tensor::div(u, tensor::sqrt(tensor::sum(tensor::mul(u, u), {1}, true)));
    std::vector<viz::Series> series;
    std::vector<double> small_r;
    for (Trained* tr : models) {
      nn::Autoencoder& m = *tr->model;
      const Tensor h0 = m.encode(x0);
      viz::Series s{m.name(), radii, {}};
      for (double r : radii) {
        const Tensor dh = tensor::sub(m.encode(tensor::add(x0, tensor::mul(u, tensor::scalar(float(r))))), h0);
        const auto dist = tensor::sqrt(tensor::sum(tensor::mul(dh, dh), {1})).to_vector();
        double mean_ratio = 0;
        for (float v : dist) mean_ratio += v / r;
        s.ys.push_back(mean_ratio / double(n_pts));
      }
      const std::string key = metric_key(m.name());
      lesson.metric(key + "_contraction_ratio_r0.05", s.ys.front(), m.name() + ": mean ratio at r = 0.05");
      lesson.metric(key + "_contraction_ratio_r30", s.ys.back(), m.name() + ": mean ratio at r = 30");
      small_r.push_back(s.ys.front());
      series.push_back(std::move(s));
    }
    viz::line_plot(lesson.figure("contraction_ratio.png", "Contraction ratio against the distance from test images"),
                   series, "Contraction ratio ||f(x + r u) - f(x)|| / r", "distance r in input space",
                   "ratio (code distance / input distance)");
    // As r → 0 the ratio is ||J u||, and E_u ||J u||² = ||J||²_F / d for a uniform unit u:
    // so the small-r ratio is at most (Jensen) the mean ||J||_F / sqrt(d) measured above.
    for (size_t i = 0; i < models.size(); ++i)
      lesson.say("{}: ratio at r = 0.05 is {:.4f}; mean ||J||_F / sqrt(d) = {:.4f}", models[i]->model->name(), small_r[i],
                 sensitivity[i] / std::sqrt(double(d)));
    check(lesson, "cae_contracts_most_locally", small_r[2] < small_r[0] && small_r[2] < small_r[1],
          "near the test images the CAE contracts most");
  });

  lesson.step("Singular values of J_f at a test image: a few large ones, the tangent directions", [&] {
    const Tensor x = x_test.slice(0, 0, 1);
    std::vector<viz::Series> spectra;
    std::vector<double> top_share;
    std::vector<Tensor> rows;
    std::vector<std::string> labels;
    const int shown = 40, vectors = 8;
    rows.push_back(x);
    labels.push_back("test image");
    for (Trained* tr : models) {
      nn::Autoencoder& m = *tr->model;
      // J = diag(h(1-h)) W (k x d); its thin SVD by one-sided Jacobi (linalg/svd_jacobi.hpp),
      // which rotates pairs of columns: with k < d it is cheaper on Jᵀ = V Σ Uᵀ, whose left
      // singular vectors are J's right ones (directions in input space).
      const Tensor jac = nn::encoder_jacobian(encoder_fn(m), x).value().reshape({k, d});
      const auto t0 = Clock::now();
      const bool transposed = k < d;
      // J holds floats, so orthogonality to 1e-9 is all its digits support.
      const linalg::Svd svd =
          linalg::svd_jacobi(nn::to_matrix(transposed ? jac.transpose(0, 1) : jac), {.tolerance = 1e-9});
      const linalg::Matrix& input_dirs = transposed ? svd.u : svd.v;
      double total = 0, top = 0;
      for (size_t i = 0; i < svd.sigma.size(); ++i) {
        total += svd.sigma[i] * svd.sigma[i];
        if (i < 10) top += svd.sigma[i] * svd.sigma[i];
      }
      const std::string key = metric_key(m.name());
      lesson.say("{}: σ_1 = {:.4f}, σ_10 = {:.4f}, σ_50 = {:.5f}; top 10 hold {:.1f}% of ||J||²_F ({} sweeps, {:.1f} s)",
                 m.name(), svd.sigma[0], svd.sigma[9], svd.sigma[49], 100 * top / total, svd.sweeps, seconds_since(t0));
      lesson.record(key + "_sigma1", svd.sigma[0]);
      lesson.metric(key + "_top10_share", top / total, m.name() + ": share of ||J||²_F in the top 10 singular values");
      lesson.record(key + "_svd_frobenius_sq", total);
      top_share.push_back(top / total);
      viz::Series s{m.name(), {}, {}};
      for (int i = 0; i < shown; ++i) s.ys.push_back(svd.sigma[size_t(i)]);
      spectra.push_back(std::move(s));
      std::vector<Tensor> vs;
      for (int j = 0; j < vectors; ++j) {
        std::vector<double> v(static_cast<size_t>(d));
        for (int64_t i = 0; i < d; ++i) v[size_t(i)] = input_dirs(i, j);
        vs.push_back(signed_image(v));
      }
      rows.push_back(tensor::concat(vs, 0));
      labels.push_back(m.name() + ": v1..v8");
    }
    viz::line_plot(lesson.figure("jacobian_spectrum.png", "The 40 largest singular values of J_f at the first test image"),
                   spectra, "Singular values of the encoder's Jacobian at a test image", "index i", "σ_i", /*log_y=*/true);
    viz::image_grid(lesson.figure("tangent_directions.png",
                                  "Top right singular vectors of J_f at a test image (grey 0, white +, black -)"),
                    rows, labels, "Directions the code is most sensitive to", 3);
    check(lesson, "cae_spectrum_most_concentrated", top_share[2] > top_share[0] && top_share[2] > top_share[1],
          "the CAE's Jacobian puts the largest share of ||J||²_F in its top 10 directions");
    lesson.say("A contractive code moves along a few directions — variations of the image's own strokes —");
    lesson.say("and hardly along the rest: the singular values after the first few are small.");
  });

  // ---- features for classification (lecture 002: DAE vs CAE) ------------------------------------
  lesson.step(fmt::format("Softmax regression on the {}-unit codes (UFLDL's cost, L-BFGS): test error", k), [&] {
    const int64_t n_cls = protocol.classifier_train < 0 ? n_train : std::min(protocol.classifier_train, n_train);
    const Tensor xc = x_train.slice(0, 0, n_cls);
    const std::vector<int> yc(y_train.begin(), y_train.begin() + n_cls);
    const int classes = int(images.classes.size());
    nn::SoftmaxOptions so;
    so.lbfgs.max_iterations = protocol.lbfgs_iterations;
    Table t{fmt::format("Test error of softmax regression on the codes ({} training images, {} L-BFGS iterations)",
                        n_cls, so.lbfgs.max_iterations),
            {"features", "test error %", "L-BFGS stop", "seconds", "Rifai et al. 2011, MNIST"}, {}};
    // Rifai et al.'s Table 1 numbers for the AE and DAE could not be checked here; 1.14% for the
    // CAE is the figure the course cites.
    const std::vector<std::string> published = {"not verified", "not verified", "1.14 (fine-tuned MLP)"};
    std::vector<double> errors;
    auto classify = [&](const std::string& name, const Tensor& ftrain, const Tensor& ftest, const std::string& paper) {
      Generator gen(options.seed + 80);
      nn::Linear clf(ftrain.shape()[1], classes, gen);
      const auto t0 = Clock::now();
      const auto report = nn::fit_softmax(clf, ftrain, yc, so);
      const double secs = seconds_since(t0);
      NoGradGuard off;
      const double err = 100.0 * (1.0 - nn::accuracy(clf(Variable(ftest)).value(), images.test.labels));
      const std::string key = metric_key(name);
      lesson.metric(key + "_test_error_percent", err, name + ": test error of softmax regression, %");
      errors.push_back(err);
      t.rows.push_back({name, fmt::format("{:.2f}", err), report.stop, fmt::format("{:.0f}", secs), paper});
    };
    classify("pixels", xc, x_test, "-");
    for (size_t i = 0; i < models.size(); ++i) {
      nn::Autoencoder& m = *models[i]->model;
      classify(m.name(), m.encode(xc), m.encode(x_test), published[i]);
    }
    lesson.table(t);
    lesson.say("data: {}. Rifai et al. (2011, Table 1) report 1.14% test error on MNIST for the CAE", images.dataset);
    lesson.say("with 1000 units, after fine-tuning an MLP initialised with the encoder; here the encoder");
    lesson.say("is frozen and only a linear classifier is trained, so the numbers are not the same protocol.");
    // errors: pixels, AE, DAE, CAE
    lesson.say("Here the CAE's codes give {:.2f}% against the AE's {:.2f}% and the DAE's {:.2f}%.", errors[3], errors[1],
               errors[2]);
    if (errors[3] > std::min(errors[1], errors[2])) {
      lesson.say("A frozen code that is flat in most directions keeps less of what a *linear* classifier");
      lesson.say("needs; fine-tuning the encoder with the labels, as Rifai et al. do, is what turns the");
      lesson.say("CAE's invariance into a better classifier.");
    }
    if (images.dataset != "mnist")
      lesson.say("The published numbers are for MNIST: run with --data /path/to/mnist to compare.");
  });

  lesson.finish();
}

}  // namespace ae::chapters
