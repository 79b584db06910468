// HW1 task 6: the experiment — PCA and the sigmoid autoencoder with the same code size k,
// fitted on the training images and compared on the test images (lecture 000, "the
// purpose of HW1").
//
// Use your functions of tasks 1–5 and the given load_data, make_autoencoder and
// write_scatter (hw1.hpp). nn/data/loader.hpp has a seeded BatchLoader and gather_rows
// for the mini-batches. Fill in every field of ExperimentResult; the tests check them
// against their own computations.
#include <chrono>
#include <cstdio>

#include <fmt/core.h>

#include "autograd/ops.hpp"
#include "exercises/hw1/hw1.hpp"
#include "nn/data/loader.hpp"
#include "tensor/ops.hpp"

namespace ae::hw1 {

namespace {

// BEGIN SOLUTION
double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double trace(const Tensor& C) {
  double sum = 0;
  for (int64_t i = 0; i < C.size(0); ++i) sum += C.at({i, i});
  return sum;
}
// END SOLUTION

}  // namespace

ExperimentResult run_experiment(const ExperimentOptions& options) {
  if (options.k < 2 || options.epochs < 0 || options.batch_size < 1)
    throw Error(fmt::format("run_experiment: k = {} (needs >= 2 for the 2-D views), epochs = {}, "
                            "batch_size = {}",
                            options.k, options.epochs, options.batch_size));
  // BEGIN SOLUTION task 6 run_experiment
  const bool say = options.verbose;
  const Hw1Data data = load_data(options);
  const Tensor& train = data.train_images;
  const Tensor& test = data.test_images;
  const int64_t d = train.size(1);
  ExperimentResult result;
  result.dataset = data.dataset;
  result.data_dir = data.dir;
  result.k = options.k;

  // PCA: the top-k eigenvectors of the training covariance span the best k-dimensional
  // linear subspace; the test images are encoded around the training mean.
  auto start = std::chrono::steady_clock::now();
  result.pca_mean = column_mean(train);
  const Tensor C = covariance(center(train, result.pca_mean));
  const Eigenpairs eig = top_eigenpairs(C, options.k, options.power);
  result.pca_components = eig.vectors;
  const Tensor pca_reconstruction =
      pca_decode(pca_encode(test, result.pca_mean, eig.vectors), result.pca_mean, eig.vectors);
  result.pca_error = reconstruction_error(test, pca_reconstruction);
  if (say) {
    int iterations = 0;
    for (int i : eig.iterations) iterations += i;
    fmt::print("PCA: covariance {} x {}, top {} eigenvectors in {} power iterations ({:.1f} s)\n", d,
               d, options.k, iterations, seconds_since(start));
    fmt::print("PCA: explained variance {:.1f}%, test squared error per image {:.3f}\n",
               100.0 * tensor::sum(eig.values).item() / trace(C), result.pca_error);
  }

  // The autoencoder, trained with Adam on shuffled mini-batches.
  start = std::chrono::steady_clock::now();
  Generator gen(options.seed);
  result.autoencoder = make_autoencoder(d, options.k, result.pca_mean, gen);
  Adam adam;
  adam.options = options.adam;
  data::BatchLoader loader(train.size(0), options.batch_size, /*shuffle=*/true, options.seed);
  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    double loss_sum = 0;
    int64_t seen = 0;
    for (auto batch : loader.next_epoch()) {
      const float loss = train_step(result.autoencoder, data::gather_rows(train, batch), adam);
      loss_sum += static_cast<double>(loss) * static_cast<double>(batch.size());
      seen += static_cast<int64_t>(batch.size());
    }
    result.epoch_losses.push_back(loss_sum / static_cast<double>(seen));
    if (say) {
      fmt::print("autoencoder {}-{}-{}: epoch {}/{}, training loss {:.3f} ({:.1f} s)\n", d,
                 options.k, d, epoch, options.epochs, result.epoch_losses.back(),
                 seconds_since(start));
      std::fflush(stdout);
    }
  }
  Tensor codes;
  {
    NoGradGuard no_grad;
    const AeOutput out = ae_forward(result.autoencoder, Variable(test));
    result.ae_error = reconstruction_error(test, out.reconstruction.value());
    codes = out.code.value();
  }
  if (say) fmt::print("autoencoder: test squared error per image {:.3f}\n", result.ae_error);

  // The 2-D views. PCA's is its first two components. The autoencoder's k-D codes are
  // shown on their own two principal directions: a linear view of a nonlinear code.
  result.pca_codes_2d = project_2d(test, result.pca_mean, result.pca_components);
  const Tensor code_mean = column_mean(codes);
  const Eigenpairs code_axes = top_eigenpairs(covariance(center(codes, code_mean)), 2, options.power);
  result.ae_codes_2d = project_2d(codes, code_mean, code_axes.vectors);
  std::filesystem::create_directories(options.out_dir);
  result.pca_scatter = options.out_dir / "pca_2d.png";
  result.ae_scatter = options.out_dir / "autoencoder_2d.png";
  write_scatter(result.pca_scatter, result.pca_codes_2d, data.test_labels, data.dataset,
                fmt::format("PCA: the first two principal components ({} test images)",
                            test.size(0)));
  write_scatter(result.ae_scatter, result.ae_codes_2d, data.test_labels, data.dataset,
                fmt::format("Autoencoder codes (k = {}) on their first two principal directions",
                            options.k));
  if (say) {
    fmt::print("figures: {} and {}\n", result.pca_scatter.string(), result.ae_scatter.string());
    fmt::print("result: at k = {}, squared error per test image: PCA {:.3f}, autoencoder {:.3f} "
               "({:+.1f}%)\n",
               options.k, result.pca_error, result.ae_error,
               100.0 * (result.ae_error - result.pca_error) / result.pca_error);
  }
  return result;
  // END SOLUTION
}

}  // namespace ae::hw1
