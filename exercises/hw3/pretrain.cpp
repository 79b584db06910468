// HW3 task 1: greedy layer-wise pre-training (lecture 002; Bengio et al. 2007).
//
// Layer l learns to rebuild the codes of the layers below it, which are frozen: their
// codes are plain data for layer l (tensors, no graph), and only layer l's parameters go
// to the optimizer. Use the given encode and reconstruct (support.cpp), autograd ops
// (autograd/ops.hpp), nn::SGD (nn/optim.hpp), data::BatchLoader and data::gather_rows
// (nn/data/loader.hpp).
#include <chrono>
#include <cstdio>

#include <fmt/core.h>

#include "autograd/ops.hpp"
#include "exercises/hw3/hw3.hpp"
#include "nn/data/loader.hpp"
#include "nn/optim.hpp"
#include "tensor/ops.hpp"

namespace ae::hw3 {

Tensor layer_input(const Stack& stack, size_t l, const Tensor& X) {
  require_dims(X, 2, "layer_input", "X");
  if (l >= stack.size())
    throw Error(fmt::format("layer_input: layer {} of a stack of {} layers", l, stack.size()));
  if (X.size(1) != stack[0].input_size())
    throw Error(fmt::format("layer_input: X has shape {}, layer 0 takes {} inputs", to_string(X.shape()),
                            stack[0].input_size()));
  // BEGIN SOLUTION task 1 layer_input
  // h_0 = X; h_{j+1} = σ(h_j W_jᵀ + b_j): the codes of every frozen layer below l in turn.
  Tensor H = X;
  for (size_t j = 0; j < l; ++j) H = encode(stack[j], H);
  return H;
  // END SOLUTION
}

std::vector<double> pretrain_layer(Stack& stack, size_t l, const Tensor& X, const PretrainOptions& options) {
  if (options.epochs < 1 || options.batch_size < 1 || !(options.lr > 0) || options.momentum < 0)
    throw Error(fmt::format("pretrain_layer: epochs = {}, batch_size = {}, lr = {} (all must be positive) and "
                            "momentum = {} (>= 0)",
                            options.epochs, options.batch_size, options.lr, options.momentum));
  // BEGIN SOLUTION task 1 pretrain_layer
  // The frozen layers' codes, once: data for layer l, with no graph back into them.
  const Tensor H = layer_input(stack, l, X);
  AutoencoderLayer& layer = stack[l];
  nn::SgdOptions sgd;
  sgd.lr = options.lr;
  sgd.momentum = options.momentum;
  nn::SGD optimizer(layer.parameters(), sgd);  // layer l's parameters, and no others
  data::BatchLoader loader(H.size(0), options.batch_size, /*shuffle=*/true, options.seed);
  std::vector<double> losses;
  const auto start = std::chrono::steady_clock::now();
  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    double loss_sum = 0;
    int64_t seen = 0;
    for (auto batch : loader.next_epoch()) {
      const Tensor target = data::gather_rows(H, batch);
      optimizer.zero_grad();
      const Variable loss =
          sum(square(reconstruct(layer, Variable(target)) - Variable(target))) / static_cast<float>(batch.size());
      loss.backward();
      optimizer.step();
      loss_sum += static_cast<double>(loss.item()) * static_cast<double>(batch.size());
      seen += static_cast<int64_t>(batch.size());
    }
    losses.push_back(loss_sum / static_cast<double>(seen));
    if (options.verbose) {
      fmt::print("layer {}: pre-training epoch {}/{}, loss {:.4f} ({:.1f} s)\n", l, epoch, options.epochs,
                 losses.back(), std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      std::fflush(stdout);
    }
  }
  return losses;
  // END SOLUTION
}

std::vector<std::vector<double>> greedy_pretrain(Stack& stack, const Tensor& X, const PretrainOptions& options) {
  if (stack.empty()) throw Error("greedy_pretrain: the stack has no layer");
  // BEGIN SOLUTION task 1 greedy_pretrain
  // Bottom up: layer l trains on the codes of layers 0 .. l-1 as they are after their own stage.
  std::vector<std::vector<double>> losses;
  for (size_t l = 0; l < stack.size(); ++l) losses.push_back(pretrain_layer(stack, l, X, options));
  return losses;
  // END SOLUTION
}

}  // namespace ae::hw3
