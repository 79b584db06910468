// Chapter 7 — Stacked autoencoders: greedy pre-training, a classifier, fine-tuning  (lectures 000 and 002)
//
// Lecture 000 draws deep-network pre-training in four pictures: "greedy layer-wise
// pre-training for W1", "... for W2", "... for W3", then "fine-tune by backpropagation".
// Lecture 002 says the same of the stacked AE: train each AE layer one after the other,
// then connect any classifier — the deep model's W are "not randomly initialized but rather
// smartly selected", and the unsupervised phase can use a larger unlabelled data set.
//
// Greedy: autoencoder 1 learns h1 = sigmoid(W1 x + b1) by rebuilding the images x; it is
// frozen, and autoencoder 2 learns h2 = sigmoid(W2 h1 + b2) by rebuilding h1. A softmax
// layer p(y | x) = softmax(Ws h2 + bs) is trained on h2 alone, and finally the three layers
// are trained together as one network on the labels (fine-tuning): every W moves.
//
// The layer cost is UFLDL's sparse autoencoder (nn/stacked.hpp, sparse_autoencoder_cost),
//   J = (1/2m) Σ ||x̂ - x||² + (λ/2)(||W||² + ||W'||²) + β Σ_j KL(ρ || ρ̂_j)
// with ρ = 0.1, β = 3, λ = 3e-3, minimised by L-BFGS; the classifier's and the fine-tuning
// cost is the softmax cross-entropy with weight decay 1e-4 on the softmax weights. That is
// UFLDL's "Exercise: Implement deep networks for digit classification" (MNIST, 784-200-200-10,
// 400 L-BFGS iterations per stage), which reports 87.7% test accuracy before fine-tuning and
// 97.6% after.
//
// The second half swaps the sparse layer for the denoising one (Vincent et al., "Stacked
// denoising autoencoders", JMLR 2010; the Theano deep-learning tutorial's SdA: three hidden
// layers of 1000 sigmoid units, masking noise 0.1 / 0.2 / 0.3, then supervised fine-tuning
// with early stopping on a validation split; about 1.3% test error on MNIST), and the last
// step asks why pre-train at all: with only 100 or 1000 labelled images, a network that
// starts from the pre-trained W against the same network from a random start.
//
// How long: the default run is a reduced version (fewer images, fewer iterations, a small
// SdA) that takes about a minute and a half. The published protocols run with
//   AELAB_CH7_PROTOCOL=ufldl   (or sda, or all)   aelab run 7 --data ../shared/data/mnist
// (docs/chapters/ch07_stacked_ae.md gives their times).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "chapters/chapters.hpp"
#include "chapters/images.hpp"
#include "nn/metrics.hpp"
#include "nn/softmax_regression.hpp"
#include "nn/stacked.hpp"
#include "nn/viz/filters.hpp"
#include "nn/viz/heatmap.hpp"
#include "nn/viz/plots.hpp"
#include "tensor/ops.hpp"

