#include "nn/optim.hpp"

#include <fmt/format.h>

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "linalg/error.hpp"
#include "nn/fused_update.hpp"
#include "tensor/ops.hpp"

namespace ae::nn {

namespace {

// The gradient of p as a contiguous tensor, or an undefined one when backward did not
// reach p.
Tensor dense_grad(const Variable& p) {
  const Variable g = p.grad();
  if (!g.defined()) return {};
  const Tensor& t = g.value();
  if (t.shape() != p.shape())
    throw Error(fmt::format("optimizer: gradient of shape {} for a parameter of shape {}",
                            ae::to_string(t.shape()), ae::to_string(p.shape())));
  return t.is_contiguous() ? t : t.contiguous();
}

// The parameter's value, written in place; parameters are created contiguous by Module,
// and a view could not be updated through a flat loop.
float* param_data(Variable& p, std::size_t index) {
  Tensor& value = p.value();
  if (!value.is_contiguous())
    throw Error(fmt::format("optimizer: parameter {} of shape {} is not contiguous", index,
                            ae::to_string(value.shape())));
  return value.data();
}

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

const Tensor& find_state(const NamedTensors& state, const std::string& name, const Shape& shape) {
  for (const auto& [n, t] : state) {
    if (n != name) continue;
    if (t.shape() != shape)
      throw Error(fmt::format("optimizer state \"{}\": shape {} does not match the expected {}",
                              name, ae::to_string(t.shape()), ae::to_string(shape)));
    return t;
  }
  throw Error("optimizer state: no tensor named \"" + name + "\"");
}

}  // namespace

Optimizer::Optimizer(std::vector<Variable> params) : params_(std::move(params)) {
  for (std::size_t i = 0; i < params_.size(); ++i)
    if (!params_[i].defined() || !params_[i].requires_grad())
      throw Error(fmt::format("optimizer: parameter {} is undefined or does not require grad", i));
}

void Optimizer::zero_grad() {
  for (auto& p : params_) p.zero_grad();
}

NamedTensors Optimizer::state() const { return {}; }

void Optimizer::load_state(const NamedTensors& state) {
  if (!state.empty())
    throw Error("optimizer: this optimizer has no state, got " + std::to_string(state.size()) +
                " tensors");
}

// ---- SGD ----

SGD::SGD(std::vector<Variable> params, SgdOptions options)
    : Optimizer(std::move(params)), opt_(options) {
  if (!(opt_.lr >= 0.0f) || !(opt_.momentum >= 0.0f) || !(opt_.weight_decay >= 0.0f))
    throw Error(fmt::format("SGD: lr {}, momentum {} and weight_decay {} must be >= 0", opt_.lr,
                            opt_.momentum, opt_.weight_decay));
  if (opt_.nesterov && (opt_.momentum <= 0.0f || opt_.dampening != 0.0f))
    throw Error("SGD: Nesterov momentum needs momentum > 0 and dampening = 0");
  momentum_.resize(params_.size());
}

void SGD::step() {
  const float lr = opt_.lr, mu = opt_.momentum, wd = opt_.weight_decay;
  const float keep = 1.0f - opt_.dampening;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Tensor grad = dense_grad(params_[i]);
    if (!grad.defined()) continue;
    float* p = param_data(params_[i], i);
    const float* g = grad.data();
    const int64_t n = grad.numel();
    if (mu == 0.0f) {
#pragma omp simd
      for (int64_t j = 0; j < n; ++j) p[j] -= lr * (g[j] + wd * p[j]);
      continue;
    }
    const bool first = !momentum_[i].defined();
    if (first) momentum_[i] = tensor::empty(grad.shape());
    float* b = momentum_[i].data();
    const bool nesterov = opt_.nesterov;
#pragma omp simd
    for (int64_t j = 0; j < n; ++j) {
      const float d = g[j] + wd * p[j];
      const float buf = first ? d : mu * b[j] + keep * d;
      b[j] = buf;
      p[j] -= lr * (nesterov ? d + mu * buf : buf);
    }
  }
  ++steps_;
}

NamedTensors SGD::state() const {
  NamedTensors out;
  for (std::size_t i = 0; i < momentum_.size(); ++i)
    if (momentum_[i].defined())
      out.emplace_back("sgd.momentum." + std::to_string(i), momentum_[i].clone());
  return out;
}

