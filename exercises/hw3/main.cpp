// hw3 — runs the HW3 experiment (task 5) with your functions: a stack pre-trained greedily
// on unlabelled MNIST images against the same stack randomly initialised, both fine-tuned
// on 1,000 labelled images.
//
//   build/exercises/hw3                      the default run (10,000 unlabelled images)
//   build/exercises/hw3 --graded             the smaller run the grader uses
//   build/exercises/hw3 --data DIR --labelled 500 --pretrain-epochs 5
#include <cstdint>
#include <string>

#include <fmt/core.h>

#include "exercises/common/experiment_main.hpp"
#include "exercises/hw3/graded_run.hpp"
#include "exercises/hw3/hw3.hpp"

int main(int argc, char** argv) {
  using ae::hw3::ExperimentOptions;
  using namespace ae::exercises;
  return experiment_main<ExperimentOptions>(
      argc, argv,
      {"hw3",
       "A stack of sigmoid layers pre-trained greedily on unlabelled MNIST images against the same\n"
       "stack randomly initialised, both fine-tuned on a few labelled images (HW3, task 5).",
       [](const auto&) { return ae::hw3::graded_run_options(); },
       [](CLI::App& app, ExperimentOptions& o) {
         add_count(app, "--unlabelled", o.unlabelled_size, "unlabelled training images");
         add_count(app, "--labelled", o.labelled_size, "the first N of them keep their labels");
         add_count(app, "--test", o.test_size, "test images");
         add_count(app, "--hidden", o.hidden, "units of every layer of the stack, K1,K2,...")->delimiter(',');
         add_count(app, "--pretrain-epochs", o.pretrain.epochs, "epochs of every layer's pre-training");
         add_positive(app, "--pretrain-lr", o.pretrain.lr, "SGD's learning rate in pre-training");
         add_count(app, "--epochs", o.fine_tune_epochs, "fine-tuning epochs");
         add_positive(app, "--lr", o.fine_tune_lr, "fine-tuning learning rate");
         // One seed for the weights, the fine-tuning batches and the pre-training.
         add_count(app, "--seed", o.seed, "seed of the weights, the fine-tuning batches and the pre-training")
             ->each([&o](const std::string& seed) { o.pretrain.seed = std::stoull(seed); });
       },
       [](ExperimentOptions& o) {
         o.pretrain.verbose = o.verbose;
         const ae::hw3::ExperimentResult r = ae::hw3::run_experiment(o);
         fmt::print("\n{:<28} {:>14}\n", fmt::format("{} labels, {}", o.labelled_size, r.dataset),
                    "test accuracy");
         fmt::print("{:<28} {:>13.2f}%\n", "pre-trained stack", 100.0 * r.pretrained_test_accuracy);
         fmt::print("{:<28} {:>13.2f}%\n", "random initialisation", 100.0 * r.random_test_accuracy);
       }});
}
