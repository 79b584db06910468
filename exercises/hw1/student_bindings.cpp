// HW1: the functions the graded tests may call in the student runner (given code, compiled
// only into the runner hw1_student, never into a test). Each takes the request's named
// inputs, calls the student's function and returns what the tests check — for tasks 4-5
// that includes the gradients and the optimiser state, computed here, in the runner, from
// the student's graph and update.
#include <fmt/core.h>

#include "autograd/ops.hpp"
#include "exercises/common/runner_server.hpp"
#include "exercises/hw1/hw1.hpp"
#include "exercises/hw1/protocol.hpp"

namespace ae::exercises {

namespace {

using namespace ae::hw1;
using protocol::kParameterNames;

// The gradient of every parameter, as grad_<name>; has_grad_<name> says whether it exists.
void put_gradients(Message& out, const std::vector<Variable>& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    const bool has = params[i].grad().defined();
    out.set(std::string("has_grad_") + kParameterNames[i], int64_t{has});
    if (has) out.set(std::string("grad_") + kParameterNames[i], params[i].grad().value().clone());
  }
}

// X, or the strided view X.t() when the request says "transposed".
Tensor input_x(const Message& in) { return in.has("transposed") ? in.tensor("X").t() : in.tensor("X"); }

}  // namespace

Bindings student_bindings() {
  Bindings b;
  // ---- tasks 1-3
  b["column_mean"] = [](const Message& in) { return Message{{"mean", column_mean(input_x(in))}}; };
  b["center"] = [](const Message& in) {
    const Tensor X = input_x(in);
    const Tensor centred = center(X, in.tensor("mean"));
    return Message{{"centred", centred}, {"X_after", X}};
  };
  b["covariance"] = [](const Message& in) { return Message{{"C", covariance(in.tensor("Xc"))}}; };
  b["top_eigenpairs"] = [](const Message& in) {
    const Tensor C = in.tensor("C");
    PowerIterationOptions options;
    options.max_iterations = static_cast<int>(in.integer("max_iterations"));
    options.tolerance = static_cast<float>(in.real("tolerance"));
    options.seed = static_cast<uint64_t>(in.integer("seed"));
    const Eigenpairs eig = top_eigenpairs(C, in.integer("k"), options);
    std::vector<float> iterations(eig.iterations.begin(), eig.iterations.end());
    Message out{{"C_after", C}};
    protocol::put_if_defined(out, "values", eig.values);
    protocol::put_if_defined(out, "vectors", eig.vectors);
    out.set("iterations", tensor::from_vector(iterations, {static_cast<int64_t>(iterations.size())}));
    return out;
  };
  b["pca_encode"] = [](const Message& in) {
    return Message{{"Z", pca_encode(in.tensor("X"), in.tensor("mean"), in.tensor("W"))}};
  };
  b["pca_decode"] = [](const Message& in) {
    return Message{{"X_hat", pca_decode(in.tensor("Z"), in.tensor("mean"), in.tensor("W"))}};
  };
  b["reconstruction_error"] = [](const Message& in) {
    return Message{{"error", reconstruction_error(in.tensor("X"), in.tensor("X_hat"))}};
  };
  b["project_2d"] = [](const Message& in) {
    return Message{{"view", project_2d(in.tensor("X"), in.tensor("mean"), in.tensor("W"))}};
  };

  // ---- task 4
  b["ae_forward"] = [](const Message& in) {
    const AeOutput out = ae_forward(protocol::get_autoencoder(in), Variable(in.tensor("X")));
    Message reply;
    if (out.code.defined()) reply.set("code", out.code.value());
    if (out.reconstruction.defined()) reply.set("reconstruction", out.reconstruction.value());
    return reply;
  };
  // The loss of X_hat (a leaf that requires gradients) and, when it is one number, dL/dX_hat.
  b["squared_loss"] = [](const Message& in) {
    const Variable X_hat(in.tensor("X_hat").clone(), true);
    const Variable loss = squared_loss(X_hat, Variable(in.tensor("X")));
    Message out{{"numel", loss.numel()}};
    if (loss.numel() != 1) return out;
    out.set("loss", double{loss.item()});
    loss.backward();
    out.set("has_grad", int64_t{X_hat.grad().defined()});
    if (X_hat.grad().defined()) out.set("grad", X_hat.grad().value().clone());
    return out;
  };
  // squared_loss(ae_forward(X).reconstruction, X), back-propagated to the parameters.
  b["loss_gradients"] = [](const Message& in) {
    const Autoencoder model = protocol::get_autoencoder(in);
    const Variable X(in.tensor("X"));
    const Variable loss = squared_loss(ae_forward(model, X).reconstruction, X);
    if (loss.numel() != 1)
      throw Error(fmt::format("squared_loss returned {} numbers, expected one", loss.numel()));
    loss.backward();
    Message out{{"loss", double{loss.item()}}};
    put_gradients(out, model.parameters());
    return out;
  };

  // ---- task 5
  // Parameters p<i> get the gradients g<i>; one adam_update from the given state.
  b["adam_update"] = [](const Message& in) {
    const int64_t n = in.integer("count");
    if (n < 1 || n > 64) throw Error(fmt::format("adam_update: count = {}", n));
    std::vector<Variable> params;
    for (int64_t i = 0; i < n; ++i) {
      Variable p(in.tensor(fmt::format("p{}", i)).clone(), true);
      sum(p * Variable(in.tensor(fmt::format("g{}", i)))).backward();  // d/dp sum(p * g) = g
      params.push_back(p);
    }
    Adam adam = protocol::get_adam(in);
    adam_update(params, adam);
    Message out;
    for (int64_t i = 0; i < n; ++i) out.set(fmt::format("p{}", i), params[static_cast<size_t>(i)].value().clone());
    protocol::put_adam(out, adam);
    return out;
  };
  // train_step on batch0, batch1, ... in turn, with one model and one Adam state.
  b["train_steps"] = [](const Message& in) {
    Autoencoder model = protocol::get_autoencoder(in);
    Adam adam = protocol::get_adam(in);
    const int64_t n = in.integer("batches");
    Message out;
    for (int64_t i = 0; i < n; ++i)
      out.set(fmt::format("loss{}", i), double{train_step(model, in.tensor(fmt::format("batch{}", i)), adam)});
    protocol::put_autoencoder(out, model);
    protocol::put_adam(out, adam);
    return out;
  };

  // ---- task 6
  b["run_experiment"] = [](const Message& in) {
    Message out;
    protocol::put_result(out, run_experiment(protocol::get_options(in)));
    return out;
  };
  return b;
}

}  // namespace ae::exercises
