#include "nn/codec.hpp"

#include <algorithm>

#include "linalg/error.hpp"
#include "tensor/ops.hpp"

namespace ae::nn {

ReconstructionError reconstruction_error(Codec& codec, const Tensor& x, int64_t batch) {
  if (x.dim() != 2 || x.shape()[0] == 0)
    throw Error("reconstruction_error: expected a non-empty n x d matrix, got " +
                to_string(x.shape()));
  const int64_t n = x.shape()[0], d = x.shape()[1];
  double sse = 0;  // accumulated in double over batches: n*d can be ~10^7 terms
  for (int64_t start = 0; start < n; start += batch) {
    const Tensor rows = x.slice(0, start, std::min(n, start + batch));
    const Tensor diff = tensor::sub(codec.reconstruct(rows), rows);
    sse += tensor::sum(tensor::mul(diff, diff)).item();
  }
  return {sse / double(n * d), sse / double(n)};
}

}  // namespace ae::nn
