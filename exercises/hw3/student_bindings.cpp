// HW3: the functions the graded tests may call in the student runner (given code, compiled
// only into the runner hw3_student, never into a test). Each takes the request's named
// inputs, calls the student's function and returns what the tests check — for task 1 the
// whole stack after the call, so that a test sees every layer, the frozen ones too.
#include <fmt/core.h>

#include "exercises/common/runner_server.hpp"
#include "exercises/hw3/hw3.hpp"
#include "exercises/hw3/protocol.hpp"

namespace ae::exercises {

namespace {

using namespace ae::hw3;

size_t layer_index(const Message& in, const Stack& stack) {
  const int64_t l = in.integer("l");
  if (l < 0 || l >= static_cast<int64_t>(stack.size()))
    throw Error(fmt::format("layer {} of a stack of {} layers", l, stack.size()));
  return static_cast<size_t>(l);
}

Shape shape_of(const Tensor& t) {
  Shape s;
  for (float x : t.contiguous().to_vector()) s.push_back(static_cast<int64_t>(x));
  return s;
}

}  // namespace

Bindings student_bindings() {
  Bindings b;
  // ---- task 1
  b["layer_input"] = [](const Message& in) {
    const Stack stack = protocol::get_stack(in);
    const Tensor H = layer_input(stack, layer_index(in, stack), in.tensor("X"));
    Message out;
    if (H.defined()) out.set("H", H.contiguous().clone());
    return out;
  };
  // pretrain_layer on a stack: its losses and the whole stack afterwards.
  b["pretrain_layer"] = [](const Message& in) {
    Stack stack = protocol::get_stack(in);
    const size_t l = layer_index(in, stack);
    const std::vector<double> losses =
        pretrain_layer(stack, l, in.tensor("X"), protocol::get_pretrain_options(in, "options_"));
    Message out{{"losses", protocol::numbers_tensor(losses)}};
    protocol::put_stack(out, stack);
    return out;
  };
  b["greedy_pretrain"] = [](const Message& in) {
    Stack stack = protocol::get_stack(in);
    const std::vector<std::vector<double>> losses =
        greedy_pretrain(stack, in.tensor("X"), protocol::get_pretrain_options(in, "options_"));
    Message out{{"stages", static_cast<int64_t>(losses.size())}};
    for (size_t l = 0; l < losses.size() && l < 64; ++l)
      out.set(fmt::format("losses{}", l), protocol::numbers_tensor(losses[l]));
    protocol::put_stack(out, stack);
    return out;
  };

  // ---- task 2
  b["softmax"] = [](const Message& in) {
    const Tensor P = softmax(in.tensor("Z"));
    Message out;
    if (P.defined()) out.set("P", P.contiguous().clone());
    return out;
  };
  b["softmax_cost"] = [](const Message& in) {
    return Message{{"cost", softmax_cost(in.tensor("W"), in.tensor("b"), in.tensor("X"),
                                         protocol::get_labels(in.tensor("labels")), in.real("lambda"))}};
  };
  b["softmax_cost_grad"] = [](const Message& in) {
    const SoftmaxGradient g = softmax_cost_grad(in.tensor("W"), in.tensor("b"), in.tensor("X"),
                                                protocol::get_labels(in.tensor("labels")), in.real("lambda"));
    Message out;
    if (g.dW.defined()) out.set("dW", g.dW.contiguous().clone());
    if (g.db.defined()) out.set("db", g.db.contiguous().clone());
    return out;
  };

  // ---- task 3
  b["im2col"] = [](const Message& in) {
    const Tensor cols = im2col(in.tensor("x"), in.integer("kh"), in.integer("kw"), in.integer("stride"),
                               in.integer("padding"));
    Message out;
    if (cols.defined()) out.set("cols", cols.contiguous().clone());
    return out;
  };
  b["conv2d_forward"] = [](const Message& in) {
    const Tensor bias = in.has("b") ? in.tensor("b") : Tensor();
    const Tensor y = conv2d_forward(in.tensor("x"), in.tensor("w"), bias, in.integer("stride"), in.integer("padding"));
    Message out;
    if (y.defined()) out.set("y", y.contiguous().clone());
    return out;
  };

  // ---- task 4
  b["col2im"] = [](const Message& in) {
    const Tensor x = col2im(in.tensor("cols"), shape_of(in.tensor("x_shape")), in.integer("kh"), in.integer("kw"),
                            in.integer("stride"), in.integer("padding"));
    Message out;
    if (x.defined()) out.set("x", x.contiguous().clone());
    return out;
  };
  b["conv2d_backward"] = [](const Message& in) {
    const ConvGradients g =
        conv2d_backward(in.tensor("x"), in.tensor("w"), in.tensor("dy"), in.integer("stride"), in.integer("padding"));
    Message out;
    if (g.dx.defined()) out.set("dx", g.dx.contiguous().clone());
    if (g.dw.defined()) out.set("dw", g.dw.contiguous().clone());
    if (g.db.defined()) out.set("db", g.db.contiguous().clone());
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