void SGD::load_state(const NamedTensors& state) {
  for (const auto& [name, t] : state) {
    const std::string prefix = "sgd.momentum.";
    if (name.rfind(prefix, 0) != 0) throw Error("SGD state: unexpected tensor \"" + name + "\"");
    std::size_t i = 0;
    try {
      i = std::stoul(name.substr(prefix.size()));
    } catch (const std::exception&) {
      throw Error("SGD state: bad tensor name \"" + name + "\"");
    }
    if (i >= params_.size())
      throw Error(
          fmt::format("SGD state \"{}\": the optimizer has {} parameters", name, params_.size()));
    momentum_[i] = find_state(state, name, params_[i].shape()).clone();
  }
}

// ---- Adam ----

Adam::Adam(std::vector<Variable> params, AdamOptions options)
    : Optimizer(std::move(params)), opt_(options) {
  if (!(opt_.lr >= 0.0f) || !(opt_.eps >= 0.0f) || !(opt_.weight_decay >= 0.0f))
    throw Error(fmt::format("Adam: lr {}, eps {} and weight_decay {} must be >= 0", opt_.lr,
                            opt_.eps, opt_.weight_decay));
  if (!(opt_.beta1 >= 0.0f && opt_.beta1 < 1.0f) || !(opt_.beta2 >= 0.0f && opt_.beta2 < 1.0f))
    throw Error(
        fmt::format("Adam: betas must lie in [0, 1), got {} and {}", opt_.beta1, opt_.beta2));
  for (const auto& p : params_) {
    m_.push_back(tensor::zeros(p.shape()));
    v_.push_back(tensor::zeros(p.shape()));
  }
  param_steps_.assign(params_.size(), 0);
}

void Adam::step() {
  const float lr = opt_.lr, b1 = opt_.beta1, b2 = opt_.beta2;
  const float wd = opt_.weight_decay;
  const bool decoupled = opt_.decoupled_weight_decay;
  // The update is cut into chunks that the OpenMP threads share (with one thread it runs
  // in order); `grads` keeps the gradient tensors alive until the loop is done.
  constexpr int64_t kChunk = 16384;
  std::vector<Tensor> grads;
  grads.reserve(params_.size());
  chunks_.clear();
  for (std::size_t i = 0; i < params_.size(); ++i) {
    Tensor grad = dense_grad(params_[i]);
    if (!grad.defined()) continue;
    // Each parameter counts its own steps, as PyTorch does: one that received no gradient
    // for a while keeps its bias correction where it was.
    const int64_t t = ++param_steps_[i];
    const double bias1 = 1.0 - std::pow(static_cast<double>(b1), static_cast<double>(t));
    const double bias2 = 1.0 - std::pow(static_cast<double>(b2), static_cast<double>(t));
    AdamCoefficients c;
    c.beta1 = b1;
    c.beta2 = b2;
    c.eps = opt_.eps;
    c.step_size = static_cast<float>(lr / bias1);
    c.inv_sqrt_bias2 = static_cast<float>(1.0 / std::sqrt(bias2));
    c.l2 = decoupled ? 0.0f : wd;
    c.shrink = decoupled ? 1.0f - lr * wd : 1.0f;
    float* p = param_data(params_[i], i);
    const float* g = grad.data();
    const int64_t n = grad.numel();
    for (int64_t start = 0; start < n; start += kChunk)
      chunks_.push_back({p + start, g + start, m_[i].data() + start, v_[i].data() + start,
                         std::min(kChunk, n - start), c});
    grads.push_back(std::move(grad));
  }
  const int64_t count = static_cast<int64_t>(chunks_.size());
#pragma omp parallel for schedule(static) if (count > 1 && omp_get_max_threads() > 1)
  for (int64_t k = 0; k < count; ++k) {
    const Chunk& ch = chunks_[static_cast<std::size_t>(k)];
    adam_update(ch.p, ch.g, ch.m, ch.v, ch.n, ch.c);
  }
  ++steps_;
}

NamedTensors Adam::state() const {
  NamedTensors out;
  Tensor steps = tensor::empty({static_cast<int64_t>(params_.size())});
  for (std::size_t i = 0; i < params_.size(); ++i)
    steps.data()[i] = static_cast<float>(param_steps_[i]);
  out.emplace_back("adam.steps", steps);
  for (std::size_t i = 0; i < params_.size(); ++i) {
    out.emplace_back("adam.m." + std::to_string(i), m_[i].clone());
    out.emplace_back("adam.v." + std::to_string(i), v_[i].clone());
  }
  return out;
}

