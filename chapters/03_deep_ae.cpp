// Chapter 3 — Deep autoencoders against PCA  (lectures 000, 001, 002, 003 and 004)
//
// Chapters 1 and 2 showed that PCA is the best *linear* code: with k numbers per image, no
// map x̂ = W* W x + c reconstructs better (Eckart–Young), and a linear autoencoder trained by
// gradient descent finds exactly that subspace. Lecture 000 then asks which model gives a
// nonlinear approximation — "the purpose of HW1" — and answers with a deep autoencoder:
//     h = f(x) = W3 relu(W2 relu(W1 x + b1) + b2) + b3              (784 → 512 → 256 → k)
//     x̂ = g(h) = sigmoid(V1 relu(V2 relu(V3 h + c3) + c2) + c1)    (k → 256 → 512 → 784)
// PCA's reconstructions fill a flat k-dimensional subspace; the deep decoder's fill the
// curved k-dimensional surface g(R^k), which can follow the data much more closely at the
// same k — lecture 003's "nonlinear generalization of PCA" that learns a manifold instead of
// a hyperplane. Hinton & Salakhutdinov (Science, 2006) measured it on MNIST: a 784-1000-500-250-30
// autoencoder rebuilt test digits with an average squared error of 3.00 per image against
// PCA's 13.87 with 30 components.
//
// The bottleneck is what makes this learning (lectures 000 to 003): an *undercomplete*
// autoencoder (k < d) must keep what matters about the training images. An *overcomplete*
// one (k >= d) with nothing to stop it can reach zero error by copying: the identity is a
// global minimum of ||x - g(f(x))||², and a copy works as well on noise as on clothes, so
// the code says nothing about the data.
//
// AELAB_CH3_PROTOCOL=paper makes the k = 30 model Hinton & Salakhutdinov's own,
// 784-1000-500-250-30 with logistic hidden units, a linear code and a logistic output,
// trained on all 60000 training images — without their RBM pre-training: Adam on the summed
// cross-entropy per image with a cosine-decayed step, then on the squared error, Xavier-uniform
// weights scaled by 4 for the logistic layers (train_paper_autoencoder says why). It saves its
// state after every epoch in out/ch03/paper_run.ckpt and resumes from it when started again.
//
// Lecture 002 ends with latent interpolation: decode h = (1 - α) f(x_1) + α f(x_2). For PCA
// this is the same as blending the two reconstructions pixel by pixel (its decoder is affine);
// the deep decoder walks along its surface instead.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "autograd/ops.hpp"
#include "chapters/chapters.hpp"
#include "chapters/images.hpp"
#include "linalg/error.hpp"
#include "nn/autoencoder.hpp"
#include "nn/checkpoint.hpp"
#include "nn/codec.hpp"
#include "nn/init.hpp"
#include "nn/interpolation.hpp"
#include "nn/layers.hpp"
#include "nn/losses.hpp"
#include "nn/metrics.hpp"
#include "nn/optim.hpp"
#include "nn/pca.hpp"
#include "nn/train.hpp"
#include "nn/viz/plots.hpp"
#include "tensor/ops.hpp"

