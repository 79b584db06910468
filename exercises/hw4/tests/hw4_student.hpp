#pragma once
// The student's HW4 functions as the graded tests call them: each call goes to the student
// runner (hw4_student, exercises/common/student_process.hpp), never into this process. The
// signatures follow hw4.hpp; where the student's result is a graph, the runner
// back-propagates it and returns the gradients as plain tensors.
#include <string>
#include <vector>

#include "exercises/common/graded_test.hpp"
#include "exercises/hw4/hw4.hpp"
#include "exercises/hw4/protocol.hpp"

namespace hw4_student {

using ae::Tensor;
using ae::exercises::Message;
using ae::exercises::StudentProcess;

/// A seed of the hidden suites' inputs: the grader's per-run seed mixed with `salt`.
inline uint64_t hidden_seed(uint64_t salt) { return ae::exercises::salted_hidden_seed(salt); }

using ae::exercises::runner_path;
using ae::exercises::student;

/// A gradient the runner returned, undefined when backward did not reach that input.
inline Tensor grad_of(const Message& out, const std::string& name) {
  return out.integer("has_" + name) != 0 ? out.tensor(name) : Tensor();
}

// ---- task 1

/// reparameterize(mu, logvar) with Generator(seed): z, a second draw z_again from the same
/// generator, and the gradients of Σ w ⊙ z.
struct Sample {
  Tensor z, z_again, grad_mu, grad_logvar;
};
inline Sample reparameterize(const Tensor& mu, const Tensor& logvar, const Tensor& w, uint64_t seed) {
  const Message out = student().call(
      "reparameterize", {{"mu", mu}, {"logvar", logvar}, {"w", w}, {"seed", static_cast<int64_t>(seed)}});
  return {out.tensor("z"), out.tensor("z_again"), grad_of(out, "grad_mu"), grad_of(out, "grad_logvar")};
}

// ---- task 2

/// gaussian_kl(mu, logvar) and the gradients of Σ_i w_i KL_i.
struct Kl {
  Tensor kl, grad_mu, grad_logvar;
};
inline Kl gaussian_kl(const Tensor& mu, const Tensor& logvar, const Tensor& w) {
  const Message out = student().call("gaussian_kl", {{"mu", mu}, {"logvar", logvar}, {"w", w}});
  return {out.tensor("kl"), grad_of(out, "grad_mu"), grad_of(out, "grad_logvar")};
}

// ---- task 3

/// bernoulli_nll(logits, x) and the gradient of Σ_i w_i nll_i.
struct Nll {
  Tensor nll, grad_logits;
};
inline Nll bernoulli_nll(const Tensor& logits, const Tensor& x, const Tensor& w) {
  const Message out = student().call("bernoulli_nll", {{"logits", logits}, {"x", x}, {"w", w}});
  return {out.tensor("nll"), grad_of(out, "grad_logits")};
}

/// negative_elbo(logits, x, kl, beta) and its gradients in logits and kl.
struct Elbo {
  double loss = 0;
  Tensor grad_logits, grad_kl;
};
inline Elbo negative_elbo(const Tensor& logits, const Tensor& x, const Tensor& kl, double beta) {
  const Message out =
      student().call("negative_elbo", {{"logits", logits}, {"x", x}, {"kl", kl}, {"beta", beta}});
  return {out.real("loss"), grad_of(out, "grad_logits"), grad_of(out, "grad_kl")};
}

// ---- task 4

inline Message with_model(const ae::hw4::Vae& model) {
  Message m;
  ae::hw4::protocol::put_vae(m, model);
  return m;
}

/// vae_loss with Generator(seed), back-propagated: the loss and the gradients in the order
/// of Vae::parameters() (undefined when backward did not reach one).
struct LossGradients {
  double loss = 0;
  std::vector<Tensor> grads;
};
inline LossGradients vae_loss(const ae::hw4::Vae& model, const Tensor& X, double beta, uint64_t seed) {
  const Message out = student().call(
      "vae_loss", with_model(model).set("X", X).set("beta", beta).set("seed", static_cast<int64_t>(seed)));
  LossGradients r{out.real("loss"), {}};
  for (const char* name : ae::hw4::protocol::kParameterNames)
    r.grads.push_back(grad_of(out, std::string("grad_") + name));
  return r;
}

/// `steps` vae_steps on X with nn::Adam(lr) and Generator(seed): the losses they returned;
/// `model` replaced by the parameters after the last step.
inline std::vector<double> vae_steps(ae::hw4::Vae& model, const Tensor& X, double beta, uint64_t seed, double lr,
                                     int64_t steps) {
  Message in = with_model(model);
  in.set("X", X).set("beta", beta).set("seed", static_cast<int64_t>(seed)).set("lr", lr).set("steps", steps);
  const Message out = student().call("vae_steps", in, 50);
  std::vector<double> losses;
  for (float x : out.tensor("losses").to_vector()) losses.push_back(x);
  model = ae::hw4::protocol::get_vae(out);
  return losses;
}

// ---- task 5

/// run_experiment in a runner of its own that may read the data folder.
inline ae::hw4::ExperimentResult run_experiment(StudentProcess& process, const ae::hw4::ExperimentOptions& options,
                                                double seconds) {
  Message in;
  ae::hw4::protocol::put_options(in, options);
  return ae::hw4::protocol::get_result(process.call("run_experiment", in, seconds));
}

}  // namespace hw4_student
