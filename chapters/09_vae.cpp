// Chapter 9 — The variational autoencoder  (lectures 001 and 004)
//
// Lecture 001 makes the autoencoder probabilistic: an encoder distribution p_encoder(h|x), a
// decoder distribution p_decoder(x|h) whose negative log-likelihood is the reconstruction
// error, and a prior p(h) on the codes, "equivalent to a regularizer". The variational
// autoencoder (Kingma & Welling 2014) is that model trained as a generative one: a
// Gaussian q(z|x) = N(mu(x), diag sigma^2(x)), Bernoulli pixels p(x|z) with logits from
// the decoder, the prior p(z) = N(0, I), and the evidence lower bound
//     log p(x) >= ELBO(x) = E_q[log p(x|z)] - KL(q(z|x) || N(0, I)),
//     KL = -1/2 sum_j (1 + log sigma_j^2 - mu_j^2 - sigma_j^2),
// maximised with one sample z = mu + sigma * eps (the reparameterisation: eps ~ N(0, I), so
// the gradient reaches mu and sigma). The loss -ELBO is reported in nats per example: the
// reconstruction term summed over the 784 pixels, plus the KL, averaged over the images.
//
// Lecture 004 asks how to generate a natural image: pick a code z at random and decode it —
// "in reality, people use variational autoencoders". The KL term is what makes that work:
// it pulls every q(z|x) towards N(0, I), so codes drawn from N(0, I) land where the decoder
// has learned to draw. An ordinary autoencoder's codes follow no prescribed law; the last
// step decodes random codes through both models side by side.
//
// The ELBO is a bound; the importance-weighted bound of Burda, Grosse & Salakhutdinov (2016)
//     log p(x) >= log (1/k) sum_i p(x, z_i) / q(z_i|x),   z_i ~ q(z|x),
// tightens with k, so -log p(x) estimated with k = 100 ... 5000 samples must come out below
// the negative ELBO.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "autograd/ops.hpp"
#include "chapters/chapters.hpp"
#include "chapters/images.hpp"
#include "nn/autoencoder.hpp"
#include "nn/interpolation.hpp"
#include "nn/losses.hpp"
#include "nn/optim.hpp"
#include "nn/train.hpp"
#include "nn/vae.hpp"
#include "nn/viz/plots.hpp"
#include "tensor/ops.hpp"

