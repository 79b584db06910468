#pragma once
// The student's HW1 functions as the graded tests call them: each call goes to the
// student runner (hw1_student, exercises/common/student_process.hpp), never into this
// process. The signatures follow hw1.hpp; tasks 4-5 return what the runner computed from
// the student's graph and update (gradients, parameters, Adam state) as plain tensors.
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "exercises/common/graded_test.hpp"
#include "exercises/hw1/hw1.hpp"
#include "exercises/hw1/protocol.hpp"

namespace hw1_student {

using ae::Tensor;
using ae::exercises::Message;
using ae::exercises::StudentProcess;

/// A seed of the hidden suites' inputs: the grader's per-run seed (exercises/common) mixed
/// with `salt`, so that each input of a run differs.
inline uint64_t hidden_seed(uint64_t salt) { return ae::exercises::salted_hidden_seed(salt); }

using ae::exercises::runner_path;
using ae::exercises::student;

// ---- tasks 1-3

inline Tensor column_mean(const Tensor& X) { return student().call("column_mean", {{"X", X}}).tensor("mean"); }

/// The same, on the strided view stored.t() made in the runner (rows not contiguous).
inline Tensor column_mean_of_transpose(const Tensor& stored) {
  return student().call("column_mean", {{"X", stored}, {"transposed", int64_t{1}}}).tensor("mean");
}

/// center(X, mean); X_after is X as the student's code left it.
struct Centred {
  Tensor centred, X_after;
};
inline Centred center(const Tensor& X, const Tensor& mean) {
  const Message out = student().call("center", {{"X", X}, {"mean", mean}});
  return {out.tensor("centred"), out.tensor("X_after")};
}

inline Centred center_of_transpose(const Tensor& stored, const Tensor& mean) {
  const Message out = student().call("center", {{"X", stored}, {"mean", mean}, {"transposed", int64_t{1}}});
  return {out.tensor("centred"), out.tensor("X_after")};
}

inline Tensor covariance(const Tensor& Xc) { return student().call("covariance", {{"Xc", Xc}}).tensor("C"); }

/// top_eigenpairs; C_after is C as the student's code left it.
struct Eigen {
  ae::hw1::Eigenpairs pairs;
  Tensor C_after;
};
inline Eigen top_eigenpairs(const Tensor& C, int64_t k, const ae::hw1::PowerIterationOptions& options = {}) {
  const Message out = student().call(
      "top_eigenpairs", {{"C", C}, {"k", k}, {"max_iterations", int64_t{options.max_iterations}},
                         {"tolerance", double{options.tolerance}}, {"seed", static_cast<int64_t>(options.seed)}});
  Eigen e;
  e.pairs.values = ae::hw1::protocol::get_if_present(out, "values");
  e.pairs.vectors = ae::hw1::protocol::get_if_present(out, "vectors");
  for (float n : out.tensor("iterations").to_vector()) e.pairs.iterations.push_back(static_cast<int>(n));
  e.C_after = out.tensor("C_after");
  return e;
}

inline Tensor pca_encode(const Tensor& X, const Tensor& mean, const Tensor& W) {
  return student().call("pca_encode", {{"X", X}, {"mean", mean}, {"W", W}}).tensor("Z");
}
inline Tensor pca_decode(const Tensor& Z, const Tensor& mean, const Tensor& W) {
  return student().call("pca_decode", {{"Z", Z}, {"mean", mean}, {"W", W}}).tensor("X_hat");
}
inline double reconstruction_error(const Tensor& X, const Tensor& X_hat) {
  return student().call("reconstruction_error", {{"X", X}, {"X_hat", X_hat}}).real("error");
}
inline Tensor project_2d(const Tensor& X, const Tensor& mean, const Tensor& W) {
  return student().call("project_2d", {{"X", X}, {"mean", mean}, {"W", W}}).tensor("view");
}

// ---- task 4

inline Message with_model(const ae::hw1::Autoencoder& model) {
  Message m;
  ae::hw1::protocol::put_autoencoder(m, model);
  return m;
}

/// ae_forward's code and reconstruction (undefined when the student left them so).
struct Forward {
  Tensor code, reconstruction;
};
inline Forward ae_forward(const ae::hw1::Autoencoder& model, const Tensor& X) {
  const Message out = student().call("ae_forward", with_model(model).set("X", X));
  return {ae::hw1::protocol::get_if_present(out, "code"),
          ae::hw1::protocol::get_if_present(out, "reconstruction")};
}

/// squared_loss(X_hat, X) with X_hat requiring gradients: its size, value and dL/dX_hat.
struct Loss {
  int64_t numel = 0;
  double value = 0;
  Tensor grad;  ///< undefined when backward() did not reach X_hat
};
inline Loss squared_loss(const Tensor& X_hat, const Tensor& X) {
  const Message out = student().call("squared_loss", {{"X_hat", X_hat}, {"X", X}});
  Loss loss;
  loss.numel = out.integer("numel");
  if (loss.numel != 1) return loss;
  loss.value = out.real("loss");
  if (out.integer("has_grad") != 0) loss.grad = out.tensor("grad");
  return loss;
}

/// squared_loss(ae_forward(model, X).reconstruction, X), back-propagated: the loss and the
/// gradient of W, b, W_star, c (undefined when the backward pass did not reach one).
struct LossGradients {
  double loss = 0;
  std::vector<Tensor> grads;
};
inline LossGradients loss_gradients(const ae::hw1::Autoencoder& model, const Tensor& X) {
  const Message out = student().call("loss_gradients", with_model(model).set("X", X));
  LossGradients r{out.real("loss"), {}};
  for (const char* name : ae::hw1::protocol::kParameterNames)
    r.grads.push_back(out.integer(std::string("has_grad_") + name) != 0 ? out.tensor(std::string("grad_") + name)
                                                                       : Tensor());
  return r;
}

// ---- task 5

/// adam_update of the parameters `params` whose gradients are `grads`; the parameters
/// after the update, and `adam` replaced by the student's new state.
inline std::vector<Tensor> adam_update(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                                       ae::hw1::Adam& adam) {
  Message in;
  in.set("count", static_cast<int64_t>(params.size()));
  for (size_t i = 0; i < params.size(); ++i) in.set(fmt::format("p{}", i), params[i]).set(fmt::format("g{}", i), grads[i]);
  ae::hw1::protocol::put_adam(in, adam);
  const Message out = student().call("adam_update", in);
  std::vector<Tensor> after;
  for (size_t i = 0; i < params.size(); ++i) after.push_back(out.tensor(fmt::format("p{}", i)));
  adam = ae::hw1::protocol::get_adam(out);
  return after;
}

/// train_step on each batch in turn, on one model and one Adam state, in the runner:
/// the losses it returned; `model` and `adam` replaced by the state after the last step.
inline std::vector<double> train_steps(ae::hw1::Autoencoder& model, const std::vector<Tensor>& batches,
                                       ae::hw1::Adam& adam) {
  Message in = with_model(model);
  in.set("batches", static_cast<int64_t>(batches.size()));
  for (size_t i = 0; i < batches.size(); ++i) in.set(fmt::format("batch{}", i), batches[i]);
  ae::hw1::protocol::put_adam(in, adam);
  const Message out = student().call("train_steps", in);
  std::vector<double> losses;
  for (size_t i = 0; i < batches.size(); ++i) losses.push_back(out.real(fmt::format("loss{}", i)));
  model = ae::hw1::protocol::get_autoencoder(out);
  adam = ae::hw1::protocol::get_adam(out);
  return losses;
}

// ---- task 6

/// run_experiment in a runner of its own that may read the data folder; the scatter
/// paths it returns are made absolute under that runner's working directory, which
/// `process` keeps (with the files) until it is destroyed.
inline ae::hw1::ExperimentResult run_experiment(StudentProcess& process, const ae::hw1::ExperimentOptions& options,
                                                double seconds) {
  Message in;
  ae::hw1::protocol::put_options(in, options);
  ae::hw1::ExperimentResult r = ae::hw1::protocol::get_result(process.call("run_experiment", in, seconds));
  return r;
}

}  // namespace hw1_student
