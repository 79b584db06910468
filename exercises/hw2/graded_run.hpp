#pragma once
// The configuration of task 5's graded run: a subset of the images and few epochs, so that
// the test takes seconds, yet enough training for the denoising autoencoder to reconstruct
// the masked test images clearly better than the plain one. `hw2 --graded` runs the same.
#include <string>

#include "exercises/hw2/hw2.hpp"

namespace ae::hw2 {

/// dataset: "mnist", or "fashion-mnist" when the run falls back to it. On both, this run
/// leaves the denoising model's error on masked test images about a third below the plain
/// one's (half on Fashion-MNIST), well past the 15% the test asks for.
inline ExperimentOptions graded_run_options(const std::string& dataset = "mnist") {
  ExperimentOptions options;
  options.train_size = 10000;
  options.test_size = 1000;
  options.k = 64;
  options.epochs = 5;
  options.batch_size = 32;
  options.lr = 0.005f;
  options.v = 0.3f;
  options.seed = 0;
  options.test_noise_seed = 1;
  (void)dataset;  // the same run suits both data sets
  return options;
}

}  // namespace ae::hw2
