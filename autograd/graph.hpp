#pragma once
// The graph's storage, shared by Variable, record() and the backward engine (internal).
//
// Each Variable owns at most one node: the op that produced it, with strong references to
// that op's inputs. The graph is therefore the set of Variables reachable through node
// inputs, and it is freed when the last handle to its output goes away. A node never refers
// to its own output (the engine passes the output to the rule), so a graph has no cycles.
#include <memory>
#include <string>
#include <vector>

#include "autograd/record.hpp"
#include "autograd/variable.hpp"

namespace ae::detail {

struct Node {
  std::string op;
  std::vector<Variable> inputs;
  BackwardFn backward;
  /// Set when a backward pass has run this node and dropped its inputs and rule.
  bool released = false;
};

struct VariableImpl {
  Tensor value;
  Variable grad;
  bool requires_grad = false;  ///< for leaves; a non-leaf requires grad by having a node
  std::unique_ptr<Node> node;  ///< null for a leaf

  VariableImpl() = default;
  VariableImpl(const VariableImpl&) = delete;
  VariableImpl& operator=(const VariableImpl&) = delete;
  /// Releases the chain of inputs iteratively: destroying the output of a 100,000-op chain
  /// must not recurse 100,000 destructors deep.
  ~VariableImpl();
};

/// The one door to Variable's handle for the engine and record().
struct Access {
  static const std::shared_ptr<VariableImpl>& impl(const Variable& v) { return v.impl_; }
  static std::shared_ptr<VariableImpl>& impl(Variable& v) { return v.impl_; }
  static Variable wrap(std::shared_ptr<VariableImpl> impl) {
    Variable v;
    v.impl_ = std::move(impl);
    return v;
  }
};

}  // namespace ae::detail
