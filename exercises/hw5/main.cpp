// hw5 — runs the HW5 experiment (task 5) with your functions: an item-based AutoRec against
// the item-mean baseline, by their RMSE on a MovieLens-100K split's test ratings.
//
//   build/exercises/hw5                      the default run (u1, 200 hidden units, 40 epochs)
//   build/exercises/hw5 --graded             the run the grader uses
//   build/exercises/hw5 --split u3 --hidden 500 --epochs 100
#include <fmt/core.h>

#include "exercises/common/experiment_main.hpp"
#include "exercises/hw5/graded_run.hpp"
#include "exercises/hw5/hw5.hpp"

int main(int argc, char** argv) {
  using ae::hw5::ExperimentOptions;
  using namespace ae::exercises;
  return experiment_main<ExperimentOptions>(
      argc, argv,
      {"hw5",
       "An item-based AutoRec trained on a MovieLens-100K split, against every item's mean\n"
       "training rating, by their RMSE on the split's test ratings (HW5, task 5).\n"
       "--data is the ml-100k folder or its parent.",
       [](const auto&) { return ae::hw5::graded_run_options(); },
       [](CLI::App& app, ExperimentOptions& o) {
         app.add_option("--split", o.split, "u1 .. u5, ua or ub: train on NAME.base, test on NAME.test")
             ->type_name("NAME");
         add_count(app, "--hidden", o.hidden, "AutoRec's hidden units");
         add_count(app, "--epochs", o.epochs, "epochs");
         add_count(app, "--batch", o.batch_size, "items per mini-batch");
         add_positive(app, "--lr", o.lr, "Adam's learning rate");
         add_positive(app, "--lambda", o.lambda, "weight decay on W and V");
         add_count(app, "--seed", o.seed, "seed of the weights and the batch order");
       },
       [](ExperimentOptions& o) {
         const ae::hw5::ExperimentResult r = ae::hw5::run_experiment(o);
         fmt::print("\n{:<28} {:>8}\n", fmt::format("{}.test", o.split), "RMSE");
         fmt::print("{:<28} {:>8.4f}\n", "item means", r.baseline_rmse);
         fmt::print("{:<28} {:>8.4f}\n", "I-AutoRec", r.autorec_rmse);
       }});
}
