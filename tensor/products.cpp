// Whole-tensor numbers in double (sum_double, dot, norm) and the outer product.
#include <cmath>

#include "tensor/ops.hpp"

namespace ae::tensor {

double sum_double(const Tensor& x) {
  const Tensor c = x.contiguous();
  const float* p = c.data();
  double total = 0;
  for (int64_t i = 0; i < c.numel(); ++i) total += p[i];
  return total;
}

double dot(const Tensor& a, const Tensor& b) {
  if (a.shape() != b.shape()) {
    throw Error("dot: the operands have shapes " + to_string(a.shape()) + " and " +
                to_string(b.shape()) + "; they must be equal");
  }
  const Tensor ca = a.contiguous();
  const Tensor cb = b.contiguous();
  const float* pa = ca.data();
  const float* pb = cb.data();
  double total = 0;
  for (int64_t i = 0; i < ca.numel(); ++i) total += static_cast<double>(pa[i]) * pb[i];
  return total;
}

double norm(const Tensor& x) { return std::sqrt(dot(x, x)); }

Tensor outer(const Tensor& a, const Tensor& b) {
  if (a.dim() != 1 || b.dim() != 1) {
    throw Error("outer: needs two 1-D tensors, got shapes " + to_string(a.shape()) + " and " +
                to_string(b.shape()));
  }
  // (m, 1) * (1, n) broadcasts to the (m, n) products a_i b_j.
  return a.reshape({a.shape()[0], 1}) * b.reshape({1, b.shape()[0]});
}

}  // namespace ae::tensor
