// L-BFGS with a strong-Wolfe line search (nn/lbfgs.hpp has the math).
#include "nn/lbfgs.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <utility>

#include <fmt/core.h>

#include "tensor/tensor.hpp"

namespace ae::nn {
namespace {

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

double max_abs(const std::vector<double>& a) {
  double m = 0;
  for (double v : a) m = std::max(m, std::abs(v));
  return m;
}

/// A point on the search line x + t p: the step t, f there, the slope d = ∇fᵀp, and ∇f.
struct LinePoint {
  double t = 0;
  double f = 0;
  double d = 0;
  std::vector<double> g;
};

/// The minimiser of the cubic that interpolates f and its slope at a and b (Nocedal &
/// Wright eq. 3.59), or the midpoint when that cubic has no minimiser or a value is not
/// finite.
double cubic_minimizer(const LinePoint& a, const LinePoint& b) {
  const double mid = 0.5 * (a.t + b.t);
  if (!std::isfinite(a.f) || !std::isfinite(b.f) || !std::isfinite(a.d) || !std::isfinite(b.d)) {
    return mid;
  }
  const double d1 = a.d + b.d - 3 * (a.f - b.f) / (a.t - b.t);
  const double discriminant = d1 * d1 - a.d * b.d;
  if (!(discriminant >= 0)) return mid;
  const double d2 = std::copysign(std::sqrt(discriminant), b.t - a.t);
  const double t = b.t - (b.t - a.t) * (b.d + d2 - d1) / (b.d - a.d + 2 * d2);
  return std::isfinite(t) ? t : mid;
}

/// One line search along p from x (N&W Alg. 3.5, with zoom = Alg. 3.6).
class LineSearch {
 public:
  LineSearch(const LbfgsObjective& f, const std::vector<double>& x, const std::vector<double>& p,
             const LbfgsOptions& options, const LinePoint& start)
      : f_(f), x_(x), p_(p), o_(options), start_(start), best_(start) {}

  /// The first point that meets both strong Wolfe conditions. When the evaluations run out
  /// first, the lowest point seen (the start itself if nothing was lower); wolfe() says which.
  LinePoint run(double first_step) {
    LinePoint previous = start_;
    double t = first_step;
    for (int i = 1;; ++i) {
      LinePoint current = evaluate(t);
      if (!std::isfinite(current.f) || !decreases_enough(current) ||
          (i > 1 && current.f >= previous.f)) {
        return zoom(previous, current);
      }
      if (flat_enough(current)) return accept(current);
      if (current.d >= 0) return zoom(current, previous);
      if (out_of_evaluations()) return best_;
      // Extrapolate: the cubic's minimiser, kept between 1.1 and 10 times the current step.
      double next = cubic_minimizer(previous, current);
      if (!std::isfinite(next) || next <= current.t) next = 2 * current.t;
      previous = std::move(current);
      t = std::clamp(next, 1.1 * previous.t, 10 * previous.t);
    }
  }

  int evaluations() const { return evaluations_; }
  bool wolfe() const { return wolfe_; }

 private:
  LinePoint evaluate(double t) {
    std::vector<double> xt(x_.size());
    for (std::size_t i = 0; i < xt.size(); ++i) xt[i] = x_[i] + t * p_[i];
    LinePoint point;
    point.t = t;
    point.g.assign(x_.size(), 0.0);
    point.f = f_(xt, point.g);
    point.d = dot(point.g, p_);
    ++evaluations_;
    if (std::isfinite(point.f) && point.f < best_.f) best_ = point;
    return point;
  }

  bool decreases_enough(const LinePoint& q) const { return q.f <= start_.f + o_.c1 * q.t * start_.d; }
  bool flat_enough(const LinePoint& q) const { return std::abs(q.d) <= -o_.c2 * start_.d; }
  bool out_of_evaluations() const { return evaluations_ >= o_.max_evaluations_per_search; }

  LinePoint accept(LinePoint q) {
    wolfe_ = true;
    return q;
  }

