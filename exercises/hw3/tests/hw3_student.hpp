#pragma once
// The student's HW3 functions as the graded tests call them: each call goes to the student
// runner (hw3_student, exercises/common/student_process.hpp), never into this process. The
// signatures follow hw3.hpp; task 1's calls return the whole stack after the call.
#include <string>
#include <vector>

#include <fmt/core.h>

#include "exercises/common/graded_test.hpp"
#include "exercises/hw3/hw3.hpp"
#include "exercises/hw3/protocol.hpp"

namespace hw3_student {

using ae::Shape;
using ae::Tensor;
using ae::exercises::Message;
using ae::exercises::StudentProcess;
namespace protocol = ae::hw3::protocol;

/// A seed of the hidden suites' inputs: the grader's per-run seed mixed with `salt`.
inline uint64_t hidden_seed(uint64_t salt) { return ae::exercises::salted_hidden_seed(salt); }

using ae::exercises::runner_path;
using ae::exercises::student;

inline Tensor optional_tensor(const Message& out, const std::string& name) {
  return out.has(name) ? out.tensor(name) : Tensor();
}

// ---- task 1

inline Message with_stack(const ae::hw3::Stack& stack) {
  Message m;
  protocol::put_stack(m, stack);
  return m;
}

inline Tensor layer_input(const ae::hw3::Stack& stack, size_t l, const Tensor& X) {
  return optional_tensor(
      student().call("layer_input", with_stack(stack).set("l", static_cast<int64_t>(l)).set("X", X)), "H");
}

/// pretrain_layer in the runner: its losses; `stack` replaced by the stack after the call.
inline std::vector<double> pretrain_layer(ae::hw3::Stack& stack, size_t l, const Tensor& X,
                                          const ae::hw3::PretrainOptions& options) {
  Message in = with_stack(stack);
  in.set("l", static_cast<int64_t>(l)).set("X", X);
  protocol::put_pretrain_options(in, options, "options_");
  const Message out = student().call("pretrain_layer", in);
  stack = protocol::get_stack(out);
  return protocol::get_numbers(out.tensor("losses"));
}

inline std::vector<std::vector<double>> greedy_pretrain(ae::hw3::Stack& stack, const Tensor& X,
                                                        const ae::hw3::PretrainOptions& options) {
  Message in = with_stack(stack);
  in.set("X", X);
  protocol::put_pretrain_options(in, options, "options_");
  const Message out = student().call("greedy_pretrain", in);
  stack = protocol::get_stack(out);
  std::vector<std::vector<double>> losses;
  for (int64_t l = 0; l < out.integer("stages") && l < 64; ++l)
    losses.push_back(protocol::get_numbers(out.tensor(fmt::format("losses{}", l))));
  return losses;
}

// ---- task 2

inline Tensor softmax(const Tensor& Z) { return optional_tensor(student().call("softmax", {{"Z", Z}}), "P"); }

inline double softmax_cost(const Tensor& W, const Tensor& b, const Tensor& X, const std::vector<int>& labels,
                           double lambda) {
  return student()
      .call("softmax_cost",
            {{"W", W}, {"b", b}, {"X", X}, {"labels", protocol::labels_tensor(labels)}, {"lambda", lambda}})
      .real("cost");
}

inline ae::hw3::SoftmaxGradient softmax_cost_grad(const Tensor& W, const Tensor& b, const Tensor& X,
                                                  const std::vector<int>& labels, double lambda) {
  const Message out = student().call(
      "softmax_cost_grad",
      {{"W", W}, {"b", b}, {"X", X}, {"labels", protocol::labels_tensor(labels)}, {"lambda", lambda}});
  return {optional_tensor(out, "dW"), optional_tensor(out, "db")};
}

// ---- task 3

inline Tensor im2col(const Tensor& x, int64_t kh, int64_t kw, int64_t stride, int64_t padding) {
  return optional_tensor(student().call("im2col", {{"x", x}, {"kh", kh}, {"kw", kw}, {"stride", stride},
                                                   {"padding", padding}}),
                         "cols");
}

inline Tensor conv2d_forward(const Tensor& x, const Tensor& w, const Tensor& b, int64_t stride, int64_t padding) {
  Message in{{"x", x}, {"w", w}, {"stride", stride}, {"padding", padding}};
  if (b.defined()) in.set("b", b);
  return optional_tensor(student().call("conv2d_forward", in), "y");
}

// ---- task 4

inline Tensor col2im(const Tensor& cols, const Shape& x_shape, int64_t kh, int64_t kw, int64_t stride,
                     int64_t padding) {
  std::vector<float> shape(x_shape.begin(), x_shape.end());
  const Tensor shape_tensor = ae::tensor::from_vector(shape, {static_cast<int64_t>(shape.size())});
  return optional_tensor(student().call("col2im", {{"cols", cols}, {"x_shape", shape_tensor}, {"kh", kh},
                                                   {"kw", kw}, {"stride", stride}, {"padding", padding}}),
                         "x");
}

inline ae::hw3::ConvGradients conv2d_backward(const Tensor& x, const Tensor& w, const Tensor& dy, int64_t stride,
                                              int64_t padding) {
  const Message out = student().call("conv2d_backward",
                                     {{"x", x}, {"w", w}, {"dy", dy}, {"stride", stride}, {"padding", padding}});
  return {optional_tensor(out, "dx"), optional_tensor(out, "dw"), optional_tensor(out, "db")};
}

// ---- task 5

/// run_experiment in a runner of its own that may read the data folder.
inline ae::hw3::ExperimentResult run_experiment(StudentProcess& process, const ae::hw3::ExperimentOptions& options,
                                                double seconds) {
  Message in;
  protocol::put_options(in, options);
  return protocol::get_result(process.call("run_experiment", in, seconds));
}

}  // namespace hw3_student
