#pragma once
// Variable — a Tensor that remembers how it was computed, so gradients can flow back.
//
// A Variable is a shared handle, like a PyTorch tensor: copying it shares the value, the
// gradient and the node that made it. A leaf is a Variable made by the user (a parameter,
// an input); every op on Variables returns a non-leaf that records the op, its inputs and
// its backward rule (autograd/record.hpp), as long as some input requires a gradient and
// recording is on (see NoGradGuard).
//
//   Variable w(tensor::randn({3, 2}, gen), /*requires_grad=*/true);
//   Variable loss = sum(square(matmul(x, w)));
//   loss.backward();                 // w.grad() now holds d loss / d w
//
// After backward() the graph's saved values are freed (a second backward through the same
// graph is an error) unless retain_graph or create_graph is asked for. create_graph records
// the backward pass itself, so the gradient is a Variable that can be differentiated again.
#include <memory>
#include <string>
#include <vector>

#include "tensor/tensor.hpp"

namespace ae {

namespace detail {
struct VariableImpl;
struct Access;
}  // namespace detail

class Variable {
 public:
  /// An undefined Variable (no value); defined() is false.
  Variable() = default;
  /// A leaf holding `value` (shared, not copied). Implicit, so a Tensor can be passed
  /// wherever a Variable is expected; it then acts as a constant.
  Variable(Tensor value, bool requires_grad = false);  // NOLINT(google-explicit-constructor)

  bool defined() const { return impl_ != nullptr; }

  const Tensor& value() const;
  /// The value itself, for in-place updates of parameters (optimizers). Changing a value
  /// that a graph still uses changes what its backward computes.
  Tensor& value();

  /// d(output)/d(this), summed over every backward() that reached this leaf since the last
  /// zero_grad(); undefined until then. With create_graph it is itself differentiable.
  Variable grad() const;
  /// Drops the gradient (grad() becomes undefined, no memory is written); the next
  /// backward() stores a fresh one. This also breaks the reference cycle that a gradient
  /// made with create_graph forms with its own leaf.
  void zero_grad();

  /// True for a leaf marked so, and for every result of an op recorded on such leaves.
  bool requires_grad() const;
  /// Leaves only: a non-leaf requires a gradient exactly when its inputs do.
  void set_requires_grad(bool requires_grad);
  /// True when no recorded op made this Variable.
  bool is_leaf() const;
  /// Name of the op that made this Variable ("" for a leaf).
  const std::string& op() const;

  /// The same value as a new leaf that does not require a gradient: gradients stop here.
  Variable detach() const;

  const Shape& shape() const { return value().shape(); }
  int64_t dim() const { return value().dim(); }
  int64_t numel() const { return value().numel(); }
  /// The value of a one-element Variable.
  float item() const { return value().item(); }

  /// Back-propagates from this Variable, adding d(this)/d(leaf) (times `seed`) into the
  /// grad() of every leaf that requires a gradient. `seed` defaults to 1 for a one-element
  /// Variable and is required otherwise. create_graph records the backward pass (for
  /// second derivatives) and implies retain_graph; retain_graph keeps the graph's saved
  /// values for another backward through it. A gradient made with create_graph refers,
  /// through its graph, back to its own leaf (a reference cycle, as in PyTorch): call
  /// zero_grad() when done with it, or use grad() below, which stores nothing.
  void backward(const Tensor& seed = {}, bool create_graph = false,
                bool retain_graph = false) const;

 private:
  friend struct detail::Access;
  std::shared_ptr<detail::VariableImpl> impl_;
};

/// Gradients of `outputs` (each times its seed; seeds default to 1 for one-element outputs)
/// with respect to `inputs`, returned rather than accumulated into grad(): like
/// torch.autograd.grad. Inputs may be leaves or intermediate results; an input the outputs
/// do not depend on gets zeros. With create_graph the results are differentiable (double
/// backward: penalties on a Jacobian, for example). The graph is freed afterwards unless
/// create_graph or retain_graph is set.
std::vector<Variable> grad(const std::vector<Variable>& outputs,
                           const std::vector<Variable>& inputs,
                           const std::vector<Tensor>& seeds = {}, bool create_graph = false,
                           bool retain_graph = false);

/// Whether ops record themselves for backward on this thread (true unless a NoGradGuard
/// or GradModeGuard(false) is alive).
bool grad_enabled();

/// Sets the recording mode of this thread for its lifetime, then restores the previous one.
class GradModeGuard {
 public:
  explicit GradModeGuard(bool enabled);
  ~GradModeGuard();
  GradModeGuard(const GradModeGuard&) = delete;
  GradModeGuard& operator=(const GradModeGuard&) = delete;

 private:
  bool previous_;
};

/// Turns recording off for its lifetime: evaluation, optimizer steps, metrics. Results made
/// under it are constants (no graph, no saved values).
class NoGradGuard : public GradModeGuard {
 public:
  NoGradGuard() : GradModeGuard(false) {}
};

}  // namespace ae
