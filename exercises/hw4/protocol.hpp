#pragma once
// HW4's structures as runner messages (exercises/common/wire.hpp), shared by the runner's
// bindings (student_bindings.cpp) and the graded tests' proxy (tests/hw4_student.hpp), so
// both sides agree on the names. Given code: it calls none of the student's functions.
#include <string>
#include <vector>

#include "exercises/common/wire.hpp"
#include "exercises/hw4/hw4.hpp"
#include "tensor/ops.hpp"

namespace ae::hw4::protocol {

using exercises::Message;

inline const char* const kParameterNames[] = {"W1", "b1", "W_mu", "b_mu", "W_logvar",
                                              "b_logvar", "W2", "b2", "W3", "b3"};

/// The model's parameter values under their names (prefix + name); absent ones are left out.
inline void put_vae(Message& m, const Vae& model, const std::string& prefix = "") {
  const std::vector<Variable> params = model.parameters();
  for (size_t i = 0; i < params.size(); ++i)
    if (params[i].defined()) m.set(prefix + kParameterNames[i], params[i].value().contiguous().clone());
}

inline bool has_vae(const Message& m, const std::string& prefix = "") {
  for (const char* name : kParameterNames)
    if (!m.has(prefix + name)) return false;
  return true;
}

/// A model whose parameters hold (copies of) the message's values and require gradients.
inline Vae get_vae(const Message& m, const std::string& prefix = "") {
  auto param = [&](const char* name) { return Variable(m.tensor(prefix + name).clone(), true); };
  Vae model;
  model.W1 = param("W1");
  model.b1 = param("b1");
  model.W_mu = param("W_mu");
  model.b_mu = param("b_mu");
  model.W_logvar = param("W_logvar");
  model.b_logvar = param("b_logvar");
  model.W2 = param("W2");
  model.b2 = param("b2");
  model.W3 = param("W3");
  model.b3 = param("b3");
  return model;
}

inline void put_options(Message& m, const ExperimentOptions& o) {
  if (o.data_dir) m.set("data_dir", o.data_dir->string());
  m.set("train_size", o.train_size).set("test_size", o.test_size).set("hidden", o.hidden).set("k", o.k);
  m.set("epochs", int64_t{o.epochs}).set("batch_size", o.batch_size);
  m.set("lr", double{o.lr}).set("beta", o.beta).set("num_samples", o.num_samples);
  m.set("seed", static_cast<int64_t>(o.seed)).set("sample_seed", static_cast<int64_t>(o.sample_seed));
  m.set("verbose", int64_t{o.verbose});
}

inline ExperimentOptions get_options(const Message& m) {
  ExperimentOptions o;
  if (m.has("data_dir")) o.data_dir = m.text("data_dir");
  o.train_size = m.integer("train_size");
  o.test_size = m.integer("test_size");
  o.hidden = m.integer("hidden");
  o.k = m.integer("k");
  o.epochs = static_cast<int>(m.integer("epochs"));
  o.batch_size = m.integer("batch_size");
  o.lr = static_cast<float>(m.real("lr"));
  o.beta = m.real("beta");
  o.num_samples = m.integer("num_samples");
  o.seed = static_cast<uint64_t>(m.integer("seed"));
  o.sample_seed = static_cast<uint64_t>(m.integer("sample_seed"));
  o.verbose = m.integer("verbose") != 0;
  return o;
}

inline Tensor losses_tensor(const std::vector<double>& losses) {
  std::vector<float> values(losses.begin(), losses.end());
  return tensor::from_vector(values, {static_cast<int64_t>(values.size())});
}

inline void put_result(Message& m, const ExperimentResult& r) {
  m.set("dataset", r.dataset).set("data_dir", r.data_dir.string());
  put_vae(m, r.vae, "vae_");
  put_vae(m, r.plain, "plain_");
  m.set("vae_epoch_losses", losses_tensor(r.vae_epoch_losses));
  m.set("plain_epoch_losses", losses_tensor(r.plain_epoch_losses));
  for (const auto& [name, t] : {std::pair<const char*, const Tensor*>{"codes", &r.codes},
                                {"vae_samples", &r.vae_samples},
                                {"plain_samples", &r.plain_samples}})
    if (t->defined()) m.set(name, t->contiguous().clone());
  m.set("vae_sample_distance", r.vae_sample_distance).set("plain_sample_distance", r.plain_sample_distance);
}

/// The result as the runner reported it; a model or tensor it left empty stays undefined.
inline ExperimentResult get_result(const Message& m) {
  ExperimentResult r;
  r.dataset = m.text("dataset");
  r.data_dir = m.text("data_dir");
  if (has_vae(m, "vae_")) r.vae = get_vae(m, "vae_");
  if (has_vae(m, "plain_")) r.plain = get_vae(m, "plain_");
  for (float x : m.tensor("vae_epoch_losses").to_vector()) r.vae_epoch_losses.push_back(x);
  for (float x : m.tensor("plain_epoch_losses").to_vector()) r.plain_epoch_losses.push_back(x);
  if (m.has("codes")) r.codes = m.tensor("codes");
  if (m.has("vae_samples")) r.vae_samples = m.tensor("vae_samples");
  if (m.has("plain_samples")) r.plain_samples = m.tensor("plain_samples");
  r.vae_sample_distance = m.real("vae_sample_distance");
  r.plain_sample_distance = m.real("plain_sample_distance");
  return r;
}

}  // namespace ae::hw4::protocol
