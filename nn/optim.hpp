#pragma once
// Optimizers: SGD (momentum, Nesterov, weight decay) and Adam (AdamW as an option).
//
// step() updates each parameter's value in place from its gradient, in one fused loop per
// parameter and without recording anything in the autograd graph. Parameters whose
// gradient is undefined (backward did not reach them) are left alone, as in PyTorch.
// The update rules are PyTorch's (torch.optim, 1.13), so the same hyper-parameters mean
// the same thing.
//
// LrSchedule: how the learning rate changes from epoch to epoch, as a factor of the rate
// the optimizer starts with; fit applies it at the start of every epoch (FitOptions).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "autograd/variable.hpp"
#include "nn/fused_update.hpp"

namespace ae::nn {

class Optimizer {
 public:
  explicit Optimizer(std::vector<Variable> params);
  virtual ~Optimizer() = default;

  /// One update of every parameter from its current gradient.
  virtual void step() = 0;
  /// Clears the gradients of all parameters.
  void zero_grad();

  const std::vector<Variable>& params() const { return params_; }
  /// Updates done so far.
  int64_t steps() const { return steps_; }
  virtual float learning_rate() const = 0;
  virtual void set_learning_rate(float lr) = 0;

  /// The optimizer's state (moments, step count) as named tensors, for checkpoints:
  /// loading them back resumes training exactly where it stopped.
  virtual std::vector<std::pair<std::string, Tensor>> state() const;
  /// Restores state() output. Throws ae::Error naming the tensor when a name or shape
  /// does not match this optimizer's parameters.
  virtual void load_state(const std::vector<std::pair<std::string, Tensor>>& state);

 protected:
  std::vector<Variable> params_;
  int64_t steps_ = 0;
};

struct SgdOptions {
  float lr = 0.01f;
  float momentum = 0.0f;      ///< 0 = plain SGD
  float dampening = 0.0f;     ///< scales the new gradient in the momentum buffer by 1 - dampening
  float weight_decay = 0.0f;  ///< L2 penalty: g += weight_decay * p
  bool nesterov = false;      ///< needs momentum > 0 and dampening 0
};

/// SGD, as torch.optim.SGD:
///   g = grad + wd p
///   b = g                               on the first step
///   b = momentum b + (1 - dampening) g  after
///   g = g + momentum b  (Nesterov)  or  g = b  (classical momentum)
///   p = p - lr g
class SGD : public Optimizer {
 public:
  SGD(std::vector<Variable> params, SgdOptions options);
  void step() override;
  float learning_rate() const override { return opt_.lr; }
  void set_learning_rate(float lr) override { opt_.lr = lr; }
  const SgdOptions& options() const { return opt_; }
  std::vector<std::pair<std::string, Tensor>> state() const override;
  void load_state(const std::vector<std::pair<std::string, Tensor>>& state) override;

 private:
  SgdOptions opt_;
  std::vector<Tensor> momentum_;  // one buffer per parameter, allocated on first use
};

struct AdamOptions {
  float lr = 1e-3f;
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float eps = 1e-8f;
  float weight_decay = 0.0f;
  /// false: Adam with L2 (g += wd p); true: AdamW, decoupled decay p -= lr wd p
  /// (Loshchilov and Hutter, 2019).
  bool decoupled_weight_decay = false;
};

/// Adam (Kingma and Ba, 2015) with bias correction, as torch.optim.Adam / AdamW:
///   m = beta1 m + (1 - beta1) g          v = beta2 v + (1 - beta2) g^2
///   p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
class Adam : public Optimizer {
 public:
  Adam(std::vector<Variable> params, AdamOptions options = {});
  void step() override;
  float learning_rate() const override { return opt_.lr; }
  void set_learning_rate(float lr) override { opt_.lr = lr; }
  const AdamOptions& options() const { return opt_; }
  std::vector<std::pair<std::string, Tensor>> state() const override;
  void load_state(const std::vector<std::pair<std::string, Tensor>>& state) override;

 private:
  AdamOptions opt_;
  std::vector<Tensor> m_, v_;         // first and second moments, allocated with the optimizer
  std::vector<int64_t> param_steps_;  // t, per parameter (bias correction)

  // A piece of one parameter's update, for the threads to share.
  struct Chunk {
    float* p;
    const float* g;
    float* m;
    float* v;
    int64_t n;
    AdamCoefficients c;
  };
  std::vector<Chunk> chunks_;  // kept between steps to reuse its memory
};

/// A learning-rate schedule: the factor that multiplies the initial learning rate in each
/// epoch e = 1..E of a run of E epochs.
///   constant           1
///   step_decay(N, g)   g^floor((e - 1) / N): every N epochs the rate is multiplied by g
///                      (torch.optim.lr_scheduler.StepLR)
///   cosine(f)          f + (1 - f) (1 + cos(pi (e - 1) / (E - 1))) / 2: from 1 in the first
///                      epoch down to f in the last (1 when E = 1). PyTorch's
///                      CosineAnnealingLR with T_max = E stops one step short of f.
///   cut_last(q, c)     c in the last ceil(q E) epochs, 1 before: "cut the step tenfold for
///                      the last quarter" is cut_last(0.25, 0.1)
///   multi_step(M, g)   g^(number of milestones m in M with m < e): the rate is multiplied by
///                      g after epoch m for each m (torch.optim.lr_scheduler.MultiStepLR)
class LrSchedule {
 public:
  /// The constant schedule: fit leaves the learning rate alone.
  LrSchedule() = default;
  static LrSchedule constant() { return {}; }
  /// Throws ae::Error unless every >= 1 and gamma > 0.
  static LrSchedule step_decay(int every, double gamma);
  /// Throws ae::Error unless 0 <= floor <= 1.
  static LrSchedule cosine(double floor);
  /// Throws ae::Error unless 0 < fraction <= 1 and factor > 0.
  static LrSchedule cut_last(double fraction = 0.25, double factor = 0.1);
  /// Throws ae::Error unless every milestone >= 1 and gamma > 0; milestones may repeat
  /// (each one multiplies by gamma) and come in any order.
  static LrSchedule multi_step(std::vector<int> milestones, double gamma);

  /// The factor in epoch `epoch` (1-based) of `epochs`; throws ae::Error unless
  /// 1 <= epoch <= epochs.
  double factor(int epoch, int epochs) const;
  bool is_constant() const { return kind_ == Kind::Constant; }
  /// "constant", "x0.5 every 10 epochs", "cosine to x0.01", "x0.1 for the last 25% of the
  /// epochs", "x0.5 after epochs 6, 7": for tables and logs.
  std::string describe() const;

 private:
  enum class Kind { Constant, StepDecay, Cosine, CutLast, MultiStep };
  Kind kind_ = Kind::Constant;
  int every_ = 1;
  double value_ = 1.0;  // gamma, floor or factor
  double fraction_ = 0.0;
  std::vector<int> milestones_;
};

}  // namespace ae::nn
