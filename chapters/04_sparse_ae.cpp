// Chapter 4 — Sparse autoencoders  (lectures 000, 001 and 003)
//
// Chapter 3 stopped an autoencoder from copying by making its code narrow. Lectures 000, 001
// and 003 give a second way: keep as many code units as you like, but make the code *sparse*
// — penalise the activations h, not the weights (lecture 000: "regularization on output of
// encoder, not parameters"), so each input may use only a few units:
//     L(x, g(f(x))) + Ω(h)
// Two penalties Ω:
//   L1 (lectures 001, 003):  Ω(h) = λ Σ_k |h_k|                     — small activations
//   KL (lecture 003):        Ω(h) = β Σ_j KL(ρ || ρ̂_j),  ρ̂_j = (1/m) Σ_i h_j(x_i)
//                            KL(ρ || ρ̂) = ρ log(ρ/ρ̂) + (1 - ρ) log((1 - ρ)/(1 - ρ̂))
// The KL penalty treats unit j as a coin that fires with probability ρ̂_j over the data and
// pulls that rate towards a small target ρ: each unit should fire for a few inputs only
// ("neurons fire for a subset of the observations", lecture 003). It is zero at ρ̂_j = ρ.
//
// The chapter follows Stanford's UFLDL tutorial, whose sparse autoencoder exercise is the
// classic protocol: the first 10000 MNIST training images, 784-196-784 sigmoid units,
// ρ = 0.1, β = 3, weight decay λ = 3e-3 in
//     J = (1/2m) Σ_i ||x̂_i - x_i||² + (λ/2)(||W1||² + ||W2||²) + β Σ_j KL(ρ || ρ̂_j)
// minimised on all images at once by L-BFGS for 400 iterations. Its hidden units learn pen
// strokes. Back-propagation gives the KL term's gradient in closed form: the error of hidden
// unit j for input i gains
//     β (-ρ/ρ̂_j + (1 - ρ)/(1 - ρ̂_j)) · h_ij (1 - h_ij) / m
// which the chapter computes by hand and compares with what autograd finds.
//
// UFLDL's next exercise is self-taught learning: features learned without labels on the
// digits 5-9 serve a softmax classifier for the digits 0-4, which it has never seen.
//
// Run lengths: UFLDL's 400 L-BFGS iterations take many minutes on two cores (docs/chapters/
// ch04_sparse_ae.md estimates it), so the default run stops at 50; AELAB_CH4_ITERATIONS=400
// runs the published protocol.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "autograd/ops.hpp"
#include "autograd/variable.hpp"
#include "chapters/chapters.hpp"
#include "chapters/images.hpp"
#include "nn/codec.hpp"
#include "nn/histogram.hpp"
#include "nn/layers.hpp"
#include "nn/losses.hpp"
#include "nn/metrics.hpp"
#include "nn/softmax_regression.hpp"
#include "nn/sparse_autoencoder.hpp"
#include "nn/viz/filters.hpp"
#include "nn/viz/plots.hpp"
#include "tensor/ops.hpp"

