#pragma once
// The student's HW2 functions as the graded tests call them: each call goes to the
// student runner (hw2_student, exercises/common/student_process.hpp), never into this
// process. The signatures follow hw2.hpp; task 4 returns what the runner computed from the
// student's graph and steps (gradients, parameters) as plain tensors.
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "exercises/common/graded_test.hpp"
#include "exercises/hw2/hw2.hpp"
#include "exercises/hw2/protocol.hpp"

namespace hw2_student {

using ae::Tensor;
using ae::exercises::Message;
using ae::exercises::StudentProcess;

/// A seed of the hidden suites' inputs: the grader's per-run seed mixed with `salt`.
inline uint64_t hidden_seed(uint64_t salt) { return ae::exercises::salted_hidden_seed(salt); }

using ae::exercises::runner_path;
using ae::exercises::student;

// ---- task 1

inline Tensor mean_activation(const Tensor& H) { return student().call("mean_activation", {{"H", H}}).tensor("rho_hat"); }
inline double kl_sparsity(const Tensor& H, double rho) {
  return student().call("kl_sparsity", {{"H", H}, {"rho", rho}}).real("penalty");
}
inline Tensor kl_sparsity_grad(const Tensor& H, double rho) {
  return student().call("kl_sparsity_grad", {{"H", H}, {"rho", rho}}).tensor("grad");
}

// ---- task 2

/// Two draws from one Generator(seed) on X, and X as the student's code left it.
struct Corrupted {
  Tensor Y, Y_again, X_after;
};
inline Corrupted corrupted(const Message& out) {
  Corrupted c;
  c.Y = out.has("Y") ? out.tensor("Y") : Tensor();
  c.Y_again = out.has("Y_again") ? out.tensor("Y_again") : Tensor();
  c.X_after = out.tensor("X_after");
  return c;
}
inline Corrupted masking_noise(const Tensor& X, double v, uint64_t seed) {
  return corrupted(student().call("masking_noise", {{"X", X}, {"v", v}, {"seed", static_cast<int64_t>(seed)}}));
}
inline Corrupted gaussian_noise(const Tensor& X, double sigma, uint64_t seed) {
  return corrupted(
      student().call("gaussian_noise", {{"X", X}, {"sigma", sigma}, {"seed", static_cast<int64_t>(seed)}}));
}

// ---- task 3

inline double contractive_penalty(const Tensor& X, const Tensor& W, const Tensor& b) {
  return student().call("contractive_penalty", {{"X", X}, {"W", W}, {"b", b}}).real("penalty");
}

// ---- task 4

inline Message with_model(const ae::hw2::Autoencoder& model) {
  Message m;
  ae::hw2::protocol::put_autoencoder(m, model);
  return m;
}

/// denoising_loss, back-propagated: the loss and the gradients of W, b, W_star, c
/// (undefined when the backward pass did not reach one).
struct LossGradients {
  double loss = 0;
  std::vector<Tensor> grads;
};
inline LossGradients denoising_loss(const ae::hw2::Autoencoder& model, const Tensor& clean, const Tensor& corrupted) {
  const Message out = student().call("denoising_loss", with_model(model).set("clean", clean).set("corrupted", corrupted));
  LossGradients r{out.real("loss"), {}};
  for (const char* name : ae::hw2::protocol::kParameterNames)
    r.grads.push_back(out.integer(std::string("has_grad_") + name) != 0 ? out.tensor(std::string("grad_") + name)
                                                                       : Tensor());
  return r;
}

/// denoising_step on each (clean, corrupted) pair in turn with plain SGD (lr) in the
/// runner: the losses it returned; `model` replaced by the parameters after the last step.
inline std::vector<double> denoising_steps(ae::hw2::Autoencoder& model, const std::vector<Tensor>& clean,
                                           const std::vector<Tensor>& corrupted, double lr) {
  Message in = with_model(model);
  in.set("steps", static_cast<int64_t>(clean.size())).set("lr", lr);
  for (size_t i = 0; i < clean.size(); ++i)
    in.set(fmt::format("clean{}", i), clean[i]).set(fmt::format("corrupted{}", i), corrupted[i]);
  const Message out = student().call("denoising_steps", in);
  std::vector<double> losses;
  for (size_t i = 0; i < clean.size(); ++i) losses.push_back(out.real(fmt::format("loss{}", i)));
  model = ae::hw2::protocol::get_autoencoder(out);
  return losses;
}

// ---- task 5

/// run_experiment in a runner of its own that may read the data folder.
inline ae::hw2::ExperimentResult run_experiment(StudentProcess& process, const ae::hw2::ExperimentOptions& options,
                                                double seconds) {
  Message in;
  ae::hw2::protocol::put_options(in, options);
  return ae::hw2::protocol::get_result(process.call("run_experiment", in, seconds));
}

}  // namespace hw2_student
