// Chapter 8 — Convolutional autoencoders  (lecture 002)
//
// The dense autoencoders of chapters 2 and 3 see an image as 784 unrelated numbers: a
// Linear layer has one weight per (pixel, unit) pair, and a shape moved by one pixel is, to
// it, a different input. Lecture 002's convolutional autoencoder builds the image's geometry
// in. A convolution slides one small kernel over the image,
//     y[o, h, v] = b[o] + Σ_c Σ_{i,j} w[o, c, i, j] · x[c, h + i - 1, v + j - 1]     (3x3, "same"),
// so every position is processed by the same 3·3·C weights: far fewer parameters than a dense
// layer, and a feature found in one place is found everywhere. Max-pooling keeps the largest
// answer in each 2x2 block and halves the size; upsampling repeats each pixel in a 2x2 block
// and doubles it back. The lecture's model is the Keras blog's ("Building Autoencoders in
// Keras", F. Chollet, 2016), with ReLU convolutions and a sigmoid output, trained with the
// binary cross-entropy on pixels in [0, 1]:
//     encoder  1x28x28 → conv 32 → pool → 32x14x14 → conv 32 → pool → 32x7x7
//     decoder  32x7x7 → conv 32 → up → 32x14x14 → conv 32 → up → 32x28x28 → conv 1 → sigmoid
//
// How the computer does it. unfold (im2col) copies every 3x3xC window of every image of the
// batch into one column of a matrix cols (9C x N·H·W), and the convolution of the whole
// batch is then one matrix product W (O x 9C) · cols: the hand-written gemm
// (linalg/gemm.hpp) does all the arithmetic. Its gradient is two more products and fold,
// unfold's transpose (autograd/conv.cpp).
//
// The denoising version (lecture 002, "Denoising convolutional AE — Keras") trains the same
// network to map a corrupted image x̃ = clip(x + 0.5·ε, 0, 1), ε ~ N(0, I), back to the clean
// x. Against a dense autoencoder with about as many parameters, the convolutional one is the
// better denoiser: its weights are spent on local patterns that hold everywhere in the image.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "autograd/ops.hpp"
#include "chapters/chapters.hpp"
#include "chapters/images.hpp"
#include "nn/autoencoder.hpp"
#include "nn/conv.hpp"
#include "nn/conv_autoencoder.hpp"
#include "nn/losses.hpp"
#include "nn/metrics.hpp"
#include "nn/optim.hpp"
#include "nn/train.hpp"
#include "nn/viz/plots.hpp"
#include "tensor/conv.hpp"
#include "tensor/ops.hpp"