namespace ae::chapters {

namespace {

// L-BFGS iterations per autoencoder: AELAB_CH4_ITERATIONS when set (400 is UFLDL's protocol),
// else a length that keeps the chapter within its time budget.
int lbfgs_iterations(bool quick) {
  if (const char* env = std::getenv("AELAB_CH4_ITERATIONS"); env != nullptr && *env != '\0') {
    char* end = nullptr;
    const long n = std::strtol(env, &end, 10);
    if (end == env || *end != '\0' || n < 1 || n > 100000)
      throw Error(fmt::format("AELAB_CH4_ITERATIONS must be a whole number from 1 to 100000, got '{}'", env));
    return int(n);
  }
  return quick ? 12 : 50;
}

struct TrainedSparseAE {
  std::shared_ptr<nn::Autoencoder> model;
  nn::SparseAeCost cost;
  nn::LbfgsReport report;
  double seconds = 0;
};

// Full-batch L-BFGS on UFLDL's cost, as its exercise trains; prints J every `every` iterations.
TrainedSparseAE train_sparse_ae(Lesson& lesson, const std::string& name, const Tensor& x, int64_t hidden,
                                const nn::SparseAeCost& cost, int iterations, uint64_t seed) {
  TrainedSparseAE out;
  Generator gen(seed);
  out.model = nn::sigmoid_autoencoder(x.shape()[1], hidden, gen, name);
  out.cost = cost;
  const int every = std::max(1, iterations / 4);
  const auto t0 = std::chrono::steady_clock::now();
  out.report = nn::fit_sparse_autoencoder(*out.model, x, cost, {.max_iterations = iterations},
                                          [&](int it, double value) {
                                            if (it % every == 0) lesson.say("{:<30} L-BFGS iteration {:4}: J = {:.5f}", name, it, value);
                                          });
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  lesson.say("{:<30} stopped after {} iterations ({}), {} evaluations of J, {:.1f} s", name,
             out.report.iterations, out.report.stop, out.report.evaluations, out.seconds);
  return out;
}

// The cost's named terms on x, without recording a graph.
nn::LossTerms cost_terms(TrainedSparseAE& t, const Tensor& x) {
  NoGradGuard no_grad;
  return nn::sparse_autoencoder_cost(*t.model, Variable(x), t.cost);
}

// Rows of the set whose label lies in [lo, hi].
std::vector<int64_t> rows_with_labels(const std::vector<int>& labels, int lo, int hi) {
  std::vector<int64_t> rows;
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] >= lo && labels[i] <= hi) rows.push_back(int64_t(i));
  return rows;
}

std::vector<int> labels_at(const std::vector<int>& labels, const std::vector<int64_t>& rows) {
  std::vector<int> out;
  out.reserve(rows.size());
  for (int64_t r : rows) out.push_back(labels[size_t(r)]);
  return out;
}

double mean_of(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0.0 : s / double(v.size());
}

// Share of all activations below `threshold`: how much of the code is (nearly) silent.
double share_below(const Tensor& h, float threshold) {
  const std::vector<float> v = h.to_vector();
  int64_t n = 0;
  for (float a : v) n += a < threshold;
  return v.empty() ? 0.0 : double(n) / double(v.size());
}

// The rows of a weight matrix as images, laid out `per_row` to a line: one figure row each.
std::vector<std::vector<viz::GrayImage>> filter_rows(const Tensor& weight, int64_t side, int64_t per_row) {
  const std::vector<float> f = viz::filters_for_display(weight, /*centre_rows=*/true).to_vector();
  const int64_t k = weight.shape()[0], d = weight.shape()[1];
  std::vector<std::vector<viz::GrayImage>> rows;
  for (int64_t r = 0; r < k; ++r) {
    if (r % per_row == 0) rows.emplace_back();
    rows.back().push_back({side, side, std::vector<float>(f.begin() + r * d, f.begin() + (r + 1) * d)});
  }
  return rows;
}

void check(Lesson& lesson, const std::string& key, bool pass, const std::string& what) {
  lesson.say("check: {} ... {}", what, pass ? "pass" : "FAIL");
  lesson.record("check_" + key, pass ? 1.0 : 0.0);
}

}  // namespace

