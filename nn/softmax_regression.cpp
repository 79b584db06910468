// Softmax regression by L-BFGS (nn/softmax_regression.hpp has the math).
#include "nn/softmax_regression.hpp"

#include <fmt/core.h>

#include "autograd/ops.hpp"
#include "nn/losses.hpp"

namespace ae::nn {

Variable softmax_cost(Linear& classifier, const Variable& features, std::span<const int> labels,
                      double weight_decay) {
  const Variable data_term = cross_entropy(classifier(features), labels);
  if (weight_decay == 0) return data_term;
  const Variable& W = classifier.weight;
  return data_term + sum(W * W) * static_cast<float>(0.5 * weight_decay);
}

LbfgsReport fit_softmax(Linear& classifier, const Tensor& features, std::span<const int> labels,
                        const SoftmaxOptions& options, const LbfgsMonitor& monitor) {
  if (features.dim() != 2 || features.shape()[1] != classifier.in_features()) {
    throw Error(fmt::format("fit_softmax: features must be (m, {}), got {}", classifier.in_features(),
                            to_string(features.shape())));
  }
  if (static_cast<int64_t>(labels.size()) != features.shape()[0]) {
    throw Error(fmt::format("fit_softmax: {} labels for {} feature rows", labels.size(),
                            features.shape()[0]));
  }
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] < 0 || labels[i] >= classifier.out_features()) {
      throw Error(fmt::format("fit_softmax: label {} of example {} is outside [0, {})", labels[i], i,
                              classifier.out_features()));
    }
  }
  if (options.weight_decay < 0) {
    throw Error(fmt::format("fit_softmax: weight_decay must be >= 0, got {}", options.weight_decay));
  }
  std::vector<Variable> params = {classifier.weight};
  if (classifier.bias.defined()) params.push_back(classifier.bias);
  const Variable x(features);
  LBFGS lbfgs(params, options.lbfgs);
  return lbfgs.minimize([&] { return softmax_cost(classifier, x, labels, options.weight_decay); },
                        monitor);
}

}  // namespace ae::nn
