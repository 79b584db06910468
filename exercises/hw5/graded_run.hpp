#pragma once
// The configuration of task 5's graded run: MovieLens-100K's u1 split, a small AutoRec and
// few epochs, so that the run takes seconds, yet enough training for it to predict the
// held-out ratings clearly better than the item means. `hw5 --graded` runs the same.
// With seeds 0 to 3 this run leaves the AutoRec's RMSE on u1.test 0.09 to 0.10 below the
// item means' (1.033), well past the 0.04 the test asks for.
#include "exercises/hw5/hw5.hpp"

namespace ae::hw5 {

inline ExperimentOptions graded_run_options() {
  ExperimentOptions options;
  options.split = "u1";
  options.hidden = 200;
  options.epochs = 20;
  options.batch_size = 32;
  options.lr = 0.003f;
  options.lambda = 0.001f;
  options.seed = 0;
  return options;
}

}  // namespace ae::hw5
