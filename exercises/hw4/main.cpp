// hw4 — runs the HW4 experiment (task 5) with your functions: a VAE and a plain autoencoder
// of the same size decode the same random codes z ~ N(0, I), and their images are compared
// with the test images.
//
//   build/exercises/hw4                      the full run: 60,000 / 10,000 images, 10 epochs
//   build/exercises/hw4 --graded             the smaller run the grader uses
//   build/exercises/hw4 --data DIR --k 32 --beta 0.5 --epochs 20
#include <fmt/core.h>

#include "exercises/common/experiment_main.hpp"
#include "exercises/hw4/graded_run.hpp"
#include "exercises/hw4/hw4.hpp"

int main(int argc, char** argv) {
  using ae::hw4::ExperimentOptions;
  using namespace ae::exercises;
  return experiment_main<ExperimentOptions>(
      argc, argv,
      {"hw4",
       "A VAE and a plain autoencoder of the same size, trained on MNIST; both decode the same\n"
       "random codes z ~ N(0, I), and each generated image is compared with its nearest test\n"
       "image (HW4, task 5).",
       [](const auto&) { return ae::hw4::graded_run_options(); },
       [](CLI::App& app, ExperimentOptions& o) {
         add_count(app, "--train", o.train_size, "training images");
         add_count(app, "--test", o.test_size, "test images");
         add_count(app, "--hidden", o.hidden, "tanh units of each hidden layer");
         add_count(app, "--k", o.k, "latent dimensions");
         add_count(app, "--epochs", o.epochs, "epochs");
         add_count(app, "--batch", o.batch_size, "mini-batch size");
         add_positive(app, "--lr", o.lr, "Adam's learning rate");
         add_positive(app, "--beta", o.beta, "the VAE's KL weight");
         add_count(app, "--samples", o.num_samples, "codes decoded by each model");
         add_count(app, "--seed", o.seed, "seed of the weights, the batch order and the training noise");
         add_count(app, "--sample-seed", o.sample_seed, "seed of the decoded codes");
       },
       [](ExperimentOptions& o) {
         const ae::hw4::ExperimentResult r = ae::hw4::run_experiment(o);
         fmt::print("\n{:<28} {:>22}\n", fmt::format("{}, k = {}", r.dataset, o.k), "distance to nearest");
         fmt::print("{:<28} {:>22.2f}\n", "VAE samples", r.vae_sample_distance);
         fmt::print("{:<28} {:>22.2f}\n", "plain autoencoder samples", r.plain_sample_distance);
       }});
}
