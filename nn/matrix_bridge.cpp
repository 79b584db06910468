#include "nn/matrix_bridge.hpp"

#include <string>

#include "linalg/error.hpp"
#include "tensor/ops.hpp"

namespace ae::nn {

namespace {

void require_matrix(const Tensor& t, const char* function) {
  if (!t.defined()) throw Error(std::string(function) + ": the tensor is undefined");
  if (t.dim() != 2)
    throw Error(std::string(function) + ": expected a 2-D tensor, got shape " + to_string(t.shape()));
}

}  // namespace

linalg::Matrix to_matrix(const Tensor& t) {
  require_matrix(t, "to_matrix");
  const Tensor c = t.contiguous();
  return linalg::to_matrix(linalg::ViewF(c.data(), c.shape()[0], c.shape()[1]));
}

Tensor to_tensor(const linalg::Matrix& m) {
  if (m.rows < 0 || m.cols < 0 || static_cast<int64_t>(m.data.size()) != m.rows * m.cols)
    throw Error("to_tensor: a " + linalg::shape_string(m.rows, m.cols) + " matrix holds " +
                std::to_string(m.data.size()) + " values");
  const std::vector<float> values(m.data.begin(), m.data.end());
  return tensor::from_vector(values, {m.rows, m.cols});
}

linalg::ViewF float_view(const Tensor& t) {
  require_matrix(t, "float_view");
  if (!t.is_contiguous())
    throw Error("float_view: the tensor of shape " + to_string(t.shape()) +
                " is strided; pass t.contiguous()");
  return {t.data(), t.shape()[0], t.shape()[1]};
}

}  // namespace ae::nn
