// Chapter 5 — Denoising autoencoders  (lectures 000, 001, 002, 003 and 004)
//
// Chapter 3 ended with the overcomplete autoencoder learning to copy: g(f(x)) = x is a global
// minimum of ||x - g(f(x))||², and a copy says nothing about the data. Lectures 000 and 002
// give the denoising autoencoder's way out: corrupt the input, x̃ ~ q(x̃ | x), and still ask
// for the clean x,
//     min  L(x, g(f(x̃)))                                                    (lecture 002)
// Since the corruption is random, what is minimised is the expected loss over it (lecture
// 001; the slide writes ℓ(x̂, x̃), but the target is the clean x):
//     min  Σ_i  E_{x̃ ~ q(x̃ | x_i)} [ ||x_i - g(f(x̃))||² ]
// Training estimates that expectation by drawing a fresh x̃ for every image in every
// minibatch. The copy is no longer a solution — it would return the noise — so the model
// must learn how pixels go together ("the autoencoder cannot fully trust each feature of x
// independently so it must learn the correlations of x's features", lecture 002).
//
// Lecture 002 names the two classic corruptions: masking noise (each pixel set to 0 with
// probability v; Vincent et al., 2008) and additive Gaussian noise N(0, σ²). We add
// salt-and-pepper noise (Vincent et al., 2010) and, for lecture 004's in-painting, a missing
// square block. For squared error the best possible denoiser is the conditional mean
//     r*(x̃) = E[x | x̃],
// so r(x̃) - x̃ is a step from the corrupted point back towards where the data lie: lecture
// 003's "vector field for mapping the input data towards a lower-dimensional manifold".
// For small Gaussian noise r*(x̃) - x̃ ≈ σ² ∇ log p(x̃) (Alain & Bengio, 2014): the field
// climbs the data density.
//
// The chapter trains a plain autoencoder and one denoising autoencoder per corruption, all
// 784-256-784 with a ReLU code and a sigmoid output (Vincent et al., 2008, used a sigmoid
// code; a ReLU code learns faster in the few epochs a chapter can afford), measures how
// well each cleans noisy test images (PSNR), fills a hole (in-painting, against the mean
// image and PCA), draws the learned vector field of a 2-D toy problem, and compares the
// first-layer filters of a plain and a 50%-masking denoising autoencoder (overcomplete,
// 784-1000-784, as Vincent et al. had them).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <numeric>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "autograd/ops.hpp"
#include "chapters/chapters.hpp"
#include "chapters/images.hpp"
#include "nn/autoencoder.hpp"
#include "nn/corruption.hpp"
#include "nn/filters.hpp"
#include "nn/viz/filters.hpp"
#include "nn/losses.hpp"
#include "nn/metrics.hpp"
#include "nn/optim.hpp"
#include "nn/pca.hpp"
#include "nn/train.hpp"
#include "nn/viz/plots.hpp"
#include "nn/viz/quiver.hpp"
#include "tensor/ops.hpp"

