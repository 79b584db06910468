// HW4 task 5: the experiment — a VAE and a plain autoencoder of the same size, trained from
// the same initial weights on the same batches, both asked to generate: each decodes the
// same codes z ~ N(0, I), and the generated images are compared with the test images
// (lecture 004: to generate, "randomly select code z, then set x = d(z)"; lecture 001: a
// VAE "learns to generate plausible data from random encodings", a plain autoencoder not).
//
// Use your vae_step (task 4) and bernoulli_nll (task 3), and the given load_data, make_vae,
// encode, decode_logits, decode_images and mean_nearest_distance (hw4.hpp).
// nn/data/loader.hpp has a seeded BatchLoader and gather_rows; nn/optim.hpp has nn::Adam.
// Fill in every field of ExperimentResult: the tests recompute the distances from the
// models you return.
#include <chrono>
#include <cstdio>

#include <fmt/core.h>

#include "autograd/ops.hpp"
#include "exercises/hw4/hw4.hpp"
#include "nn/data/loader.hpp"
#include "nn/optim.hpp"
#include "tensor/ops.hpp"

namespace ae::hw4 {

namespace {

// BEGIN SOLUTION
// The plain autoencoder's step: the same networks with z = μ and no KL, so nothing asks its
// codes to fill N(0, I). Its logvar head gets no gradient, and Adam leaves it alone.
float plain_step(Vae& model, const Tensor& X, nn::Optimizer& optimizer) {
  optimizer.zero_grad();
  const Variable mu = encode(model, Variable(X)).mu;
  const Variable loss = mean(bernoulli_nll(decode_logits(model, mu), X));
  loss.backward();
  optimizer.step();
  return loss.item();
}

// Trains `model` with Adam on shuffled mini-batches, as a VAE or as a plain autoencoder.
// Returns the mean loss of every epoch.
std::vector<double> train(Vae& model, const Tensor& train_images, bool variational,
                          const ExperimentOptions& options, const char* name) {
  nn::AdamOptions adam;
  adam.lr = options.lr;
  nn::Adam optimizer(model.parameters(), adam);
  // The same seed for both models: the same batch order, so only the objective differs.
  data::BatchLoader loader(train_images.size(0), options.batch_size, /*shuffle=*/true, options.seed);
  Generator eps(options.seed + 1);
  std::vector<double> losses;
  const auto start = std::chrono::steady_clock::now();
  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    double loss_sum = 0;
    int64_t seen = 0;
    for (auto batch : loader.next_epoch()) {
      const Tensor X = data::gather_rows(train_images, batch);
      const float loss = variational ? vae_step(model, X, options.beta, eps, optimizer)
                                     : plain_step(model, X, optimizer);
      loss_sum += static_cast<double>(loss) * static_cast<double>(batch.size());
      seen += static_cast<int64_t>(batch.size());
    }
    losses.push_back(loss_sum / static_cast<double>(seen));
    if (options.verbose) {
      fmt::print("{}: epoch {}/{}, training loss {:.1f} nats per image ({:.1f} s)\n", name, epoch,
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
  if (options.hidden < 1 || options.k < 1 || options.epochs < 1 || options.batch_size < 1 ||
      !(options.lr > 0) || !(options.beta >= 0) || options.num_samples < 1)
    throw Error(fmt::format("run_experiment: hidden = {}, k = {}, epochs = {}, batch_size = {}, "
                            "lr = {}, num_samples = {} (all must be positive) and beta = {} (>= 0)",
                            options.hidden, options.k, options.epochs, options.batch_size,
                            options.lr, options.num_samples, options.beta));
  // BEGIN SOLUTION task 5 run_experiment
  const Hw4Data data = load_data(options);
  ExperimentResult result;
  result.dataset = data.dataset;
  result.data_dir = data.dir;
  const int64_t d = data.train_images.size(1);
  const Tensor pixel_mean = tensor::mean(data.train_images, {0});
  // Two generators with one seed: both models start from the same weights.
  Generator vae_init(options.seed), plain_init(options.seed);
  result.vae = make_vae(d, options.hidden, options.k, pixel_mean, vae_init);
  result.plain = make_vae(d, options.hidden, options.k, pixel_mean, plain_init);
  result.vae_epoch_losses = train(result.vae, data.train_images, true, options, "VAE");
  result.plain_epoch_losses = train(result.plain, data.train_images, false, options, "plain autoencoder");

  Generator sampler(options.sample_seed);
  result.codes = tensor::randn({options.num_samples, options.k}, sampler);
  result.vae_samples = decode_images(result.vae, result.codes);
  result.plain_samples = decode_images(result.plain, result.codes);
  result.vae_sample_distance = mean_nearest_distance(result.vae_samples, data.test_images);
  result.plain_sample_distance = mean_nearest_distance(result.plain_samples, data.test_images);
  if (options.verbose)
    fmt::print("result: {} codes z ~ N(0, I) decoded; mean squared distance to the nearest of {} "
               "test images: VAE {:.2f}, plain autoencoder {:.2f} ({:+.1f}%)\n",
               options.num_samples, data.test_images.size(0), result.vae_sample_distance,
               result.plain_sample_distance,
               100.0 * (result.vae_sample_distance - result.plain_sample_distance) /
                   result.plain_sample_distance);
  return result;
  // END SOLUTION
}

}  // namespace ae::hw4
