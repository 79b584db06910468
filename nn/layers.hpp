#pragma once
// Layers: Linear, the activations as modules, Flatten / Unflatten between image-shaped and
// flat tensors, and Dropout, which acts only in training (the corruption layers of denoising
// autoencoders, which do too, are in nn/corruption.hpp).
#include <cstdint>
#include <string>
#include <vector>

#include "nn/corruption.hpp"  // the corruption layers: GaussianNoise, MaskingNoise, ...
#include "nn/init.hpp"
#include "nn/module.hpp"
#include "tensor/random.hpp"

namespace ae::nn {

/// y = x W^T + b for x of shape (batch, in). W is stored (out, in), as in PyTorch, and the
/// product and the bias add are one gemm (autograd's linear, on tensor::addmm).
class Linear : public Module {
 public:
  Linear(int64_t in_features, int64_t out_features, Generator& gen, Init init = Init::TorchDefault,
         bool bias = true);

  Variable forward(const Variable& x) override;
  std::string describe() const override;

  int64_t in_features() const { return in_; }
  int64_t out_features() const { return out_; }
  Variable weight;  ///< (out, in)
  Variable bias;    ///< (out), undefined without bias

 private:
  int64_t in_, out_;
};

class ReLU : public Module {
 public:
  Variable forward(const Variable& x) override;
  std::string describe() const override { return "ReLU"; }
};
class Sigmoid : public Module {
 public:
  Variable forward(const Variable& x) override;
  std::string describe() const override { return "Sigmoid"; }
};
class Tanh : public Module {
 public:
  Variable forward(const Variable& x) override;
  std::string describe() const override { return "Tanh"; }
};
/// log(1 + e^x), a smooth ReLU.
class Softplus : public Module {
 public:
  Variable forward(const Variable& x) override;
  std::string describe() const override { return "Softplus"; }
};
class Identity : public Module {
 public:
  Variable forward(const Variable& x) override { return x; }
  std::string describe() const override { return "Identity"; }
};

/// Merges the axes start_dim..end_dim (inclusive; negative counts from the end) into one,
/// as torch.nn.Flatten: the default turns (N, C, H, W) into (N, C*H*W) for a Linear layer.
/// A view when the input is contiguous; the gradient is reshaped back.
class Flatten : public Module {
 public:
  explicit Flatten(int64_t start_dim = 1, int64_t end_dim = -1);
  /// Throws ae::Error naming the input's shape when an axis is out of range or end_dim
  /// comes before start_dim.
  Variable forward(const Variable& x) override;
  std::string describe() const override;

 private:
  int64_t start_, end_;
};

/// Splits axis `dim` (negative counts from the end) into `sizes`, as torch.nn.Unflatten:
/// Unflatten(1, {1, 28, 28}) turns (N, 784) into (N, 1, 28, 28). One size may be -1, worked
/// out from the others.
class Unflatten : public Module {
 public:
  /// Throws ae::Error for no size, a size below 1 other than a single -1.
  Unflatten(int64_t dim, std::vector<int64_t> sizes);
  /// Throws ae::Error naming the input's shape when the axis is out of range or its size is
  /// not the product of `sizes`.
  Variable forward(const Variable& x) override;
  std::string describe() const override;

 private:
  int64_t dim_;
  std::vector<int64_t> sizes_;
};

/// Inverted dropout: in training, each element is zeroed with probability p and the
/// survivors are scaled by 1 / (1 - p), so the expected output equals the input and
/// evaluation needs no rescaling. In evaluation mode it is the identity.
/// The masks come from the layer's own generator, split from the one given (or seeded).
class Dropout : public Module {
 public:
  Dropout(float p, Generator& gen);
  Dropout(float p, uint64_t seed);
  Variable forward(const Variable& x) override;
  std::string describe() const override;
  float p() const { return p_; }

 private:
  float p_;
  Generator gen_;
};

}  // namespace ae::nn
