// hw2 — runs the HW2 experiment (task 5) with your functions: a plain and a denoising
// autoencoder of the same size, compared on masked MNIST test images.
//
//   build/exercises/hw2                      the full run: 60,000 / 10,000 images, 5 epochs
//   build/exercises/hw2 --graded             the smaller run the grader uses
//   build/exercises/hw2 --data DIR --k 128 --v 0.5 --epochs 10
#include <fmt/core.h>

#include "exercises/common/experiment_main.hpp"
#include "exercises/hw2/graded_run.hpp"
#include "exercises/hw2/hw2.hpp"

int main(int argc, char** argv) {
  using ae::hw2::ExperimentOptions;
  using namespace ae::exercises;
  return experiment_main<ExperimentOptions>(
      argc, argv,
      {"hw2",
       "A plain and a denoising autoencoder with the same number of hidden units, trained on\n"
       "MNIST and compared on masked test images (HW2, task 5).",
       [](const auto&) { return ae::hw2::graded_run_options(); },
       [](CLI::App& app, ExperimentOptions& o) {
         add_count(app, "--train", o.train_size, "training images");
         add_count(app, "--test", o.test_size, "test images");
         add_count(app, "--k", o.k, "hidden units of both models");
         add_count(app, "--epochs", o.epochs, "epochs");
         add_count(app, "--batch", o.batch_size, "mini-batch size");
         add_positive(app, "--lr", o.lr, "Adam's learning rate");
         add_positive(app, "--v", o.v, "masking level, training and test");
         add_count(app, "--seed", o.seed, "seed of the weights, the batch order and the training noise");
       },
       [](ExperimentOptions& o) {
         const ae::hw2::ExperimentResult r = ae::hw2::run_experiment(o);
         fmt::print("\n{:<28} {:>12}\n", fmt::format("v = {}, {}", o.v, r.dataset), "error/image");
         fmt::print("{:<28} {:>12.3f}\n", "plain autoencoder", r.plain_noisy_error);
         fmt::print("{:<28} {:>12.3f}\n", "denoising autoencoder", r.denoising_noisy_error);
       }});
}
