#pragma once
// L-BFGS — a quasi-Newton method for full-batch training (the UFLDL exercises train their
// sparse autoencoders and softmax classifiers with it, 400 iterations on all the data).
//
// Newton's step solves H p = -g with the Hessian H. L-BFGS never forms H: it keeps the last
// m pairs s_i = x_{i+1} - x_i, y_i = g_{i+1} - g_i and applies an approximation of H^-1 to g
// with the two-loop recursion (Nocedal & Wright, Numerical Optimization, 2nd ed., Alg. 7.4):
//
//   q = g
//   for i = newest ... oldest:   α_i = ρ_i s_iᵀ q,   q = q - α_i y_i        (ρ_i = 1 / y_iᵀ s_i)
//   r = γ q                      γ = s_newᵀ y_new / y_newᵀ y_new  (the scale of H^-1)
//   for i = oldest ... newest:   β = ρ_i y_iᵀ r,     r = r + s_i (α_i - β)
//   p = -r
//
// The step length t along p comes from a line search that meets the strong Wolfe conditions
// (Alg. 3.5 and 3.6 there, with cubic interpolation):
//   f(x + t p) <= f(x) + c1 t gᵀp          (sufficient decrease)
//   |∇f(x + t p)ᵀ p| <= c2 |gᵀp|           (curvature: the slope has flattened enough)
// The second condition guarantees y_iᵀ s_i > 0, so the approximation stays positive definite.
//
// Everything here is in double: the parameters are float, but the differences s and y of
// nearly equal floats would lose most of their digits.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "autograd/variable.hpp"

namespace ae::nn {

struct LbfgsOptions {
  int max_iterations = 400;            ///< UFLDL's maxIter
  int history = 100;                   ///< pairs (s, y) kept (m)
  double gradient_tolerance = 1e-5;    ///< stop when max_i |g_i| <= this
  double value_tolerance = 1e-9;       ///< stop when |f_k - f_{k-1}| < this
  double c1 = 1e-4;                    ///< sufficient decrease
  double c2 = 0.9;                     ///< curvature (0.9 is the usual choice for quasi-Newton)
  int max_evaluations_per_search = 25;  ///< function evaluations one line search may use
};

struct LbfgsReport {
  int iterations = 0;    ///< line searches that moved x
  int evaluations = 0;   ///< calls of the objective (f and gradient together)
  double value = 0;      ///< f at the returned x
  double gradient_norm = 0;  ///< max_i |g_i| there
  std::string stop;      ///< "gradient", "value", "step", "iterations" or "line search"
  std::vector<double> values;  ///< f after each iteration (values[0]: at the start)
};

/// f(x) with its gradient written into `grad` (already sized like x).
using LbfgsObjective = std::function<double(const std::vector<double>& x, std::vector<double>& grad)>;
/// Called after every iteration with its number (1-based) and f.
using LbfgsMonitor = std::function<void(int iteration, double value)>;

/// Minimises f from x (updated in place to the best point found). Throws ae::Error when f
/// is not finite at the start, or x is empty.
LbfgsReport lbfgs_minimize(const LbfgsObjective& f, std::vector<double>& x,
                           const LbfgsOptions& options = {}, const LbfgsMonitor& monitor = {});

/// L-BFGS over a model's parameters: `loss` is evaluated on the whole data set each call
/// (full batch), as UFLDL trains. The parameters end at the best point found.
class LBFGS {
 public:
  explicit LBFGS(std::vector<Variable> params, LbfgsOptions options = {});
  LbfgsReport minimize(const std::function<Variable()>& loss, const LbfgsMonitor& monitor = {});
  const LbfgsOptions& options() const { return options_; }

 private:
  std::vector<Variable> params_;
  LbfgsOptions options_;
};

}  // namespace ae::nn
