#pragma once
// HW3's structures as runner messages (exercises/common/wire.hpp), shared by the runner's
// bindings (student_bindings.cpp) and the graded tests' proxy (tests/hw3_student.hpp), so
// both sides agree on the names. Given code: it calls none of the student's functions.
#include <string>
#include <vector>

#include <fmt/core.h>

#include "exercises/common/wire.hpp"
#include "exercises/hw3/hw3.hpp"
#include "tensor/ops.hpp"

namespace ae::hw3::protocol {

using exercises::Message;

inline const char* const kLayerNames[] = {"W", "b", "W_star", "c"};

inline Tensor copy_of(const Variable& v) { return v.value().contiguous().clone(); }

/// The stack as layers, <prefix>layer<l>_<W|b|W_star|c>.
inline void put_stack(Message& m, const Stack& stack, const std::string& prefix = "") {
  m.set(prefix + "layers", static_cast<int64_t>(stack.size()));
  for (size_t l = 0; l < stack.size(); ++l) {
    const std::vector<Variable> params = stack[l].parameters();
    for (size_t i = 0; i < params.size(); ++i)
      if (params[i].defined()) m.set(fmt::format("{}layer{}_{}", prefix, l, kLayerNames[i]), copy_of(params[i]));
  }
}

/// A stack whose parameters hold copies of the message's values and require gradients.
inline Stack get_stack(const Message& m, const std::string& prefix = "") {
  const int64_t layers = m.integer(prefix + "layers");
  if (layers < 0 || layers > 64) throw Error(fmt::format("get_stack: {} layers", layers));
  Stack stack;
  for (int64_t l = 0; l < layers; ++l) {
    auto param = [&](const char* name) {
      return Variable(m.tensor(fmt::format("{}layer{}_{}", prefix, l, name)).clone(), true);
    };
    stack.push_back({param("W"), param("b"), param("W_star"), param("c")});
  }
  return stack;
}

inline void put_pretrain_options(Message& m, const PretrainOptions& o, const std::string& prefix = "") {
  m.set(prefix + "epochs", int64_t{o.epochs}).set(prefix + "batch_size", o.batch_size);
  m.set(prefix + "lr", double{o.lr}).set(prefix + "momentum", double{o.momentum});
  m.set(prefix + "seed", static_cast<int64_t>(o.seed)).set(prefix + "verbose", int64_t{o.verbose});
}

inline PretrainOptions get_pretrain_options(const Message& m, const std::string& prefix = "") {
  PretrainOptions o;
  o.epochs = static_cast<int>(m.integer(prefix + "epochs"));
  o.batch_size = m.integer(prefix + "batch_size");
  o.lr = static_cast<float>(m.real(prefix + "lr"));
  o.momentum = static_cast<float>(m.real(prefix + "momentum"));
  o.seed = static_cast<uint64_t>(m.integer(prefix + "seed"));
  o.verbose = m.integer(prefix + "verbose") != 0;
  return o;
}

/// Labels as a float tensor (exact for the small integers they are).
inline Tensor labels_tensor(const std::vector<int>& labels) {
  std::vector<float> values(labels.begin(), labels.end());
  return tensor::from_vector(values, {static_cast<int64_t>(values.size())});
}

inline std::vector<int> get_labels(const Tensor& t) {
  std::vector<int> labels;
  for (float x : t.contiguous().to_vector()) labels.push_back(static_cast<int>(x));
  return labels;
}

inline Tensor numbers_tensor(const std::vector<double>& numbers) {
  std::vector<float> values(numbers.begin(), numbers.end());
  return tensor::from_vector(values, {static_cast<int64_t>(values.size())});
}

inline std::vector<double> get_numbers(const Tensor& t) {
  std::vector<double> numbers;
  for (float x : t.contiguous().to_vector()) numbers.push_back(x);
  return numbers;
}

inline void put_options(Message& m, const ExperimentOptions& o) {
  if (o.data_dir) m.set("data_dir", o.data_dir->string());
  m.set("unlabelled_size", o.unlabelled_size).set("labelled_size", o.labelled_size).set("test_size", o.test_size);
  std::vector<float> hidden(o.hidden.begin(), o.hidden.end());
  m.set("hidden", tensor::from_vector(hidden, {static_cast<int64_t>(hidden.size())}));
  put_pretrain_options(m, o.pretrain, "pretrain_");
  m.set("fine_tune_epochs", int64_t{o.fine_tune_epochs}).set("fine_tune_batch_size", o.fine_tune_batch_size);
  m.set("fine_tune_lr", double{o.fine_tune_lr}).set("weight_decay", o.weight_decay);
  m.set("seed", static_cast<int64_t>(o.seed)).set("verbose", int64_t{o.verbose});
}

inline ExperimentOptions get_options(const Message& m) {
  ExperimentOptions o;
  if (m.has("data_dir")) o.data_dir = m.text("data_dir");
  o.unlabelled_size = m.integer("unlabelled_size");
  o.labelled_size = m.integer("labelled_size");
  o.test_size = m.integer("test_size");
  o.hidden.clear();
  for (float k : m.tensor("hidden").to_vector()) o.hidden.push_back(static_cast<int64_t>(k));
  o.pretrain = get_pretrain_options(m, "pretrain_");
  o.fine_tune_epochs = static_cast<int>(m.integer("fine_tune_epochs"));
  o.fine_tune_batch_size = m.integer("fine_tune_batch_size");
  o.fine_tune_lr = static_cast<float>(m.real("fine_tune_lr"));
  o.weight_decay = m.real("weight_decay");
  o.seed = static_cast<uint64_t>(m.integer("seed"));
  o.verbose = m.integer("verbose") != 0;
  return o;
}

/// The classifier as <prefix>layers, <prefix>W<l>, <prefix>b<l>, <prefix>softmax_W, <prefix>softmax_b;
/// absent parameters are left out.
inline void put_classifier(Message& m, const Classifier& net, const std::string& prefix) {
  m.set(prefix + "layers", static_cast<int64_t>(net.W.size()));
  for (size_t l = 0; l < net.W.size() && l < net.b.size(); ++l) {
    if (net.W[l].defined()) m.set(fmt::format("{}W{}", prefix, l), copy_of(net.W[l]));
    if (net.b[l].defined()) m.set(fmt::format("{}b{}", prefix, l), copy_of(net.b[l]));
  }
  if (net.softmax_W.defined()) m.set(prefix + "softmax_W", copy_of(net.softmax_W));
  if (net.softmax_b.defined()) m.set(prefix + "softmax_b", copy_of(net.softmax_b));
}

/// The classifier as the runner reported it; ae::Error naming what is missing.
inline Classifier get_classifier(const Message& m, const std::string& prefix) {
  const int64_t layers = m.integer(prefix + "layers");
  if (layers < 1 || layers > 64) throw Error(fmt::format("the {}network has {} layers", prefix, layers));
  Classifier net;
  for (int64_t l = 0; l < layers; ++l) {
    net.W.emplace_back(m.tensor(fmt::format("{}W{}", prefix, l)));
    net.b.emplace_back(m.tensor(fmt::format("{}b{}", prefix, l)));
  }
  net.softmax_W = Variable(m.tensor(prefix + "softmax_W"));
  net.softmax_b = Variable(m.tensor(prefix + "softmax_b"));
  return net;
}

inline void put_result(Message& m, const ExperimentResult& r) {
  m.set("dataset", r.dataset).set("data_dir", r.data_dir.string());
  m.set("pretrain_layers", static_cast<int64_t>(r.pretrain_losses.size()));
  for (size_t l = 0; l < r.pretrain_losses.size(); ++l)
    m.set(fmt::format("pretrain_losses{}", l), numbers_tensor(r.pretrain_losses[l]));
  put_classifier(m, r.pretrained, "pretrained_");
  put_classifier(m, r.random, "random_");
  m.set("pretrained_fine_tune_losses", numbers_tensor(r.pretrained_fine_tune_losses));
  m.set("random_fine_tune_losses", numbers_tensor(r.random_fine_tune_losses));
  m.set("pretrained_test_accuracy", r.pretrained_test_accuracy).set("random_test_accuracy", r.random_test_accuracy);
}

inline ExperimentResult get_result(const Message& m) {
  ExperimentResult r;
  r.dataset = m.text("dataset");
  r.data_dir = m.text("data_dir");
  const int64_t layers = m.integer("pretrain_layers");
  for (int64_t l = 0; l < layers && l < 64; ++l)
    r.pretrain_losses.push_back(get_numbers(m.tensor(fmt::format("pretrain_losses{}", l))));
  r.pretrained = get_classifier(m, "pretrained_");
  r.random = get_classifier(m, "random_");
  r.pretrained_fine_tune_losses = get_numbers(m.tensor("pretrained_fine_tune_losses"));
  r.random_fine_tune_losses = get_numbers(m.tensor("random_fine_tune_losses"));
  r.pretrained_test_accuracy = m.real("pretrained_test_accuracy");
  r.random_test_accuracy = m.real("random_test_accuracy");
  return r;
}

}  // namespace ae::hw3::protocol
