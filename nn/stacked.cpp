// Stacked autoencoders (nn/stacked.hpp has the math).
#include "nn/stacked.hpp"

#include <cmath>
#include <utility>

#include <fmt/core.h>

#include "autograd/ops.hpp"
#include "nn/autoencoder.hpp"
#include "nn/init.hpp"
#include "nn/metrics.hpp"
#include "nn/optim.hpp"
#include "nn/softmax_regression.hpp"
#include "nn/sparse_autoencoder.hpp"
#include "tensor/ops.hpp"

namespace ae::nn {

namespace {

void check_rows(const char* who, const Tensor& x, int64_t width) {
  if (x.dim() != 2 || x.shape()[0] < 1 || (width > 0 && x.shape()[1] != width)) {
    throw Error(fmt::format("{}: expects data of shape (m, {}) with m >= 1, got {}", who,
                            width > 0 ? std::to_string(width) : std::string("d"), to_string(x.shape())));
  }
}

void check_labels(const char* who, std::span<const int> labels, int64_t rows, int64_t classes) {
  if (static_cast<int64_t>(labels.size()) != rows)
    throw Error(fmt::format("{}: {} labels for {} rows", who, labels.size(), rows));
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0 || labels[i] >= classes)
      throw Error(fmt::format("{}: label {} of example {} is outside [0, {})", who, labels[i], i, classes));
}

// f applied to the rows of x in blocks, so a 60000-row set never holds all its hidden
// activations and their temporaries at once.
template <class F>
Tensor by_blocks(const Tensor& x, F f) {
  constexpr int64_t block = 10000;
  const int64_t m = x.shape()[0];
  if (m <= block) return f(x);
  std::vector<Tensor> parts;
  for (int64_t i = 0; i < m; i += block) parts.push_back(f(x.slice(0, i, std::min(m, i + block))));
  return tensor::concat(parts, 0);
}

Tensor sigmoid_layer(const Linear& layer, const Tensor& x) {
  return tensor::sigmoid(tensor::addmm(layer.bias.value(), x, layer.weight.value().transpose(0, 1)));
}

}  // namespace

Tensor AutoencoderLayer::encode(const Tensor& x) const {
  check_rows("AutoencoderLayer::encode", x, encoder->in_features());
  return by_blocks(x, [&](const Tensor& b) { return sigmoid_layer(*encoder, b); });
}

Tensor AutoencoderLayer::reconstruct(const Tensor& x) const {
  check_rows("AutoencoderLayer::reconstruct", x, encoder->in_features());
  NoGradGuard no_grad;
  return by_blocks(x, [&](const Tensor& b) { return sigmoid((*decoder)(Variable(sigmoid_layer(*encoder, b)))).value(); });
}

// ---- the UFLDL sparse autoencoder --------------------------------------------------------

LossTerms sparse_autoencoder_cost(Linear& encoder, Linear& decoder, const Variable& x,
                                  const SparseAutoencoderOptions& options) {
  // One cost for every sparse autoencoder (nn/sparse_autoencoder.hpp): the KL penalty.
  const SparseAeCost cost{.penalty = SparsityPenalty::KL,
                          .rho = static_cast<float>(options.sparsity_target),
                          .beta = options.sparsity_weight,
                          .weight_decay = options.weight_decay};
  return sparse_autoencoder_cost(encoder, decoder, x, cost);
}

