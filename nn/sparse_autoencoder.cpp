// UFLDL's sparse autoencoder cost and its full-batch training (nn/sparse_autoencoder.hpp has
// the math).
#include "nn/sparse_autoencoder.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/core.h>

#include "autograd/ops.hpp"
#include "tensor/ops.hpp"

namespace ae::nn {

std::string to_string(SparsityPenalty p) {
  switch (p) {
    case SparsityPenalty::None: return "none";
    case SparsityPenalty::L1: return "L1";
    case SparsityPenalty::KL: return "KL";
  }
  return "?";
}

std::shared_ptr<Autoencoder> sigmoid_autoencoder(int64_t d, int64_t k, Generator& gen, std::string name) {
  if (name.empty()) name = fmt::format("sigmoid AE {}-{}-{}", d, k, d);
  return mlp_autoencoder({d, k}, gen,
                         {.hidden = Activation::Sigmoid, .code = Activation::Sigmoid,
                          .output = Activation::Sigmoid, .init = Init::XavierUniform},
                         std::move(name));
}

Linear& encoder_linear(Autoencoder& model) {
  if (model.encoder().size() == 0) throw Error("encoder_linear: " + model.name() + " has an empty encoder");
  return model.encoder().at<Linear>(0);
}

Linear& decoder_linear(Autoencoder& model) {
  if (model.decoder().size() == 0) throw Error("decoder_linear: " + model.name() + " has an empty decoder");
  return model.decoder().at<Linear>(0);
}

namespace {

void check_cost(const SparseAeCost& cost) {
  if (cost.penalty == SparsityPenalty::KL && !(cost.rho > 0.0f && cost.rho < 1.0f))
    throw Error(fmt::format("sparse_autoencoder_cost: rho must lie in (0, 1), got {}", cost.rho));
  if (!(cost.beta >= 0)) throw Error(fmt::format("sparse_autoencoder_cost: beta must be >= 0, got {}", cost.beta));
  if (!(cost.weight_decay >= 0))
    throw Error(fmt::format("sparse_autoencoder_cost: weight_decay must be >= 0, got {}", cost.weight_decay));
}

}  // namespace

namespace {

/// J's terms from the forward pass: the hidden code h, the reconstruction x_hat and the two
/// weight matrices that are decayed.
LossTerms cost_terms(const Variable& x, const Variable& h, const Variable& x_hat, const Variable& w1,
                     const Variable& w2, const SparseAeCost& cost) {
  const float m = static_cast<float>(x.shape()[0]);
  const Variable diff = x_hat - x;
  LossTerms terms{{"reconstruction", sum(diff * diff) * (0.5f / m)}};
  if (cost.beta > 0) {
    if (cost.penalty == SparsityPenalty::KL)
      terms.add("sparsity", kl_sparsity(cost.rho, mean_activation(h)) * static_cast<float>(cost.beta));
    else if (cost.penalty == SparsityPenalty::L1)
      terms.add("sparsity", l1_activity(h) * static_cast<float>(cost.beta));
  }
  if (cost.weight_decay > 0) {
    terms.add("weight decay", (sum(w1 * w1) + sum(w2 * w2)) * static_cast<float>(0.5 * cost.weight_decay));
  }
  return terms;
}

}  // namespace

LossTerms sparse_autoencoder_cost(Autoencoder& model, const Variable& x, const SparseAeCost& cost) {
  check_cost(cost);
  Linear& first = encoder_linear(model);
  if (x.dim() != 2 || x.shape()[1] != first.in_features())
    throw Error(fmt::format("sparse_autoencoder_cost: x must be (m, {}) for {}, got {}", first.in_features(),
                            model.name(), to_string(x.shape())));
  const Variable h = model.encoder()(x);
  const Variable x_hat = model.decoder()(h);
  return cost_terms(x, h, x_hat, first.weight, decoder_linear(model).weight, cost);
}

LossTerms sparse_autoencoder_cost(Linear& encoder, Linear& decoder, const Variable& x, const SparseAeCost& cost) {
  check_cost(cost);
  if (x.dim() != 2 || x.shape()[1] != encoder.in_features() || decoder.in_features() != encoder.out_features() ||
      decoder.out_features() != encoder.in_features()) {
    throw Error(fmt::format("sparse_autoencoder_cost: data {} does not fit {} and {}", to_string(x.shape()),
                            encoder.describe(), decoder.describe()));
  }
  const Variable h = sigmoid(encoder(x));
  const Variable x_hat = sigmoid(decoder(h));
  return cost_terms(x, h, x_hat, encoder.weight, decoder.weight, cost);
}

LbfgsReport fit_sparse_autoencoder(Autoencoder& model, const Tensor& x, const SparseAeCost& cost,
                                   const LbfgsOptions& options, const LbfgsMonitor& monitor) {
  check_cost(cost);
  const Variable data(x);
  model.train();
  LBFGS lbfgs(model.parameters(), options);
  return lbfgs.minimize([&] { return sparse_autoencoder_cost(model, data, cost).total(); }, monitor);
}

}  // namespace ae::nn
