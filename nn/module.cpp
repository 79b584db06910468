#include "nn/module.hpp"

#include <fmt/format.h>

#include "linalg/error.hpp"

namespace ae::nn {

Variable Module::forward(const Variable&) {
  throw Error(describe() + ": forward(x) is not defined for this module");
}

std::string Module::describe() const { return "Module"; }

void Module::check_new_name(const std::string& name) const {
  if (name.empty() || name.find('.') != std::string::npos)
    throw Error(describe() + ": bad parameter or submodule name \"" + name +
                "\" (names are non-empty and contain no '.')");
  for (const auto& [n, p] : params_)
    if (n == name) throw Error(describe() + ": the name \"" + name + "\" is already a parameter");
  for (const auto& [n, m] : children_)
    if (n == name) throw Error(describe() + ": the name \"" + name + "\" is already a submodule");
}

Variable Module::register_parameter(const std::string& name, Tensor value) {
  check_new_name(name);
  if (!value.defined()) throw Error(describe() + ": parameter \"" + name + "\" is undefined");
  Variable p(value.contiguous(), /*requires_grad=*/true);
  params_.emplace_back(name, p);
  return p;
}

void Module::add_child(const std::string& name, ModulePtr module) {
  check_new_name(name);
  if (!module) throw Error(describe() + ": submodule \"" + name + "\" is null");
  module->train(training_);
  children_.emplace_back(name, std::move(module));
}

void Module::collect(const std::string& prefix, std::vector<NamedParameter>& out) const {
  for (const auto& [name, p] : params_) out.emplace_back(prefix + name, p);
  for (const auto& [name, child] : children_) child->collect(prefix + name + ".", out);
}

std::vector<NamedParameter> Module::named_parameters() const {
  std::vector<NamedParameter> out;
  collect("", out);
  return out;
}

std::vector<Variable> Module::parameters() const {
  std::vector<Variable> out;
  for (auto& [name, p] : named_parameters()) out.push_back(p);
  return out;
}

int64_t Module::num_parameters() const {
  int64_t n = 0;
  for (const auto& [name, p] : named_parameters()) n += p.numel();
  return n;
}

void Module::train(bool on) {
  training_ = on;
  for (auto& [name, child] : children_) child->train(on);
}

void Module::zero_grad() {
  for (auto& [name, p] : named_parameters()) p.zero_grad();
}

void Module::summarize(const std::string& name, int depth, std::string& out) const {
  int64_t own = 0;
  for (const auto& [n, p] : params_) own += p.numel();
  out += fmt::format("{:{}}{}{}", "", 2 * depth, name.empty() ? "" : name + ": ", describe());
  if (own > 0) {
    out += "  [";
    for (std::size_t i = 0; i < params_.size(); ++i)
      out += fmt::format("{}{} {}", i ? ", " : "", params_[i].first,
                         ae::to_string(params_[i].second.shape()));
    out += fmt::format("; {} parameters]", own);
  }
  out += "\n";
  for (const auto& [n, child] : children_) child->summarize(n, depth + 1, out);
}

std::string Module::summary() const {
  std::string out;
  summarize("", 0, out);
  out += fmt::format("total: {} parameters\n", num_parameters());
  return out;
}

// ---- Sequential ----

Sequential::Sequential(std::vector<ModulePtr> modules) {
  for (auto& m : modules) add(std::move(m));
}

Sequential& Sequential::add(ModulePtr module) {
  register_module(std::to_string(layers_.size()), module);
  layers_.push_back(std::move(module));
  return *this;
}

Variable Sequential::forward(const Variable& x) {
  Variable h = x;
  for (auto& layer : layers_) h = layer->forward(h);
  return h;
}

std::string Sequential::describe() const { return fmt::format("Sequential({} modules)", size()); }

Module& Sequential::operator[](int64_t i) const {
  const int64_t n = size();
  const int64_t j = i < 0 ? i + n : i;
  if (j < 0 || j >= n)
    throw Error(fmt::format("Sequential: index {} out of range for {} modules", i, n));
  return *layers_[static_cast<std::size_t>(j)];
}

void Sequential::throw_wrong_type(int64_t i) const {
  throw Error(
      fmt::format("Sequential: module {} is {}, not the type asked for", i, (*this)[i].describe()));
}

}  // namespace ae::nn
