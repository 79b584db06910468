#pragma once
// Module — the unit models are built from.
//
// A module owns named parameters (Variables that require gradients) and named submodules.
// Names compose with dots, so the second layer's weight inside an encoder is
// "encoder.1.weight": the names a checkpoint stores and an error message quotes.
//
//   class AE : public Module {
//    public:
//     AE(Generator& gen) {
//       encoder = register_module("encoder", std::make_shared<Linear>(784, 32, gen));
//       decoder = register_module("decoder", std::make_shared<Linear>(32, 784, gen));
//     }
//     Variable forward(const Variable& x) override {
//       return sigmoid((*decoder)(relu((*encoder)(x))));
//     }
//     std::shared_ptr<Linear> encoder, decoder;
//   };
//
// Parameters are shared handles: parameters() returns Variables that share their values
// with the module, so an optimizer updating them in place updates the model.
// Modules are not copyable (a copy would silently share or split the parameters).
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "autograd/variable.hpp"

namespace ae::nn {

class Module;
using ModulePtr = std::shared_ptr<Module>;
using NamedParameter = std::pair<std::string, Variable>;

class Module {
 public:
  Module() = default;
  virtual ~Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  /// The module applied to one input. The base class throws ae::Error: modules with a
  /// single input and output override it (a VAE, with several outputs, offers its own).
  virtual Variable forward(const Variable& x);
  Variable operator()(const Variable& x) { return forward(x); }

  /// A one-line description, e.g. "Linear(784 -> 256)".
  virtual std::string describe() const;

  /// Every parameter of this module and its submodules, depth first in registration order.
  std::vector<Variable> parameters() const;
  /// The same, with dotted names ("encoder.0.weight").
  std::vector<NamedParameter> named_parameters() const;
  /// Total number of scalar parameters.
  int64_t num_parameters() const;
  /// Direct submodules with their names.
  const std::vector<std::pair<std::string, ModulePtr>>& children() const { return children_; }

  /// Training mode (the default) or evaluation mode, for this module and all submodules.
  /// Dropout and the corruption layers act only in training mode.
  void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }

  /// Clears the gradients of all parameters.
  void zero_grad();

  /// A multi-line tree of the modules with their parameter shapes and counts.
  std::string summary() const;

 protected:
  /// Adds a parameter (requires_grad on) and returns its handle. Names are unique within a
  /// module and contain no dot; a clash throws ae::Error.
  Variable register_parameter(const std::string& name, Tensor value);
  /// Adds a submodule and returns it, typed, for the caller to keep.
  template <class M>
  std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> module) {
    add_child(name, module);
    return module;
  }

 private:
  void add_child(const std::string& name, ModulePtr module);
  void check_new_name(const std::string& name) const;
  void collect(const std::string& prefix, std::vector<NamedParameter>& out) const;
  void summarize(const std::string& name, int depth, std::string& out) const;

  std::vector<NamedParameter> params_;
  std::vector<std::pair<std::string, ModulePtr>> children_;
  bool training_ = true;
};

/// Modules applied one after another; children are named "0", "1", ...
///
///   auto net = std::make_shared<Sequential>();
///   net->add(std::make_shared<Linear>(784, 256, gen));
///   net->add(std::make_shared<ReLU>());
class Sequential : public Module {
 public:
  Sequential() = default;
  explicit Sequential(std::vector<ModulePtr> modules);

  /// Appends a module; returns *this so calls chain.
  Sequential& add(ModulePtr module);
  Variable forward(const Variable& x) override;
  std::string describe() const override;

  int64_t size() const { return static_cast<int64_t>(layers_.size()); }
  /// The i-th module (negative counts from the end); throws ae::Error when out of range.
  Module& operator[](int64_t i) const;
  /// The i-th module cast to M; throws ae::Error when it is not an M.
  template <class M>
  M& at(int64_t i) const {
    auto* m = dynamic_cast<M*>(&(*this)[i]);
    if (m == nullptr) throw_wrong_type(i);
    return *m;
  }

 private:
  [[noreturn]] void throw_wrong_type(int64_t i) const;
  std::vector<ModulePtr> layers_;
};

}  // namespace ae::nn