namespace ae::chapters {

namespace {

struct TrainedAE {
  std::shared_ptr<nn::Autoencoder> model;
  nn::History history;
  double seconds = 0;
};

struct TrainPlan {
  int epochs;
  float lr;
  bool settle = true;  ///< smaller steps at the end (see train_autoencoder)
  int64_t batch_size = 128;
};

// Adam on the mean squared error per pixel. With plan.settle the step is halved for the last
// third of the epochs and halved again for the last sixth: the late, smaller steps let the
// minibatch noise settle, which is worth several epochs at the full step.
TrainedAE train_autoencoder(Lesson& lesson, std::shared_ptr<nn::Autoencoder> model,
                            const Tensor& train, const Tensor& test, const TrainPlan& plan,
                            uint64_t seed, const std::function<void(int)>& after_epoch = {}) {
  TrainedAE out;
  out.model = std::move(model);
  nn::Adam adam(out.model->parameters(), {.lr = plan.lr});
  nn::FitOptions fo;
  fo.epochs = plan.epochs;
  fo.batch_size = plan.batch_size;
  fo.seed = seed;
  fo.eval_data = nn::Dataset(test);
  fo.label = out.model->name() + ", epoch";
  if (plan.settle)
    fo.lr_schedule =
        nn::LrSchedule::multi_step({plan.epochs - plan.epochs / 3, plan.epochs - plan.epochs / 6}, 0.5);
  fo.on_epoch_end = [&](const nn::EpochStats& e) {
    lesson.say("{:<34} epoch {:2}: train MSE {:.5f}, test MSE {:.5f}  ({:.1f} s, {:.0f} images/s)",
               out.model->name(), e.epoch, e.train_loss, e.eval_loss, e.seconds, e.samples_per_second);
    if (after_epoch) after_epoch(e.epoch);
  };
  const auto t0 = std::chrono::steady_clock::now();
  nn::Autoencoder& m = *out.model;
  out.history = nn::fit(m, adam, nn::Dataset(train), [&](const nn::Batch& b) {
    const Variable x = b[0];
    return nn::mse(m(x), x);
  }, fo);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

// Index of the first image of class c, or -1 when there is none.
int64_t first_of_class(const std::vector<int>& labels, int c) {
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] == c) return int64_t(i);
  return -1;
}

// The first test image of each class, in class order: one of every kind in the figures.
std::vector<int64_t> one_per_class(const std::vector<int>& labels, int classes) {
  std::vector<int64_t> out;
  for (int c = 0; c < classes; ++c)
    if (const int64_t i = first_of_class(labels, c); i >= 0) out.push_back(i);
  return out;
}

std::vector<float> column(const Tensor& codes, int64_t c) {
  const Tensor col = codes.slice(1, c, c + 1).contiguous();
  return col.to_vector();
}

// Share of an input's energy that the codec's reconstruction loses, ||x - x̂||² / ||x||².
double relative_error(nn::Codec& codec, const Tensor& x) { return nn::relative_error(x, codec.reconstruct(x)); }

// The images turned by 90 degrees: (row, col) -> (col, row). Clothes, but in a pose the
// training set never shows.
Tensor transposed_images(const Tensor& x, int64_t side) {
  return x.reshape({x.shape()[0], side, side}).transpose(1, 2).contiguous().reshape({x.shape()[0], side * side});
}


// ---- the paper protocol -------------------------------------------------------------------

// AELAB_CH3_PROTOCOL: unset or empty for the chapter's own models, "paper" for Hinton &
// Salakhutdinov's architecture; anything else is an error naming the accepted value.
bool paper_protocol() {
  const char* p = std::getenv("AELAB_CH3_PROTOCOL");
  if (p == nullptr || *p == '\0') return false;
  if (std::string(p) == "paper") return true;
  throw Error(fmt::format("AELAB_CH3_PROTOCOL='{}': the one protocol is 'paper' (or leave it unset)", p));
}

// The paper protocol's recipe. Without RBM pre-training the deep logistic network has to be
// started where its units are neither saturated nor linear, and trained long with a step that
// shrinks:
//  - Xavier-uniform weights times 4 for every layer that feeds a logistic unit: Glorot and
//    Bengio (2010) derive the uniform range for tanh; the logistic function's slope at 0 is a
//    quarter of tanh's, so the same signal needs 4 times the weight. The code layer (linear)
//    keeps gain 1. Biases start at 0.
//  - the summed cross-entropy per image, the loss Hinton & Salakhutdinov fine-tune with for
//    logistic outputs: its gradient at the output is x̂ - x, not damped by the sigmoid's slope
//    as the squared error's is.
//  - Adam, step 1e-3, cosine decay to 5e-5 over the whole run, batch 128: the late small steps
//    are worth many epochs at the full step (a 100-epoch run reached 3.175, the long one is
//    in docs/chapters/ch03_deep_ae.md).
//  - a finish of a few epochs on the measure itself, the summed squared error per image, at
//    the final step 5e-5: the cross-entropy's optimum is not the squared error's (it pays
//    most for confident mistakes on pixels near 0 and 1, the squared error for mid-grey
//    ones), and after 200 epochs the test error was flat at 3.00-3.01 under the cross-entropy.
struct PaperPlan {
  int epochs;         ///< on the cross-entropy, cosine schedule
  int finish_epochs;  ///< then on the squared error, at the final step
  int64_t batch_size = 128;
  float lr = 1e-3f;
  float lr_final = 5e-5f;
};

inline constexpr float kSigmoidGain = 4.0f;   // Glorot & Bengio (2010) for the logistic function
inline constexpr double kPaperSse = 3.00;     // Hinton & Salakhutdinov (2006), Fig. 2B caption
inline constexpr double kPaperPcaSse = 13.87;

// Scales the weights of every Linear layer that a Sigmoid follows (in encoder or decoder).
void scale_sigmoid_layers(nn::Autoencoder& m, float gain) {
  for (nn::Sequential* half : {&m.encoder(), &m.decoder()})
    for (int64_t i = 0; i + 1 < half->size(); ++i)
      if (auto* lin = dynamic_cast<nn::Linear*>(&(*half)[i]);
          lin != nullptr && dynamic_cast<nn::Sigmoid*>(&(*half)[i + 1]) != nullptr)
        lin->weight.value().mul_(gain);
}

// One line per epoch of the paper run, appended as it trains, so the whole curve survives
// a resumed run: epoch, the training loss per image (cross-entropy, then squared error in the
// finish), test squared error per image, step, wall seconds and CPU seconds of the epoch.
struct PaperEpoch {
  int epoch;
  double train_loss, test_sse, lr, seconds, cpu_seconds;
};

std::vector<PaperEpoch> read_paper_log(const std::filesystem::path& file) {
  std::vector<PaperEpoch> out;
  std::ifstream in(file);
  std::string header;
  if (!std::getline(in, header)) return out;
  PaperEpoch e{};
  while (in >> e.epoch >> e.train_loss >> e.test_sse >> e.lr >> e.seconds >> e.cpu_seconds) out.push_back(e);
  return out;
}

// The paper run's files in out/ch03: its training state (.ckpt) and per-epoch log (_epochs.tsv).
// A --quick smoke run keeps its own, so that it never resumes into the real run.
std::string paper_stem(bool quick) { return quick ? "paper_run_quick" : "paper_run"; }

double cpu_seconds() { return double(std::clock()) / CLOCKS_PER_SEC; }

TrainedAE train_paper_autoencoder(Lesson& lesson, const Tensor& train, const Tensor& test, const PaperPlan& plan,
                                  uint64_t seed) {
  const int64_t d = train.shape()[1];
  Generator gen(seed);
  TrainedAE out;
  out.model = nn::mlp_autoencoder({d, 1000, 500, 250, 30}, gen,
                                  {.hidden = nn::Activation::Sigmoid,
                                   .code = nn::Activation::Identity,
                                   .output = nn::Activation::Sigmoid,
                                   .init = nn::Init::XavierUniform},
                                  "deep AE 784-1000-500-250-30 (paper)");
  scale_sigmoid_layers(*out.model, kSigmoidGain);
  nn::Autoencoder& m = *out.model;
  nn::Adam adam(m.parameters(), {.lr = plan.lr});

  const std::string stem = paper_stem(lesson.quick());
  const std::filesystem::path ckpt = lesson.dir() / (stem + ".ckpt"), log = lesson.dir() / (stem + "_epochs.tsv");
  int done = 0;
  if (std::filesystem::exists(ckpt)) {
    done = nn::load_training_state(ckpt, m, adam);
    lesson.say("resuming from {} after epoch {} of {}", ckpt.filename().string(), done, plan.epochs + plan.finish_epochs);
  } else {
    std::ofstream(log) << "epoch\ttrain_loss_per_image\ttest_sse_per_image\tlr\tseconds\tcpu_seconds\n";
  }
  lesson.say("{} parameters; Adam, batch {}: step {} cosine-decayed to {} over {} epochs on the cross-entropy, then {} "
             "epochs on the squared error at step {}; state after every epoch in {}",
             m.num_parameters(), plan.batch_size, plan.lr, plan.lr_final, plan.epochs, plan.finish_epochs, plan.lr_final,
             ckpt.string());

  const float pixels = float(d);
  nn::FitOptions fo;
  fo.epochs = plan.epochs;
  fo.first_epoch = done + 1;
  fo.batch_size = plan.batch_size;
  fo.seed = seed + 1;
  fo.eval_data = nn::Dataset(test);
  // Trained on the summed cross-entropy per image, judged by the paper's measure: the summed
  // squared error per image.
  fo.eval_loss = [&](const nn::Batch& b) { return pixels * nn::mse(m(b[0]), b[0]); };
  fo.lr_schedule = nn::LrSchedule::cosine(double(plan.lr_final) / double(plan.lr));
  fo.label = "paper AE, epoch";
  double cpu0 = cpu_seconds();
  fo.on_epoch_end = [&](const nn::EpochStats& e) {
    const double cpu = cpu_seconds() - cpu0;
    cpu0 = cpu_seconds();
    nn::save_training_state(ckpt, m, adam, e.epoch);
    std::ofstream(log, std::ios::app) << fmt::format("{}\t{:.5f}\t{:.5f}\t{:.6g}\t{:.2f}\t{:.2f}\n", e.epoch, e.train_loss,
                                                     e.eval_loss, e.learning_rate, e.seconds, cpu);
    lesson.say("paper AE epoch {:3}: train {} {:.3f}, test squared error {:.4f} per image, step {:.2e}  "
               "({:.1f} s, {:.1f} CPU-s)",
               e.epoch, e.epoch <= plan.epochs ? "cross-entropy" : "squared error", e.train_loss, e.eval_loss,
               e.learning_rate, e.seconds, cpu);
  };
  const auto t0 = std::chrono::steady_clock::now();
  if (done < plan.epochs)
    out.history = nn::fit(m, adam, nn::Dataset(train), [&](const nn::Batch& b) {
      return pixels * nn::bce(m(b[0]), b[0]);
    }, fo);
  // The finish: the same shuffles go on (first_epoch), the loss is the measure, the step stays
  // at its final value.
  if (done < plan.epochs + plan.finish_epochs) {
    adam.set_learning_rate(plan.lr_final);
    fo.epochs = plan.epochs + plan.finish_epochs;
    fo.first_epoch = std::max(done, plan.epochs) + 1;
    fo.lr_schedule = nn::LrSchedule::constant();
    const nn::History finish = nn::fit(m, adam, nn::Dataset(train), fo.eval_loss, fo);
    out.history.epochs.insert(out.history.epochs.end(), finish.epochs.begin(), finish.epochs.end());
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

// The paper run's whole curve, from its per-epoch log (it spans resumed runs): a table at
// milestones, the metrics, and a figure with the published numbers. Returns the wall seconds
// of training over all the epochs.
double report_paper_run(Lesson& lesson, const PaperPlan& plan, bool quick, bool mnist) {
  const std::vector<PaperEpoch> epochs = read_paper_log(lesson.dir() / (paper_stem(quick) + "_epochs.tsv"));
  if (epochs.empty()) return 0;
  std::vector<double> xs, ys;
  double seconds = 0, cpu = 0;
  for (const PaperEpoch& e : epochs) {
    xs.push_back(e.epoch);
    ys.push_back(e.test_sse);
    seconds += e.seconds;
    cpu += e.cpu_seconds;
  }
  Table t{"Paper protocol: test squared error per image after each listed epoch", {"epoch", "step", "train loss", "test squared error"}, {}};
  for (const PaperEpoch& e : epochs)
    if (e.epoch <= 2 || e.epoch % 25 == 0 || e.epoch == 10 || &e == &epochs.back())
      t.rows.push_back({std::to_string(e.epoch), fmt::format("{:.2e}", e.lr), fmt::format("{:.3f}", e.train_loss),
                        fmt::format("{:.4f}", e.test_sse)});
  lesson.table(t);
  const PaperEpoch& last = epochs.back();
  lesson.metric("paper_epochs_done", last.epoch, "paper protocol: epochs trained");
  lesson.metric("paper_test_sse_per_image", last.test_sse, "paper protocol: test squared error per image, last epoch");
  lesson.metric("paper_train_seconds", seconds, "paper protocol: wall seconds of training, all epochs");
  lesson.metric("paper_train_cpu_seconds", cpu, "paper protocol: CPU seconds of training and evaluation, all epochs");
  lesson.say("after epoch {} of {}: {:.4f} squared error per test image; published for MNIST (Hinton & Salakhutdinov,",
             last.epoch, plan.epochs + plan.finish_epochs, last.test_sse);
  lesson.say("Science 2006, RBM pre-training then fine-tuning): {:.2f}, PCA k = 30 {:.2f}. {}", kPaperSse, kPaperPcaSse,
             !mnist ? "This run read other images: not comparable (--data .../mnist)."
             : last.test_sse <= kPaperSse ? "Reached without pre-training."
                                          : "Not reached in this run.");
  lesson.note(fmt::format("AELAB_CH3_PROTOCOL=paper: {} of {} epochs, {:.4f} squared error per test image (published: {:.2f}); "
                          "training took {:.0f} s of wall time and {:.0f} CPU-seconds over all runs",
                          last.epoch, plan.epochs + plan.finish_epochs, last.test_sse, kPaperSse, seconds, cpu));
  viz::line_plot(lesson.figure("paper_run.png", "The paper protocol's test error per epoch, with the published numbers"),
                 {{"784-1000-500-250-30, no pre-training", xs, ys},
                  {"Hinton & Salakhutdinov 2006: 3.00", xs, std::vector<double>(xs.size(), kPaperSse)},
                  {"PCA k = 30 (paper): 13.87", xs, std::vector<double>(xs.size(), kPaperPcaSse)}},
                 "Test squared error per image", "epoch", "squared error per image", /*log_y=*/true);
  return seconds;
}

}  // namespace

void run_deep_ae(const Options& options) {
  Lesson lesson(chapter_info(3), options);
  const bool quick = options.quick;

  auto images = lesson.step("Load the images (pixels in [0, 1]; the decoder ends in a sigmoid)", [&] {
    return load_chapter_images(lesson, 5000, 1000);
  });
  const Tensor& x_train = images.train.images;
  const Tensor& x_test = images.test.images;
  const int64_t d = x_train.shape()[1];
  const int64_t side = images.train.rows;

  // ---- the baseline ----------------------------------------------------------------------
  auto pca30 = lesson.step("The baseline: PCA with k = 2 and k = 30 on the training images", [&] {
    nn::PCA p = nn::PCA::fit(x_train, 30, nn::PcaSolver::Jacobi);
    lesson.say("explained variance: {:.4f} (k = 2), {:.4f} (k = 30)", p.explained_variance_ratio(2),
               p.explained_variance_ratio(30));
    return p;
  });
  nn::PCA pca2 = pca30.truncated(2);

  // ---- the deep autoencoders -------------------------------------------------------------
  // 784-512-256-k-256-512-784 with ReLU, a linear code and a sigmoid output, trained with
  // Adam on the MSE per pixel. Full run: 60000 images; --quick: 5000 images, 4 epochs.
  const std::vector<int64_t> hidden = {512, 256};
  const TrainPlan plan30{quick ? 4 : 16, 2e-3f}, plan2{quick ? 4 : 8, 2e-3f};
  if (quick) lesson.note("--quick: 5000 training images and 4 epochs per model; the full run trains for minutes");
  auto build = [&](int64_t k, uint64_t seed) {
    Generator gen(seed);
    std::vector<int64_t> sizes = {d};
    sizes.insert(sizes.end(), hidden.begin(), hidden.end());
    sizes.push_back(k);
    return nn::mlp_autoencoder(sizes, gen, {}, fmt::format("deep AE k={}", k));
  };
  // The paper protocol: 200 epochs on every training image (--quick: 2 on the quick subset,
  // a smoke run of the same code).
  const bool paper = paper_protocol();
  const PaperPlan paper_plan{quick ? 2 : 200, quick ? 1 : 20};
  auto ae30 = lesson.step(paper ? "Train Hinton & Salakhutdinov's 784-1000-500-250-30 (logistic units, linear code), no pre-training"
                                : "Train the deep autoencoder 784-512-256-30-256-512-784 (ReLU, sigmoid output)", [&] {
    if (paper) {
      lesson.say("AELAB_CH3_PROTOCOL=paper: {} training images, {} + {} epochs", x_train.shape()[0], paper_plan.epochs,
                 paper_plan.finish_epochs);
      TrainedAE t = train_paper_autoencoder(lesson, x_train, x_test, paper_plan, options.seed + 3000);
      t.seconds = report_paper_run(lesson, paper_plan, quick, images.dataset == "mnist");
      return t;
    }
    auto model = build(30, options.seed + 30);
    lesson.say("{} parameters; Adam, step {} halved over the last third, batch {}", model->num_parameters(),
               plan30.lr, plan30.batch_size);
    return train_autoencoder(lesson, model, x_train, x_test, plan30, options.seed + 31);
  });
  auto ae2 = lesson.step("The same with a 2-number code: 784-512-256-2-256-512-784", [&] {
    return train_autoencoder(lesson, build(2, options.seed + 2), x_train, x_test, plan2, options.seed + 3);
  });

  lesson.step("Test reconstruction error: deep autoencoder against PCA at the same k", [&] {
    Table t{"Test reconstruction error", {"model", "k", "MSE per pixel", "squared error per image", "AE / PCA", "train seconds"}, {}};
    struct Row {
      nn::Codec* codec;
      int64_t k;
      std::string key;
      double seconds;
    };
    std::map<std::string, double> mse;
    for (const Row& r : {Row{&pca2, 2, "pca_k2", 0}, Row{ae2.model.get(), 2, "ae_k2", ae2.seconds},
                         Row{&pca30, 30, "pca_k30", 0}, Row{ae30.model.get(), 30, "ae_k30", ae30.seconds}}) {
      const auto err = nn::reconstruction_error(*r.codec, x_test);
      mse[r.key] = err.mse_per_pixel;
      const std::string ks = std::to_string(r.k);
      const bool is_ae = r.key.starts_with("ae");
      lesson.metric(r.key + "_test_mse", err.mse_per_pixel, r.codec->name() + ": test MSE per pixel");
      lesson.metric(r.key + "_test_sse_per_image", err.sse_per_image, r.codec->name() + ": test squared error per image");
      const double ratio = is_ae ? err.mse_per_pixel / mse["pca_k" + ks] : 1.0;
      if (is_ae) {
        lesson.metric("ae_to_pca_ratio_k" + ks, ratio, "deep AE error / PCA error, k = " + ks);
        lesson.metric(r.key + "_seconds", r.seconds, r.codec->name() + ": training seconds");
      }
      t.rows.push_back({r.codec->name(), ks, num(err.mse_per_pixel, 5), num(err.sse_per_image, 5),
                        is_ae ? fmt::format("{:.3f}", ratio) : "1", is_ae ? fmt::format("{:.0f}", r.seconds) : "-"});
    }
    lesson.table(t);
    if (images.dataset == "mnist")
      lesson.say("Hinton & Salakhutdinov (2006), MNIST, k = 30: deep AE 3.00, PCA 13.87 squared error per image");
  });

  // ---- what the codes look like ----------------------------------------------------------
  lesson.step("The 2-D codes of the test images, PCA beside the deep autoencoder", [&] {
    const Tensor z_pca = pca2.encode(x_test);
    const Tensor z_ae = ae2.model->encode(x_test);
    const auto xs_p = column(z_pca, 0), ys_p = column(z_pca, 1);
    const auto xs_a = column(z_ae, 0), ys_a = column(z_ae, 1);
    viz::scatter_plot(lesson.figure("codes_pca.png", "Test images in the 2-D code of PCA"), xs_p, ys_p,
                      images.test.labels, images.classes, "PCA, k = 2: test images", "code 1", "code 2");
    viz::scatter_plot(lesson.figure("codes_deep_ae.png", "Test images in the 2-D code of the deep autoencoder"), xs_a,
                      ys_a, images.test.labels, images.classes, "Deep autoencoder, k = 2: test images", "code 1",
                      "code 2");
    // How well the classes separate in each map, measured the same way for both: a 5-nearest-
    // neighbour vote among the codes of (up to) 10000 training images. Labels are used only
    // here, never in training.
    const int64_t n_ref = std::min<int64_t>(10000, x_train.shape()[0]);
    const Tensor ref = x_train.slice(0, 0, n_ref);
    const std::vector<int> ref_labels(images.train.labels.begin(), images.train.labels.begin() + n_ref);
    const double acc_pca = nn::knn_accuracy(pca2.encode(ref), ref_labels, z_pca, images.test.labels, 5);
    const double acc_ae = nn::knn_accuracy(ae2.model->encode(ref), ref_labels, z_ae, images.test.labels, 5);
    lesson.metric("knn_accuracy_pca_k2", acc_pca, "5-NN class accuracy in PCA's 2-D code");
    lesson.metric("knn_accuracy_ae_k2", acc_ae, "5-NN class accuracy in the deep AE's 2-D code");
  });

  lesson.step("Reconstructions of one test image per class: originals, PCA, deep AE", [&] {
    const auto idx = one_per_class(images.test.labels, int(images.classes.size()));
    const Tensor originals = tensor::index_select(x_test, 0, idx);
    viz::image_grid(lesson.figure("reconstructions.png", "One test image per class, rebuilt by PCA and by the deep AE"),
                    {originals, pca2.reconstruct(originals), ae2.model->reconstruct(originals),
                     pca30.reconstruct(originals), ae30.model->reconstruct(originals)},
                    {"original", "PCA k=2", "deep AE k=2", "PCA k=30", "deep AE k=30"},
                    "Test images rebuilt from 2 and from 30 numbers", 3);
  });

  // ---- undercomplete against overcomplete --------------------------------------------------
  // 784 → 1000 → 784 with no activation and no penalty: more code units than pixels, so
  // g(f(x)) = x is within reach and is a global minimum. Adam on the same MSE, at a constant
  // step: the walk towards the identity is slow along directions the images hardly use, and
  // a smaller step would only slow it further.
  const TrainPlan plan_over{quick ? 2 : 4, 1e-3f, /*settle=*/false};
  std::vector<double> noise_error_per_epoch, test_error_per_epoch;
  Generator noise_gen(options.seed + 1000);
  const int64_t n_probe = std::min<int64_t>(1000, x_test.shape()[0]);
  const Tensor probe_test = x_test.slice(0, 0, n_probe);
  const Tensor probe_noise = tensor::rand({n_probe, d}, noise_gen);
  auto over = lesson.step("Overcomplete: train 784-1000-784 with a linear path and no regularisation", [&] {
    Generator gen(options.seed + 1000);
    auto model = nn::mlp_autoencoder({d, 1000}, gen, {.hidden = nn::Activation::Identity,
                                                      .code = nn::Activation::Identity,
                                                      .output = nn::Activation::Identity},
                                     "overcomplete AE 784-1000-784");
    TrainedAE t = train_autoencoder(lesson, model, x_train, x_test, plan_over, options.seed + 1001, [&](int) {
      noise_error_per_epoch.push_back(relative_error(*model, probe_noise));
      test_error_per_epoch.push_back(relative_error(*model, probe_test));
      lesson.say("   share of the energy lost: test images {:.4f}, uniform noise {:.4f}", test_error_per_epoch.back(),
                 noise_error_per_epoch.back());
    });
    return t;
  });

  lesson.step("Undercomplete against overcomplete on inputs unlike the training images", [&] {
    const Tensor inverted = tensor::sub(tensor::scalar(1.0f), probe_test);
    const Tensor turned = transposed_images(probe_test, side);
    Table t{R"(Share of the input's energy lost, $\lVert x - \hat x\rVert^2 / \lVert x\rVert^2$)",
            {"input", "PCA k=30", "deep AE k=30 (undercomplete)", "784-1000-784 (overcomplete)"}, {}};
    struct Probe {
      std::string name, key;
      Tensor x;
    };
    for (const Probe& p : {Probe{"test images", "test", probe_test}, Probe{"test images turned 90°", "turned", turned},
                           Probe{"inverted test images 1 - x", "inverted", inverted},
                           Probe{"uniform noise", "noise", probe_noise}}) {
      const double e_pca = relative_error(pca30, p.x);
      const double e_under = relative_error(*ae30.model, p.x);
      const double e_over = relative_error(*over.model, p.x);
      lesson.metric("undercomplete_relerr_" + p.key, e_under, "deep AE k=30, energy lost: " + p.name);
      lesson.metric("overcomplete_relerr_" + p.key, e_over, "784-1000-784, energy lost: " + p.name);
      t.rows.push_back({p.name, fmt::format("{:.4f}", e_pca), fmt::format("{:.4f}", e_under), fmt::format("{:.4f}", e_over)});
    }
    lesson.table(t);
    const auto over_err = nn::reconstruction_error(*over.model, x_test);
    lesson.metric("overcomplete_test_mse", over_err.mse_per_pixel, "784-1000-784: test MSE per pixel");
    lesson.say("The overcomplete model rebuilds the test images, the same images in poses it never saw");
    lesson.say("and most of a noise image, and its errors keep falling with training: it is learning to");
    lesson.say("copy, and a copy says nothing about the data. The undercomplete one can only produce");
    lesson.say("what its 30 numbers describe, so inputs unlike the training images come back as");
    lesson.say("something like the training images.");
    // Gradient descent teaches the copy only along directions the training images vary in: a
    // pixel that is the same in every training image never changes the loss, so the model is
    // never asked to pass it through, and whatever an input puts there is lost.
    const Tensor spread = tensor::sub(tensor::max(x_train, {0}), tensor::neg(tensor::max(tensor::neg(x_train), {0})));
    int64_t constant_pixels = 0;
    for (float v : spread.to_vector()) constant_pixels += v == 0.0f;
    lesson.metric("constant_training_pixels", double(constant_pixels), "pixels that never vary in the training images");
    if (constant_pixels > 0) {
      lesson.say("{} pixels never vary in the training images: along them the copy is never learned and", constant_pixels);
      lesson.say("what an input puts there is lost; pixels that hardly vary are learned slowly.");
    } else {
      lesson.say("Every pixel varies in the training images, but many directions hardly do: along those");
      lesson.say("the copy is learned slowly, and that is most of what noise still loses.");
    }

    const int64_t shown = 8;
    std::vector<Tensor> rows;
    std::vector<std::string> labels;
    for (const auto& [name, x] : {std::pair<std::string, Tensor>{"noise", probe_noise.slice(0, 0, shown)},
                                  {"turned", turned.slice(0, 0, shown)}}) {
      rows.push_back(x);
      labels.push_back(name + ": input");
      rows.push_back(over.model->reconstruct(x));
      labels.push_back("overcomplete");
      rows.push_back(ae30.model->reconstruct(x));
      labels.push_back("undercomplete");
    }
    viz::image_grid(lesson.figure("overcomplete_copies.png",
                                  "Noise and turned images through the overcomplete and the undercomplete AE"),
                    rows, labels, "Overcomplete copies anything; undercomplete keeps only what it learned", 3);
    viz::line_plot(lesson.figure("overcomplete_training.png", "The overcomplete AE approaches the identity as it trains"),
                   {{"overcomplete: test images", {}, test_error_per_epoch},
                    {"overcomplete: uniform noise", {}, noise_error_per_epoch},
                    {"undercomplete k=30: test images", {},
                     std::vector<double>(test_error_per_epoch.size(), relative_error(*ae30.model, probe_test))},
                    {"undercomplete k=30: uniform noise", {},
                     std::vector<double>(noise_error_per_epoch.size(), relative_error(*ae30.model, probe_noise))}},
                   "Energy lost after each epoch of the overcomplete AE", "epoch",
                   "||x - x̂||² / ||x||²", /*log_y=*/true);
  });

  // ---- latent interpolation ---------------------------------------------------------------
  lesson.step("Latent interpolation between two test images (lecture 002)", [&] {
    const int steps = 9;
    // Two pairs of different classes: class 0 → class 1 and class 7 → class 9 (on
    // Fashion-MNIST T-shirt/top → Trouser and Sneaker → Ankle boot).
    std::vector<Tensor> rows;
    std::vector<std::string> labels;
    for (const auto& [a, b] : {std::pair<int, int>{0, 1}, {7, 9}}) {
      const int64_t ia = first_of_class(images.test.labels, a), ib = first_of_class(images.test.labels, b);
      if (ia < 0 || ib < 0) continue;
      const Tensor xa = x_test.slice(0, ia, ia + 1), xb = x_test.slice(0, ib, ib + 1);
      rows.push_back(nn::interpolate(xa, xb, steps));
      labels.push_back("pixels");
      rows.push_back(pca30.decode(nn::interpolate(pca30.encode(xa), pca30.encode(xb), steps)));
      labels.push_back("PCA codes");
      rows.push_back(ae30.model->decode(nn::interpolate(ae30.model->encode(xa), ae30.model->encode(xb), steps)));
      labels.push_back("deep AE codes");
      lesson.say("{} → {}", images.classes[size_t(a)], images.classes[size_t(b)]);
    }
    viz::image_grid(lesson.figure("interpolation.png",
                                  "Decoding (1 - α) h1 + α h2 for α = 0 ... 1, against blending the pixels"),
                    rows, labels, "Interpolation, α = 0, 1/8, ..., 1 (k = 30)", 3);
    lesson.say("Pixel blending fades one image out while the other fades in: two ghosts at α = 1/2.");
    lesson.say("PCA codes do exactly the same to the two reconstructions, because decode is affine.");
    if (images.dataset == "fashion-mnist") {
      lesson.say("The deep decoder stays on its own surface: between a sneaker and an ankle boot it");
      lesson.say("draws single shoes whose shaft grows; between a T-shirt and a trouser, where no");
      lesson.say("garment lies in between, it switches within a few steps through mixed shapes.");
    } else {
      lesson.say("The deep decoder stays on its own surface: its in-between images are single shapes");
      lesson.say("it has learned to draw, where no such shape exists it switches within a few steps.");
    }
  });

  lesson.finish();
}

}  // namespace ae::chapters
