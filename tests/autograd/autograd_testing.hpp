#pragma once
// Helpers shared by the autograd engine suites: small vectors, gradients as vectors, and
// the message of the ae::Error a call throws.
#include <functional>
#include <string>
#include <vector>

#include "autograd/variable.hpp"
#include "tensor/ops.hpp"

namespace ae::autograd_testing {

inline Tensor vec(const std::vector<float>& values) {
  return tensor::from_vector(values, {static_cast<int64_t>(values.size())});
}

inline std::vector<float> grad_of(const Variable& v) { return v.grad().value().to_vector(); }

inline std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no ae::Error thrown)";
}

}  // namespace ae::autograd_testing
