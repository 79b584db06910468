// HW3: the given parts — one layer's encoder and reconstruction, the initial weights, the
// classifier's forward pass, fine-tuning, accuracy, loading the images and the argument
// checks. Not graded; read them, do not edit them.
#include <chrono>
#include <cstdio>

#include <fmt/core.h>

#include "autograd/ops.hpp"
#include "exercises/common/support.hpp"
#include "exercises/hw3/hw3.hpp"
#include "nn/data/images.hpp"
#include "nn/data/loader.hpp"
#include "nn/init.hpp"
#include "nn/losses.hpp"
#include "nn/optim.hpp"
#include "tensor/ops.hpp"

namespace ae::hw3 {

void require_dims(const Tensor& t, int64_t dims, const char* op, const char* name) {
  if (!t.defined()) throw Error(fmt::format("{}: {} is undefined", op, name));
  if (t.dim() != dims)
    throw Error(fmt::format("{}: {} must be {}-D, got shape {}", op, name, dims, to_string(t.shape())));
}

Tensor encode(const AutoencoderLayer& layer, const Tensor& X) {
  require_dims(X, 2, "encode", "X");
  if (X.size(1) != layer.input_size())
    throw Error(fmt::format("encode: X has shape {}, the layer takes {} inputs", to_string(X.shape()),
                            layer.input_size()));
  return tensor::sigmoid(tensor::matmul(X, layer.W.value().t()) + layer.b.value());
}

Variable reconstruct(const AutoencoderLayer& layer, const Variable& H) {
  require_dims(H.value(), 2, "reconstruct", "H");
  if (H.shape()[1] != layer.input_size())
    throw Error(fmt::format("reconstruct: H has shape {}, the layer takes {} inputs", to_string(H.shape()),
                            layer.input_size()));
  // linear(h, W, b) = h Wᵀ + b is the row-per-example form of W h + b.
  const Variable code = sigmoid(linear(H, layer.W, layer.b));
  return sigmoid(linear(code, layer.W_star, layer.c));
}

Stack make_stack(int64_t input_size, const std::vector<int64_t>& hidden, Generator& gen) {
  if (input_size < 1 || hidden.empty())
    throw Error(fmt::format("make_stack: input_size = {} and {} layers, expected >= 1 of each", input_size,
                            hidden.size()));
  Stack stack;
  int64_t in = input_size;
  for (int64_t k : hidden) {
    if (k < 1) throw Error(fmt::format("make_stack: a layer of {} units", k));
    Tensor W = tensor::empty({k, in});
    Tensor W_star = tensor::empty({in, k});
    nn::xavier_uniform_(W, gen);
    nn::xavier_uniform_(W_star, gen);
    stack.push_back({Variable(W, true), Variable(tensor::zeros({k}), true), Variable(W_star, true),
                     Variable(tensor::zeros({in}), true)});
    in = k;
  }
  return stack;
}

std::vector<Variable> Classifier::parameters() const {
  std::vector<Variable> params;
  for (size_t l = 0; l < W.size(); ++l) {
    params.push_back(W[l]);
    params.push_back(b[l]);
  }
  params.push_back(softmax_W);
  params.push_back(softmax_b);
  return params;
}

Classifier make_classifier(const Stack& stack, int64_t classes) {
  if (stack.empty() || classes < 2)
    throw Error(fmt::format("make_classifier: {} layers and {} classes, expected >= 1 and >= 2", stack.size(),
                            classes));
  Classifier net;
  for (const AutoencoderLayer& layer : stack) {
    net.W.emplace_back(layer.W.value().clone(), true);
    net.b.emplace_back(layer.b.value().clone(), true);
  }
  const int64_t top = stack.back().code_size();
  net.softmax_W = Variable(tensor::zeros({classes, top}), true);
  net.softmax_b = Variable(tensor::zeros({classes}), true);
  return net;
}

Variable logits(const Classifier& net, const Variable& X) {
  require_dims(X.value(), 2, "logits", "X");
  if (net.W.empty() || X.shape()[1] != net.W[0].shape()[1])
    throw Error(fmt::format("logits: X has shape {}, the network takes {} inputs", to_string(X.shape()),
                            net.W.empty() ? 0 : net.W[0].shape()[1]));
  Variable h = X;
  for (size_t l = 0; l < net.W.size(); ++l) h = sigmoid(linear(h, net.W[l], net.b[l]));
  return linear(h, net.softmax_W, net.softmax_b);
}

std::vector<double> fine_tune(Classifier& net, const Tensor& X, const std::vector<int>& labels, int epochs,
                              int64_t batch_size, float lr, double lambda, uint64_t seed, bool verbose,
                              const char* name) {
  require_dims(X, 2, "fine_tune", "X");
  if (static_cast<int64_t>(labels.size()) != X.size(0))
    throw Error(fmt::format("fine_tune: {} labels for X of shape {}", labels.size(), to_string(X.shape())));
  nn::SgdOptions sgd;
  sgd.lr = lr;
  sgd.momentum = 0.9f;
  nn::SGD optimizer(net.parameters(), sgd);
  data::BatchLoader loader(X.size(0), batch_size, /*shuffle=*/true, seed);
  std::vector<double> losses;
  const auto start = std::chrono::steady_clock::now();
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    double loss_sum = 0;
    int64_t seen = 0;
    for (auto batch : loader.next_epoch()) {
      const Tensor xb = data::gather_rows(X, batch);
      std::vector<int> yb;
      for (int64_t i : batch) yb.push_back(labels[static_cast<size_t>(i)]);
      optimizer.zero_grad();
      Variable cost = nn::cross_entropy(logits(net, Variable(xb)), std::span<const int>(yb));
      if (lambda != 0) cost = cost + sum(net.softmax_W * net.softmax_W) * static_cast<float>(0.5 * lambda);
      cost.backward();
      optimizer.step();
      loss_sum += static_cast<double>(cost.item()) * static_cast<double>(batch.size());
      seen += static_cast<int64_t>(batch.size());
    }
    losses.push_back(loss_sum / static_cast<double>(seen));
    if (verbose && (epoch == 1 || epoch == epochs || epoch % 10 == 0)) {
      fmt::print("{} network: fine-tuning epoch {}/{}, cost {:.4f} ({:.1f} s)\n", name, epoch, epochs,
                 losses.back(), std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      std::fflush(stdout);
    }
  }
  return losses;
}

double accuracy(const Classifier& net, const Tensor& X, const std::vector<int>& labels) {
  require_dims(X, 2, "accuracy", "X");
  if (static_cast<int64_t>(labels.size()) != X.size(0) || labels.empty())
    throw Error(fmt::format("accuracy: {} labels for X of shape {}", labels.size(), to_string(X.shape())));
  NoGradGuard no_grad;
  const std::vector<float> predicted = tensor::argmax(logits(net, Variable(X)).value(), 1).to_vector();
  int64_t right = 0;
  for (size_t i = 0; i < labels.size(); ++i) right += static_cast<int>(predicted[i]) == labels[i] ? 1 : 0;
  return static_cast<double>(right) / static_cast<double>(labels.size());
}

Hw3Data load_data(const ExperimentOptions& options) {
  if (options.unlabelled_size < 1 || options.labelled_size < 1 || options.test_size < 1 ||
      options.labelled_size > options.unlabelled_size)
    throw Error(fmt::format("load_data: unlabelled_size = {}, labelled_size = {}, test_size = {} (all need "
                            ">= 1, and labelled_size <= unlabelled_size)",
                            options.unlabelled_size, options.labelled_size, options.test_size));
  Hw3Data data;
  const exercises::FoundImages found = exercises::find_images(options.data_dir);
  data.dir = found.dir;
  data.dataset = found.dataset;
  data::ImageSet train = data::load_images(data.dir, "train", options.unlabelled_size);
  data::ImageSet test = data::load_images(data.dir, "t10k", options.test_size);
  if (train.images.size(0) < options.unlabelled_size || test.images.size(0) < options.test_size)
    throw Error(fmt::format("load_data: {} holds {} training and {} test images, fewer than the {} and {} "
                            "asked for",
                            data.dir.string(), train.images.size(0), test.images.size(0), options.unlabelled_size,
                            options.test_size));
  data.unlabelled = train.images;
  std::vector<int64_t> first(static_cast<size_t>(options.labelled_size));
  for (size_t i = 0; i < first.size(); ++i) first[i] = static_cast<int64_t>(i);
  data.labelled = data::gather_rows(train.images, first);
  data.labels.assign(train.labels.begin(), train.labels.begin() + options.labelled_size);
  data.test_images = test.images;
  data.test_labels = test.labels;
  if (options.verbose)
    fmt::print("data: {} from {}: {} unlabelled training images, the first {} with labels, {} test images\n",
               data.dataset, data.dir.string(), data.unlabelled.size(0), data.labelled.size(0),
               data.test_images.size(0));
  return data;
}

}  // namespace ae::hw3
