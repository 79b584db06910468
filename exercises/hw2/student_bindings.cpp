// HW2: the functions the graded tests may call in the student runner (given code, compiled
// only into the runner hw2_student, never into a test). Each takes the request's named
// inputs, calls the student's function and returns what the tests check — for task 4 that
// includes the gradients and the parameters after the steps, computed here, in the runner,
// from the student's graph.
#include <fmt/core.h>

#include "autograd/ops.hpp"
#include "exercises/common/runner_server.hpp"
#include "exercises/hw2/hw2.hpp"
#include "exercises/hw2/protocol.hpp"

namespace ae::exercises {

namespace {

using namespace ae::hw2;
using protocol::kParameterNames;

// A corruption run on X with a generator seeded by the request: the result, X as the
// student's code left it, and a second draw from the same generator.
template <typename Corrupt>
Message corrupt(const Message& in, Corrupt f) {
  const Tensor X = in.tensor("X");
  Generator gen(static_cast<uint64_t>(in.integer("seed")));
  const Tensor first = f(X, gen);
  const Tensor second = f(X, gen);
  Message out{{"X_after", X}};
  if (first.defined()) out.set("Y", first.contiguous().clone());
  if (second.defined()) out.set("Y_again", second.contiguous().clone());
  return out;
}

}  // namespace

Bindings student_bindings() {
  Bindings b;
  // ---- task 1
  b["mean_activation"] = [](const Message& in) {
    return Message{{"rho_hat", mean_activation(in.tensor("H"))}};
  };
  b["kl_sparsity"] = [](const Message& in) {
    return Message{{"penalty", kl_sparsity(in.tensor("H"), in.real("rho"))}};
  };
  b["kl_sparsity_grad"] = [](const Message& in) {
    return Message{{"grad", kl_sparsity_grad(in.tensor("H"), in.real("rho"))}};
  };

  // ---- task 2
  b["masking_noise"] = [](const Message& in) {
    const auto v = static_cast<float>(in.real("v"));
    return corrupt(in, [v](const Tensor& X, Generator& gen) { return masking_noise(X, v, gen); });
  };
  b["gaussian_noise"] = [](const Message& in) {
    const auto sigma = static_cast<float>(in.real("sigma"));
    return corrupt(in, [sigma](const Tensor& X, Generator& gen) { return gaussian_noise(X, sigma, gen); });
  };

  // ---- task 3
  b["contractive_penalty"] = [](const Message& in) {
    return Message{{"penalty", contractive_penalty(in.tensor("X"), in.tensor("W"), in.tensor("b"))}};
  };

  // ---- task 4
  // denoising_loss, back-propagated to the parameters: the loss and every gradient
  // (grad_<name>; has_grad_<name> says whether backward reached it).
  b["denoising_loss"] = [](const Message& in) {
    const Autoencoder model = protocol::get_autoencoder(in);
    const Variable loss = denoising_loss(model, in.tensor("clean"), in.tensor("corrupted"));
    if (loss.numel() != 1)
      throw Error(fmt::format("denoising_loss returned {} numbers, expected one", loss.numel()));
    loss.backward();
    Message out{{"loss", double{loss.item()}}};
    const std::vector<Variable> params = model.parameters();
    for (size_t i = 0; i < params.size(); ++i) {
      const bool has = params[i].grad().defined();
      out.set(std::string("has_grad_") + kParameterNames[i], int64_t{has});
      if (has) out.set(std::string("grad_") + kParameterNames[i], params[i].grad().value().clone());
    }
    return out;
  };
  // denoising_step on (clean<i>, corrupted<i>) in turn, with one model and one plain SGD
  // optimizer of learning rate lr: the losses and the parameters after the last step.
  b["denoising_steps"] = [](const Message& in) {
    Autoencoder model = protocol::get_autoencoder(in);
    nn::SgdOptions sgd;
    sgd.lr = static_cast<float>(in.real("lr"));
    nn::SGD optimizer(model.parameters(), sgd);
    const int64_t n = in.integer("steps");
    if (n < 1 || n > 64) throw Error(fmt::format("denoising_steps: steps = {}", n));
    Message out;
    for (int64_t i = 0; i < n; ++i)
      out.set(fmt::format("loss{}", i),
              double{denoising_step(model, in.tensor(fmt::format("clean{}", i)),
                                    in.tensor(fmt::format("corrupted{}", i)), optimizer)});
    protocol::put_autoencoder(out, model);
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
