// HW3 task 5: the experiment — does greedy pre-training help when few images are labelled?
// Two networks of the same shape start from the same weights; one is pre-trained layer by
// layer on the unlabelled images (your task 1), then both get a softmax layer and are
// fine-tuned alike on the labelled images, and both are measured on the test images.
//
// Use your greedy_pretrain and the given load_data, make_stack, make_classifier, fine_tune
// and accuracy (hw3.hpp). Fill in every field of ExperimentResult: the tests recompute the
// accuracies from the networks you return.
#include <fmt/core.h>

#include "exercises/hw3/hw3.hpp"
#include "tensor/ops.hpp"

namespace ae::hw3 {

ExperimentResult run_experiment(const ExperimentOptions& options) {
  if (options.hidden.empty() || options.fine_tune_epochs < 1 || options.fine_tune_batch_size < 1 ||
      !(options.fine_tune_lr > 0) || !(options.weight_decay >= 0))
    throw Error(fmt::format("run_experiment: {} layers, fine_tune_epochs = {}, fine_tune_batch_size = {}, "
                            "fine_tune_lr = {} (all must be positive) and weight_decay = {} (>= 0)",
                            options.hidden.size(), options.fine_tune_epochs, options.fine_tune_batch_size,
                            options.fine_tune_lr, options.weight_decay));
  // BEGIN SOLUTION task 5 run_experiment
  const Hw3Data data = load_data(options);
  ExperimentResult result;
  result.dataset = data.dataset;
  result.data_dir = data.dir;
  const int64_t d = data.unlabelled.size(1);
  // Two generators with one seed: both networks start from the same weights.
  Generator pretrained_init(options.seed), random_init(options.seed);
  Stack pretrained = make_stack(d, options.hidden, pretrained_init);
  const Stack random = make_stack(d, options.hidden, random_init);
  // No labels here: the unlabelled images only.
  result.pretrain_losses = greedy_pretrain(pretrained, data.unlabelled, options.pretrain);

  const int64_t classes = 10;
  result.pretrained = make_classifier(pretrained, classes);
  result.random = make_classifier(random, classes);
  result.pretrained_fine_tune_losses =
      fine_tune(result.pretrained, data.labelled, data.labels, options.fine_tune_epochs,
                options.fine_tune_batch_size, options.fine_tune_lr, options.weight_decay, options.seed + 1,
                options.verbose, "pre-trained");
  result.random_fine_tune_losses =
      fine_tune(result.random, data.labelled, data.labels, options.fine_tune_epochs, options.fine_tune_batch_size,
                options.fine_tune_lr, options.weight_decay, options.seed + 1, options.verbose, "random");
  result.pretrained_test_accuracy = accuracy(result.pretrained, data.test_images, data.test_labels);
  result.random_test_accuracy = accuracy(result.random, data.test_images, data.test_labels);
  if (options.verbose)
    fmt::print("result: {} test images, accuracy with {} labels: pre-trained {:.2f}%, random {:.2f}%\n",
               data.test_images.size(0), data.labelled.size(0), 100.0 * result.pretrained_test_accuracy,
               100.0 * result.random_test_accuracy);
  return result;
  // END SOLUTION
}

}  // namespace ae::hw3