namespace ae::chapters {

namespace {

constexpr int64_t kSide = 28;
constexpr float kNoiseFactor = 0.5f;  // the lecture's noise factor

// How long to train. The lecture's protocol (Keras blog) is all 60000 training images for
// 50 epochs per model; AELAB_CH8_PROTOCOL=lecture runs it (docs/chapters/ch08_conv_ae.md
// gives its time). The default run trains on a subset so that the chapter takes about a minute
// and a half; --quick takes seconds.
struct Protocol {
  int64_t train_images;
  int64_t test_images;
  int conv_epochs, dense_epochs;
  int64_t batch_size;
  std::string name;
};

Protocol choose_protocol(bool quick) {
  if (quick) return {1000, 500, 1, 3, 32, "--quick"};
  if (const char* p = std::getenv("AELAB_CH8_PROTOCOL"); p != nullptr && std::string(p) == "lecture")
    return {60000, 10000, 50, 50, 128, "lecture (AELAB_CH8_PROTOCOL=lecture)"};
  return {6000, 2000, 3, 10, 64, "default"};
}

// The lecture's model, Keras' Conv2D(32, (3, 3), activation='relu', padding='same') layers with
// Glorot-uniform weights and zero biases, as Keras initialises them (nn/conv_autoencoder.hpp).
std::shared_ptr<nn::Autoencoder> conv_autoencoder(Generator& gen, const std::string& name) {
  return nn::keras_conv_autoencoder(gen, name, nn::Init::XavierUniform);
}

struct Trained {
  std::shared_ptr<nn::Autoencoder> model;
  std::vector<double> train_loss;
  double seconds_per_epoch = 0;
};

}  // namespace

void run_conv_ae(const Options& options) {
  Lesson lesson(chapter_info(8), options);
#if defined(__GLIBC__)
  // Every training step allocates and frees the same large buffers (a batch's unfolded
  // columns and their gradients, tens of MB). Above its mmap threshold glibc returns them to
  // the kernel, which then hands back fresh zeroed pages, one page fault per 4 kB, at every
  // step. Keeping freed memory in the heap lets the next step reuse it without faults
  // (docs/chapters/ch08_conv_ae.md says how much this saves).
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
  const Protocol protocol = choose_protocol(options.quick);

  auto images = lesson.step("Load the images as (N, 1, 28, 28) tensors, pixels in [0, 1]", [&] {
    return load_chapter_images(lesson, protocol.train_images, protocol.test_images);
  });
  const int64_t n_train = std::min(protocol.train_images, images.train.images.shape()[0]);
  const int64_t n_test = std::min(protocol.test_images, images.test.images.shape()[0]);
  const Tensor x_train = images.train.images.slice(0, 0, n_train).reshape({n_train, 1, kSide, kSide});
  const Tensor x_test = images.test.images.slice(0, 0, n_test).reshape({n_test, 1, kSide, kSide});
  lesson.say("protocol {}: {} training and {} test images, batch {}", protocol.name, n_train, n_test,
             protocol.batch_size);
  if (!options.quick && protocol.train_images < 60000)
    lesson.note(fmt::format("the default run trains on the first {} training images; AELAB_CH8_PROTOCOL=lecture "
                            "runs the lecture's 60000 images x 50 epochs (docs/chapters/ch08_conv_ae.md)",
                            n_train));

  // The corruption of the lecture's Keras example, x̃ = clip(x + 0.5·ε, 0, 1), fresh for every
  // batch. (nn/corruption will replace this lambda.)
  Generator noise_gen(options.seed + 8);
  auto corrupt = [&noise_gen](const Tensor& x) {
    return tensor::clamp(tensor::add(x, tensor::randn(x.shape(), noise_gen, 0.0f, kNoiseFactor)), 0.0f, 1.0f);
  };
  const Tensor x_test_noisy = corrupt(x_test);

  // ---- convolution = unfold + one gemm --------------------------------------------------
  lesson.step("A convolution of a whole batch is one matrix product (unfold, then gemm)", [&] {
    Generator gen(options.seed + 1);
    const nn::Conv2d conv(32, 32, 3, gen, {.padding = 1});
    const int64_t n = 8;
    // 32 channels of input, as the second layer sees them: the images copied into every channel
    // and scaled differently, so that every weight has something to multiply.
    const Tensor x = tensor::mul(x_train.slice(0, 0, n).expand({n, 32, kSide, kSide}),
                                 tensor::arange(1.0f, 33.0f).reshape({1, 32, 1, 1}) / 32.0f);
    const Tensor cols = tensor::unfold(x, {3, 3, 1, 1});
    lesson.say("x {} -> unfold -> cols {}: one column per (image, position), 9 taps x 32 channels per column",
               to_string(x.shape()), to_string(cols.shape()));
    lesson.say("W {} viewed as {} x {}; W · cols is one gemm of {} x {} x {}", to_string(conv.weight.shape()), 32,
               cols.shape()[0], 32, cols.shape()[0], cols.shape()[1]);
    auto t0 = std::chrono::steady_clock::now();
    const Tensor fast = ae::conv2d(x, conv.weight, conv.bias, 1, 1).value().contiguous();
    const double fast_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    t0 = std::chrono::steady_clock::now();
    const Tensor direct = tensor::conv2d_direct(x, conv.weight.value(), conv.bias.value(), 1, 1);
    const double direct_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double diff = tensor::max(tensor::abs(tensor::sub(fast, direct))).item();
    const double scale = tensor::max(tensor::abs(direct)).item();
    const bool ok = diff <= 1e-5 * std::max(1.0, scale);
    lesson.say("check: unfold + gemm equals the direct seven-loop convolution: max |difference| {:.2e} "
               "(values up to {:.2f}) — {}",
               diff, scale, ok ? "pass" : "FAIL");
    lesson.say("unfold + gemm {:.4f} s, direct loops {:.3f} s on this batch of {}", fast_s, direct_s, n);
    lesson.metric("check_conv_matches_direct", ok ? 1 : 0, "unfold + gemm convolution equals the direct loops (1 = pass)");
    lesson.metric("conv_vs_direct_max_abs_diff", diff, "max |unfold+gemm - direct| on a batch of 8");
  });

  // ---- the two models -------------------------------------------------------------------
  const int64_t d = kSide * kSide;
  auto sizes = lesson.step("The convolutional autoencoder of the lecture, and a dense one of the same size", [&] {
    Generator gen(options.seed + 2);
    const auto conv = conv_autoencoder(gen, "conv AE");
    lesson.say("encoder: {}", conv->encoder().describe());
    lesson.say("decoder: {}", conv->decoder().describe());
    const int64_t p_conv = conv->num_parameters();
    // A dense 784-h-784 autoencoder has 2·784·h + h + 784 parameters; h is the one closest to
    // the convolutional model's count.
    const int64_t h = std::llround(double(p_conv - d) / double(2 * d + 1));
    lesson.say("conv AE: {} parameters; its code is 32 x 7 x 7 = {} numbers, more than the 784 pixels, but it is",
               p_conv, 32 * 7 * 7);
    lesson.say("built from 3x3 windows, and each max-pooling keeps one response in four");
    lesson.say("dense AE 784-{}-784 (ReLU code, sigmoid output): {} parameters", h, 2 * d * h + h + d);
    lesson.metric("conv_parameters", double(p_conv), "parameters of the convolutional autoencoder");
    lesson.metric("dense_parameters", double(2 * d * h + h + d), "parameters of the dense autoencoder");
    lesson.metric("dense_hidden", double(h), "code size of the dense autoencoder");
    return h;
  });
  auto dense_autoencoder = [&](Generator& gen, const std::string& name) {
    return nn::mlp_autoencoder({d, sizes}, gen,
                               {.hidden = nn::Activation::ReLU, .code = nn::Activation::ReLU,
                                .output = nn::Activation::Sigmoid, .init = nn::Init::XavierUniform},
                               name);
  };

  // Adam (step 1e-3, Keras' default) on the binary cross-entropy per pixel, as the lecture's
  // Keras example compiles it. A denoising model sees x̃ and is scored against x.
  auto train = [&](std::shared_ptr<nn::Autoencoder> model, bool denoise, bool flat, int epochs, uint64_t seed) {
    Trained out;
    out.model = std::move(model);
    nn::Adam adam(out.model->parameters(), {.lr = 1e-3f});
    nn::FitOptions fo;
    fo.epochs = epochs;
    fo.batch_size = protocol.batch_size;
    fo.seed = seed;
    fo.label = out.model->name() + ", epoch";
    double seconds = 0;
    fo.on_epoch_end = [&](const nn::EpochStats& e) {
      lesson.say("{:<10} epoch {:2}: train BCE {:.4f}  ({:.1f} s, {:.0f} images/s)", out.model->name(), e.epoch,
                 e.train_loss, e.seconds, e.samples_per_second);
      out.train_loss.push_back(e.train_loss);
      seconds += e.seconds;
    };
    nn::Autoencoder& m = *out.model;
    const Tensor data = flat ? x_train.reshape({n_train, d}) : x_train;
    nn::fit(m, adam, nn::Dataset(data), [&](const nn::Batch& b) {
      const Variable x = b[0];
      return nn::bce(m(denoise ? Variable(corrupt(x.value())) : x), x);
    }, fo);
    out.seconds_per_epoch = seconds / epochs;
    return out;
  };

  auto conv_ae = lesson.step("Train the convolutional autoencoder on clean images (BCE, Adam)", [&] {
    Generator gen(options.seed + 2);
    return train(conv_autoencoder(gen, "conv AE"), false, false, protocol.conv_epochs, options.seed + 3);
  });
  auto dense_ae = lesson.step("Train the dense autoencoder of the same size on clean images", [&] {
    Generator gen(options.seed + 4);
    return train(dense_autoencoder(gen, "dense AE"), false, true, protocol.dense_epochs, options.seed + 5);
  });
  auto conv_dae = lesson.step("Denoising: train both on x̃ = clip(x + 0.5 ε, 0, 1) to give back x", [&] {
    Generator gen(options.seed + 6);
    return train(conv_autoencoder(gen, "conv DAE"), true, false, protocol.conv_epochs, options.seed + 7);
  });
  auto dense_dae = lesson.step("The dense denoising autoencoder, for comparison", [&] {
    Generator gen(options.seed + 9);
    return train(dense_autoencoder(gen, "dense DAE"), true, true, protocol.dense_epochs, options.seed + 10);
  });
  lesson.say("The dense models train for {} epochs, the convolutional ones for {}: an epoch of the dense model",
             protocol.dense_epochs, protocol.conv_epochs);
  lesson.say("costs a fraction of a convolutional one, so it gets more of them (see seconds per epoch below).");

  // ---- results ---------------------------------------------------------------------------
  // Reconstructions in batches of 250: a batch's unfolded columns for the last 32 -> 1
  // convolution hold 288 numbers per pixel.
  auto reconstruct = [&](nn::Autoencoder& model, const Tensor& x, bool flat) {
    std::vector<Tensor> parts;
    for (int64_t at = 0; at < x.shape()[0]; at += 250) {
      const Tensor part = x.slice(0, at, std::min(at + 250, x.shape()[0]));
      const int64_t n = part.shape()[0];
      parts.push_back(flat ? model.reconstruct(part.reshape({n, d})).reshape({n, 1, kSide, kSide})
                           : model.reconstruct(part));
    }
    return tensor::concat(parts, 0);
  };

  struct Results {
    std::vector<Tensor> denoised;  // each model's output for the noisy test images
    double psnr_noisy = 0, psnr_conv_dae = 0, psnr_dense_dae = 0, accuracy_conv_dae = 0;
  };
  auto results = lesson.step("Test error on clean inputs and PSNR on noisy ones, conv against dense", [&] {
    // Keras' "accuracy" for a BCE loss: the share of pixels where round(x̂) equals the target
    // (only pixels that are exactly 0 or 1 can count).
    auto keras_accuracy = [](const Tensor& target, const Tensor& out) {
      return double(tensor::mean(tensor::eq(target, tensor::gt(out, tensor::scalar(0.5f)))).item());
    };
    Results res;
    Table t{"Test images (" + (images.dataset.empty() ? std::string("images") : images.dataset) + ")",
            {"model", "trained on", "parameters", "s / epoch", "BCE (clean in)", "MSE (clean in)", "PSNR dB (noisy in)",
             "Keras accuracy (noisy in)"},
            {}};
    res.psnr_noisy = nn::psnr(x_test, x_test_noisy);
    lesson.metric("psnr_noisy_input", res.psnr_noisy, "PSNR of the noisy test images x̃ against x (dB)");
    t.rows.push_back({"the noisy input x̃ itself", "-", "-", "-", "-", "-", fmt::format("{:.2f}", res.psnr_noisy),
                      fmt::format("{:.4f}", keras_accuracy(x_test, x_test_noisy))});
    struct Row {
      Trained* model;
      std::string key, trained_on;
      bool flat;
    };
    for (const Row& r : {Row{&conv_ae, "conv_ae", "clean x", false}, Row{&dense_ae, "dense_ae", "clean x", true},
                         Row{&conv_dae, "conv_dae", "noisy x̃", false}, Row{&dense_dae, "dense_dae", "noisy x̃", true}}) {
      nn::Autoencoder& m = *r.model->model;
      const Tensor clean_out = reconstruct(m, x_test, r.flat);
      const Tensor noisy_out = reconstruct(m, x_test_noisy, r.flat);
      const double bce = nn::bce(clean_out, x_test).item();
      const Tensor diff = tensor::sub(clean_out, x_test);
      const double mse = tensor::mean(tensor::mul(diff, diff)).item();
      const double psnr = nn::psnr(x_test, noisy_out);
      const double acc = keras_accuracy(x_test, noisy_out);
      lesson.metric(r.key + "_test_bce", bce, m.name() + ": test BCE per pixel, clean inputs");
      lesson.metric(r.key + "_test_mse", mse, m.name() + ": test MSE per pixel, clean inputs");
      lesson.metric(r.key + "_psnr_noisy", psnr, m.name() + ": PSNR of its output for noisy inputs (dB)");
      lesson.metric(r.key + "_keras_accuracy_noisy", acc, m.name() + ": Keras' binary accuracy, noisy inputs");
      lesson.metric(r.key + "_seconds_per_epoch", r.model->seconds_per_epoch, m.name() + ": seconds per epoch");
      lesson.metric(r.key + "_parameters", double(m.num_parameters()), m.name() + ": parameters");
      t.rows.push_back({m.name(), r.trained_on, std::to_string(m.num_parameters()),
                        fmt::format("{:.2f}", r.model->seconds_per_epoch), fmt::format("{:.4f}", bce),
                        fmt::format("{:.5f}", mse), fmt::format("{:.2f}", psnr), fmt::format("{:.4f}", acc)});
      res.denoised.push_back(noisy_out);
      if (r.key == "conv_dae") res.psnr_conv_dae = psnr, res.accuracy_conv_dae = acc;
      if (r.key == "dense_dae") res.psnr_dense_dae = psnr;
    }
    lesson.table(t);
    lesson.say("s / epoch: training time for {} images. PSNR = 10 log10(1 / MSE) of the output for x̃ against", n_train);
    lesson.say("the clean x: how much of the noise the model removes. MSE (clean in): how well it rebuilds x.");
    if (images.dataset == "mnist")
      lesson.say("Lecture 002 (Keras example, MNIST, 60000 images x 50 epochs): Keras accuracy 0.92 for the conv DAE on "
                 "noisy test images; ours {:.4f} after {} epochs on {} images",
                 res.accuracy_conv_dae, protocol.conv_epochs, n_train);
    else
      lesson.say("Lecture 002 quotes Keras accuracy 0.92 for this conv DAE on MNIST; run with --data "
                 "../shared/data/mnist to compare (Fashion-MNIST has fewer pixels that are exactly 0 or 1).");
    return res;
  });

  lesson.step("Checks", [&] {
    auto check = [&](const std::string& key, bool ok, const std::string& claim) {
      lesson.say("check: {} — {}", claim, ok ? "pass" : "FAIL");
      lesson.metric("check_" + key, ok ? 1 : 0, claim + " (1 = pass)");
    };
    check("conv_dae_denoises", results.psnr_conv_dae > results.psnr_noisy,
          fmt::format("the conv DAE's output is closer to x than x̃ is ({:.2f} dB > {:.2f} dB)", results.psnr_conv_dae,
                      results.psnr_noisy));
    check("conv_beats_dense", results.psnr_conv_dae > results.psnr_dense_dae,
          fmt::format("at about the same parameter count the conv DAE denoises better than the dense DAE "
                      "({:.2f} dB > {:.2f} dB)",
                      results.psnr_conv_dae, results.psnr_dense_dae));
  });

  // ---- figures ---------------------------------------------------------------------------
  lesson.step("Figure: noisy input, conv DAE, dense DAE, clean image (one test image per class)", [&] {
    std::vector<int64_t> idx;
    for (int c = 0; c < int(images.classes.size()); ++c)
      for (int64_t i = 0; i < n_test; ++i)
        if (images.test.labels[size_t(i)] == c) {
          idx.push_back(i);
          break;
        }
    auto pick = [&](const Tensor& x) { return tensor::index_select(x, 0, idx).reshape({int64_t(idx.size()), kSide, kSide}); };
    viz::image_grid(lesson.figure("denoising.png", "Noisy test images x̃, the conv DAE's and the dense DAE's outputs, and x"),
                    {pick(x_test_noisy), pick(results.denoised[2]), pick(results.denoised[3]), pick(x_test)},
                    {"noisy x̃", "conv DAE", "dense DAE", "clean x"},
                    fmt::format("Denoising, noise factor {} ({} parameters each)", kNoiseFactor,
                                conv_dae.model->num_parameters()),
                    3);
  });

  lesson.step("Figure: the 32 feature maps of the conv DAE's first layer for one image", [&] {
    nn::Module& first = conv_dae.model->encoder()[0];
    const Tensor image = x_test.slice(0, 0, 1);
    Tensor maps;
    {
      NoGradGuard no_grad;
      maps = tensor::relu(first(image).value()).reshape({32, kSide, kSide}).contiguous();
    }
    // Each map on its own scale (white = that filter's strongest response): the filters'
    // ranges differ by orders of magnitude, and one shared scale leaves most maps black.
    maps = tensor::div(maps, tensor::maximum(tensor::max(maps, {1, 2}, true), tensor::scalar(1e-6f)));
    std::vector<Tensor> rows = {image.reshape({1, kSide, kSide})};
    std::vector<std::string> labels = {"input"};
    for (int64_t r = 0; r < 4; ++r) {
      rows.push_back(maps.slice(0, 8 * r, 8 * r + 8));
      labels.push_back(fmt::format("maps {}-{}", 8 * r + 1, 8 * r + 8));
    }
    viz::image_grid(lesson.figure("feature_maps.png", "relu(conv1(x)) of the conv DAE for one test image, 32 channels"),
                    rows, labels, "First-layer feature maps (each scaled to its own maximum)", 3);
    lesson.say("Each map is one 3x3 filter slid over the image: some answer to edges in one direction,");
    lesson.say("some to the inside of the garment, some to the background.");
  });

  lesson.step("Training curves", [&] {
    viz::line_plot(lesson.figure("training.png", "Training BCE per epoch"),
                   {{"conv AE", {}, conv_ae.train_loss},
                    {"dense AE", {}, dense_ae.train_loss},
                    {"conv DAE", {}, conv_dae.train_loss},
                    {"dense DAE", {}, dense_dae.train_loss}},
                   "Training loss (BCE per pixel)", "epoch", "BCE");
  });

  lesson.finish();
}

}  // namespace ae::chapters
