#include "nn/codec.hpp"

#include <algorithm>
#include <string>

#include "linalg/error.hpp"
#include "tensor/ops.hpp"

namespace ae::nn {

ReconstructionError reconstruction_error(Codec& codec, const Tensor& x, int64_t batch) {
  if (x.dim() < 1 || x.numel() == 0)
    throw Error("reconstruction_error: expected a non-empty (n, ...) tensor, got " +
                to_string(x.shape()));
  if (batch < 1)
    throw Error("reconstruction_error: batch must be positive, got " + std::to_string(batch));
  const int64_t n = x.shape()[0], d = x.numel() / n;
  double sse = 0;  // accumulated in double over batches: n*d can be ~10^7 terms
  for (int64_t start = 0; start < n; start += batch) {
    const Tensor samples = x.slice(0, start, std::min(n, start + batch));
    const Tensor rebuilt = codec.reconstruct(samples);
    if (rebuilt.shape() != samples.shape())
      throw Error("reconstruction_error: " + codec.name() + " rebuilt a batch of shape " +
                  to_string(samples.shape()) + " as " + to_string(rebuilt.shape()));
    const Tensor diff = tensor::sub(rebuilt, samples);
    sse += tensor::sum(tensor::mul(diff, diff)).item();
  }
  return {sse / double(n * d), sse / double(n)};
}

}  // namespace ae::nn