SparseAutoencoderFit train_sparse_autoencoder(const Tensor& x, int64_t hidden, Generator& gen,
                                              const SparseAutoencoderOptions& options,
                                              const LbfgsMonitor& monitor) {
  check_rows("train_sparse_autoencoder", x, 0);
  if (hidden < 1) throw Error(fmt::format("train_sparse_autoencoder: hidden size must be >= 1, got {}", hidden));
  const int64_t in = x.shape()[1];
  SparseAutoencoderFit out;
  auto encoder = std::make_shared<Linear>(in, hidden, gen, Init::XavierUniform);
  auto decoder = std::make_shared<Linear>(hidden, in, gen, Init::XavierUniform);
  // UFLDL's initializeParameters: r = sqrt(6 / (hidden + visible + 1)).
  const float r = static_cast<float>(std::sqrt(6.0 / static_cast<double>(in + hidden + 1)));
  uniform_(encoder->weight.value(), gen, -r, r);
  uniform_(decoder->weight.value(), gen, -r, r);
  const Variable data(x);
  LBFGS lbfgs({encoder->weight, encoder->bias, decoder->weight, decoder->bias}, options.lbfgs);
  out.report = lbfgs.minimize([&] { return sparse_autoencoder_cost(*encoder, *decoder, data, options).total(); },
                              monitor);
  out.layer = {encoder, decoder};
  return out;
}

// ---- the denoising autoencoder ----------------------------------------------------------

DenoisingAutoencoderFit train_denoising_autoencoder(const Tensor& x, int64_t hidden, Generator& gen,
                                                    const DenoisingAutoencoderOptions& options) {
  check_rows("train_denoising_autoencoder", x, 0);
  if (hidden < 1) throw Error(fmt::format("train_denoising_autoencoder: hidden size must be >= 1, got {}", hidden));
  if (!(options.corruption >= 0 && options.corruption < 1))
    throw Error(fmt::format("train_denoising_autoencoder: corruption must lie in [0, 1), got {}", options.corruption));
  const int64_t in = x.shape()[1];
  auto encoder = std::make_shared<Linear>(in, hidden, gen, Init::XavierUniform);
  xavier_uniform_(encoder->weight.value(), gen, 4.0f);
  auto decoder = std::make_shared<TiedLinear>(encoder);
  Sequential model;
  model.add(std::make_shared<MaskingNoise>(options.corruption, options.seed + 1));
  model.add(encoder);
  model.add(std::make_shared<Sigmoid>());
  model.add(decoder);
  SGD sgd(model.parameters(), {.lr = options.learning_rate});
  FitOptions fo;
  fo.epochs = options.epochs;
  fo.batch_size = options.batch_size;
  fo.seed = options.seed;
  fo.label = fmt::format("denoising AE {}-{}, epoch", in, hidden);
  fo.on_epoch_end = options.on_epoch_end;
  DenoisingAutoencoderFit out;
  // bce_with_logits on the decoder's pre-activation is the cross-entropy of sigmoid(·),
  // computed without taking the log of a saturated sigmoid; Sum / batch: summed over pixels.
  out.history = fit(model, sgd, Dataset(x), [&](const Batch& b) {
    return bce_with_logits(model(b[0]), b[0], Reduction::Sum) * (1.0f / static_cast<float>(b.size()));
  }, fo);
  out.layer = {encoder, decoder};
  return out;
}

// ---- the stack -----------------------------------------------------------------------------

std::vector<AutoencoderLayer> greedy_pretrain(const Tensor& x, const std::vector<int64_t>& hidden,
                                              const LayerTrainer& train_layer, const LayerDone& done) {
  check_rows("greedy_pretrain", x, 0);
  if (hidden.empty()) throw Error("greedy_pretrain: no hidden layer sizes given");
  for (int64_t h : hidden)
    if (h < 1) throw Error(fmt::format("greedy_pretrain: hidden sizes must be >= 1, got {}", h));
  std::vector<AutoencoderLayer> layers;
  Tensor input = x;
  for (std::size_t l = 0; l < hidden.size(); ++l) {
    AutoencoderLayer layer = train_layer(l, input, hidden[l]);
    if (!layer.encoder || layer.encoder->in_features() != input.shape()[1] ||
        layer.encoder->out_features() != hidden[l]) {
      throw Error(fmt::format("greedy_pretrain: the trainer of layer {} must return an encoder {} -> {}", l + 1,
                              input.shape()[1], hidden[l]));
    }
    input = layer.encode(input);  // the frozen codes: plain data for the next layer
    if (done) done(l, layer, input);
    layers.push_back(std::move(layer));
  }
  return layers;
}

