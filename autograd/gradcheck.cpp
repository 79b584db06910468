// gradcheck and gradgradcheck: autograd against central finite differences.
#include "autograd/gradcheck.hpp"

#include <cmath>
#include <sstream>
#include <utility>

#include "autograd/ops.hpp"
#include "tensor/ops.hpp"

namespace ae {

namespace {

// Random weights of either sign with magnitude in [0.5, 1.5): no weight is so small that
// it hides the element it multiplies.
Tensor random_weights(const Shape& shape, Generator& gen) {
  Tensor w = tensor::empty(shape);
  float* p = w.data();
  for (int64_t i = 0; i < w.numel(); ++i) {
    const float magnitude = 0.5f + gen.uniform();
    p[i] = gen.uniform() < 0.5f ? -magnitude : magnitude;
  }
  return w;
}

// Σ y·v in double.
double projected(const Tensor& y, const Tensor& v) {
  const Tensor yc = y.contiguous(), vc = v.contiguous();
  const float* a = yc.data();
  const float* b = vc.data();
  double s = 0.0;
  for (int64_t i = 0; i < yc.numel(); ++i) s += static_cast<double>(a[i]) * b[i];
  return s;
}

std::vector<Variable> leaves(const std::vector<Tensor>& values) {
  std::vector<Variable> out;
  out.reserve(values.size());
  for (const Tensor& t : values) out.emplace_back(t, /*requires_grad=*/true);
  return out;
}

// "[1, 2]": the multi-index of a row-major flat index.
std::string index_of(int64_t flat, const Shape& shape) {
  Shape index(shape.size());
  for (std::size_t d = shape.size(); d-- > 0;) {
    index[d] = flat % shape[d];
    flat /= shape[d];
  }
  return to_string(index);
}

GradcheckResult compare(const GradcheckFunction& f, const std::vector<Tensor>& given,
                        const GradcheckOptions& options, const std::vector<std::string>& names,
                        const char* title) {
  GradcheckResult result;
  // Private contiguous copies: the check perturbs them in place.
  std::vector<Tensor> inputs;
  for (const Tensor& t : given) inputs.push_back(t.clone());

  std::vector<Variable> xs = leaves(inputs);
  const Variable y = f(xs);
  Generator gen(options.seed);
  const Tensor v = random_weights(y.shape(), gen);

  // Autograd's vᵀJ. An output that does not require a gradient is constant: zero.
  std::vector<Tensor> analytic;
  if (y.requires_grad()) {
    for (const Variable& g : grad({y}, xs, {v})) analytic.push_back(g.value().contiguous());
  } else {
    for (const Tensor& t : inputs) analytic.push_back(tensor::zeros(t.shape()));
  }

  double worst_excess = 0.0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    float* x = inputs[i].data();
    const float* a = analytic[i].data();
    for (int64_t k = 0; k < inputs[i].numel(); ++k) {
      const float original = x[k];
      const float plus = original + options.eps, minus = original - options.eps;
      x[k] = plus;
      const double l_plus = projected(f(leaves(inputs)).value(), v);
      x[k] = minus;
      const double l_minus = projected(f(leaves(inputs)).value(), v);
      x[k] = original;
      const double numeric =
          (l_plus - l_minus) / (static_cast<double>(plus) - static_cast<double>(minus));
      const double diff = std::fabs(a[k] - numeric);
      const double tolerance = options.atol + options.rtol * std::fabs(numeric);
      if (diff <= tolerance) continue;  // false for NaN, so NaN is a mismatch
      ++result.mismatches;
      const double excess = std::isnan(diff) ? INFINITY : diff / tolerance;
      if (result.ok || excess > worst_excess) {
        result.ok = false;
        worst_excess = excess;
        result.input = static_cast<int64_t>(i);
        result.element = k;
        result.autograd = a[k];
        result.numeric = numeric;
      }
    }
  }
  if (!result.ok) {
    const auto i = static_cast<std::size_t>(result.input);
    const double diff = std::fabs(result.autograd - result.numeric);
    std::ostringstream m;
    m << title << ": " << names[i] << " of shape " << to_string(inputs[i].shape())
      << ", element " << result.element << " (index " << index_of(result.element, inputs[i].shape())
      << "): autograd " << result.autograd << " vs finite differences " << result.numeric
      << " (|difference| " << diff << " > tolerance "
      << options.atol + options.rtol * std::fabs(result.numeric) << "); " << result.mismatches
      << " element(s) disagree";
    result.message = m.str();
  }
  return result;
}

// compare(), with an ae::Error from f or from a backward pass (a rule returning a gradient
// of the wrong shape, say) reported as a failed check.
GradcheckResult check(const GradcheckFunction& f, const std::vector<Tensor>& inputs,
                      const GradcheckOptions& options, const std::vector<std::string>& names,
                      const char* title) {
  try {
    return compare(f, inputs, options, names, title);
  } catch (const Error& e) {
    GradcheckResult result;
    result.ok = false;
    result.message = std::string(title) + ": " + e.what();
    return result;
  }
}

std::vector<std::string> input_names(std::size_t n) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < n; ++i) names.push_back("input " + std::to_string(i));
  return names;
}

}  // namespace

GradcheckResult gradcheck(const GradcheckFunction& f, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options) {
  return check(f, inputs, options, input_names(inputs.size()), "gradcheck");
}

GradcheckResult gradgradcheck(const GradcheckFunction& f, const std::vector<Tensor>& inputs,
                              const GradcheckOptions& options) {
  const std::size_t n = inputs.size();
  // v (the incoming gradient of f's output) and one u_i per input, fixed for the check.
  Generator gen(options.seed ^ 0x9e3779b97f4a7c15ULL);
  const Shape out_shape = f(leaves(inputs)).shape();
  std::vector<Tensor> us;
  for (const Tensor& x : inputs) us.push_back(random_weights(x.shape(), gen));
  std::vector<Tensor> extended = inputs;
  extended.push_back(random_weights(out_shape, gen));

  // g(x, v) = Σ_i u_i · ∂(Σ v·f(x)) / ∂x_i
  auto g = [&f, &us, n](const std::vector<Variable>& args) {
    const std::vector<Variable> xs(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(n));
    const Variable& v = args[n];
    const Variable loss = sum(f(xs) * v);
    const std::vector<Variable> grads = grad({loss}, xs, {}, /*create_graph=*/true);
    Variable total = sum(grads[0] * us[0]);
    for (std::size_t i = 1; i < n; ++i) total = total + sum(grads[i] * us[i]);
    return total;
  };
  std::vector<std::string> names = input_names(n);
  names.push_back("the incoming gradient v (input " + std::to_string(n) + ")");
  return check(g, extended, options, names, "gradgradcheck");
}

}  // namespace ae
