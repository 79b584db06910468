#pragma once
// HW1's structures as runner messages (exercises/common/wire.hpp), shared by the runner's
// bindings (student_bindings.cpp) and the graded tests' proxy (tests/hw1_student.hpp), so
// both sides agree on the names. Given code: it calls none of the student's functions.
#include <string>
#include <vector>

#include <fmt/core.h>

#include "exercises/common/wire.hpp"
#include "exercises/hw1/hw1.hpp"
#include "tensor/ops.hpp"

namespace ae::hw1::protocol {

using exercises::Message;

inline const char* const kParameterNames[] = {"W", "b", "W_star", "c"};

/// The autoencoder's parameter values as W, b, W_star, c (prefix + name).
inline void put_autoencoder(Message& m, const Autoencoder& ae, const std::string& prefix = "") {
  const std::vector<Variable> params = ae.parameters();
  for (size_t i = 0; i < params.size(); ++i) m.set(prefix + kParameterNames[i], params[i].value().clone());
}

/// A model whose parameters hold (copies of) the message's values and require gradients.
inline Autoencoder get_autoencoder(const Message& m, const std::string& prefix = "") {
  auto param = [&](const char* name) { return Variable(m.tensor(prefix + name).clone(), true); };
  return Autoencoder{param("W"), param("b"), param("W_star"), param("c")};
}

inline void put_adam(Message& m, const Adam& adam) {
  m.set("lr", double{adam.options.lr}).set("beta1", double{adam.options.beta1});
  m.set("beta2", double{adam.options.beta2}).set("eps", double{adam.options.eps});
  m.set("step", adam.step).set("state_size", static_cast<int64_t>(adam.m.size()));
  for (size_t i = 0; i < adam.m.size(); ++i) {
    m.set(fmt::format("m{}", i), adam.m[i].clone());
    if (i < adam.v.size()) m.set(fmt::format("v{}", i), adam.v[i].clone());
  }
}

inline Adam get_adam(const Message& m) {
  Adam adam;
  adam.options.lr = static_cast<float>(m.real("lr"));
  adam.options.beta1 = static_cast<float>(m.real("beta1"));
  adam.options.beta2 = static_cast<float>(m.real("beta2"));
  adam.options.eps = static_cast<float>(m.real("eps"));
  adam.step = m.integer("step");
  const int64_t n = m.integer("state_size");
  if (n < 0 || n > 64) throw Error(fmt::format("{}: state_size = {}", m.what, n));
  for (int64_t i = 0; i < n; ++i) {
    adam.m.push_back(m.tensor(fmt::format("m{}", i)).clone());
    adam.v.push_back(m.tensor(fmt::format("v{}", i)).clone());
  }
  return adam;
}

inline void put_options(Message& m, const ExperimentOptions& o) {
  if (o.data_dir) m.set("data_dir", o.data_dir->string());
  m.set("train_size", o.train_size).set("test_size", o.test_size).set("k", o.k);
  m.set("epochs", int64_t{o.epochs}).set("batch_size", o.batch_size);
  m.set("lr", double{o.adam.lr}).set("beta1", double{o.adam.beta1});
  m.set("beta2", double{o.adam.beta2}).set("eps", double{o.adam.eps});
  m.set("max_iterations", int64_t{o.power.max_iterations});
  m.set("tolerance", double{o.power.tolerance});
  m.set("power_seed", static_cast<int64_t>(o.power.seed));
  m.set("seed", static_cast<int64_t>(o.seed)).set("out_dir", o.out_dir.string());
  m.set("verbose", int64_t{o.verbose});
}

inline ExperimentOptions get_options(const Message& m) {
  ExperimentOptions o;
  if (m.has("data_dir")) o.data_dir = m.text("data_dir");
  o.train_size = m.integer("train_size");
  o.test_size = m.integer("test_size");
  o.k = m.integer("k");
  o.epochs = static_cast<int>(m.integer("epochs"));
  o.batch_size = m.integer("batch_size");
  o.adam.lr = static_cast<float>(m.real("lr"));
  o.adam.beta1 = static_cast<float>(m.real("beta1"));
  o.adam.beta2 = static_cast<float>(m.real("beta2"));
  o.adam.eps = static_cast<float>(m.real("eps"));
  o.power.max_iterations = static_cast<int>(m.integer("max_iterations"));
  o.power.tolerance = static_cast<float>(m.real("tolerance"));
  o.power.seed = static_cast<uint64_t>(m.integer("power_seed"));
  o.seed = static_cast<uint64_t>(m.integer("seed"));
  o.out_dir = m.text("out_dir");
  o.verbose = m.integer("verbose") != 0;
  return o;
}

/// A tensor field that may be left empty by the student: absent from the message then.
inline void put_if_defined(Message& m, const std::string& name, const Tensor& t) {
  if (t.defined()) m.set(name, t.contiguous().clone());
}
inline Tensor get_if_present(const Message& m, const std::string& name) {
  return m.has(name) ? m.tensor(name) : Tensor();
}

inline void put_result(Message& m, const ExperimentResult& r) {
  m.set("dataset", r.dataset).set("data_dir", r.data_dir.string()).set("k", r.k);
  put_if_defined(m, "pca_mean", r.pca_mean);
  put_if_defined(m, "pca_components", r.pca_components);
  m.set("pca_error", r.pca_error).set("ae_error", r.ae_error);
  const std::vector<Variable> params = r.autoencoder.parameters();
  for (size_t i = 0; i < params.size(); ++i)
    if (params[i].defined()) put_if_defined(m, std::string("ae_") + kParameterNames[i], params[i].value());
  std::vector<float> losses(r.epoch_losses.begin(), r.epoch_losses.end());
  m.set("epoch_losses", tensor::from_vector(losses, {static_cast<int64_t>(losses.size())}));
  put_if_defined(m, "pca_codes_2d", r.pca_codes_2d);
  put_if_defined(m, "ae_codes_2d", r.ae_codes_2d);
  m.set("pca_scatter", r.pca_scatter.string()).set("ae_scatter", r.ae_scatter.string());
}

/// The result as the runner reported it. Paths stay as the runner wrote them (relative to
/// its working directory).
inline ExperimentResult get_result(const Message& m) {
  ExperimentResult r;
  r.dataset = m.text("dataset");
  r.data_dir = m.text("data_dir");
  r.k = m.integer("k");
  r.pca_mean = get_if_present(m, "pca_mean");
  r.pca_components = get_if_present(m, "pca_components");
  r.pca_error = m.real("pca_error");
  r.ae_error = m.real("ae_error");
  if (m.has("ae_W") && m.has("ae_b") && m.has("ae_W_star") && m.has("ae_c"))
    r.autoencoder = get_autoencoder(m, "ae_");
  for (float x : m.tensor("epoch_losses").to_vector()) r.epoch_losses.push_back(x);
  r.pca_codes_2d = get_if_present(m, "pca_codes_2d");
  r.ae_codes_2d = get_if_present(m, "ae_codes_2d");
  r.pca_scatter = m.text("pca_scatter");
  r.ae_scatter = m.text("ae_scatter");
  return r;
}

}  // namespace ae::hw1::protocol
