#pragma once
// Codec — anything that maps inputs to codes and codes back: PCA and every autoencoder.
//
// Chapters compare models through this one interface: the same reconstruction error, the
// same 2-D code scatter, the same interpolation, whether the codes come from eigenvectors
// or from a trained network.
#include <cstdint>
#include <string>

#include "tensor/tensor.hpp"

namespace ae::nn {

class Codec {
 public:
  virtual ~Codec() = default;
  /// Codes of the rows of x (n x d) -> n x k. No graph is recorded.
  virtual Tensor encode(const Tensor& x) = 0;
  /// Inputs rebuilt from codes (n x k) -> n x d. No graph is recorded.
  virtual Tensor decode(const Tensor& z) = 0;
  /// A short name for tables and legends, e.g. "PCA k=30".
  virtual std::string name() const = 0;
  Tensor reconstruct(const Tensor& x) { return decode(encode(x)); }
};

/// Reconstruction error of a codec on the rows of x, evaluated in batches.
struct ReconstructionError {
  double mse_per_pixel = 0;   ///< mean over all n*d entries of (x - x̂)^2
  double sse_per_image = 0;   ///< mean over rows of the row's sum of (x - x̂)^2 (= d * mse)
};
ReconstructionError reconstruction_error(Codec& codec, const Tensor& x, int64_t batch = 1000);

}  // namespace ae::nn
