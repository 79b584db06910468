// hw1 — runs the HW1 experiment (task 6) with your functions: PCA against the sigmoid
// autoencoder at the same code size, on MNIST.
//
//   build/exercises/hw1                      the full run: 60,000 / 10,000 images, 10 epochs
//   build/exercises/hw1 --graded             the smaller run the grader uses
//   build/exercises/hw1 --data DIR --k 30 --epochs 20 --out out/hw1
#include <string>

#include <fmt/core.h>

#include "exercises/common/experiment_main.hpp"
#include "exercises/hw1/graded_run.hpp"
#include "exercises/hw1/hw1.hpp"
#include "nn/data/locate.hpp"

int main(int argc, char** argv) {
  using ae::hw1::ExperimentOptions;
  using namespace ae::exercises;
  return experiment_main<ExperimentOptions>(
      argc, argv,
      {"hw1",
       "PCA and a one-hidden-layer sigmoid autoencoder with the same code size k, fitted on the\n"
       "MNIST training images and compared on the test images (HW1, task 6).",
       [](const auto& data_dir) {
         // The graded run's settings depend on the data set found.
         std::string dataset = "mnist";
         try {
           dataset = ae::data::detect_dataset_name(ae::data::locate_dataset("mnist", data_dir));
         } catch (const ae::Error&) {
           if (!data_dir) dataset = "fashion-mnist";
         }
         ExperimentOptions options = ae::hw1::graded_run_options(dataset);
         options.out_dir = "out/hw1";
         return options;
       },
       [](CLI::App& app, ExperimentOptions& o) {
         add_count(app, "--train", o.train_size, "training images");
         add_count(app, "--test", o.test_size, "test images");
         add_count(app, "--k", o.k, "code size of both models");
         add_count(app, "--epochs", o.epochs, "autoencoder epochs");
         add_count(app, "--batch", o.batch_size, "mini-batch size");
         add_positive(app, "--lr", o.adam.lr, "Adam's learning rate");
         add_count(app, "--seed", o.seed, "seed of the weights and the batch order");
         app.add_option("--out", o.out_dir, "where the scatter plots go")->type_name("DIR");
       },
       [](ExperimentOptions& o) {
         const ae::hw1::ExperimentResult r = ae::hw1::run_experiment(o);
         fmt::print("\n{:<28} {:>12}\n", fmt::format("k = {}, {}", r.k, r.dataset), "error/image");
         fmt::print("{:<28} {:>12.3f}\n", "PCA", r.pca_error);
         fmt::print("{:<28} {:>12.3f}\n", "sigmoid autoencoder", r.ae_error);
         fmt::print("{}\n", r.ae_error < r.pca_error
                                ? "The nonlinear autoencoder reconstructs the test images better."
                                : "PCA reconstructs the test images better: train the autoencoder "
                                  "longer, or check tasks 4-5.");
       }});
}
