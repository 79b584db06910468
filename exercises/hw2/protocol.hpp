#pragma once
// HW2's structures as runner messages (exercises/common/wire.hpp), shared by the runner's
// bindings (student_bindings.cpp) and the graded tests' proxy (tests/hw2_student.hpp), so
// both sides agree on the names. Given code: it calls none of the student's functions.
#include <string>
#include <vector>

#include <fmt/core.h>

#include "exercises/common/wire.hpp"
#include "exercises/hw2/hw2.hpp"
#include "tensor/ops.hpp"

namespace ae::hw2::protocol {

using exercises::Message;

inline const char* const kParameterNames[] = {"W", "b", "W_star", "c"};

/// The autoencoder's parameter values as W, b, W_star, c (prefix + name); absent ones are
/// left out.
inline void put_autoencoder(Message& m, const Autoencoder& ae, const std::string& prefix = "") {
  const std::vector<Variable> params = ae.parameters();
  for (size_t i = 0; i < params.size(); ++i)
    if (params[i].defined()) m.set(prefix + kParameterNames[i], params[i].value().contiguous().clone());
}

inline bool has_autoencoder(const Message& m, const std::string& prefix = "") {
  for (const char* name : kParameterNames)
    if (!m.has(prefix + name)) return false;
  return true;
}

/// A model whose parameters hold (copies of) the message's values and require gradients.
inline Autoencoder get_autoencoder(const Message& m, const std::string& prefix = "") {
  auto param = [&](const char* name) { return Variable(m.tensor(prefix + name).clone(), true); };
  return Autoencoder{param("W"), param("b"), param("W_star"), param("c")};
}

inline void put_options(Message& m, const ExperimentOptions& o) {
  if (o.data_dir) m.set("data_dir", o.data_dir->string());
  m.set("train_size", o.train_size).set("test_size", o.test_size).set("k", o.k);
  m.set("epochs", int64_t{o.epochs}).set("batch_size", o.batch_size);
  m.set("lr", double{o.lr}).set("v", double{o.v});
  m.set("seed", static_cast<int64_t>(o.seed)).set("test_noise_seed", static_cast<int64_t>(o.test_noise_seed));
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
  o.lr = static_cast<float>(m.real("lr"));
  o.v = static_cast<float>(m.real("v"));
  o.seed = static_cast<uint64_t>(m.integer("seed"));
  o.test_noise_seed = static_cast<uint64_t>(m.integer("test_noise_seed"));
  o.verbose = m.integer("verbose") != 0;
  return o;
}

inline Tensor losses_tensor(const std::vector<double>& losses) {
  std::vector<float> values(losses.begin(), losses.end());
  return tensor::from_vector(values, {static_cast<int64_t>(values.size())});
}

inline void put_result(Message& m, const ExperimentResult& r) {
  m.set("dataset", r.dataset).set("data_dir", r.data_dir.string());
  put_autoencoder(m, r.plain, "plain_");
  put_autoencoder(m, r.denoising, "denoising_");
  m.set("plain_epoch_losses", losses_tensor(r.plain_epoch_losses));
  m.set("denoising_epoch_losses", losses_tensor(r.denoising_epoch_losses));
  if (r.noisy_test_images.defined()) m.set("noisy_test_images", r.noisy_test_images.contiguous().clone());
  m.set("plain_noisy_error", r.plain_noisy_error).set("denoising_noisy_error", r.denoising_noisy_error);
}

/// The result as the runner reported it; a model or tensor it left empty stays undefined.
inline ExperimentResult get_result(const Message& m) {
  ExperimentResult r;
  r.dataset = m.text("dataset");
  r.data_dir = m.text("data_dir");
  if (has_autoencoder(m, "plain_")) r.plain = get_autoencoder(m, "plain_");
  if (has_autoencoder(m, "denoising_")) r.denoising = get_autoencoder(m, "denoising_");
  for (float x : m.tensor("plain_epoch_losses").to_vector()) r.plain_epoch_losses.push_back(x);
  for (float x : m.tensor("denoising_epoch_losses").to_vector()) r.denoising_epoch_losses.push_back(x);
  if (m.has("noisy_test_images")) r.noisy_test_images = m.tensor("noisy_test_images");
  r.plain_noisy_error = m.real("plain_noisy_error");
  r.denoising_noisy_error = m.real("denoising_noisy_error");
  return r;
}

}  // namespace ae::hw2::protocol