namespace ae::chapters {

namespace {

// How much of each published protocol a run does. UFLDL and the SdA tutorial train on MNIST's
// training images; their numbers are printed beside ours only when this run is their protocol.
struct Protocol {
  std::string name;
  bool ufldl_published = false;  ///< the UFLDL stage runs UFLDL's protocol
  bool sda_published = false;    ///< the SdA stage runs the tutorial's protocol
  // UFLDL stacked sparse autoencoder
  int64_t train_images = 0;  ///< pre-training and the supervised stages (0: all)
  std::vector<int64_t> hidden;
  int ae_iterations = 0, softmax_iterations = 0, finetune_iterations = 0;
  // Stacked denoising autoencoder
  int64_t sda_train = 0, sda_validation = 0;
  std::vector<int64_t> sda_hidden;
  int sda_pretrain_epochs = 0, sda_max_epochs = 0, sda_patience = 0;
  // Few labels
  std::vector<int64_t> label_counts = {100, 1000};
  int few_label_seeds = 3;
  int few_label_iterations = 0;
};

Protocol choose_protocol(bool quick, Lesson& lesson) {
  const char* env = std::getenv("AELAB_CH7_PROTOCOL");
  const std::string which = env ? env : "";
  if (!which.empty() && which != "ufldl" && which != "sda" && which != "all")
    throw Error("AELAB_CH7_PROTOCOL must be ufldl, sda or all, got '" + which + "'");
  Protocol p;
  if (quick) {
    p = {.name = "--quick", .train_images = 1000, .hidden = {100, 100}, .ae_iterations = 30, .softmax_iterations = 100,
         .finetune_iterations = 30, .sda_train = 1500, .sda_validation = 500, .sda_hidden = {100, 100, 100},
         .sda_pretrain_epochs = 2, .sda_max_epochs = 8, .sda_patience = 3, .few_label_iterations = 25};
  } else {
    p = {.name = "reduced (default)", .train_images = 5000, .hidden = {200, 200}, .ae_iterations = 60,
         .softmax_iterations = 400, .finetune_iterations = 60, .sda_train = 5000, .sda_validation = 1000,
         .sda_hidden = {256, 256, 256}, .sda_pretrain_epochs = 3, .sda_max_epochs = 15, .sda_patience = 4,
         .few_label_iterations = 50};
  }
  if (which == "ufldl" || which == "all") {
    p.ufldl_published = true;
    p.train_images = 0;
    p.hidden = {200, 200};
    p.ae_iterations = p.softmax_iterations = p.finetune_iterations = 400;
    p.few_label_iterations = 400;
  }
  if (which == "sda" || which == "all") {
    p.sda_published = true;
    p.sda_train = 50000;  // the tutorial's split of MNIST's 60000: 50000 train, 10000 validation
    p.sda_validation = 10000;
    p.sda_hidden = {1000, 1000, 1000};
    p.sda_pretrain_epochs = 15;
    p.sda_max_epochs = 1000;
    p.sda_patience = 20;
  }
  if (!which.empty()) p.name = "AELAB_CH7_PROTOCOL=" + which;
  lesson.say("protocol: {}", p.name);
  return p;
}

// The first n rows (all when n is 0 or more than there are).
Tensor first_rows(const Tensor& x, int64_t n) {
  return (n <= 0 || n >= x.shape()[0]) ? x : x.slice(0, 0, n).contiguous();
}
std::vector<int> first_labels(const std::vector<int>& labels, int64_t n) {
  return (n <= 0 || n >= int64_t(labels.size())) ? labels : std::vector<int>(labels.begin(), labels.begin() + n);
}

// n labelled examples drawn without replacement by the seed, as row indices.
std::vector<int64_t> labelled_subset(int64_t available, int64_t n, uint64_t seed) {
  std::vector<int64_t> idx(static_cast<size_t>(available));
  std::iota(idx.begin(), idx.end(), int64_t{0});
  Generator gen(seed);
  for (int64_t i = 0; i < n; ++i) std::swap(idx[size_t(i)], idx[size_t(i + int64_t(gen.below(uint64_t(available - i))))]);
  idx.resize(static_cast<size_t>(n));
  return idx;
}

std::string percent(double share) { return fmt::format("{:.2f}%", 100 * share); }

double mean(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size()); }

// UFLDL's starting point for a sigmoid layer with no pre-training: U(-r, r), r = sqrt(6 / (in + out + 1)).
std::shared_ptr<nn::Linear> random_sigmoid_layer(int64_t in, int64_t out, Generator& gen) {
  auto l = std::make_shared<nn::Linear>(in, out, gen, nn::Init::XavierUniform);
  const float r = static_cast<float>(std::sqrt(6.0 / double(in + out + 1)));
  nn::uniform_(l->weight.value(), gen, -r, r);
  return l;
}

}  // namespace

