#pragma once
// Codec — anything that maps inputs to codes and codes back: PCA and every autoencoder.
//
// Chapters compare models through this one interface: the same reconstruction error, the
// same 2-D code scatter, the same interpolation, whether the codes come from eigenvectors
// or from a trained network.
//
// Inputs are (n, ...): n samples along the first axis, each of any shape — (n, 784) rows for
// PCA and the dense autoencoders, (n, 1, 28, 28) images for a convolutional one.
#include <cstdint>
#include <string>

#include "tensor/tensor.hpp"

namespace ae::nn {

class Codec {
 public:
  virtual ~Codec() = default;
  /// Codes of the samples of x (n, ...) -> (n, ...), usually (n, k). No graph is recorded.
  virtual Tensor encode(const Tensor& x) = 0;
  /// Inputs rebuilt from codes -> the inputs' shape (n, ...). No graph is recorded.
  virtual Tensor decode(const Tensor& z) = 0;
  /// A short name for tables and legends, e.g. "PCA k=30".
  virtual std::string name() const = 0;
  Tensor reconstruct(const Tensor& x) { return decode(encode(x)); }
};

/// Reconstruction error of a codec on the samples of x (n, ...), evaluated in batches along
/// the first axis. With d the number of entries of one sample (the product of the
/// non-batch axes):
struct ReconstructionError {
  double mse_per_pixel = 0;  ///< mean over all n*d entries of (x - x̂)^2
  double sse_per_image = 0;  ///< mean over samples of the sample's sum of (x - x̂)^2 (= d * mse)
};
/// Throws ae::Error for a 0-d or empty x, batch < 1, or a reconstruction whose shape is not
/// the input's.
ReconstructionError reconstruction_error(Codec& codec, const Tensor& x, int64_t batch = 1000);

}  // namespace ae::nn
