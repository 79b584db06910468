// HW2 task 5: the experiment — a plain and a denoising autoencoder of the same size, trained
// from the same initial weights on the same batches, compared on masked test images
// (lecture 002: "the denoising autoencoder learns to undo the corruption").
//
// Use your masking_noise (task 2) and denoising_step (task 4), and the given load_data,
// make_autoencoder and reconstruction_error (hw2.hpp). nn/data/loader.hpp has a seeded
// BatchLoader and gather_rows; nn/optim.hpp has nn::Adam. Fill in every field of
// ExperimentResult: the tests recompute the errors from the models you return.
#include <chrono>
#include <cstdio>

#include <fmt/core.h>

#include "exercises/hw2/hw2.hpp"
#include "nn/data/loader.hpp"
#include "nn/optim.hpp"
#include "tensor/ops.hpp"

namespace ae::hw2 {

namespace {

// BEGIN SOLUTION
// Trains `model` with Adam on shuffled mini-batches; a denoising model sees each batch
// masked afresh, a plain one sees it clean. Returns the mean loss of every epoch.
std::vector<double> train(Autoencoder& model, const Tensor& train_images, bool denoise,
                          const ExperimentOptions& options, const char* name) {
  nn::AdamOptions adam;
  adam.lr = options.lr;
  nn::Adam optimizer(model.parameters(), adam);
  // The same seed for both models: the same batch order, so only the corruption differs.
  data::BatchLoader loader(train_images.size(0), options.batch_size, /*shuffle=*/true, options.seed);
  Generator noise(options.seed + 1);
  std::vector<double> losses;
  const auto start = std::chrono::steady_clock::now();
  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    double loss_sum = 0;
    int64_t seen = 0;
    for (auto batch : loader.next_epoch()) {
      const Tensor clean = data::gather_rows(train_images, batch);
      const Tensor input = denoise ? masking_noise(clean, options.v, noise) : clean;
      const float loss = denoising_step(model, clean, input, optimizer);
      loss_sum += static_cast<double>(loss) * static_cast<double>(batch.size());
      seen += static_cast<int64_t>(batch.size());
    }
    losses.push_back(loss_sum / static_cast<double>(seen));
    if (options.verbose) {
      fmt::print("{} autoencoder: epoch {}/{}, training loss {:.3f} ({:.1f} s)\n", name, epoch,
                 options.epochs, losses.back(),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      std::fflush(stdout);
    }
  }
  return losses;
}
// END SOLUTION

}  // namespace

ExperimentResult run_experiment(const ExperimentOptions& options) {
  if (options.k < 1 || options.epochs < 1 || options.batch_size < 1 || !(options.lr > 0) ||
      !(options.v >= 0 && options.v <= 1))
    throw Error(fmt::format("run_experiment: k = {}, epochs = {}, batch_size = {}, lr = {} "
                            "(all must be positive) and v = {} (in [0, 1])",
                            options.k, options.epochs, options.batch_size, options.lr, options.v));
  // BEGIN SOLUTION task 5 run_experiment
  const Hw2Data data = load_data(options);
  ExperimentResult result;
  result.dataset = data.dataset;
  result.data_dir = data.dir;
  const int64_t d = data.train_images.size(1);
  const Tensor pixel_mean = tensor::mean(data.train_images, {0});
  // Two generators with one seed: both models start from the same weights.
  Generator plain_init(options.seed), denoising_init(options.seed);
  result.plain = make_autoencoder(d, options.k, pixel_mean, plain_init);
  result.denoising = make_autoencoder(d, options.k, pixel_mean, denoising_init);
  result.plain_epoch_losses = train(result.plain, data.train_images, false, options, "plain");
  result.denoising_epoch_losses =
      train(result.denoising, data.train_images, true, options, "denoising");

  Generator test_noise(options.test_noise_seed);
  result.noisy_test_images = masking_noise(data.test_images, options.v, test_noise);
  result.plain_noisy_error = reconstruction_error(result.plain, result.noisy_test_images, data.test_images);
  result.denoising_noisy_error =
      reconstruction_error(result.denoising, result.noisy_test_images, data.test_images);
  if (options.verbose)
    fmt::print("result: {} test images with {:.0f}% of the pixels masked, squared error per image "
               "against the clean ones: plain {:.3f}, denoising {:.3f} ({:+.1f}%)\n",
               data.test_images.size(0), 100.0 * options.v, result.plain_noisy_error,
               result.denoising_noisy_error,
               100.0 * (result.denoising_noisy_error - result.plain_noisy_error) /
                   result.plain_noisy_error);
  return result;
  // END SOLUTION
}

}  // namespace ae::hw2