namespace ae::chapters {

namespace {

using nn::Corruption;

struct TrainPlan {
  int epochs;
  float lr;
  int64_t batch_size = 128;
};

// A model and the corruption it was trained against (Kind::None: a plain autoencoder).
struct Denoiser {
  Corruption corruption;
  std::shared_ptr<nn::Autoencoder> model;
  double seconds = 0;
};

// Trains `model` with Adam on the squared error between its output for the corrupted input
// and the clean input. The corruption is a layer in front of the model, active in training
// only: Sequential{corruption, autoencoder} is the denoising autoencoder, and every batch of
// every epoch draws fresh noise — a Monte Carlo estimate of the expected loss over q(x̃ | x).
Denoiser train_denoiser(Lesson& lesson, std::shared_ptr<nn::Autoencoder> model, const Corruption& corruption,
                        const Tensor& train, const TrainPlan& plan, uint64_t seed) {
  Denoiser out{corruption, std::move(model)};
  nn::Sequential net;
  net.add(std::make_shared<nn::CorruptionLayer>(corruption, seed));
  net.add(out.model);
  nn::Adam adam(net.parameters(), {.lr = plan.lr});
  nn::FitOptions fo;
  fo.epochs = plan.epochs;
  fo.batch_size = plan.batch_size;
  fo.seed = seed + 1;
  fo.label = out.model->name() + ", epoch";
  // The last third of the epochs at half the step: the late, smaller steps let the minibatch
  // (and here also the corruption) noise settle.
  if (plan.epochs >= 3) fo.lr_schedule = nn::LrSchedule::multi_step({plan.epochs - plan.epochs / 3}, 0.5);
  const auto t0 = std::chrono::steady_clock::now();
  const nn::History history = nn::fit(net, adam, nn::Dataset(train), [&](const nn::Batch& b) {
    const Variable x = b[0];
    return nn::mse(net(x), x);
  }, fo);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const nn::EpochStats& last = history.epochs.back();
  lesson.say("{:<32} {} epochs, {:.1f} s: last epoch's training loss (noisy in, clean out) {:.5f}",
             out.model->name(), plan.epochs, out.seconds, last.train_loss);
  return out;
}

// Mean squared error per pixel over the pixels where mask is 1 (nn::rmse over those, squared).
double mse_inside(const Tensor& x_hat, const Tensor& x, const Tensor& mask) {
  const double r = nn::rmse(x_hat, x, tensor::add(tensor::zeros(x.shape()), mask));
  return r * r;
}

std::string check_line(bool ok, const std::string& what) { return fmt::format("check: {}  {}", ok ? "PASS" : "FAIL", what); }

}  // namespace

void run_denoising_ae(const Options& options) {
  Lesson lesson(chapter_info(5), options);
  const bool quick = options.quick;

  auto images = lesson.step("Load the images (pixels in [0, 1])", [&] {
    return load_chapter_images(lesson, 4000, 1000);
  });
  const Tensor& x_train = images.train.images;
  const Tensor& x_test = images.test.images;
  const int64_t d = x_train.shape()[1], side = images.train.rows;
  const auto one_per_class = [&] {
    std::vector<int64_t> idx;
    for (int c = 0; c < int(images.classes.size()); ++c)
      for (size_t i = 0; i < images.test.labels.size(); ++i)
        if (images.test.labels[i] == c) {
          idx.push_back(int64_t(i));
          break;
        }
    return idx;
  }();
  const Tensor shown = tensor::index_select(x_test, 0, one_per_class);

  // ---- the corruptions -------------------------------------------------------------------
  const std::vector<Corruption> table_corruptions = {Corruption::gaussian(0.1f), Corruption::gaussian(0.3f),
                                                     Corruption::gaussian(0.5f), Corruption::masking(0.25f),
                                                     Corruption::masking(0.5f)};
  const Corruption salt_pepper = Corruption::salt_and_pepper(0.2f);
  const int64_t block = 12;
  lesson.step("The corruptions q(x̃ | x): what the denoising autoencoders will be given", [&] {
    // Each is x̃ = keep ⊙ x + add (nn/corruption.hpp). The test set is corrupted once, with a
    // fixed seed, so every model is scored on the same noisy images.
    std::vector<Tensor> rows = {shown};
    std::vector<std::string> labels = {"clean"};
    Generator gen(options.seed + 500);
    for (const Corruption& c : table_corruptions) {
      const Tensor noisy = nn::corrupt(x_test, c, gen);
      const Tensor diff = tensor::sub(noisy, x_test);
      const double changed = tensor::mean(tensor::ne(diff, tensor::scalar(0.0f))).item();
      const double mse = tensor::mean(tensor::mul(diff, diff)).item();
      lesson.say("{:<22} pixels changed {:5.1f}%, MSE against the clean image {:.4f}", c.name(), 100 * changed, mse);
      rows.push_back(nn::corrupt(shown, c, gen));
      labels.push_back(c.name());
    }
    for (const Corruption& c : {salt_pepper, Corruption::block(block)}) {
      rows.push_back(nn::corrupt(shown, c, gen));
      labels.push_back(c.name());
    }
    lesson.say("Gaussian noise moves every pixel, so its MSE is σ² (0.01, 0.09, 0.25); masking zeroes");
    lesson.say("a share v of the pixels, but a pixel that was already 0 (the background) does not change.");
    viz::image_grid(lesson.figure("corruptions.png", "One test image per class under each corruption"), rows, labels,
                    "The corruptions x̃ ~ q(x̃ | x)", 2);
  });

  // ---- the models ------------------------------------------------------------------------
  // 784-256-784, a ReLU code and a sigmoid output, Adam on the squared error per pixel, batch
  // 64. Full run: all training images, 2 epochs per model (seven models in about a minute);
  // --quick: 4000 images, 4 epochs.
  const TrainPlan plan{quick ? 4 : 2, 3e-3f, 64};
  if (quick) lesson.note("--quick: 4000 training images and 4 epochs per model; the full run uses all of them");
  const int64_t hidden = 256;
  auto build = [&](const std::string& name, uint64_t seed) {
    Generator gen(seed);
    return nn::mlp_autoencoder({d, hidden}, gen,
                               {.hidden = nn::Activation::ReLU, .code = nn::Activation::ReLU,
                                .output = nn::Activation::Sigmoid},
                               name);
  };

  auto plain = lesson.step("Train a plain autoencoder 784-256-784 (ReLU code, sigmoid output): no corruption", [&] {
    auto model = build("plain AE", options.seed + 10);
    lesson.say("{} parameters; Adam, step {}, batch {}, {} epochs", model->num_parameters(), plan.lr,
               plan.batch_size, plan.epochs);
    return train_denoiser(lesson, model, Corruption(), x_train, plan, options.seed + 11);
  });

  auto daes = lesson.step("Train one denoising autoencoder per corruption: noisy input, clean target", [&] {
    std::vector<Denoiser> out;
    uint64_t seed = options.seed + 100;
    for (const Corruption& c : table_corruptions) {
      out.push_back(train_denoiser(lesson, build("DAE " + c.name(), seed), c, x_train, plan, seed + 1));
      seed += 10;
    }
    return out;
  });

  lesson.step("Denoising the test set: PSNR of the noisy input, the plain AE and the DAE", [&] {
    // PSNR = 10 log10(1 / MSE) against the clean test image, pixels in [0, 1]. For Gaussian
    // noise the noisy input's MSE is σ², so its PSNR is -20 log10 σ: 20, 10.5 and 6.0 dB.
    Table t{"Test PSNR (dB) against the clean images",
            {"corruption", "noisy input", "plain AE", "DAE", "DAE on clean input", "DAE beats both"},
            {}};
    Generator gen(options.seed + 500);
    int wins = 0;
    for (const Denoiser& dae : daes) {
      const Corruption& c = dae.corruption;
      const Tensor noisy = nn::corrupt(x_test, c, gen);
      const double p_noisy = nn::psnr(x_test, noisy);
      const double p_plain = nn::psnr(x_test, plain.model->reconstruct(noisy));
      const double p_dae = nn::psnr(x_test, dae.model->reconstruct(noisy));
      const double p_clean = nn::psnr(x_test, dae.model->reconstruct(x_test));
      const bool ok = p_dae > p_noisy && p_dae > p_plain;
      wins += ok;
      lesson.record("psnr_noisy_" + c.key(), p_noisy);
      lesson.record("psnr_plain_" + c.key(), p_plain);
      lesson.record("psnr_dae_" + c.key(), p_dae);
      lesson.record("psnr_dae_clean_input_" + c.key(), p_clean);
      lesson.record("check_dae_beats_both_" + c.key(), ok ? 1 : 0);
      t.rows.push_back({c.name(), fmt::format("{:.2f}", p_noisy), fmt::format("{:.2f}", p_plain),
                        fmt::format("{:.2f}", p_dae), fmt::format("{:.2f}", p_clean), ok ? "yes" : "NO"});
      lesson.say("{:<22} noisy {:5.2f} dB   plain AE {:5.2f} dB   DAE {:5.2f} dB", c.name(), p_noisy, p_plain, p_dae);
    }
    lesson.metric("psnr_plain_clean_input", nn::psnr(x_test, plain.model->reconstruct(x_test)),
                  "plain AE on clean test images: PSNR (dB)");
    lesson.table(t);
    const bool all = wins == int(daes.size());
    lesson.say("{}", check_line(all, fmt::format("the DAE beats the noisy input and the plain AE on {} of {} rows", wins,
                                                 daes.size())));
    lesson.metric("check_dae_beats_both", all ? 1 : 0, "1 when the DAE has the best PSNR on every row");
    lesson.say("The plain AE was never shown noise: its bottleneck removes some, the rest passes through.");
    lesson.say("On clean images (the last column, against the plain AE's) the Gaussian DAEs pay a little.");
    lesson.say("The masking DAEs pay much more: they learned on inputs with a share v of the pixels missing");
    lesson.say("and no rescaling, and a clean image, on average 1/(1 - v) times brighter, is unlike them.");
  });

  lesson.step("Noisy, plain AE, DAE and clean: one test image per class", [&] {
    std::vector<Tensor> rows;
    std::vector<std::string> labels;
    Generator gen(options.seed + 600);
    for (const Denoiser& dae : daes) {
      const Corruption& c = dae.corruption;
      if (c.key() != "gaussian_0.5" && c.key() != "masking_0.5") continue;
      const Tensor noisy = nn::corrupt(shown, c, gen);
      rows.insert(rows.end(), {noisy, plain.model->reconstruct(noisy), dae.model->reconstruct(noisy), shown});
      labels.insert(labels.end(), {c.name(), "plain AE", "DAE", "clean"});
    }
    viz::image_grid(lesson.figure("denoising.png", "Noisy test images, the plain AE's and the DAE's output, the clean image"),
                    rows, labels, "Denoising: noisy / plain AE / DAE / clean", 2);
  });

  // ---- filters ---------------------------------------------------------------------------
  // ---- filters ---------------------------------------------------------------------------
  // Vincent et al. (2008) looked at overcomplete models with sigmoid codes: with more code
  // units than pixels a plain autoencoder can get close to the identity (chapter 3), and the
  // identity needs no structure in the filters — any spanning set will do, so they stay near
  // their random start. A 50%-masking DAE cannot copy and must learn what pixels go together.
  // Full run: 20000 images, 2 epochs each; --quick: 4000 images, 4 epochs.
  auto overcomplete = lesson.step("Train 784-1000-784 sigmoid autoencoders, plain and with 50% masking", [&] {
    const Tensor subset = x_train.slice(0, 0, std::min<int64_t>(20000, x_train.shape()[0]));
    auto build_wide = [&](const std::string& name, uint64_t seed) {
      Generator gen(seed);
      return nn::mlp_autoencoder({d, 1000}, gen,
                                 {.hidden = nn::Activation::Sigmoid, .code = nn::Activation::Sigmoid,
                                  .output = nn::Activation::Sigmoid},
                                 name);
    };
    std::vector<Denoiser> out;
    out.push_back(train_denoiser(lesson, build_wide("plain AE 784-1000-784", options.seed + 200), Corruption(), subset,
                                 plan, options.seed + 201));
    out.push_back(train_denoiser(lesson, build_wide("DAE 784-1000-784, v = 0.5", options.seed + 210),
                                 Corruption::masking(0.5f), subset, plan, options.seed + 211));
    return out;
  });

  lesson.step("First-layer filters: the plain AE beside the DAE trained with 50% masking", [&] {
    const Denoiser* plain_wide = &overcomplete[0];
    const Denoiser* mask50 = &overcomplete[1];
    // Row j of the first Linear layer's weight is what hidden unit j responds to. A unit that
    // never fires never learns (a sigmoid unit always fires a little; a ReLU unit can die):
    // such units would be counted and left out.
    auto live_filters = [&](nn::Autoencoder& m, const std::string& key) {
      const Tensor w = m.encoder().at<nn::Linear>(0).weight.value();
      const auto activity = nn::mean_activation(m.encode(x_test));
      std::vector<int64_t> live;
      for (size_t j = 0; j < activity.size(); ++j)
        if (activity[j] > 0) live.push_back(int64_t(j));
      lesson.metric("dead_units_" + key, double(activity.size() - live.size()),
                    m.name() + ": code units that never fire on the test images");
      return tensor::index_select(w, 0, live);
    };
    const Tensor w_plain = live_filters(*plain_wide->model, "plain"),
                 w_dae = live_filters(*mask50->model, "dae_masking_0.5");
    auto mean_of = [](const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size()); };
    const double r_plain = mean_of(nn::filter_roughness(w_plain, side, side));
    const double r_dae = mean_of(nn::filter_roughness(w_dae, side, side));
    lesson.metric("filter_roughness_plain", r_plain, "plain AE: mean roughness of the live filters (noise: 1)");
    lesson.metric("filter_roughness_dae_masking_0.5", r_dae, "DAE, 50% masking: mean roughness of the live filters");
    const bool ok = r_dae < r_plain;
    lesson.say("{}", check_line(ok, "the DAE's filters are smoother than the plain AE's"));
    lesson.metric("check_dae_filters_smoother", ok ? 1 : 0, "1 when the DAE's filters are the smoother");
    const int64_t per_row = 12, rows_each = 3;
    std::vector<Tensor> rows;
    std::vector<std::string> labels;
    for (const auto& [w, name] : {std::pair<Tensor, std::string>{w_plain, "plain AE"}, {w_dae, "DAE, v = 0.5"}})
      for (int64_t r = 0; r < rows_each && r * per_row < w.shape()[0]; ++r) {
        rows.push_back(viz::filters_for_display(w.slice(0, r * per_row, std::min((r + 1) * per_row, w.shape()[0]))));
        labels.push_back(r == 0 ? name : "");
      }
    viz::image_grid(lesson.figure("filters.png", "36 filters of the 784-1000-784 plain AE and of the 50%-masking DAE"),
                    rows, labels, "Filters: the weights of 36 hidden units (gray = 0)", 3);
    lesson.say("Vincent et al. (2008), ICML: without corruption the filters look like noise; with 50%");
    lesson.say("masking they become detectors of strokes and edges spread over many pixels, because a");
    lesson.say("unit can no longer rely on any single pixel being there.");
  });