void run_sparse_ae(const Options& options) {
  Lesson lesson(chapter_info(4), options);
  const bool quick = options.quick;
  const int iterations = lbfgs_iterations(quick);
  const bool protocol_length = iterations >= 400;

  auto images = lesson.step("Load the images (pixels in [0, 1], as the sigmoid output needs)", [&] {
    return load_chapter_images(lesson, 3000, 1000);
  });
  const Tensor& x_all = images.train.images;
  const Tensor& x_test = images.test.images;
  const int64_t d = x_all.shape()[1];
  const int64_t side = images.train.rows;
  const bool mnist = images.dataset == "mnist";

  // UFLDL's protocol: the first 10000 training images (--quick: the first 2000).
  const int64_t m = std::min<int64_t>(quick ? 2000 : 10000, x_all.shape()[0]);
  const Tensor x = x_all.slice(0, 0, m).contiguous();
  const int64_t hidden = 196;
  const nn::SparseAeCost ufldl{.penalty = nn::SparsityPenalty::KL, .rho = 0.1f, .beta = 3.0, .weight_decay = 3e-3};
  lesson.say("UFLDL's protocol: the first {} training images, {}-{}-{} sigmoid units, rho = {}, beta = {}, lambda = {}",
             m, d, hidden, d, ufldl.rho, ufldl.beta, ufldl.weight_decay);
  lesson.say("L-BFGS iterations per autoencoder: {}{}", iterations,
             protocol_length ? " (UFLDL's 400)"
                             : " — fewer than UFLDL's 400, to keep this run short; AELAB_CH4_ITERATIONS=400 runs the protocol");
  if (!protocol_length)
    lesson.note(fmt::format("L-BFGS ran {} iterations per model, not UFLDL's 400 (AELAB_CH4_ITERATIONS=400 for the protocol)",
                            iterations));
  if (!mnist)
    lesson.note("UFLDL's numbers are for MNIST; this run used " + (images.dataset.empty() ? std::string("other images") : images.dataset) +
                " (--data ../shared/data/mnist for the protocol's data)");

  // ---- the KL penalty's gradient, by hand -----------------------------------------------
  lesson.step("The KL penalty's gradient: autograd against UFLDL's closed form", [&] {
    // At the starting weights, on the first 500 images: h = σ(x W1ᵀ + b1), ρ̂ = mean_i h_i,
    //   ∂/∂z_ij [β Σ_j KL(ρ || ρ̂_j)] = (1/m) β (-ρ/ρ̂_j + (1 - ρ)/(1 - ρ̂_j)) h_ij (1 - h_ij)
    //   ∂/∂W1 = (∂/∂z)ᵀ x,   ∂/∂b1 = Σ_i ∂/∂z_i
    const int64_t n = std::min<int64_t>(500, m);
    const Tensor xb = x.slice(0, 0, n).contiguous();
    Generator gen(options.seed + 4);
    auto model = nn::sigmoid_autoencoder(d, hidden, gen);
    nn::Linear& first = nn::encoder_linear(*model);
    const float beta = float(ufldl.beta), rho = ufldl.rho;

    Variable penalty = nn::kl_sparsity(rho, nn::mean_activation((*model).encoder()(Variable(xb)))) * beta;
    penalty.backward();
    const Tensor auto_w = first.weight.grad().value().contiguous(), auto_b = first.bias.grad().value().contiguous();

    const Tensor h = tensor::sigmoid(tensor::add(tensor::matmul(xb, first.weight.value().transpose(0, 1)), first.bias.value()));
    const std::vector<double> rho_hat = nn::mean_activation(h);
    std::vector<float> delta(rho_hat.size());
    for (size_t j = 0; j < rho_hat.size(); ++j)
      delta[j] = float(beta * (-rho / rho_hat[j] + (1 - rho) / (1 - rho_hat[j])) / double(n));
    const Tensor dz = tensor::mul(tensor::mul(h, tensor::sub(tensor::scalar(1.0f), h)),
                                  tensor::from_vector(delta, {int64_t(delta.size())}));
    const Tensor hand_w = tensor::matmul(dz.transpose(0, 1), xb);
    const Tensor hand_b = tensor::sum(dz, {0});

    auto relative_gap = [](const Tensor& a, const Tensor& b) {
      const std::vector<float> va = a.to_vector(), vb = b.to_vector();
      double gap = 0, size = 0;
      for (size_t i = 0; i < va.size(); ++i) {
        gap = std::max(gap, double(std::abs(va[i] - vb[i])));
        size = std::max(size, double(std::abs(vb[i])));
      }
      return gap / size;
    };
    const double gap_w = relative_gap(auto_w, hand_w), gap_b = relative_gap(auto_b, hand_b);
    lesson.say("mean rho_hat at the start: {:.4f}; largest |dJ/dW1| {:.3e}", mean_of(rho_hat),
               double(tensor::max(tensor::abs(hand_w)).item()));
    lesson.metric("kl_gradient_gap_w1", gap_w, "max |autograd - closed form| / max |closed form|, dKL/dW1");
    lesson.metric("kl_gradient_gap_b1", gap_b, "max |autograd - closed form| / max |closed form|, dKL/db1");
    check(lesson, "kl_gradient", gap_w < 1e-4 && gap_b < 1e-4,
          "autograd's gradient of beta * sum_j KL(rho || rho_hat_j) equals the closed form (relative gap < 1e-4)");
  });

  // ---- three autoencoders of the same size -------------------------------------------------
  auto kl = lesson.step("Train UFLDL's sparse autoencoder (KL penalty) by L-BFGS on the whole set", [&] {
    return train_sparse_ae(lesson, "sparse AE (KL)", x, hidden, ufldl, iterations, options.seed + 41);
  });
  const nn::SparseAeCost no_penalty{.penalty = nn::SparsityPenalty::None, .beta = 0, .weight_decay = 0};
  auto plain = lesson.step("The same network with no penalty at all (unregularised)", [&] {
    return train_sparse_ae(lesson, "unregularised AE", x, hidden, no_penalty, iterations, options.seed + 41);
  });
  // L1 weight: at a mean activation of 0.1, Σ_j h_j is about 196 · 0.1 ≈ 20 per image, so a
  // weight of 0.1 costs about 2 per image, a sizeable share of a reconstruction term of 10-20:
  // enough to silence most units, not so much that the code gives up on the images.
  const nn::SparseAeCost l1_cost{.penalty = nn::SparsityPenalty::L1, .beta = 0.1, .weight_decay = 3e-3};
  auto l1 = lesson.step("The L1 activity penalty instead: + 0.1 (1/m) sum |h|, same weight decay", [&] {
    return train_sparse_ae(lesson, "sparse AE (L1)", x, hidden, l1_cost, iterations, options.seed + 41);
  });

  lesson.step("The cost's named terms, the code's sparsity and the test error of the three", [&] {
    Table t{"784-196-784 sigmoid autoencoders, L-BFGS (" + std::to_string(iterations) + " iterations)",
            {"model", "reconstruction", "sparsity", "weight decay", "J", "mean rho_hat", "share of h < 0.05",
             "test squared error / image"},
            {}};
    for (auto* r : {&plain, &l1, &kl}) {
      const nn::LossTerms terms = cost_terms(*r, x);
      auto term = [&](const char* name) -> std::string {
        for (const auto& lt : terms.terms())
          if (lt.name == name) return fmt::format("{:.4f}", lt.value.item());
        return "-";
      };
      const std::string key = r == &kl ? "kl" : r == &l1 ? "l1" : "plain";
      const Tensor h = r->model->encode(x);
      const double mean_rho = mean_of(nn::mean_activation(h));
      const double silent = share_below(h, 0.05f);
      const auto err = nn::reconstruction_error(*r->model, x_test);
      lesson.metric(key + "_mean_activation", mean_rho, r->model->name() + ": mean of rho_hat_j over the units");
      lesson.metric(key + "_share_below_0.05", silent, r->model->name() + ": share of activations below 0.05");
      lesson.metric(key + "_test_sse_per_image", err.sse_per_image, r->model->name() + ": test squared error per image");
      lesson.metric(key + "_cost", terms.total().item(), r->model->name() + ": J on the training images");
      t.rows.push_back({r->model->name(), term("reconstruction"), term("sparsity"), term("weight decay"),
                        fmt::format("{:.4f}", terms.total().item()), fmt::format("{:.4f}", mean_rho),
                        fmt::format("{:.3f}", silent), fmt::format("{:.3f}", err.sse_per_image)});
    }
    lesson.table(t);
  });

  lesson.step("Check: under the KL penalty the mean activation sits at rho", [&] {
    const std::vector<double> rho_hat = nn::mean_activation(kl.model->encode(x));
    const double mean_rho = mean_of(rho_hat);
    lesson.say("mean of rho_hat_j over the {} units: {:.4f} (target rho = {}); smallest {:.4f}, largest {:.4f}",
               rho_hat.size(), mean_rho, ufldl.rho, *std::min_element(rho_hat.begin(), rho_hat.end()),
               *std::max_element(rho_hat.begin(), rho_hat.end()));
    check(lesson, "mean_activation", std::abs(mean_rho - ufldl.rho) <= 0.02,
          fmt::format("mean activation {:.4f} within +-0.02 of rho = {}", mean_rho, ufldl.rho));
    // ρ̂_j unit by unit, each model's units sorted from the least to the most active.
    std::vector<viz::Series> lines;
    for (auto* r : {&plain, &l1, &kl}) {
      std::vector<double> v = nn::mean_activation(r->model->encode(x));
      std::sort(v.begin(), v.end());
      lines.push_back({r->model->name(), {}, v});
    }
    lines.push_back({fmt::format("target rho = {}", ufldl.rho), {}, std::vector<double>(size_t(hidden), ufldl.rho)});
    viz::line_plot(lesson.figure("rho_hat_per_unit.png", "Mean activation of each hidden unit, units sorted, against rho"),
                   lines, "Mean activation rho_hat_j of each hidden unit (sorted)", "hidden unit (sorted by rho_hat_j)",
                   "rho_hat_j");
  });

  lesson.step("What the hidden units look for: the rows of W1 as images", [&] {
    // UFLDL shows each unit's weights as an image (its display_network): the input that
    // excites the unit most, for a fixed norm, is proportional to that row of W1.
    const int64_t per_row = 14;
    auto sparse_rows = filter_rows(nn::encoder_linear(*kl.model).weight.value(), side, per_row);
    auto plain_rows = filter_rows(nn::encoder_linear(*plain.model).weight.value(), side, per_row);
    std::vector<std::vector<viz::GrayImage>> rows;
    const viz::GrayImage gap{side, side / 2, std::vector<float>(size_t(side * (side / 2)), 1.0f)};
    for (size_t r = 0; r < sparse_rows.size(); ++r) {
      rows.push_back(sparse_rows[r]);
      rows.back().push_back(gap);
      rows.back().insert(rows.back().end(), plain_rows[r].begin(), plain_rows[r].end());
    }
    viz::image_grid(lesson.figure("filters.png", "The 196 filters (rows of W1): sparse AE (left) and unregularised AE (right)"),
                    rows, std::vector<std::string>(rows.size(), ""),
                    "Rows of W1: left sparse (KL, rho 0.1, beta 3), right unregularised", 2);
    lesson.say("Grey is a zero weight, white positive, black negative; each filter is scaled on its own.");
    lesson.say("Each filter is the input pattern that excites its unit most.");
    if (!protocol_length) {
      lesson.say("After {} iterations many filters still look like whole {} or noise; UFLDL's pen strokes (one", iterations,
                 mnist ? "digits" : "garments");
      lesson.say("short stroke in one place per unit) come with longer training: its figure is after 400 iterations.");
    } else {
      lesson.say("UFLDL's figure, after 400 iterations on MNIST, shows pen strokes: one short stroke in one place per unit.");
    }
  });

  lesson.step("How the activations are spread: a histogram of h on the test images", [&] {
    const int bins = 20;
    std::vector<viz::Series> lines;
    const Tensor probe = x_test.slice(0, 0, std::min<int64_t>(2000, x_test.shape()[0]));
    for (auto* r : {&plain, &l1, &kl}) {
      const std::vector<float> h = r->model->encode(probe).to_vector();
      lines.push_back({r->model->name(), nn::bin_centres(bins, 0, 1), nn::histogram_shares(h, bins, 0, 1)});
    }
    viz::line_plot(lesson.figure("activation_histogram.png", "Histogram of the hidden activations on test images"),
                   lines, "Hidden activations h_j(x) on test images (20 bins)", "activation h", "share of all activations",
                   /*log_y=*/true);
    lesson.say("The unregularised code is dense: its activations spread over (0, 1) with a second peak near 1.");
    lesson.say("Both penalties move the mass to near 0 and thin out the large activations: for any one");
    lesson.say("input, most units are silent and a few speak.");
  });

  // ---- the trade-off -------------------------------------------------------------------------
  lesson.step("The price of sparsity: beta against reconstruction error and mean activation", [&] {
    // Smaller runs than the protocol (the first 2000 images, half the iterations), the same for
    // every beta, so the points compare with each other.
    const std::vector<double> betas = {0.1, 0.3, 1, 3, 10};
    const int64_t m_sweep = std::min<int64_t>(quick ? 500 : 2000, m);
    const Tensor xs = x.slice(0, 0, m_sweep).contiguous();
    const int its = std::max(5, iterations / 2);
    std::vector<double> log_beta, errors, activations;
    Table t{fmt::format("KL penalty weight beta ({} images, {} L-BFGS iterations each)", m_sweep, its),
            {"beta", "test squared error / image", "mean rho_hat", "share of h < 0.05"},
            {}};
    for (double beta : betas) {
      nn::SparseAeCost c = ufldl;
      c.beta = beta;
      auto r = train_sparse_ae(lesson, fmt::format("beta = {}", beta), xs, hidden, c, its, options.seed + 43);
      const auto err = nn::reconstruction_error(*r.model, x_test);
      const Tensor h = r.model->encode(xs);
      const double act = mean_of(nn::mean_activation(h));
      log_beta.push_back(std::log10(beta));
      errors.push_back(err.sse_per_image);
      activations.push_back(act);
      const std::string key = fmt::format("beta_{}", beta);
      lesson.record("sweep_" + key + "_test_sse_per_image", err.sse_per_image);
      lesson.record("sweep_" + key + "_mean_activation", act);
      t.rows.push_back({fmt::format("{}", beta), fmt::format("{:.3f}", err.sse_per_image), fmt::format("{:.4f}", act),
                        fmt::format("{:.3f}", share_below(h, 0.05f))});
    }
    lesson.table(t);
    viz::line_plot(lesson.figure("beta_vs_error.png", "Test reconstruction error against the KL weight beta"),
                   {{"sparse AE (KL), rho = 0.1", log_beta, errors}}, "Reconstruction error against beta",
                   "log10 beta", "test squared error per image");
    viz::line_plot(lesson.figure("beta_vs_activation.png", "Mean activation against the KL weight beta"),
                   {{"mean rho_hat_j", log_beta, activations},
                    {"target rho = 0.1", log_beta, std::vector<double>(betas.size(), ufldl.rho)}},
                   "Mean activation against beta", "log10 beta", "mean of rho_hat_j");
    lesson.say("A larger beta holds the mean activation closer to rho and costs reconstruction error:");
    lesson.say("the code can say less about each image when fewer of its units may speak.");
  });

  // ---- self-taught learning ---------------------------------------------------------------
  lesson.step("Self-taught learning: features from classes 5-9, a classifier for classes 0-4", [&] {
    // UFLDL's exercise: a 784-200-784 sparse AE (same rho, beta, lambda) on the unlabelled
    // images of classes 5-9, then softmax regression (lambda = 1e-4, by L-BFGS) on the hidden
    // activations of half of the 0-4 training images. We test on the 0-4 test images, and
    // also on the other half of the 0-4 training images as UFLDL's script does.
    const int64_t pool = quick ? x_all.shape()[0] : (protocol_length ? x_all.shape()[0] : std::min<int64_t>(10000, x_all.shape()[0]));
    const std::vector<int> pool_labels(images.train.labels.begin(), images.train.labels.begin() + pool);
    const std::vector<int64_t> unlabelled = rows_with_labels(pool_labels, 5, 9);
    const std::vector<int64_t> labelled = rows_with_labels(images.train.labels, 0, 4);
    const std::vector<int64_t> test_rows = rows_with_labels(images.test.labels, 0, 4);
    const size_t half = labelled.size() / 2;
    const std::vector<int64_t> train_rows(labelled.begin(), labelled.begin() + std::ptrdiff_t(half));
    const std::vector<int64_t> held_rows(labelled.begin() + std::ptrdiff_t(half), labelled.end());
    const Tensor x_unlabelled = tensor::index_select(x_all, 0, unlabelled);
    const Tensor x_train = tensor::index_select(x_all, 0, train_rows), x_held = tensor::index_select(x_all, 0, held_rows);
    const Tensor x_t = tensor::index_select(x_test, 0, test_rows);
    const std::vector<int> y_train = labels_at(images.train.labels, train_rows), y_held = labels_at(images.train.labels, held_rows);
    const std::vector<int> y_t = labels_at(images.test.labels, test_rows);
    lesson.say("{} unlabelled images of classes 5-9{}; softmax trained on {} images of classes 0-4, tested on {} test images and on {} held-out training images",
               unlabelled.size(), pool < x_all.shape()[0] ? fmt::format(" (from the first {} training images)", pool) : "",
               train_rows.size(), test_rows.size(), held_rows.size());

    auto stl = train_sparse_ae(lesson, "sparse AE on classes 5-9", x_unlabelled, 200, ufldl, iterations, options.seed + 47);
    const nn::SoftmaxOptions softmax{.weight_decay = 1e-4, .lbfgs = {.max_iterations = 100}};
    struct Result {
      double test, held;
    };
    auto classify = [&](const std::string& name, const std::function<Tensor(const Tensor&)>& features) {
      const Tensor f_train = features(x_train);
      Generator gen(options.seed + 48);
      nn::Linear classifier(f_train.shape()[1], 5, gen, nn::Init::XavierUniform);
      nn::fit_softmax(classifier, f_train, y_train, softmax);
      NoGradGuard no_grad;
      auto accuracy_on = [&](const Tensor& xx, const std::vector<int>& yy) {
        return nn::accuracy(classifier(Variable(features(xx))).value(), yy);
      };
      const Result r{accuracy_on(x_t, y_t), accuracy_on(x_held, y_held)};
      lesson.say("{:<36} accuracy {:.4f} on the 0-4 test images, {:.4f} on the held-out half", name, r.test, r.held);
      return r;
    };
    const Result learned = classify("softmax on the 200 learned features", [&](const Tensor& xx) { return stl.model->encode(xx); });
    const Result raw = classify("softmax on the 784 raw pixels", [](const Tensor& xx) { return xx; });
    lesson.metric("stl_accuracy_features_test", learned.test, "self-taught: softmax on learned features, 0-4 test images");
    lesson.metric("stl_accuracy_features_heldout", learned.held, "self-taught: softmax on learned features, held-out 0-4 training half");
    lesson.metric("stl_accuracy_pixels_test", raw.test, "softmax on raw pixels, 0-4 test images");
    lesson.metric("stl_accuracy_pixels_heldout", raw.held, "softmax on raw pixels, held-out 0-4 training half");
    Table t{"Self-taught learning: classes 0-4 from features learned on classes 5-9",
            {"features", "0-4 test images", "held-out half of the 0-4 training images", "published (UFLDL, MNIST)"},
            {}};
    t.rows.push_back({"sparse AE, 200 units", fmt::format("{:.4f}", learned.test), fmt::format("{:.4f}", learned.held), "about 0.98"});
    t.rows.push_back({"raw pixels", fmt::format("{:.4f}", raw.test), fmt::format("{:.4f}", raw.held), "-"});
    lesson.table(t);
    lesson.say("UFLDL, \"Exercise: Self-Taught Learning\": about 98% on MNIST digits 0-4 with 400 L-BFGS iterations{}",
               mnist && protocol_length ? "" : " (this run: other data or fewer iterations, so not the same protocol)");
    if (learned.test >= raw.test) {
      lesson.say("Features learned without labels, on other classes, serve the new classes better than the pixels:");
      lesson.say("the strokes of 5-9 are the strokes of 0-4 too.");
    } else {
      lesson.say("Here the 200 learned features lose to the 784 pixels. Self-taught learning needs the unlabelled");
      lesson.say("images to share parts with the labelled ones{}, and features that have finished training.",
                 mnist ? "" : " (sandals, shirts, sneakers, bags and boots share less with T-shirts, trousers, pullovers, dresses and coats than digits share strokes)");
    }
  });

  lesson.finish();
}

}  // namespace ae::chapters
