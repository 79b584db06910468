#pragma once
// gradcheck — does autograd's gradient agree with central finite differences?
//
// For f: inputs -> one Variable y, gradcheck draws a fixed random v shaped like y and
// compares, for every element x_k of every input, the autograd gradient of L = Σ v·f(x)
// with the central difference
//
//     (L(x + h e_k) - L(x - h e_k)) / (2h).
//
// Checking vᵀJ for a random v, rather than the whole Jacobian J, costs one backward; a wrong
// rule shows up in it unless its error happens to be orthogonal to v (probability zero).
//
// Precision. The tensors are float32 (unit roundoff u ≈ 6e-8) and f is evaluated in them.
// The difference quotient has a truncation error ≈ h² |f'''| / 6 and a rounding error
// ≈ u |y| / h; with h = 1e-3 they are about 1e-6 and 1e-4 for values of order 1, so a
// gradient passes when |autograd - numeric| <= atol + rtol |numeric| with atol = 1e-3 and
// rtol = 1e-2. That still catches a rule off by 5% (a factor 1.05) on gradients of order
// 0.1 and above. The step h is the difference of the two perturbed float inputs, computed
// exactly, and L is summed in double. Choose points at least a few h away from kinks
// (relu, abs, max, clamp edges), where the derivative does not exist. The check costs two
// evaluations of f per input element: keep inputs small (tens of elements).
//
// gradgradcheck checks second derivatives, i.e. backward(create_graph=true): with fixed
// random v and u_i it differentiates
//
//     g(x, v) = Σ_i u_i · ∂(Σ v·f(x)) / ∂x_i
//
// by gradcheck, with respect to x and to v. The derivative in x is the double backward of
// f's rules; the one in v checks that the recorded backward graph is linear in the
// incoming gradient (the only thing to check for a linear op such as add or reshape).
// Its finite differences are taken of the first-order gradients as autograd computes
// them, so it checks the second derivatives given the first-order rules: run gradcheck
// first.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "autograd/variable.hpp"

namespace ae {

struct GradcheckOptions {
  float eps = 1e-3f;     ///< finite-difference step h
  double atol = 1e-3;    ///< absolute tolerance
  double rtol = 1e-2;    ///< tolerance relative to the finite difference
  uint64_t seed = 1234;  ///< seed of the random projections v (and u)
};

/// The verdict. When the gradients disagree, the worst element (largest excess over the
/// tolerance) is reported with both values; the message says it all in one line.
struct GradcheckResult {
  bool ok = true;
  int64_t input = -1;    ///< which input (for gradgradcheck, inputs.size() means v)
  int64_t element = -1;  ///< row-major index within that input
  double autograd = 0.0;
  double numeric = 0.0;
  int64_t mismatches = 0;  ///< elements out of tolerance
  std::string message;     ///< "" when ok
  explicit operator bool() const { return ok; }
};

/// f gets one leaf Variable per input (requiring a gradient) and returns one Variable.
using GradcheckFunction = std::function<Variable(const std::vector<Variable>&)>;

/// First derivatives of f at `inputs`. An ae::Error thrown by f or by the backward pass (a
/// rule returning a wrongly shaped gradient, say) is reported as a failed check with its
/// message.
GradcheckResult gradcheck(const GradcheckFunction& f, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options = {});

/// Second derivatives of f at `inputs` (see above).
GradcheckResult gradgradcheck(const GradcheckFunction& f, const std::vector<Tensor>& inputs,
                              const GradcheckOptions& options = {});

}  // namespace ae