  // ---- in-painting -------------------------------------------------------------------------
  auto inpainter = lesson.step("In-painting (lecture 004): a DAE trained to fill a missing 12×12 block", [&] {
    return train_denoiser(lesson, build("DAE block", options.seed + 300), Corruption::block(block), x_train, plan,
                          options.seed + 301);
  });

  lesson.step("Fill a 12×12 hole in the middle of every test image: DAE, mean image, PCA", [&] {
    const int64_t top = (side - block) / 2;
    const Tensor mask = nn::block_mask(side, side, top, top, block);
    const Tensor holed = tensor::mul(x_test, tensor::sub(tensor::scalar(1.0f), mask));
    nn::PCA pca = nn::PCA::fit(x_train, 32, nn::PcaSolver::Randomized);
    const Tensor mean_fill = tensor::add(tensor::zeros(x_test.shape()), pca.mean());
    const Tensor dae_fill = inpainter.model->reconstruct(holed);
    const Tensor pca_fill = pca.reconstruct(holed);
    const Tensor plain_fill = plain.model->reconstruct(holed);
    const Tensor mask50_fill = daes.back().model->reconstruct(holed);  // masking v = 0.5
    const double e_dae = mse_inside(dae_fill, x_test, mask), e_mean = mse_inside(mean_fill, x_test, mask);
    const double e_pca = mse_inside(pca_fill, x_test, mask), e_plain = mse_inside(plain_fill, x_test, mask);
    const double e_hole = mse_inside(holed, x_test, mask), e_mask50 = mse_inside(mask50_fill, x_test, mask);
    Table t{"In-painting: MSE per pixel inside the 12×12 hole, test images", {"filled by", "MSE inside the hole"}, {}};
    for (const auto& [name, key, e] : {std::tuple<std::string, std::string, double>{"nothing (zeros)", "zeros", e_hole},
                                       {"the mean training image", "mean_image", e_mean},
                                       {"PCA k=32 projection of the holed image", "pca", e_pca},
                                       {"plain AE", "plain", e_plain},
                                       {"DAE trained with 50% masking", "dae_masking_0.5", e_mask50},
                                       {"DAE trained on random blocks", "dae", e_dae}}) {
      lesson.metric("inpaint_mse_" + key, e, "MSE inside the hole: " + name);
      t.rows.push_back({name, fmt::format("{:.5f}", e)});
    }
    lesson.table(t);
    const bool ok = e_dae < e_mean && e_dae < e_pca;
    lesson.say("{}", check_line(ok, "the DAE fills the hole better than the mean image and PCA"));
    lesson.metric("check_inpaint_dae_best", ok ? 1 : 0, "1 when the DAE's error inside the hole is the smallest");
    lesson.say("The mean image knows where clothes usually are but not this one; PCA's projection treats the");
    lesson.say("hole as black pixels and keeps much of it; the DAE learned that a hole is missing, not black.");
    lesson.say("The 50%-masking DAE fills holes too, but it only ever saw scattered ones.");

    const Tensor m_shown = tensor::index_select(holed, 0, one_per_class);
    const Tensor clean = shown;
    std::vector<Tensor> rows = {m_shown,
                                nn::fill_masked(m_shown, tensor::index_select(mean_fill, 0, one_per_class), mask),
                                nn::fill_masked(m_shown, tensor::index_select(pca_fill, 0, one_per_class), mask),
                                nn::fill_masked(m_shown, tensor::index_select(dae_fill, 0, one_per_class), mask), clean};
    viz::image_grid(lesson.figure("inpainting.png", "A 12×12 hole filled by the mean image, PCA and the DAE"), rows,
                    {"with the hole", "mean image", "PCA k=32", "DAE", "clean"},
                    "In-painting: only the hole is taken from each model", 2);
  });