namespace ae::chapters {

namespace {

// How long to train. The main model follows PyTorch's VAE example (examples/vae/main.py):
// 784-400-20, ReLU, Adam 1e-3, batch 128, 10 epochs on all 60000 training images. The
// side runs (the 2-D VAE, the beta table, the plain AE) are shorter so that the chapter stays
// near a minute and a half; AELAB_CH9_PROTOCOL=long trains them for 10 epochs too and computes
// the importance-weighted bound with up to 5000 samples on 1000 test images
// (docs/chapters/ch09_vae.md gives its time). --quick takes seconds.
struct Protocol {
  int main_epochs;          ///< the 784-400-20 VAE, on every training image loaded
  int plane_epochs;         ///< the 784-400-2 VAE of the latent-plane figures
  int short_epochs;         ///< each run of the beta table and the plain AE
  int64_t short_images;     ///< training images of those short runs
  int64_t iwae_images;      ///< test images the importance-weighted bound is computed on
  std::vector<int64_t> iwae_k;
  std::string name;
};

Protocol choose_protocol(bool quick) {
  if (quick) return {3, 3, 2, 3000, 20, {1, 10, 100, 500}, "--quick"};
  if (const char* p = std::getenv("AELAB_CH9_PROTOCOL"); p != nullptr && std::string(p) == "long")
    return {10, 10, 10, 60000, 1000, {1, 10, 100, 1000, 5000}, "long (AELAB_CH9_PROTOCOL=long)"};
  return {10, 5, 2, 60000, 100, {1, 10, 100, 1000}, "default"};
}

constexpr int64_t kBatch = 128;  // PyTorch's example
constexpr float kLearningRate = 1e-3f;

struct TrainedVae {
  std::shared_ptr<nn::VAE> model;
  nn::History history;
  double seconds = 0;
};

// Adam on -ELBO (or the beta-weighted loss) in batches of 128. The test loss after every epoch
// is the plain negative ELBO (beta = 1) with its own samples, so runs with different beta
// are measured alike.
TrainedVae train_vae(Lesson& lesson, const nn::VaeOptions& sizes, const Tensor& train, const Tensor& test,
                     int epochs, float beta, uint64_t seed, const std::string& name, bool report_epochs) {
  Generator init(seed);
  TrainedVae out;
  out.model = std::make_shared<nn::VAE>(sizes, init, name);
  nn::VAE& vae = *out.model;
  Generator eps(seed + 1), eval_eps(seed + 2);
  nn::Adam adam(vae.parameters(), {.lr = kLearningRate});
  nn::FitOptions fo;
  fo.epochs = epochs;
  fo.batch_size = kBatch;
  fo.seed = seed + 3;
  fo.eval_data = nn::Dataset(test);
  fo.eval_loss = [&](const nn::Batch& b) { return nn::vae_loss(vae, b[0], eval_eps); };
  fo.label = name + ", epoch";
  fo.on_epoch_end = [&](const nn::EpochStats& e) {
    if (!report_epochs) return;
    const double rec = e.train_terms.at(0).second, kl = e.train_terms.at(1).second;
    const double test_rec = e.eval_terms.at(0).second, test_kl = e.eval_terms.at(1).second;
    lesson.say("{} epoch {:2}: train -ELBO {:7.2f} = {:7.2f} reconstruction + {:6.2f} KL | test -ELBO {:7.2f} = "
               "{:7.2f} + {:6.2f}  ({:.1f} s)",
               name, e.epoch, rec + kl, rec, kl, test_rec + test_kl, test_rec, test_kl, e.seconds);
  };
  const auto t0 = std::chrono::steady_clock::now();
  out.history = nn::fit(vae, adam, nn::Dataset(train),
                        [&](const nn::Batch& b) { return nn::vae_loss(vae, b[0], eps, beta); }, fo);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

double mean_of(const Tensor& t) {
  double s = 0;
  for (float v : t.to_vector()) s += v;
  return s / double(t.numel());
}

// The first test image of each class in class order.
std::vector<int64_t> first_of_each_class(const std::vector<int>& labels, int classes) {
  std::vector<int64_t> out;
  for (int c = 0; c < classes; ++c) {
    const auto it = std::find(labels.begin(), labels.end(), c);
    if (it != labels.end()) out.push_back(it - labels.begin());
  }
  return out;
}

std::vector<float> column(const Tensor& codes, int64_t c) { return codes.slice(1, c, c + 1).contiguous().to_vector(); }

// Rows of `per_row` consecutive images of x, for an image grid.
std::vector<Tensor> in_rows(const Tensor& x, int64_t per_row) {
  std::vector<Tensor> rows;
  for (int64_t i = 0; i + per_row <= x.shape()[0]; i += per_row) rows.push_back(x.slice(0, i, i + per_row));
  return rows;
}

std::string check(bool ok) { return ok ? "pass" : "FAIL"; }

}  // namespace

void run_vae(const Options& options) {
  Lesson lesson(chapter_info(9), options);
  const Protocol protocol = choose_protocol(options.quick);

  auto images = lesson.step("Load the images (pixels in [0, 1], read as Bernoulli probabilities)", [&] {
    auto loaded = load_chapter_images(lesson, 3000, 500);
    lesson.say("protocol: {}", protocol.name);
    return loaded;
  });
  const Tensor& x_train = images.train.images;
  const Tensor& x_test = images.test.images;
  const int64_t d = x_train.shape()[1];
  const std::string data_name = images.dataset.empty() ? "images" : images.dataset;
  lesson.note("Data: " + data_name + "; protocol: " + protocol.name + ".");
  if (options.quick) lesson.note("--quick: 3000 training images and a few epochs; the numbers are far from converged");

  // ---- the model and the bound before training --------------------------------------------
  const nn::VaeOptions sizes{.input = d, .hidden = {400}, .latent = 20};
  lesson.step("The model: encoder 784-400 to (mu, log sigma^2) in R^20, decoder 20-400-784 to logits", [&] {
    Generator gen(options.seed + 90);
    nn::VAE untrained(sizes, gen);
    lesson.say("{}: {} parameters (PyTorch's example: 652,824 for 784 pixels)", untrained.describe(),
               untrained.num_parameters());
    Generator eps(options.seed + 91);
    const double before = mean_of(nn::negative_elbo(untrained, x_test, eps));
    const double baseline = nn::pixel_mean_nll(x_train, x_test);
    lesson.metric("negative_elbo_untrained", before, "test -ELBO of the untrained VAE (nats per image)");
    lesson.metric("pixel_mean_nll", baseline,
                  "test NLL of independent pixels with the training mean image (nats per image)");
    lesson.say("An untrained decoder gives each pixel a probability near 1/2: about 784 log 2 = {:.1f} nats.",
               784 * std::log(2.0));
    lesson.say("Independent pixels with the mean image as probabilities cost {:.1f} nats: a model that", baseline);
    lesson.say("ignores z (KL = 0) can reach that much; the code has to buy everything below it.");
  });

  // ---- training ------------------------------------------------------------------------------
  auto main = lesson.step("Train the VAE: Adam 1e-3, batch 128, loss -ELBO in nats per image", [&] {
    lesson.say("{} epochs on {} images; reconstruction = -log p(x|z) summed over pixels, KL in closed form",
               protocol.main_epochs, x_train.shape()[0]);
    return train_vae(lesson, sizes, x_train, x_test, protocol.main_epochs, 1.0f, options.seed + 100, "VAE-20", true);
  });

  lesson.step("The two terms of the ELBO per epoch, and the test-set bound", [&] {
    const auto& h = main.history;
    const auto rec = h.train_term("reconstruction"), kl = h.train_term("kl");
    const auto test_rec = h.eval_term("reconstruction"), test_kl = h.eval_term("kl");
    Table t{"Negative ELBO per epoch (nats per image)",
            {"epoch", "train reconstruction", "train KL", "train -ELBO", "test reconstruction", "test KL", "test -ELBO",
             "seconds"},
            {}};
    for (size_t e = 0; e < rec.size(); ++e)
      t.rows.push_back({std::to_string(e + 1), num(rec[e], 5), num(kl[e], 4), num(rec[e] + kl[e], 5),
                        num(test_rec[e], 5), num(test_kl[e], 4), num(test_rec[e] + test_kl[e], 5),
                        fmt::format("{:.1f}", h.epochs[e].seconds)});
    lesson.table(t);
    std::vector<double> total, test_total;
    for (size_t e = 0; e < rec.size(); ++e) total.push_back(rec[e] + kl[e]), test_total.push_back(test_rec[e] + test_kl[e]);
    viz::line_plot(lesson.figure("elbo_terms.png", "The reconstruction and KL terms of the negative ELBO per epoch"),
                   {{"train reconstruction", {}, rec}, {"test reconstruction", {}, test_rec},
                    {"train KL", {}, kl}, {"test KL", {}, test_kl}, {"test -ELBO", {}, test_total}},
                   "VAE 784-400-20: the two terms of -ELBO", "epoch", "nats per image", /*log_y=*/true);

    Generator eps(options.seed + 101);
    const double test_nelbo = mean_of(nn::negative_elbo(*main.model, x_test, eps));
    const double final_kl = test_kl.back();
    lesson.metric("test_negative_elbo", test_nelbo, "test -ELBO after training (nats per image, one sample)");
    lesson.metric("test_reconstruction", test_rec.back(), "test reconstruction term after the last epoch");
    lesson.metric("test_kl", final_kl, "test KL term after the last epoch");
    lesson.metric("train_seconds_per_epoch", main.seconds / protocol.main_epochs, "VAE-20: seconds per epoch");
    const int64_t active = nn::active_units(main.model->encode(x_test));
    lesson.metric("active_units", double(active), "latent units with Var_x mu_j(x) > 0.01 (of 20)");
    lesson.say("test -ELBO {:.2f} nats per image on {}, {} of 20 latent units active", test_nelbo, data_name, active);
    if (images.dataset == "mnist")
      lesson.say("published: PyTorch's examples/vae, MNIST, 10 epochs: test loss 105.6 (Debian's PyTorch on this "
                 "machine: 105.65); ours: {:.2f} after {} epochs",
                 test_nelbo, protocol.main_epochs);
    const bool kl_ok = final_kl >= 0.0;
    lesson.say("check: KL(q || p) >= 0 on the test set: {} ({:.3f})", check(kl_ok), final_kl);
    lesson.record("check_kl_nonnegative", kl_ok ? 1 : 0);
  });

  // ---- the importance-weighted bound -------------------------------------------------------
  lesson.step("-log p(x) by importance sampling (Burda et al. 2016) on a subset of the test images", [&] {
    const int64_t n = std::min<int64_t>(protocol.iwae_images, x_test.shape()[0]);
    const Tensor subset = x_test.slice(0, 0, n);
    // The negative ELBO of the subset, averaged over 10 draws so its own sampling noise is small.
    double nelbo = 0;
    Generator eps(options.seed + 110);
    for (int r = 0; r < 10; ++r) nelbo += mean_of(nn::negative_elbo(*main.model, subset, eps)) / 10;
    lesson.metric("subset_negative_elbo", nelbo, "-ELBO on the importance-sampling subset (mean of 10 draws)");
    Table t{fmt::format("-log p(x) estimated with k samples, {} test images (nats per image)", n),
            {"k", "-L_k", "-ELBO - (-L_k)", "seconds"}, {}};
    double last = 0;
    for (int64_t k : protocol.iwae_k) {
      const auto t0 = std::chrono::steady_clock::now();
      Generator gen(options.seed + 111 + uint64_t(k));
      last = mean_of(nn::iwae_negative_log_likelihood(*main.model, subset, k, gen));
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      lesson.record(fmt::format("iwae_nll_k{}", k), last);
      t.rows.push_back({std::to_string(k), num(last, 6), num(nelbo - last, 4), fmt::format("{:.1f}", seconds)});
    }
    lesson.table(t);
    const int64_t k_max = protocol.iwae_k.back();
    lesson.metric("iwae_nll", last, fmt::format("-log p(x) estimated with k = {} (nats per image)", k_max));
    lesson.metric("iwae_k", double(k_max), "samples per image of that estimate");
    const bool below = last < nelbo;
    lesson.say("check: -log p(x) with k = {} ({:.2f}) below the negative ELBO ({:.2f}): {}", k_max, last, nelbo,
               check(below));
    lesson.record("check_iwae_below_elbo", below ? 1 : 0);
    lesson.say("k = 1 is the ELBO itself (with the KL estimated from the sample); the gap to -L_k is what");
    lesson.say("the Gaussian q(z|x) misses of the true posterior, at least.");
  });

  // ---- generation and interpolation --------------------------------------------------------
  lesson.step("Generate: decode codes drawn from the prior N(0, I)", [&] {
    Generator gen(options.seed + 120);
    const Tensor samples = main.model->sample(80, gen);
    viz::image_grid(lesson.figure("samples_prior.png", "80 images decoded from z ~ N(0, I) (pixel probabilities)"),
                    in_rows(samples, 10), std::vector<std::string>(8, ""),
                    "VAE-20: decoded samples from the prior N(0, I)", 3);
    lesson.say("each image shows the decoder's pixel probabilities sigmoid(logits) for one z ~ N(0, I)");
  });

  lesson.step("Interpolate in the latent space between test images", [&] {
    const auto idx = first_of_each_class(images.test.labels, int(images.classes.size()));
    std::vector<Tensor> rows;
    std::vector<std::string> labels;
    for (const auto& [a, b] : {std::pair<int, int>{0, 1}, {7, 9}, {2, 8}}) {
      if (size_t(a) >= idx.size() || size_t(b) >= idx.size()) continue;
      const Tensor xa = x_test.slice(0, idx[a], idx[a] + 1), xb = x_test.slice(0, idx[b], idx[b] + 1);
      rows.push_back(nn::interpolate(xa, xb, 10));
      labels.push_back("pixels");
      rows.push_back(main.model->decode(nn::interpolate(main.model->encode(xa), main.model->encode(xb), 10)));
      labels.push_back("VAE codes");
      lesson.say("{} -> {}", images.classes[size_t(a)], images.classes[size_t(b)]);
    }
    viz::image_grid(lesson.figure("interpolation.png", "Decoding (1 - a) mu(x1) + a mu(x2), against blending pixels"),
                    rows, labels, "Latent interpolation, a = 0, 1/9, ..., 1", 3);
  });

  // ---- beta ----------------------------------------------------------------------------------
  const int64_t n_short = std::min<int64_t>(protocol.short_images, x_train.shape()[0]);
  const Tensor short_train = x_train.slice(0, 0, n_short);
  lesson.step("beta-VAE: weight the KL by beta = 0.5, 1, 4 (short runs)", [&] {
    Table t{fmt::format("beta in {{0.5, 1, 4}}: {} epochs on {} images each (short runs), test set", protocol.short_epochs,
                        n_short),
            {"beta", "reconstruction", "KL", "-ELBO (beta = 1)", "active units"}, {}};
    for (float beta : {0.5f, 1.0f, 4.0f}) {
      const std::string key = beta == 0.5f ? "0.5" : beta == 1.0f ? "1" : "4";
      auto run = train_vae(lesson, sizes, short_train, x_test, protocol.short_epochs, beta, options.seed + 130,
                           "beta=" + key, false);
      const double rec = run.history.eval_term("reconstruction").back(), kl = run.history.eval_term("kl").back();
      const int64_t active = nn::active_units(run.model->encode(x_test));
      lesson.record("beta_" + key + "_reconstruction", rec);
      lesson.record("beta_" + key + "_kl", kl);
      lesson.record("beta_" + key + "_negative_elbo", rec + kl);
      t.rows.push_back({key, num(rec, 5), num(kl, 4), num(rec + kl, 5), std::to_string(active)});
    }
    lesson.table(t);
    lesson.say("A larger beta buys a smaller KL (codes closer to the prior) with a worse reconstruction;");
    lesson.say("beta = 1 is the one that optimises the bound on log p(x) itself.");
  });

  // ---- the 2-D latent plane ------------------------------------------------------------------
  auto plane = lesson.step("A VAE with a 2-D code: 784-400-2", [&] {
    const nn::VaeOptions sizes2{.input = d, .hidden = {400}, .latent = 2};
    auto run = train_vae(lesson, sizes2, x_train, x_test, protocol.plane_epochs, 1.0f, options.seed + 140, "VAE-2",
                         true);
    lesson.metric("plane_test_negative_elbo", run.history.eval_losses().back(), "VAE-2: test -ELBO (nats per image)");
    return run;
  });

  lesson.step("The 2-D latent manifold and the test set in the latent plane", [&] {
    const int64_t side = 20;
    const Tensor grid = plane.model->decode(nn::normal_quantile_grid(side));
    viz::image_grid(lesson.figure("manifold_2d.png",
                                  "Decoded codes on a 20 x 20 grid z = Phi^-1(u), u evenly spaced in (0, 1)^2"),
                    in_rows(grid, side), std::vector<std::string>(size_t(side), ""),
                    "VAE-2: the learned manifold (z1 right, z2 up)", 2);
    const Tensor mu = plane.model->encode(x_test);
    const auto xs = column(mu, 0), ys = column(mu, 1);
    viz::scatter_plot(lesson.figure("latent_2d.png", "Posterior means mu(x) of the test images, by class"), xs, ys,
                      images.test.labels, images.classes, "VAE-2: test images in the latent plane", "z1", "z2");
    lesson.say("The grid is evenly spaced in probability under the prior, so each decoded image stands");
    lesson.say("for an equal share of N(0, I); the scatter shows the classes packed into that Gaussian.");
  });

  // ---- generation, VAE against AE ------------------------------------------------------------
  lesson.step("Generation, VAE against a plain autoencoder (lecture 004)", [&] {
    Generator gen(options.seed + 150);
    auto ae = nn::mlp_autoencoder({d, 400, 20}, gen, {}, "AE 784-400-20");
    nn::Adam adam(ae->parameters(), {.lr = kLearningRate});
    nn::FitOptions fo;
    fo.epochs = protocol.short_epochs;
    fo.batch_size = kBatch;
    fo.seed = options.seed + 151;
    fo.label = "AE, epoch";
    nn::Autoencoder& m = *ae;
    nn::fit(m, adam, nn::Dataset(short_train), [&](const nn::Batch& b) {
      const Variable x = b[0];
      return nn::bce(m(x), x, nn::Reduction::Sum) * (1.0f / float(b.size()));
    }, fo);
    const Tensor codes = ae->encode(x_train.slice(0, 0, n_short));
    double spread = 0;
    for (int64_t j = 0; j < 20; ++j) {
      const auto c = column(codes, j);
      double s = 0, s2 = 0;
      for (float v : c) s += v, s2 += double(v) * v;
      spread += std::sqrt(std::max(0.0, s2 / double(c.size()) - (s / double(c.size())) * (s / double(c.size())))) / 20;
    }
    lesson.metric("ae_code_std", spread, "plain AE: mean standard deviation of a code unit (the prior's is 1)");
    Generator draw(options.seed + 152);
    const Tensor vae_samples = main.model->sample(10, draw);
    const Tensor ae_prior = ae->decode(tensor::randn({10, 20}, draw));
    const Tensor ae_fitted = ae->decode(nn::fitted_gaussian_samples(codes, 10, draw));
    viz::image_grid(lesson.figure("generation_vae_vs_ae.png", "Random codes decoded by the VAE and by a plain AE"),
                    {vae_samples, ae_prior, ae_fitted}, {"VAE, z ~ N(0, I)", "AE, z ~ N(0, I)", "AE, z ~ fitted N"},
                    "Generation: decode random codes", 3);
    lesson.say("The AE's code units spread with standard deviation {:.2f} on average, not 1, and in", spread);
    lesson.say("directions N(0, I) does not know: its decoder has only learned to draw where its own codes");
    lesson.say("fall. A Gaussian fitted to those codes helps, but the VAE's prior is where every q(z|x) was");
    lesson.say("pulled during training, so its random codes decode to clothes (or digits).");
  });

  lesson.finish();
}

}  // namespace ae::chapters