StackedClassifier::StackedClassifier(std::vector<std::shared_ptr<Linear>> encoders, std::shared_ptr<Linear> softmax)
    : encoders_(std::move(encoders)), softmax_(std::move(softmax)) {
  if (!softmax_) throw Error("StackedClassifier: no softmax layer");
  for (std::size_t l = 0; l < encoders_.size(); ++l) {
    if (!encoders_[l]) throw Error(fmt::format("StackedClassifier: encoder {} is missing", l + 1));
    if (l > 0 && encoders_[l]->in_features() != encoders_[l - 1]->out_features())
      throw Error(fmt::format("StackedClassifier: encoder {} ({}) does not take the {} outputs of encoder {}", l + 1,
                              encoders_[l]->describe(), encoders_[l - 1]->out_features(), l));
    register_module("encoder" + std::to_string(l + 1), encoders_[l]);
  }
  const int64_t top = encoders_.empty() ? softmax_->in_features() : encoders_.back()->out_features();
  if (softmax_->in_features() != top)
    throw Error(fmt::format("StackedClassifier: the softmax layer {} does not take the top code of size {}",
                            softmax_->describe(), top));
  register_module("softmax", softmax_);
}

std::shared_ptr<StackedClassifier> StackedClassifier::from_layers(const std::vector<AutoencoderLayer>& layers,
                                                                  int64_t classes, Generator& gen) {
  if (layers.empty()) throw Error("StackedClassifier::from_layers: no layers");
  std::vector<std::shared_ptr<Linear>> encoders;
  for (const AutoencoderLayer& l : layers) encoders.push_back(l.encoder);
  auto softmax = std::make_shared<Linear>(encoders.back()->out_features(), classes, gen, Init::XavierUniform);
  return std::make_shared<StackedClassifier>(std::move(encoders), std::move(softmax));
}

Variable StackedClassifier::features(const Variable& x) {
  Variable h = x;
  for (const auto& e : encoders_) h = sigmoid((*e)(h));
  return h;
}

Variable StackedClassifier::forward(const Variable& x) { return (*softmax_)(features(x)); }

Tensor StackedClassifier::encode(const Tensor& x) {
  const int64_t in = encoders_.empty() ? softmax_->in_features() : encoders_.front()->in_features();
  check_rows("StackedClassifier::encode", x, in);
  return by_blocks(x, [&](const Tensor& b) {
    Tensor h = b;
    for (const auto& e : encoders_) h = sigmoid_layer(*e, h);
    return h;
  });
}

std::vector<int> StackedClassifier::predict(const Tensor& x) {
  const Tensor h = encode(x);
  return predicted_classes(tensor::addmm(softmax_->bias.value(), h, softmax_->weight.value().transpose(0, 1)));
}

std::string StackedClassifier::describe() const {
  std::string s = "StackedClassifier(";
  for (const auto& e : encoders_) s += std::to_string(e->in_features()) + "-";
  return s + std::to_string(softmax_->in_features()) + "-" + std::to_string(softmax_->out_features()) + ")";
}

std::shared_ptr<Linear> copy_linear(const Linear& layer) {
  Generator unused(0);  // the values are overwritten below
  auto out = std::make_shared<Linear>(layer.in_features(), layer.out_features(), unused, Init::XavierUniform,
                                      layer.bias.defined());
  out->weight.value().copy_(layer.weight.value());
  if (layer.bias.defined()) out->bias.value().copy_(layer.bias.value());
  return out;
}

std::shared_ptr<StackedClassifier> StackedClassifier::clone() const {
  std::vector<std::shared_ptr<Linear>> encoders;
  for (const auto& e : encoders_) encoders.push_back(copy_linear(*e));
  return std::make_shared<StackedClassifier>(std::move(encoders), copy_linear(*softmax_));
}