void run_stacked_ae(const Options& options) {
  Lesson lesson(chapter_info(7), options);
  const bool quick = options.quick;

  const Protocol protocol = choose_protocol(quick, lesson);
  auto images = lesson.step("Load the images (pixels in [0, 1], as the sigmoid output units need)", [&] {
    return load_chapter_images(lesson, 2000, 1000);
  });
  const bool mnist = images.dataset == "mnist";
  if (!mnist) {
    lesson.say("UFLDL's and the SdA tutorial's numbers are for MNIST; with {} they are not comparable",
               images.dataset.empty() ? "these images" : images.dataset);
    lesson.say("(run with --data ../shared/data/mnist for the published protocol's data).");
  }
  lesson.note("data: " + (images.dataset.empty() ? std::string("unnamed image set") : images.dataset) +
              "; protocol: " + protocol.name);
  const Tensor x_train = first_rows(images.train.images, protocol.train_images);
  const std::vector<int> y_train = first_labels(images.train.labels, protocol.train_images);
  const Tensor& x_test = images.test.images;
  const std::vector<int>& y_test = images.test.labels;
  const int64_t d = x_train.shape()[1];
  const int64_t classes = int64_t(images.classes.size());
  lesson.say("the stacked sparse autoencoder learns from {} training images; tests on {}", x_train.shape()[0],
             x_test.shape()[0]);

  // ---- greedy layer-wise pre-training (UFLDL) ------------------------------------------------
  nn::SparseAutoencoderOptions sparse;  // ρ = 0.1, β = 3, λ = 3e-3
  Generator init_gen(options.seed + 7);
  auto log_every = [&](const std::string& who, int total) {
    const int every = std::max(1, total / 5);
    return [&lesson, who, every](int it, double value) {
      if (it % every == 0) lesson.say("{} L-BFGS iteration {:3}: J = {:.5f}", who, it, value);
    };
  };
  auto pretrain_layer = [&](const Tensor& input, int64_t hidden, const std::string& who) {
    sparse.lbfgs.max_iterations = protocol.ae_iterations;
    const auto t0 = std::chrono::steady_clock::now();
    nn::SparseAutoencoderFit fit =
        nn::train_sparse_autoencoder(input, hidden, init_gen, sparse, log_every(who, protocol.ae_iterations));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const nn::LossTerms terms = nn::sparse_autoencoder_cost(*fit.layer.encoder,
                                                            dynamic_cast<nn::Linear&>(*fit.layer.decoder),
                                                            Variable(input), sparse);
    const std::vector<double> rho_hat = nn::mean_activation(fit.layer.encode(input));
    lesson.say("{}: J = {:.5f} = reconstruction {:.5f} + weight decay {:.5f} + sparsity {:.5f}", who,
               fit.report.value, terms["reconstruction"].item(), terms["weight decay"].item(),
               terms["sparsity"].item());
    lesson.say("{}: {} iterations ({}), {:.0f} s; mean activation of the hidden units {:.3f} (target ρ = 0.1)", who,
               fit.report.iterations, fit.report.stop, seconds, mean(rho_hat));
    return std::pair{fit.layer, mean(rho_hat)};
  };

  const std::string sizes = fmt::format("{}-{}-{}-{}", d, protocol.hidden[0], protocol.hidden[1], classes);
  auto [ae1, rho1] = lesson.step("Pre-train autoencoder 1 on the images: sparse AE, L-BFGS", [&] {
    lesson.say("the stack will be {}; AE 1 is {}-{}-{}, ρ = 0.1, β = 3, λ = 3e-3, {} iterations", sizes, d,
               protocol.hidden[0], d, protocol.ae_iterations);
    return pretrain_layer(x_train, protocol.hidden[0], "AE 1");
  });
  lesson.metric("ae1_mean_activation", rho1, "AE 1: mean hidden activation over the training images (ρ = 0.1)");
  const Tensor h1_train = ae1.encode(x_train);

  auto [ae2, rho2] = lesson.step("Freeze AE 1; pre-train autoencoder 2 on AE 1's codes", [&] {
    lesson.say("AE 2 is {}-{}-{}: its data are h1 = sigmoid(W1 x + b1), computed once; W1 no longer changes",
               protocol.hidden[0], protocol.hidden[1], protocol.hidden[0]);
    return pretrain_layer(h1_train, protocol.hidden[1], "AE 2");
  });
  lesson.metric("ae2_mean_activation", rho2, "AE 2: mean hidden activation over AE 1's codes (ρ = 0.1)");

  std::vector<nn::AutoencoderLayer> pretrained = {ae1, ae2};
  Generator softmax_gen(options.seed + 70);
  const auto stack = nn::StackedClassifier::from_layers(pretrained, classes, softmax_gen);
  const std::shared_ptr<nn::StackedClassifier> pretrained_only = stack->clone();  // for the few-label step

  const double acc_before = lesson.step("Freeze both; train a softmax classifier on AE 2's codes", [&] {
    const Tensor h2_train = ae2.encode(h1_train);
    nn::SoftmaxOptions so;  // weight decay 1e-4
    so.lbfgs.max_iterations = protocol.softmax_iterations;
    const auto report = nn::fit_softmax(stack->softmax(), h2_train, y_train, so);
    lesson.metric("softmax_train_cost", report.value, "softmax on frozen features: training cost J");
    const double acc = nn::accuracy(stack->predict(x_test), y_test);
    lesson.metric("accuracy_before_finetuning", acc, "test accuracy, pre-trained features + softmax");
    lesson.say("test accuracy before fine-tuning: {}   (UFLDL, MNIST, 400 iterations per stage: 87.7%)", percent(acc));
    return acc;
  });

  const nn::ConfusionMatrix confusion = lesson.step("Fine-tune the whole stack by backpropagation (L-BFGS)", [&] {
    nn::FineTuneOptions fo;  // weight decay 1e-4 on the softmax weights, as UFLDL's stackedAECost
    fo.lbfgs.max_iterations = protocol.finetune_iterations;
    const auto t0 = std::chrono::steady_clock::now();
    const auto report = nn::fine_tune_lbfgs(*stack, x_train, y_train, fo,
                                            log_every("fine-tuning", protocol.finetune_iterations));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    lesson.say("{} iterations ({}), {:.0f} s; the cost starts where the softmax stage ended, at the same J",
               report.iterations, report.stop, seconds);
    lesson.metric("finetune_train_cost", report.value, "after fine-tuning: training cost J");
    const std::vector<int> predicted = stack->predict(x_test);
    const double acc = nn::accuracy(predicted, y_test);
    lesson.metric("accuracy_after_finetuning", acc, "test accuracy after fine-tuning the stack");
    lesson.say("test accuracy after fine-tuning:  {}   (UFLDL, MNIST: 97.6%)", percent(acc));
    Table t{"Stacked sparse autoencoder " + sizes + " on " + (mnist ? "MNIST" : images.dataset),
            {"stage", "ours: test accuracy", "UFLDL (MNIST, 400 iterations per stage)"}, {}};
    t.rows.push_back({"pre-trained features + softmax", percent(acc_before), "87.7%"});
    t.rows.push_back({"after fine-tuning", percent(acc), "97.6% (goal here: >= 98.0%)"});
    lesson.table(t);
    const bool helps = acc_before < acc;
    lesson.say("check: fine-tuning raises the test accuracy ({} -> {}): {}", percent(acc_before), percent(acc),
               helps ? "PASS" : "FAIL");
    lesson.record("check_finetuning_helps", helps ? 1 : 0);
    if (protocol.ufldl_published && mnist) {
      const bool pass = acc >= 0.98;
      lesson.say("check: UFLDL protocol on MNIST, accuracy after fine-tuning >= 98.0%: {}", pass ? "PASS" : "FAIL");
      lesson.record("check_ufldl_98", pass ? 1 : 0);
    } else {
      lesson.say("check: >= 98.0% after fine-tuning needs UFLDL's protocol on MNIST (AELAB_CH7_PROTOCOL=ufldl");
      lesson.say("       --data .../mnist); not checked on this run");
    }
    return nn::confusion_matrix(predicted, y_test, int(classes));
  });

  lesson.step("What the layers learned: first-layer features and second-layer features", [&] {
    const int64_t shown = std::min<int64_t>(100, protocol.hidden[0]);
    // Row j of W1 is the image that drives unit j of layer 1 hardest (for a fixed norm).
    const Tensor w1 = stack->encoders()[0]->weight.value();
    const Tensor w2 = stack->encoders()[1]->weight.value();
    auto rows_of = [&](const Tensor& filters, int64_t n) {
      std::vector<Tensor> rows;
      for (int64_t r = 0; r < n; r += 10) rows.push_back(filters.slice(0, r, std::min(n, r + 10)));
      return rows;
    };
    const Tensor first = viz::filters_for_display(w1.slice(0, 0, shown).contiguous());
    viz::image_grid(lesson.figure("features_layer1.png", "Layer 1: the rows of W1 after fine-tuning"),
                    rows_of(first, shown), {}, "Layer-1 features (rows of W1; gray = 0)", 2);
    // Layer 2 reads layer 1, so a layer-2 unit is best seen through the first layer: row j of
    // W2 W1 weighs every layer-1 filter by how strongly unit j reads it.
    const Tensor composed = nn::composed_filters({w1, w2});
    const int64_t shown2 = std::min<int64_t>(50, protocol.hidden[1]);
    viz::image_grid(lesson.figure("features_layer2.png", "Layer 2: rows of W2 W1, layer-1 filters weighted by W2"),
                    rows_of(viz::filters_for_display(composed.slice(0, 0, shown2).contiguous()), shown2), {},
                    "Layer-2 features (rows of W2 W1; gray = 0)", 2);
    if (mnist)
      lesson.say("layer 1: pen strokes and parts of digits; layer 2 adds and subtracts many of them.");
    else
      lesson.say("layer 1: edges and silhouettes of garments and shoes; layer 2 adds and subtracts many of them.");
    lesson.say("(W2 W1 ignores the sigmoid between the layers: it is the linear view of what a layer-2 unit");
    lesson.say("responds to, as UFLDL draws it.)");
  });

  lesson.step("The confusion matrix of the fine-tuned network on the test images", [&] {
    viz::confusion_heatmap(lesson.figure("confusion.png", "Confusion matrix after fine-tuning (test set)"),
                           confusion.counts, confusion.classes, images.classes,
                           "After fine-tuning: true class against predicted");
    // The pair of classes most often confused, off the diagonal.
    int worst_t = 0, worst_p = 1;
    for (int t = 0; t < confusion.classes; ++t)
      for (int p = 0; p < confusion.classes; ++p)
        if (t != p && confusion(t, p) > confusion(worst_t, worst_p)) worst_t = t, worst_p = p;
    lesson.say("most frequent mistake: {} taken for {} ({} times)", images.classes[size_t(worst_t)],
               images.classes[size_t(worst_p)], confusion(worst_t, worst_p));
    lesson.metric("confusion_accuracy", confusion.accuracy(), "accuracy read off the confusion matrix's diagonal");
  });

  // ---- why pre-train: few labels -------------------------------------------------------------
  lesson.step("Few labels: pre-trained against randomly initialised networks of the same shape", [&] {
    // Pre-training saw all the training images without their labels; now only n of the labels
    // are known. Both networks get the same procedure — softmax on the top code, then L-BFGS
    // fine-tuning of everything on the n labelled images — and differ only in where W1, W2 start.
    // With so few images an L-BFGS step costs more in its two-loop recursion than in the
    // gradient, so these runs keep 20 pairs (s, y) instead of UFLDL's 100.
    Table t{"Test accuracy with few labels (" + sizes + ", " + std::to_string(protocol.few_label_iterations) +
                " fine-tuning iterations)",
            {"labelled images", "seed", "pre-trained", "random init", "difference"}, {}};
    std::vector<viz::Series> series = {{"pre-trained, then fine-tuned", {}, {}}, {"random init, then fine-tuned", {}, {}}};
    for (const int64_t n : protocol.label_counts) {
      if (n > x_train.shape()[0]) continue;
      std::vector<double> acc_pre, acc_rand;
      for (int s = 0; s < protocol.few_label_seeds; ++s) {
        const uint64_t seed = options.seed + 100 * uint64_t(n) + uint64_t(s);
        const auto idx = labelled_subset(x_train.shape()[0], n, seed);
        const Tensor xl = tensor::index_select(x_train, 0, idx);
        std::vector<int> yl;
        for (int64_t i : idx) yl.push_back(y_train[size_t(i)]);
        Generator gen(seed);
        auto pre = pretrained_only->clone();
        auto rnd = std::make_shared<nn::StackedClassifier>(
            std::vector<std::shared_ptr<nn::Linear>>{random_sigmoid_layer(d, protocol.hidden[0], gen),
                                                     random_sigmoid_layer(protocol.hidden[0], protocol.hidden[1], gen)},
            std::make_shared<nn::Linear>(protocol.hidden[1], classes, gen, nn::Init::XavierUniform));
        for (auto* net : {pre.get(), rnd.get()}) {
          nn::SoftmaxOptions so;
          so.lbfgs.max_iterations = protocol.softmax_iterations;
          nn::fit_softmax(net->softmax(), net->encode(xl), yl, so);
          nn::FineTuneOptions fo;
          fo.lbfgs.max_iterations = protocol.few_label_iterations;
          fo.lbfgs.history = 20;
          nn::fine_tune_lbfgs(*net, xl, yl, fo);
        }
        acc_pre.push_back(nn::accuracy(pre->predict(x_test), y_test));
        acc_rand.push_back(nn::accuracy(rnd->predict(x_test), y_test));
        t.rows.push_back({std::to_string(n), std::to_string(s + 1), percent(acc_pre.back()), percent(acc_rand.back()),
                          fmt::format("{:+.2f} points", 100 * (acc_pre.back() - acc_rand.back()))});
      }
      const double mp = mean(acc_pre), mr = mean(acc_rand);
      t.rows.push_back({std::to_string(n), "mean", percent(mp), percent(mr), fmt::format("{:+.2f} points", 100 * (mp - mr))});
      lesson.metric(fmt::format("few_labels_{}_pretrained", n), mp, fmt::format("{} labels: mean test accuracy, pre-trained", n));
      lesson.metric(fmt::format("few_labels_{}_random", n), mr, fmt::format("{} labels: mean test accuracy, random init", n));
      series[0].xs.push_back(double(n));
      series[0].ys.push_back(100 * mp);
      series[1].xs.push_back(double(n));
      series[1].ys.push_back(100 * mr);
      const bool pass = mp > mr;
      lesson.say("check: with {} labels the pre-trained network beats the random start on average: {}", n,
                 pass ? "PASS" : "FAIL");
      lesson.record(fmt::format("check_pretraining_helps_{}", n), pass ? 1 : 0);
    }
    lesson.table(t);
    viz::line_plot(lesson.figure("few_labels.png", "Test accuracy against the number of labelled images"), series,
                   fmt::format("Pre-training with few labels (mean of {} seeds)", protocol.few_label_seeds),
                   "labelled training images", "test accuracy (%)");
    lesson.say("With few labels the random network has little to learn its first layers from and fits the");
    lesson.say("n images with whatever features it starts with; the pre-trained one starts from features of");
    lesson.say("all the images. The gap closes as labels grow (Erhan et al., JMLR 2010).");
  });

  // ---- stacked denoising autoencoders -------------------------------------------------------
  const int64_t sda_total = std::min<int64_t>(images.train.images.shape()[0], protocol.sda_train + protocol.sda_validation);
  const int64_t sda_valid = std::min<int64_t>(protocol.sda_validation, sda_total / 4);
  const Tensor sda_x = images.train.images.slice(0, 0, sda_total - sda_valid).contiguous();
  const Tensor sda_vx = images.train.images.slice(0, sda_total - sda_valid, sda_total).contiguous();
  const std::vector<int> sda_y(images.train.labels.begin(), images.train.labels.begin() + (sda_total - sda_valid));
  const std::vector<int> sda_vy(images.train.labels.begin() + (sda_total - sda_valid),
                                images.train.labels.begin() + sda_total);
  const std::vector<float> corruption = {0.1f, 0.2f, 0.3f};
  std::string sda_sizes = std::to_string(d);
  for (int64_t h : protocol.sda_hidden) sda_sizes += "-" + std::to_string(h);
  sda_sizes += "-" + std::to_string(classes);

  auto sda_layers = lesson.step("Stacked denoising autoencoders: greedy pre-training, noise 0.1 / 0.2 / 0.3", [&] {
    lesson.say("SdA {}: {} training and {} validation images; {} epochs of SGD per layer", sda_sizes,
               sda_x.shape()[0], sda_vx.shape()[0], protocol.sda_pretrain_epochs);
    Generator gen(options.seed + 17);
    return nn::greedy_pretrain(
        sda_x, protocol.sda_hidden,
        [&](std::size_t l, const Tensor& input, int64_t hidden) {
          nn::DenoisingAutoencoderOptions o;
          o.corruption = corruption[std::min<size_t>(l, corruption.size() - 1)];
          o.epochs = protocol.sda_pretrain_epochs;
          o.seed = options.seed + 170 + l;
          o.on_epoch_end = [&, l](const nn::EpochStats& e) {
            lesson.say("layer {} (masking noise {:.1f}) epoch {}: cross-entropy {:.2f} per image ({:.1f} s)", l + 1,
                       o.corruption, e.epoch, e.train_loss, e.seconds);
          };
          return nn::train_denoising_autoencoder(input, hidden, gen, o).layer;
        });
  });

  lesson.step("SdA: supervised fine-tuning with early stopping on the validation images", [&] {
    Generator gen(options.seed + 18);
    auto net = nn::StackedClassifier::from_layers(sda_layers, classes, gen);
    nn::EarlyStoppingOptions o;
    o.max_epochs = protocol.sda_max_epochs;
    o.patience = protocol.sda_patience;
    o.seed = options.seed + 19;
    o.on_epoch_end = [&](int epoch, double loss, double error) {
      lesson.say("epoch {:3}: training cross-entropy {:.4f}, validation error {}", epoch, loss, percent(error));
    };
    const auto report = nn::fine_tune_sgd(*net, sda_x, sda_y, sda_vx, sda_vy, o);
    const double error = 1.0 - nn::accuracy(net->predict(x_test), y_test);
    lesson.say("stopped after {} epochs; kept epoch {} (validation error {})", report.epochs, report.best_epoch,
               percent(report.best_validation_error));
    lesson.metric("sda_validation_error", report.best_validation_error, "SdA: best validation error");
    lesson.metric("sda_test_error", error, "SdA: test error of the kept epoch");
    Table t{"Stacked denoising autoencoder " + sda_sizes + " on " + (mnist ? "MNIST" : images.dataset),
            {"", "test error"}, {}};
    t.rows.push_back({"ours (" + protocol.name + ")", percent(error)});
    if (protocol.sda_published) t.rows.push_back({"Theano tutorial SdA (MNIST, 3 x 1000)", "about 1.3%"});
    lesson.table(t);
    if (protocol.sda_published && mnist) {
      const bool pass = error <= 0.013;
      lesson.say("test error {} (Theano deep-learning tutorial, SdA: about 1.3%)", percent(error));
      lesson.say("check: SdA test error <= 1.3%: {}", pass ? "PASS" : "FAIL");
      lesson.record("check_sda_1_3", pass ? 1 : 0);
    } else {
      lesson.say("test error {}; the tutorial's 1.3% needs its protocol on MNIST (AELAB_CH7_PROTOCOL=sda)",
                 percent(error));
    }
  });

  lesson.finish();
}

}  // namespace ae::chapters