  /// lo: the lowest point so far that decreases enough; the minimiser lies between lo and hi.
  LinePoint zoom(LinePoint lo, LinePoint hi) {
    while (!out_of_evaluations()) {
      const double a = std::min(lo.t, hi.t);
      const double b = std::max(lo.t, hi.t);
      const double width = b - a;
      if (width <= 1e-14 * std::max(1.0, b)) break;
      double t = cubic_minimizer(lo, hi);
      // Safeguard: stay off the ends of the bracket, or bisect.
      if (!(t >= a + 0.1 * width && t <= b - 0.1 * width)) t = a + 0.5 * width;
      LinePoint current = evaluate(t);
      if (!std::isfinite(current.f) || !decreases_enough(current) || current.f >= lo.f) {
        hi = std::move(current);
      } else {
        if (flat_enough(current)) return accept(current);
        if (current.d * (hi.t - lo.t) >= 0) hi = lo;
        lo = std::move(current);
      }
    }
    return best_;
  }

  const LbfgsObjective& f_;
  const std::vector<double>& x_;
  const std::vector<double>& p_;
  const LbfgsOptions& o_;
  LinePoint start_;
  LinePoint best_;
  int evaluations_ = 0;
  bool wolfe_ = false;
};

struct CurvaturePair {
  std::vector<double> s;
  std::vector<double> y;
  double rho = 0;  // 1 / yᵀs
};

/// p = -H g by the two-loop recursion over the kept pairs (oldest first in `pairs`).
std::vector<double> search_direction(const std::vector<double>& g, const std::deque<CurvaturePair>& pairs) {
  std::vector<double> q = g;
  std::vector<double> alpha(pairs.size());
  for (std::size_t k = pairs.size(); k-- > 0;) {
    const CurvaturePair& pr = pairs[k];
    alpha[k] = pr.rho * dot(pr.s, q);
    for (std::size_t i = 0; i < q.size(); ++i) q[i] -= alpha[k] * pr.y[i];
  }
  if (!pairs.empty()) {
    const CurvaturePair& newest = pairs.back();
    const double gamma = dot(newest.s, newest.y) / dot(newest.y, newest.y);
    for (double& v : q) v *= gamma;
  }
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const CurvaturePair& pr = pairs[k];
    const double beta = pr.rho * dot(pr.y, q);
    for (std::size_t i = 0; i < q.size(); ++i) q[i] += pr.s[i] * (alpha[k] - beta);
  }
  for (double& v : q) v = -v;
  return q;
}

}  // namespace

LbfgsReport lbfgs_minimize(const LbfgsObjective& f, std::vector<double>& x, const LbfgsOptions& options,
                           const LbfgsMonitor& monitor) {
  if (x.empty()) throw Error("lbfgs_minimize: x is empty (nothing to minimise)");
  if (options.history < 1 || options.max_iterations < 0 || options.max_evaluations_per_search < 1 ||
      !(options.c1 > 0 && options.c1 < options.c2 && options.c2 < 1)) {
    throw Error(fmt::format(
        "lbfgs_minimize: options need history >= 1, max_iterations >= 0, "
        "max_evaluations_per_search >= 1 and 0 < c1 < c2 < 1 (got {}, {}, {}, c1 = {}, c2 = {})",
        options.history, options.max_iterations, options.max_evaluations_per_search, options.c1,
        options.c2));
  }
  LbfgsReport report;
  LinePoint here;
  here.g.assign(x.size(), 0.0);
  here.f = f(x, here.g);
  report.evaluations = 1;
  if (!std::isfinite(here.f)) {
    throw Error(fmt::format("lbfgs_minimize: the objective is {} at the starting point", here.f));
  }
  report.values.push_back(here.f);

  std::deque<CurvaturePair> pairs;
  for (int iteration = 1; iteration <= options.max_iterations; ++iteration) {
    if (max_abs(here.g) <= options.gradient_tolerance) {
      report.stop = "gradient";
      break;
    }
    std::vector<double> p = search_direction(here.g, pairs);
    double slope = dot(here.g, p);
    if (!(slope < 0)) {  // not a descent direction: forget the curvature, go downhill
      pairs.clear();
      for (std::size_t i = 0; i < p.size(); ++i) p[i] = -here.g[i];
      slope = dot(here.g, p);
    }
    // The first step has no curvature to scale it: a step of length about 1 in x.
    double sum_abs_g = 0;
    for (double v : here.g) sum_abs_g += std::abs(v);
    const double first_step = pairs.empty() ? std::min(1.0, 1.0 / sum_abs_g) : 1.0;

    LinePoint start = here;
    start.t = 0;
    start.d = slope;
    LineSearch search(f, x, p, options, start);
    LinePoint next = search.run(first_step);
    report.evaluations += search.evaluations();
    if (next.t == 0) {  // nothing lower along p
      report.stop = "line search";
      break;
    }

    CurvaturePair pair;
    pair.s.resize(x.size());
    pair.y.resize(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      pair.s[i] = next.t * p[i];
      pair.y[i] = next.g[i] - here.g[i];
      x[i] += pair.s[i];
    }
    const double ys = dot(pair.y, pair.s);
    const double previous_f = here.f;
    const double step = max_abs(pair.s);
    here = std::move(next);
    report.iterations = iteration;
    report.values.push_back(here.f);
    if (monitor) monitor(iteration, here.f);
    // Keep the pair only when its curvature is positive (the Wolfe search guarantees it; a
    // search that ran out of evaluations may not).
    if (ys > 1e-10 * std::sqrt(dot(pair.y, pair.y) * dot(pair.s, pair.s))) {
      pair.rho = 1 / ys;
      pairs.push_back(std::move(pair));
      if (static_cast<int>(pairs.size()) > options.history) pairs.pop_front();
    }
    if (std::abs(previous_f - here.f) < options.value_tolerance) {
      report.stop = "value";
      break;
    }
    if (step < 1e-12) {
      report.stop = "step";
      break;
    }
  }
  if (report.stop.empty()) report.stop = max_abs(here.g) <= options.gradient_tolerance ? "gradient" : "iterations";
  report.value = here.f;
  report.gradient_norm = max_abs(here.g);
  return report;
}

