#include "nn/interpolation.hpp"

#include <string>
#include <vector>

#include "linalg/error.hpp"
#include "tensor/ops.hpp"

namespace ae::nn {

Tensor interpolate(const Tensor& a, const Tensor& b, int steps) {
  if (!a.defined() || !b.defined() || a.dim() < 1 || a.shape() != b.shape())
    throw Error("interpolate: the end points must have one shape with at least one axis, got " +
                (a.defined() ? to_string(a.shape()) : std::string("undefined")) + " and " +
                (b.defined() ? to_string(b.shape()) : std::string("undefined")));
  if (steps < 2) throw Error("interpolate: steps = " + std::to_string(steps) + " must be at least 2");
  std::vector<Tensor> rows;
  for (int s = 0; s < steps; ++s) {
    const float alpha = float(s) / float(steps - 1);
    rows.push_back(tensor::add(tensor::mul(a, tensor::scalar(1.0f - alpha)), tensor::mul(b, tensor::scalar(alpha))));
  }
  return tensor::concat(rows, 0);
}

}  // namespace ae::nn
