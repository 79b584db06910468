#pragma once
// record — how an op joins the graph. Every differentiable op in autograd/ops.hpp is one
// call to record(), and a custom op is written the same way:
//
//   // cube:  y = x^3      dy/dx = 3 x^2
//   Variable cube(const Variable& x) {
//     return record("cube", tensor::pow(x.value(), 3.0f), {x}, [](const Backward& ctx) {
//       return Grads{ctx.grad * 3.0f * square(ctx.input(0))};
//     });
//   }
//
// The backward rule gets the incoming gradient dL/dy (ctx.grad, shaped like y), the op's
// output y (ctx.out) and its inputs, and returns dL/d(input) for each input, shaped like
// that input: a rule for a broadcasting op must sum its gradient back to the input's shape
// (sum_to). The engine checks the shapes and throws ae::Error naming the op when they
// differ. An undefined Variable in the result means "no gradient" (zero).
//
// Rules are written with the differentiable ops on Variables, not with raw tensor math, so
// that backward(create_graph=true) can record them and differentiate again. When no second
// derivative is asked for they run with recording off, costing only the tensor math.
//
// A rule should capture Tensors or plain values, never Variables: use ctx.input(i) for the
// inputs, so that the graph owns them and can free them iteratively.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "autograd/variable.hpp"

namespace ae {

/// One gradient per input of an op.
using Grads = std::vector<Variable>;

/// What a backward rule sees.
struct Backward {
  const Variable& grad;                 ///< dL/dy, shaped like out
  const Variable& out;                  ///< y, the op's output
  const std::vector<Variable>& inputs;  ///< the op's inputs, in the order given to record
  const std::vector<bool>& needed;      ///< which inputs need a gradient

  const Variable& input(std::size_t i) const { return inputs[i]; }
  /// Whether input i needs a gradient; a rule may skip the work for the others.
  bool needs(std::size_t i) const { return needed[i]; }

  /// Grads{rule_0(), rule_1(), ...}, calling rule i only when input i needs a gradient
  /// (an expensive product for a constant input is then never computed).
  template <class... Rules>
  Grads per_input(Rules&&... rules) const {
    Grads out_grads;
    out_grads.reserve(sizeof...(Rules));
    std::size_t i = 0;
    ((out_grads.push_back(needs(i) ? Variable(rules()) : Variable()), ++i), ...);
    return out_grads;
  }
};

using BackwardFn = std::function<Grads(const Backward&)>;

/// The result of op `op` on `inputs`, with forward value `value` already computed. When
/// recording is on and some input requires a gradient, the result remembers the op, the
/// inputs and `backward`; otherwise it is a plain constant and `backward` is dropped.
/// Undefined inputs are allowed (an optional bias) and never get a gradient.
Variable record(std::string op, Tensor value, std::vector<Variable> inputs, BackwardFn backward);

}  // namespace ae
