// HW5 task 5: the experiment — an item-based AutoRec (I-AutoRec) against the item-mean
// baseline on a MovieLens-100K split, both judged by their RMSE on the split's test ratings.
//
// Use the given load_data, rating_matrix, make_autorec, reconstruct and predict_ratings
// (hw5.hpp), your autorec_loss and autorec_loss_grad (task 3), item_means and rmse
// (task 4). nn/data/loader.hpp has a seeded BatchLoader and gather_rows; nn/optim.hpp has
// nn::Adam, whose weight_decay option adds λ p to a parameter's gradient — the gradient
// of (λ/2) ||p||². Fill in every field of ExperimentResult: the tests recompute the
// predictions and the RMSEs from the model you return.
#include <chrono>
#include <cstdio>

#include <fmt/core.h>

#include "exercises/hw5/hw5.hpp"
#include "nn/data/loader.hpp"
#include "nn/optim.hpp"
#include "tensor/ops.hpp"

namespace ae::hw5 {

ExperimentResult run_experiment(const ExperimentOptions& options) {
  if (options.hidden < 1 || options.epochs < 1 || options.batch_size < 1 || !(options.lr > 0) ||
      !(options.lambda >= 0))
    throw Error(fmt::format("run_experiment: hidden = {}, epochs = {}, batch_size = {}, lr = {} "
                            "(all must be positive) and lambda = {} (>= 0)",
                            options.hidden, options.epochs, options.batch_size, options.lr,
                            options.lambda));
  // BEGIN SOLUTION task 5 run_experiment
  const Hw5Data data = load_data(options.data_dir, options.split, options.verbose);
  ExperimentResult result;
  result.data_dir = data.dir;
  result.num_users = data.num_users;
  result.num_items = data.num_items;

  // The baseline: every item's mean training rating.
  const Tensor means = item_means(data.train, data.num_items);
  std::vector<float> baseline;
  for (const Rating& r : data.test) baseline.push_back(means.data()[r.item]);
  result.baseline_predictions = tensor::from_vector(baseline, {static_cast<int64_t>(baseline.size())});
  const Tensor actual = rating_values(data.test);
  result.baseline_rmse = rmse(result.baseline_predictions, actual);

  // I-AutoRec: one sample per item, its training ratings by every user.
  const Tensor X_items = rating_matrix(data.train, data.num_users, data.num_items).t().contiguous();
  Generator init(options.seed);
  result.model = make_autorec(data.num_users, options.hidden, init);
  // Weight decay on W and V only, as in the loss; the biases are not penalised.
  nn::AdamOptions decayed, plain;
  decayed.lr = plain.lr = options.lr;
  decayed.weight_decay = options.lambda;
  nn::Adam weights({result.model.V, result.model.W}, decayed);
  nn::Adam biases({result.model.mu, result.model.b}, plain);
  data::BatchLoader loader(data.num_items, options.batch_size, /*shuffle=*/true, options.seed);
  const auto start = std::chrono::steady_clock::now();
  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    double loss_sum = 0;
    int64_t batches = 0;
    for (auto batch : loader.next_epoch()) {
      const Tensor X = data::gather_rows(X_items, batch);
      weights.zero_grad();
      biases.zero_grad();
      const Variable X_hat = reconstruct(result.model, Variable(X));
      // An item of the batch may have no training rating; a batch with none has no loss.
      if (tensor::sum(X).item() == 0.0f) continue;
      loss_sum += autorec_loss(X_hat.value(), X, result.model.W.value(), result.model.V.value(),
                               options.lambda);
      ++batches;
      // The hand-written dL/dX̂, zero at unknown ratings, back through the network.
      X_hat.backward(autorec_loss_grad(X_hat.value(), X));
      weights.step();
      biases.step();
    }
    result.epoch_losses.push_back(loss_sum / static_cast<double>(batches));
    if (options.verbose) {
      fmt::print("epoch {}/{}: training loss {:.4f} ({:.1f} s)\n", epoch, options.epochs,
                 result.epoch_losses.back(),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      std::fflush(stdout);
    }
  }

  result.autorec_predictions = predict_ratings(result.model, X_items, data.test);
  result.autorec_rmse = rmse(result.autorec_predictions, actual);
  if (options.verbose)
    fmt::print("result: RMSE on {} test ratings ({}.test): item means {:.4f}, I-AutoRec {:.4f}\n",
               data.test.size(), options.split, result.baseline_rmse, result.autorec_rmse);
  return result;
  // END SOLUTION
}

}  // namespace ae::hw5