void Adam::load_state(const NamedTensors& state) {
  const int64_t n = static_cast<int64_t>(params_.size());
  if (state.size() != static_cast<std::size_t>(2 * n + 1))
    throw Error(fmt::format("Adam state: {} tensors for {} parameters (expected {})", state.size(),
                            n, 2 * n + 1));
  const Tensor& steps = find_state(state, "adam.steps", {n});
  for (std::size_t i = 0; i < params_.size(); ++i) {
    m_[i] = find_state(state, "adam.m." + std::to_string(i), params_[i].shape()).clone();
    v_[i] = find_state(state, "adam.v." + std::to_string(i), params_[i].shape()).clone();
    param_steps_[i] = static_cast<int64_t>(steps.contiguous().data()[i]);
  }
  // The updates done so far are those of the run the state comes from: a resumed run counts on.
  steps_ = param_steps_.empty() ? 0 : *std::max_element(param_steps_.begin(), param_steps_.end());
}

// ---- learning-rate schedules ----

LrSchedule LrSchedule::step_decay(int every, double gamma) {
  if (every < 1)
    throw Error(fmt::format("LrSchedule::step_decay: every must be >= 1, got {}", every));
  if (!(gamma > 0.0) || !std::isfinite(gamma))
    throw Error(fmt::format("LrSchedule::step_decay: gamma must be positive, got {}", gamma));
  LrSchedule s;
  s.kind_ = Kind::StepDecay;
  s.every_ = every;
  s.value_ = gamma;
  return s;
}

LrSchedule LrSchedule::cosine(double floor) {
  if (!(floor >= 0.0 && floor <= 1.0))
    throw Error(fmt::format("LrSchedule::cosine: floor must lie in [0, 1], got {}", floor));
  LrSchedule s;
  s.kind_ = Kind::Cosine;
  s.value_ = floor;
  return s;
}

LrSchedule LrSchedule::cut_last(double fraction, double factor) {
  if (!(fraction > 0.0 && fraction <= 1.0))
    throw Error(fmt::format("LrSchedule::cut_last: fraction must lie in (0, 1], got {}", fraction));
  if (!(factor > 0.0) || !std::isfinite(factor))
    throw Error(fmt::format("LrSchedule::cut_last: factor must be positive, got {}", factor));
  LrSchedule s;
  s.kind_ = Kind::CutLast;
  s.fraction_ = fraction;
  s.value_ = factor;
  return s;
}

LrSchedule LrSchedule::multi_step(std::vector<int> milestones, double gamma) {
  for (int m : milestones)
    if (m < 1)
      throw Error(fmt::format("LrSchedule::multi_step: milestones must be >= 1, got {}", m));
  if (!(gamma > 0.0) || !std::isfinite(gamma))
    throw Error(fmt::format("LrSchedule::multi_step: gamma must be positive, got {}", gamma));
  LrSchedule s;
  s.kind_ = Kind::MultiStep;
  s.milestones_ = std::move(milestones);
  s.value_ = gamma;
  return s;
}

double LrSchedule::factor(int epoch, int epochs) const {
  if (epochs < 1 || epoch < 1 || epoch > epochs)
    throw Error(fmt::format("LrSchedule: epoch {} of {} is outside 1..epochs", epoch, epochs));
  switch (kind_) {
    case Kind::Constant:
      return 1.0;
    case Kind::StepDecay:
      return std::pow(value_, (epoch - 1) / every_);
    case Kind::Cosine: {
      if (epochs == 1) return 1.0;
      const double t = static_cast<double>(epoch - 1) / static_cast<double>(epochs - 1);
      return value_ + (1.0 - value_) * 0.5 * (1.0 + std::cos(std::numbers::pi * t));
    }
    case Kind::CutLast: {
      // ceil(q E), less a rounding margin: 0.1 * 30 is 3.0000000000000004 in double.
      const int cut = static_cast<int>(std::ceil(fraction_ * epochs - 1e-9));
      return epoch > epochs - cut ? value_ : 1.0;
    }
    case Kind::MultiStep: {
      const auto passed = std::count_if(milestones_.begin(), milestones_.end(),
                                        [epoch](int m) { return m < epoch; });
      return std::pow(value_, static_cast<double>(passed));
    }
  }
  return 1.0;
}

std::string LrSchedule::describe() const {
  switch (kind_) {
    case Kind::Constant:
      return "constant";
    case Kind::StepDecay:
      return fmt::format("x{:g} every {} epochs", value_, every_);
    case Kind::Cosine:
      return fmt::format("cosine to x{:g}", value_);
    case Kind::CutLast:
      return fmt::format("x{:g} for the last {:g}% of the epochs", value_, 100.0 * fraction_);
    case Kind::MultiStep: {
      std::string list;
      for (int m : milestones_) list += fmt::format("{}{}", list.empty() ? "" : ", ", m);
      return fmt::format("x{:g} after epochs {}", value_, list);
    }
  }
  return "constant";
}

}  // namespace ae::nn
