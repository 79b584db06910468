#pragma once
// HW5's structures as runner messages (exercises/common/wire.hpp), shared by the runner's
// bindings (student_bindings.cpp) and the graded tests' proxy (tests/hw5_student.hpp), so
// both sides agree on the names. Given code: it calls none of the student's functions.
#include <cmath>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "exercises/common/wire.hpp"
#include "exercises/hw5/hw5.hpp"
#include "tensor/ops.hpp"

namespace ae::hw5::protocol {

using exercises::Message;

inline const char* const kParameterNames[] = {"V", "mu", "W", "b"};

/// Ratings as a (N x 3) tensor of rows (user, item, rating); float holds every index of
/// MovieLens exactly (below 2^24).
inline Tensor ratings_tensor(const std::vector<Rating>& ratings) {
  std::vector<float> values;
  values.reserve(3 * ratings.size());
  for (const Rating& r : ratings) {
    values.push_back(static_cast<float>(r.user));
    values.push_back(static_cast<float>(r.item));
    values.push_back(r.rating);
  }
  return tensor::from_vector(values, {static_cast<int64_t>(ratings.size()), 3});
}

inline std::vector<Rating> get_ratings(const Tensor& t) {
  if (t.dim() != 2 || t.size(1) != 3)
    throw Error(fmt::format("ratings: expected (N x 3) rows of user, item, rating, got shape {}",
                            to_string(t.shape())));
  const std::vector<float> v = t.to_vector();
  std::vector<Rating> ratings;
  for (size_t r = 0; r + 2 < v.size(); r += 3)
    ratings.push_back(Rating{static_cast<int64_t>(v[r]), static_cast<int64_t>(v[r + 1]), v[r + 2], 0});
  return ratings;
}

/// Folds as fold0 .. fold<k-1>, 1-D tensors of rating indices, and their count "folds".
inline void put_folds(Message& m, const Folds& folds) {
  m.set("folds", static_cast<int64_t>(folds.size()));
  for (size_t f = 0; f < folds.size(); ++f) {
    std::vector<float> v(folds[f].begin(), folds[f].end());
    m.set(fmt::format("fold{}", f), tensor::from_vector(v, {static_cast<int64_t>(v.size())}));
  }
}

inline Folds get_folds(const Message& m) {
  const int64_t k = m.integer("folds");
  if (k < 0 || k > 100000) throw Error(fmt::format("folds: {} folds", k));
  Folds folds(static_cast<size_t>(k));
  for (int64_t f = 0; f < k; ++f)
    for (float x : m.tensor(fmt::format("fold{}", f)).to_vector()) folds[static_cast<size_t>(f)].push_back(static_cast<int64_t>(x));
  return folds;
}

/// The model's parameter values as V, mu, W, b (prefix + name); absent ones are left out.
inline void put_autorec(Message& m, const AutoRec& model, const std::string& prefix = "") {
  const std::vector<Variable> params = model.parameters();
  for (size_t i = 0; i < params.size(); ++i)
    if (params[i].defined()) m.set(prefix + kParameterNames[i], params[i].value().contiguous().clone());
}

inline bool has_autorec(const Message& m, const std::string& prefix = "") {
  for (const char* name : kParameterNames)
    if (!m.has(prefix + name)) return false;
  return true;
}

inline AutoRec get_autorec(const Message& m, const std::string& prefix = "") {
  auto param = [&](const char* name) { return Variable(m.tensor(prefix + name).clone(), true); };
  return AutoRec{param("V"), param("mu"), param("W"), param("b")};
}

inline void put_options(Message& m, const ExperimentOptions& o) {
  if (o.data_dir) m.set("data_dir", o.data_dir->string());
  m.set("split", o.split).set("hidden", o.hidden).set("epochs", int64_t{o.epochs});
  m.set("batch_size", o.batch_size).set("lr", double{o.lr}).set("lambda", double{o.lambda});
  m.set("seed", static_cast<int64_t>(o.seed)).set("verbose", int64_t{o.verbose});
}

inline ExperimentOptions get_options(const Message& m) {
  ExperimentOptions o;
  if (m.has("data_dir")) o.data_dir = m.text("data_dir");
  o.split = m.text("split");
  o.hidden = m.integer("hidden");
  o.epochs = static_cast<int>(m.integer("epochs"));
  o.batch_size = m.integer("batch_size");
  o.lr = static_cast<float>(m.real("lr"));
  o.lambda = static_cast<float>(m.real("lambda"));
  o.seed = static_cast<uint64_t>(m.integer("seed"));
  o.verbose = m.integer("verbose") != 0;
  return o;
}

inline void put_result(Message& m, const ExperimentResult& r) {
  m.set("data_dir", r.data_dir.string()).set("num_users", r.num_users).set("num_items", r.num_items);
  put_autorec(m, r.model);
  std::vector<float> losses(r.epoch_losses.begin(), r.epoch_losses.end());
  m.set("epoch_losses", tensor::from_vector(losses, {static_cast<int64_t>(losses.size())}));
  if (r.baseline_predictions.defined()) m.set("baseline_predictions", r.baseline_predictions.contiguous().clone());
  if (r.autorec_predictions.defined()) m.set("autorec_predictions", r.autorec_predictions.contiguous().clone());
  m.set("baseline_rmse", r.baseline_rmse).set("autorec_rmse", r.autorec_rmse);
}

/// The result as the runner reported it; a model or tensor it left empty stays undefined.
inline ExperimentResult get_result(const Message& m) {
  ExperimentResult r;
  r.data_dir = m.text("data_dir");
  r.num_users = m.integer("num_users");
  r.num_items = m.integer("num_items");
  if (has_autorec(m)) r.model = get_autorec(m);
  for (float x : m.tensor("epoch_losses").to_vector()) r.epoch_losses.push_back(x);
  if (m.has("baseline_predictions")) r.baseline_predictions = m.tensor("baseline_predictions");
  if (m.has("autorec_predictions")) r.autorec_predictions = m.tensor("autorec_predictions");
  r.baseline_rmse = m.real("baseline_rmse");
  r.autorec_rmse = m.real("autorec_rmse");
  return r;
}

}  // namespace ae::hw5::protocol
