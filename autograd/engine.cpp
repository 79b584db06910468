// The backward engine: order the graph, then run each op's rule once, outputs first.
//
// 1. Topological order by depth-first search with an explicit stack (a recursive search
//    would overflow the call stack on a 100,000-op chain). A Variable is appended after
//    all of its inputs, so walking the order backwards visits every op after all the ops
//    that consume its output: its gradient is complete when its rule runs.
// 2. Pruning: a Variable is "needed" when it is a target (a leaf for backward(), an input
//    for grad()) or one of its inputs is needed. Rules run only for needed Variables, and
//    ask for gradients only of needed inputs.
// 3. Gradients flowing into the same Variable from several consumers are summed.
//
// Without create_graph the rules run with recording off: they cost their tensor math
// only. With create_graph they are recorded like any forward computation, so the
// gradients they produce are differentiable.
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "autograd/graph.hpp"
#include "autograd/ops.hpp"
#include "autograd/variable.hpp"
#include "tensor/ops.hpp"

namespace ae {

namespace {

using detail::Access;
using detail::VariableImpl;
using ImplPtr = std::shared_ptr<VariableImpl>;

// Only Variables that require a gradient take part in backward; constants are skipped.
bool participates(const ImplPtr& v) { return v && (v->node || v->requires_grad); }

struct Order {
  std::vector<ImplPtr> impls;  // every Variable after all of its inputs
  std::vector<bool> needed;    // leads to a target
  std::unordered_map<const VariableImpl*, std::size_t> position;
};

[[noreturn]] void graph_already_freed(const VariableImpl& v, const char* caller) {
  throw Error(std::string(caller) + ": the graph through '" + v.node->op +
              "' was freed by an earlier backward; pass retain_graph=true to that first call "
              "to backward through the same graph twice");
}

template <class IsTarget>
Order topological_order(const std::vector<ImplPtr>& roots, IsTarget is_target, const char* caller) {
  Order order;
  std::unordered_set<const VariableImpl*> entered;
  struct Frame {
    ImplPtr impl;
    std::size_t next_input;
  };
  std::vector<Frame> stack;
  for (const ImplPtr& root : roots) {
    if (!entered.insert(root.get()).second) continue;
    stack.push_back({root, 0});
    while (!stack.empty()) {
      Frame& top = stack.back();
      const detail::Node* node = top.impl->node.get();
      if (node && node->released) graph_already_freed(*top.impl, caller);
      if (node && top.next_input < node->inputs.size()) {
        const ImplPtr& input = Access::impl(node->inputs[top.next_input++]);
        if (participates(input) && entered.insert(input.get()).second)
          stack.push_back({input, 0});  // `top` is not used after this
        continue;
      }
      // Every input is already placed, so whether it is needed is known.
      bool needed = is_target(*top.impl);
      if (node)
        for (const Variable& input : node->inputs)
          if (participates(Access::impl(input)))
            needed = needed || order.needed[order.position.at(Access::impl(input).get())];
      order.position.emplace(top.impl.get(), order.impls.size());
      order.impls.push_back(std::move(top.impl));
      order.needed.push_back(needed);
      stack.pop_back();
    }
  }
  return order;
}

Tensor seed_for(const Tensor& value, const Tensor& seed, const std::string& caller) {
  if (!seed.defined()) {
    if (value.numel() != 1)
      throw Error(caller + ": the output has shape " + to_string(value.shape()) + " (" +
                  std::to_string(value.numel()) +
                  " elements); only a one-element output has the implicit seed 1, so pass a "
                  "seed of that shape (the gradient of some loss with respect to it)");
    return tensor::ones(value.shape());
  }
  if (seed.shape() != value.shape())
    throw Error(caller + ": seed of shape " + to_string(seed.shape()) +
                " differs from the output's shape " + to_string(value.shape()));
  return seed;
}

// Runs the rules from `roots` (seeded with `seeds`) and hands each target its complete
// gradient through deliver(impl, grad).
template <class IsTarget, class Deliver>
void propagate(const std::vector<ImplPtr>& roots, const std::vector<Tensor>& seeds,
               bool create_graph, bool retain_graph, IsTarget is_target, Deliver deliver,
               const char* caller) {
  Order order = topological_order(roots, is_target, caller);
  const std::size_t n = order.impls.size();
  std::vector<Variable> grads(n);
  GradModeGuard mode(create_graph);
  for (std::size_t r = 0; r < roots.size(); ++r) {
    Variable& slot = grads[order.position.at(roots[r].get())];
    slot = slot.defined() ? add(slot, Variable(seeds[r])) : Variable(seeds[r]);
  }
  std::vector<bool> input_needed;
  for (std::size_t i = n; i-- > 0;) {
    Variable g = std::move(grads[i]);
    if (!g.defined() || !order.needed[i]) continue;
    VariableImpl& v = *order.impls[i];
    if (detail::Node* node = v.node.get()) {
      input_needed.assign(node->inputs.size(), false);
      bool any_needed = false;
      for (std::size_t j = 0; j < node->inputs.size(); ++j) {
        const ImplPtr& input = Access::impl(node->inputs[j]);
        input_needed[j] = participates(input) && order.needed[order.position.at(input.get())];
        any_needed = any_needed || input_needed[j];
      }
      if (any_needed) {
        const Variable out = Access::wrap(order.impls[i]);
        Grads input_grads = node->backward(Backward{g, out, node->inputs, input_needed});
        if (input_grads.size() != node->inputs.size())
          throw Error("backward of '" + node->op + "': the rule returned " +
                      std::to_string(input_grads.size()) + " gradients for " +
                      std::to_string(node->inputs.size()) + " inputs");
        for (std::size_t j = 0; j < input_grads.size(); ++j) {
          if (!input_needed[j] || !input_grads[j].defined()) continue;
          const Shape& want = node->inputs[j].shape();
          if (input_grads[j].shape() != want)
            throw Error("backward of '" + node->op + "': gradient for input " + std::to_string(j) +
                        " has shape " + to_string(input_grads[j].shape()) +
                        " but the input has shape " + to_string(want) +
                        " (a broadcast operand's gradient must be summed back to its shape)");
          Variable& slot = grads[order.position.at(Access::impl(node->inputs[j]).get())];
          slot = slot.defined() ? add(slot, input_grads[j]) : std::move(input_grads[j]);
        }
        if (!retain_graph) {
          node->inputs.clear();
          node->backward = nullptr;
          node->released = true;
        }
      }
    }
    if (is_target(v)) deliver(v, std::move(g));
  }
}

// The gradient a leaf keeps. A tensor this pass made for this leaf alone is kept as it is;
// one shared with anything else (the seed, another leaf's gradient, a view of either) is
// copied, so that an optimizer may update grad() in place without touching the others.
Variable owned_gradient(Variable g) {
  const ImplPtr& impl = Access::impl(g);
  const Tensor& t = impl->value;
  const bool alone = impl.use_count() == 1 && t.storage().use_count() == 1 && t.is_contiguous() &&
                     t.offset() == 0 && t.numel() == t.storage()->size();
  return alone ? g : Variable(t.clone());
}

}  // namespace

void Variable::backward(const Tensor& seed, bool create_graph, bool retain_graph) const {
  if (!impl_) throw Error("backward: the Variable is undefined");
  if (!requires_grad())
    throw Error("backward: this Variable of shape " + to_string(impl_->value.shape()) +
                " does not require a gradient: no input of its computation has "
                "requires_grad, or it was computed under NoGradGuard");
  const Tensor s = seed_for(impl_->value, seed, "backward");
  auto is_leaf_target = [](const VariableImpl& v) { return !v.node && v.requires_grad; };
  auto accumulate = [create_graph](VariableImpl& leaf, Variable g) {
    if (!leaf.grad.defined())
      leaf.grad = create_graph ? std::move(g) : owned_gradient(std::move(g));
    else
      leaf.grad = add(leaf.grad, g);  // recorded only with create_graph
  };
  propagate({impl_}, {s}, create_graph, retain_graph || create_graph, is_leaf_target, accumulate,
            "backward");
}

std::vector<Variable> grad(const std::vector<Variable>& outputs,
                           const std::vector<Variable>& inputs, const std::vector<Tensor>& seeds,
                           bool create_graph, bool retain_graph) {
  if (!seeds.empty() && seeds.size() != outputs.size())
    throw Error("grad: " + std::to_string(seeds.size()) + " seeds for " +
                std::to_string(outputs.size()) + " outputs (pass one per output, or none)");
  std::vector<ImplPtr> roots;
  std::vector<Tensor> root_seeds;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    if (!outputs[i].requires_grad())
      throw Error("grad: output " + std::to_string(i) +
                  " does not require a gradient (undefined, a constant, or computed under "
                  "NoGradGuard)");
    roots.push_back(Access::impl(outputs[i]));
    root_seeds.push_back(seed_for(outputs[i].value(), seeds.empty() ? Tensor() : seeds[i],
                                  "grad (output " + std::to_string(i) + ")"));
  }
  std::unordered_map<const VariableImpl*, Variable> found;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].requires_grad())
      throw Error("grad: input " + std::to_string(i) +
                  " does not require a gradient (undefined, a constant, or computed under "
                  "NoGradGuard)");
    found.emplace(Access::impl(inputs[i]).get(), Variable());
  }
  auto is_input = [&found](const VariableImpl& v) { return found.count(&v) > 0; };
  auto keep = [&found](VariableImpl& v, Variable g) { found[&v] = std::move(g); };
  propagate(roots, root_seeds, create_graph, retain_graph || create_graph, is_input, keep, "grad");
  std::vector<Variable> result;
  result.reserve(inputs.size());
  for (const Variable& input : inputs) {
    const Variable& g = found[Access::impl(input).get()];
    result.push_back(g.defined() ? g : Variable(tensor::zeros(input.shape())));
  }
  return result;
}

}  // namespace ae
