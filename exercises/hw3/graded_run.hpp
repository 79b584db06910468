#pragma once
// The configuration of task 5's graded run: 10,000 unlabelled images, three layers and few
// epochs, so that the test takes seconds, yet a stack deep enough that the same fine-tuning
// on 1,000 labels leaves the randomly initialised one clearly behind the pre-trained one.
// `hw3 --graded` runs the same.
//
// The margin the test asks for (minimum_margin) comes from the spread over seeds 0-7 of this
// run (the initial weights and both batch orders): on MNIST the pre-trained network's test
// accuracy was 83.6-85.1% and the random one's 65-76%, margins 8 to 19 points; on
// Fashion-MNIST 78.5-81.0% against 65.5-77.9%, margins 2.5 to 13 points.
#include <string>

#include "exercises/hw3/hw3.hpp"

namespace ae::hw3 {

/// The least test accuracy, in points of share (0.04 = 4 percentage points), by which the
/// pre-trained network must beat the random one: about half the smallest margin seen.
inline double minimum_margin(const std::string& dataset) { return dataset == "mnist" ? 0.04 : 0.01; }

inline ExperimentOptions graded_run_options(const std::string& dataset = "mnist") {
  ExperimentOptions options;
  options.unlabelled_size = 10000;
  options.labelled_size = 1000;
  options.test_size = 2000;
  options.hidden = {256, 128, 64};
  options.pretrain.epochs = 3;
  options.pretrain.batch_size = 32;
  options.pretrain.lr = 0.1f;
  options.pretrain.momentum = 0.9f;
  options.pretrain.seed = 0;
  options.fine_tune_epochs = 30;
  options.fine_tune_batch_size = 32;
  options.fine_tune_lr = 0.1f;
  options.weight_decay = 1e-4;
  options.seed = 0;
  (void)dataset;  // the same run suits both data sets
  return options;
}

}  // namespace ae::hw3
