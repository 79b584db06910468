// Variable's accessors, the recording mode, record(), and the iterative release of a graph.
#include "autograd/variable.hpp"

#include <string>
#include <utility>

#include "autograd/graph.hpp"
#include "autograd/record.hpp"

namespace ae {

namespace {

thread_local bool grad_mode_enabled = true;

const std::string& no_op_name() {
  static const std::string empty;
  return empty;
}

[[noreturn]] void undefined_variable(const char* what) {
  throw Error(std::string("Variable::") + what +
              ": the Variable is undefined (default-constructed, or a grad() that no backward "
              "has reached)");
}

}  // namespace

namespace detail {

// A node's inputs (and a gradient's own graph) are moved onto an explicit stack; each one
// this impl held the last reference to gives up its own links before it dies, so no
// destructor ever runs another that has links left.
VariableImpl::~VariableImpl() {
  std::vector<std::shared_ptr<VariableImpl>> pending;
  auto take_links = [&pending](VariableImpl& impl) {
    if (impl.node) {
      for (Variable& input : impl.node->inputs)
        if (input.defined()) pending.push_back(std::move(Access::impl(input)));
      impl.node->inputs.clear();
      impl.node->backward = nullptr;
    }
    if (impl.grad.defined()) {
      pending.push_back(std::move(Access::impl(impl.grad)));
    }
  };
  take_links(*this);
  while (!pending.empty()) {
    std::shared_ptr<VariableImpl> impl = std::move(pending.back());
    pending.pop_back();
    if (impl && impl.use_count() == 1) take_links(*impl);
  }
}

}  // namespace detail

using detail::Access;

Variable::Variable(Tensor value, bool requires_grad) {
  if (!value.defined())
    throw Error(
        "Variable: the value tensor is undefined (use Variable() for an undefined "
        "Variable)");
  impl_ = std::make_shared<detail::VariableImpl>();
  impl_->value = std::move(value);
  impl_->requires_grad = requires_grad;
}

const Tensor& Variable::value() const {
  if (!impl_) undefined_variable("value");
  return impl_->value;
}

Tensor& Variable::value() {
  if (!impl_) undefined_variable("value");
  return impl_->value;
}

Variable Variable::grad() const {
  if (!impl_) undefined_variable("grad");
  return impl_->grad;
}

void Variable::zero_grad() {
  if (!impl_) undefined_variable("zero_grad");
  impl_->grad = Variable();
}

bool Variable::requires_grad() const {
  return impl_ && (impl_->node != nullptr || impl_->requires_grad);
}

void Variable::set_requires_grad(bool requires_grad) {
  if (!impl_) undefined_variable("set_requires_grad");
  if (impl_->node)
    throw Error(
        "Variable::set_requires_grad: only a leaf's flag can be set; this Variable was "
        "made by '" +
        impl_->node->op + "' (use detach() to get a leaf)");
  impl_->requires_grad = requires_grad;
}

bool Variable::is_leaf() const { return !impl_ || impl_->node == nullptr; }

const std::string& Variable::op() const {
  return impl_ && impl_->node ? impl_->node->op : no_op_name();
}

Variable Variable::detach() const {
  if (!impl_) undefined_variable("detach");
  return Variable(impl_->value);
}

bool grad_enabled() { return grad_mode_enabled; }

GradModeGuard::GradModeGuard(bool enabled) : previous_(grad_mode_enabled) {
  grad_mode_enabled = enabled;
}

GradModeGuard::~GradModeGuard() { grad_mode_enabled = previous_; }

Variable record(std::string op, Tensor value, std::vector<Variable> inputs, BackwardFn backward) {
  Variable out(std::move(value));
  if (!grad_mode_enabled) return out;
  bool any_requires_grad = false;
  for (const Variable& input : inputs) any_requires_grad |= input.requires_grad();
  if (!any_requires_grad) return out;
  auto node = std::make_unique<detail::Node>();
  node->op = std::move(op);
  node->inputs = std::move(inputs);
  node->backward = std::move(backward);
  Access::impl(out)->node = std::move(node);
  return out;
}

}  // namespace ae