  // ---- the vector field ------------------------------------------------------------------------
  lesson.step("The learned vector field r(x̃) - x̃ on a 2-D toy problem (lecture 003)", [&] {
    // Data near the unit circle: angle uniform, radius 1 + N(0, 0.03²). A 2-64-64-2 tanh
    // network is trained to map x + N(0, σ²) back to x, σ = 0.3.
    Generator gen(options.seed + 700);
    const int64_t n = 2000;
    std::vector<float> pts;
    for (int64_t i = 0; i < n; ++i) {
      const double angle = 2 * std::acos(-1.0) * gen.uniform(), radius = 1.0 + 0.03 * gen.normal();
      pts.push_back(float(radius * std::cos(angle)));
      pts.push_back(float(radius * std::sin(angle)));
    }
    const Tensor data = tensor::from_vector(pts, {n, 2});
    Generator init(options.seed + 701);
    auto model = nn::mlp_autoencoder({2, 64, 64}, init,
                                     {.hidden = nn::Activation::Tanh, .code = nn::Activation::Tanh,
                                      .output = nn::Activation::Identity},
                                     "toy DAE 2-64-64-2");
    const float sigma = 0.3f;
    const TrainPlan toy{quick ? 60 : 150, 5e-3f, 100};
    train_denoiser(lesson, model, Corruption::gaussian(sigma), data, toy, options.seed + 702);

    // Arrows from a grid of points x̃ in [-1.8, 1.8]².
    const int steps = 19;
    std::vector<float> grid;
    for (int i = 0; i < steps; ++i)
      for (int j = 0; j < steps; ++j) {
        grid.push_back(float(-1.8 + 3.6 * j / (steps - 1)));
        grid.push_back(float(-1.8 + 3.6 * i / (steps - 1)));
      }
    const Tensor xg = tensor::from_vector(grid, {int64_t(steps * steps), 2});
    const auto r = model->reconstruct(xg).to_vector();
    std::vector<viz::Arrow> arrows;
    int towards = 0, counted = 0;
    double cos_sum = 0;
    for (size_t p = 0; p < size_t(steps * steps); ++p) {
      const double x = grid[2 * p], y = grid[2 * p + 1], dx = r[2 * p] - x, dy = r[2 * p + 1] - y;
      arrows.push_back({x, y, dx, dy});
      const double rho = std::hypot(x, y), gap = std::abs(rho - 1.0);
      // Points right on the circle have nowhere to go, and at the centre every direction is
      // as near; score the others.
      if (gap < 0.2 || rho < 0.3) continue;
      ++counted;
      towards += std::abs(std::hypot(x + dx, y + dy) - 1.0) < gap;
      // The direction to the nearest point of the circle: -sign(ρ - 1) x / ρ.
      const double ux = (rho > 1 ? -x : x) / rho, uy = (rho > 1 ? -y : y) / rho;
      cos_sum += (dx * ux + dy * uy) / std::max(1e-12, std::hypot(dx, dy));
    }
    const double share = double(towards) / counted, mean_cos = cos_sum / counted;
    lesson.metric("field_share_towards_circle", share,
                  "grid points (0.2 or more off the circle) whose arrow ends nearer the circle");
    lesson.metric("field_mean_cosine", mean_cos, "mean cosine between an arrow and the way to the nearest circle point");
    const bool ok = share >= 0.9;
    lesson.say("{}", check_line(ok, fmt::format("{:.0f}% of the arrows end nearer the data (at least 90%)", 100 * share)));
    lesson.metric("check_field_points_to_data", ok ? 1 : 0, "1 when at least 90% of the arrows point back to the data");
    std::vector<float> px, py;
    for (int64_t i = 0; i < n; i += 2) px.push_back(pts[size_t(2 * i)]), py.push_back(pts[size_t(2 * i + 1)]);
    viz::quiver_plot(lesson.figure("vector_field.png", "The DAE's step r(x̃) - x̃ from points of a grid, over the data"),
                     arrows, px, py, "A denoising autoencoder's vector field (σ = 0.3)", "x1", "x2",
                     {.arrows = "r(x̃) - x̃", .points = "training data"});
    lesson.say("Outside the circle E[x | x̃] lies inside the disc, so every arrow there must point inwards;");
    lesson.say("inside, the nearest arc dominates the posterior and arrows point outwards; at the centre all");
    lesson.say("directions are alike and the arrows shrink to nothing.");
  });

  lesson.finish();
}

}  // namespace ae::chapters
