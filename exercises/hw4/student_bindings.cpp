// HW4: the functions the graded tests may call in the student runner (given code, compiled
// only into the runner hw4_student, never into a test). Each takes the request's named
// inputs, calls the student's function and returns what the tests check — for the
// functions on Variables that includes the gradients of a weighted sum of their outputs,
// back-propagated here, in the runner, through the student's graph.
#include <string>

#include <fmt/core.h>

#include "autograd/ops.hpp"
#include "exercises/common/runner_server.hpp"
#include "exercises/hw4/hw4.hpp"
#include "exercises/hw4/protocol.hpp"
#include "nn/optim.hpp"

namespace ae::exercises {

namespace {

using namespace ae::hw4;
using protocol::kParameterNames;

// The gradient of `v` under `name`, and has_<name> saying whether backward reached it.
void put_grad(Message& out, const std::string& name, const Variable& v) {
  const bool has = v.grad().defined();
  out.set("has_" + name, int64_t{has});
  if (has) out.set(name, v.grad().value().contiguous().clone());
}

// Σ w ⊙ y back-propagated (w shaped like y, from the request): the gradient the tests
// compare is then wᵀ times the student's Jacobian, for any w they choose.
void backward_weighted(const Variable& y, const Tensor& w, const char* op) {
  if (!y.value().defined() || y.shape() != w.shape())
    throw Error(fmt::format("{} returned shape {}, expected {}", op,
                            y.value().defined() ? to_string(y.shape()) : std::string("undefined"),
                            to_string(w.shape())));
  sum(y * Variable(w)).backward();
}

}  // namespace

Bindings student_bindings() {
  Bindings b;
  // ---- task 1: z from Generator(seed), a second draw from the same generator, and the
  // gradients of Σ w ⊙ z.
  b["reparameterize"] = [](const Message& in) {
    const Variable mu(in.tensor("mu").clone(), true), logvar(in.tensor("logvar").clone(), true);
    Generator gen(static_cast<uint64_t>(in.integer("seed")));
    const Variable z = reparameterize(mu, logvar, gen);
    backward_weighted(z, in.tensor("w"), "reparameterize");
    Message out{{"z", z.value().contiguous().clone()}};
    put_grad(out, "grad_mu", mu);
    put_grad(out, "grad_logvar", logvar);
    NoGradGuard no_grad;
    out.set("z_again", reparameterize(mu, logvar, gen).value().contiguous().clone());
    return out;
  };

  // ---- task 2: KL and the gradients of Σ_i w_i KL_i.
  b["gaussian_kl"] = [](const Message& in) {
    const Variable mu(in.tensor("mu").clone(), true), logvar(in.tensor("logvar").clone(), true);
    const Variable kl = gaussian_kl(mu, logvar);
    backward_weighted(kl, in.tensor("w"), "gaussian_kl");
    Message out{{"kl", kl.value().contiguous().clone()}};
    put_grad(out, "grad_mu", mu);
    put_grad(out, "grad_logvar", logvar);
    return out;
  };

  // ---- task 3
  b["bernoulli_nll"] = [](const Message& in) {
    const Variable logits(in.tensor("logits").clone(), true);
    const Variable nll = bernoulli_nll(logits, in.tensor("x"));
    backward_weighted(nll, in.tensor("w"), "bernoulli_nll");
    Message out{{"nll", nll.value().contiguous().clone()}};
    put_grad(out, "grad_logits", logits);
    return out;
  };
  b["negative_elbo"] = [](const Message& in) {
    const Variable logits(in.tensor("logits").clone(), true), kl(in.tensor("kl").clone(), true);
    const Variable loss = negative_elbo(logits, in.tensor("x"), kl, in.real("beta"));
    if (loss.numel() != 1)
      throw Error(fmt::format("negative_elbo returned {} numbers, expected one", loss.numel()));
    loss.backward();
    Message out{{"loss", double{loss.item()}}};
    put_grad(out, "grad_logits", logits);
    put_grad(out, "grad_kl", kl);
    return out;
  };

  // ---- task 4
  // vae_loss with Generator(seed), back-propagated: the loss and every parameter's gradient
  // (grad_<name>; has_grad_<name> says whether backward reached it).
  b["vae_loss"] = [](const Message& in) {
    const Vae model = protocol::get_vae(in);
    Generator gen(static_cast<uint64_t>(in.integer("seed")));
    const Variable loss = vae_loss(model, in.tensor("X"), in.real("beta"), gen);
    if (loss.numel() != 1)
      throw Error(fmt::format("vae_loss returned {} numbers, expected one", loss.numel()));
    loss.backward();
    Message out{{"loss", double{loss.item()}}};
    const std::vector<Variable> params = model.parameters();
    for (size_t i = 0; i < params.size(); ++i) put_grad(out, std::string("grad_") + kParameterNames[i], params[i]);
    return out;
  };
  // `steps` calls of vae_step on X with one model, one Generator(seed) and one nn::Adam of
  // learning rate lr: the losses they returned and the parameters after the last step.
  b["vae_steps"] = [](const Message& in) {
    Vae model = protocol::get_vae(in);
    nn::AdamOptions adam;
    adam.lr = static_cast<float>(in.real("lr"));
    nn::Adam optimizer(model.parameters(), adam);
    Generator gen(static_cast<uint64_t>(in.integer("seed")));
    const int64_t steps = in.integer("steps");
    if (steps < 1 || steps > 5000) throw Error(fmt::format("vae_steps: steps = {}", steps));
    const Tensor X = in.tensor("X");
    std::vector<float> losses;
    for (int64_t i = 0; i < steps; ++i) losses.push_back(vae_step(model, X, in.real("beta"), gen, optimizer));
    Message out{{"losses", tensor::from_vector(losses, {steps})}};
    protocol::put_vae(out, model);
    return out;
  };

  // ---- task 5
  b["run_experiment"] = [](const Message& in) {
    Message out;
    protocol::put_result(out, run_experiment(protocol::get_options(in)));
    return out;
  };
  return b;
}

}  // namespace ae::exercises