LBFGS::LBFGS(std::vector<Variable> params, LbfgsOptions options)
    : params_(std::move(params)), options_(options) {
  if (params_.empty()) throw Error("LBFGS: no parameters to optimise");
  for (std::size_t i = 0; i < params_.size(); ++i) {
    if (!params_[i].defined() || !params_[i].requires_grad() || !params_[i].value().is_contiguous()) {
      throw Error(fmt::format("LBFGS: parameter {} must be a defined, contiguous leaf that requires "
                              "a gradient", i));
    }
  }
}

LbfgsReport LBFGS::minimize(const std::function<Variable()>& loss, const LbfgsMonitor& monitor) {
  // x is every parameter, flattened one after the other.
  std::vector<double> x;
  for (const Variable& p : params_) {
    const float* v = p.value().data();
    x.insert(x.end(), v, v + p.numel());
  }
  auto set_parameters = [&](const std::vector<double>& values) {
    std::size_t offset = 0;
    for (Variable& p : params_) {
      float* v = p.value().data();
      for (int64_t i = 0; i < p.numel(); ++i) v[i] = static_cast<float>(values[offset++]);
    }
  };
  const LbfgsObjective objective = [&](const std::vector<double>& at, std::vector<double>& grad) {
    set_parameters(at);
    for (Variable& p : params_) p.zero_grad();
    Variable value = loss();
    if (value.numel() != 1) {
      throw Error(fmt::format("LBFGS: the loss must have one element (got {})", value.numel()));
    }
    value.backward();
    std::size_t offset = 0;
    for (Variable& p : params_) {
      const Variable g = p.grad();
      if (g.defined()) {
        const Tensor gc = g.value().contiguous();
        const float* gv = gc.data();
        for (int64_t i = 0; i < p.numel(); ++i) grad[offset + i] = gv[i];
      } else {  // backward did not reach this parameter: its gradient is zero
        std::fill(grad.begin() + static_cast<std::ptrdiff_t>(offset),
                  grad.begin() + static_cast<std::ptrdiff_t>(offset + p.numel()), 0.0);
      }
      offset += static_cast<std::size_t>(p.numel());
    }
    return static_cast<double>(value.item());
  };
  LbfgsReport report = lbfgs_minimize(objective, x, options_, monitor);
  set_parameters(x);
  for (Variable& p : params_) p.zero_grad();
  return report;
}

}  // namespace ae::nn