LbfgsReport fine_tune_lbfgs(StackedClassifier& network, const Tensor& x, std::span<const int> labels,
                            const FineTuneOptions& options, const LbfgsMonitor& monitor) {
  const int64_t in = network.encoders().empty() ? network.softmax().in_features()
                                                : network.encoders().front()->in_features();
  check_rows("fine_tune_lbfgs", x, in);
  check_labels("fine_tune_lbfgs", labels, x.shape()[0], network.softmax().out_features());
  network.train();
  const Variable data(x);
  LBFGS lbfgs(network.parameters(), options.lbfgs);
  return lbfgs.minimize(
      [&] { return softmax_cost(network.softmax(), network.features(data), labels, options.weight_decay); }, monitor);
}

EarlyStoppingReport fine_tune_sgd(StackedClassifier& network, const Tensor& x, std::span<const int> labels,
                                  const Tensor& validation_x, std::span<const int> validation_labels,
                                  const EarlyStoppingOptions& options) {
  const int64_t in = network.encoders().empty() ? network.softmax().in_features()
                                                : network.encoders().front()->in_features();
  const int64_t classes = network.softmax().out_features();
  check_rows("fine_tune_sgd", x, in);
  check_rows("fine_tune_sgd (validation)", validation_x, in);
  check_labels("fine_tune_sgd", labels, x.shape()[0], classes);
  check_labels("fine_tune_sgd (validation)", validation_labels, validation_x.shape()[0], classes);
  if (options.max_epochs < 1 || options.patience < 1)
    throw Error(fmt::format("fine_tune_sgd: max_epochs ({}) and patience ({}) must be >= 1", options.max_epochs,
                            options.patience));
  // The labels travel with the rows through the shuffle as a float column.
  std::vector<float> label_values(labels.begin(), labels.end());
  const Tensor label_column = tensor::from_vector(label_values, {x.shape()[0]});
  const std::vector<int> truth(validation_labels.begin(), validation_labels.end());

  SGD sgd(network.parameters(), {.lr = options.learning_rate});
  EarlyStoppingReport report;
  std::vector<Tensor> best;
  auto snapshot = [&] {
    best.clear();
    for (const Variable& p : network.parameters()) best.push_back(p.value().clone());
  };
  snapshot();
  report.best_validation_error = 1.0 - accuracy(network.predict(validation_x), truth);
  for (int epoch = 1; epoch <= options.max_epochs; ++epoch) {
    FitOptions fo;
    fo.epochs = 1;
    fo.batch_size = options.batch_size;
    fo.seed = options.seed + static_cast<uint64_t>(epoch);
    fo.progress = ProgressMode::Off;
    const History h = fit(network, sgd, Dataset({x, label_column}), [&](const Batch& b) {
      const std::vector<float> l = b[1].to_vector();
      const std::vector<int> batch_labels(l.begin(), l.end());
      return cross_entropy(network(b[0]), std::span<const int>(batch_labels));
    }, fo);
    report.epochs = epoch;
    const double error = 1.0 - accuracy(network.predict(validation_x), truth);
    if (options.on_epoch_end) options.on_epoch_end(epoch, h.epochs.back().train_loss, error);
    if (error < report.best_validation_error) {
      report.best_validation_error = error;
      report.best_epoch = epoch;
      snapshot();
    } else if (epoch - report.best_epoch >= options.patience) {
      break;
    }
  }
  std::vector<Variable> params = network.parameters();
  for (std::size_t i = 0; i < params.size(); ++i) params[i].value().copy_(best[i]);
  return report;
}

Tensor composed_filters(const std::vector<Tensor>& weights) {
  if (weights.empty()) throw Error("composed_filters: no weights");
  Tensor product = weights.front();
  for (std::size_t l = 1; l < weights.size(); ++l) {
    const Tensor& w = weights[l];
    if (w.dim() != 2 || product.dim() != 2 || w.shape()[1] != product.shape()[0])
      throw Error(fmt::format("composed_filters: weight {} has shape {}, which does not take the {} rows below it",
                              l + 1, to_string(w.shape()), product.shape()[0]));
    product = tensor::matmul(w, product);
  }
  return product;
}

}  // namespace ae::nn
