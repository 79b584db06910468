#pragma once
// Layers: Linear, the activations as modules, and the layers that act only in training
// (Dropout and the corruption layers of denoising autoencoders).
#include <cstdint>
#include <string>

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

/// Additive isotropic Gaussian noise x + N(0, stddev^2) in training (Vincent et al., 2010,
/// section 4.2); the identity in evaluation.
class GaussianNoise : public Module {
 public:
  GaussianNoise(float stddev, Generator& gen);
  GaussianNoise(float stddev, uint64_t seed);
  Variable forward(const Variable& x) override;
  std::string describe() const override;
  float stddev() const { return stddev_; }

 private:
  float stddev_;
  Generator gen_;
};

/// Masking noise (Vincent et al., 2008): in training each input is set to 0 with
/// probability v, with no rescaling — the denoising autoencoder must fill the holes in;
/// the identity in evaluation.
class MaskingNoise : public Module {
 public:
  MaskingNoise(float v, Generator& gen);
  MaskingNoise(float v, uint64_t seed);
  Variable forward(const Variable& x) override;
  std::string describe() const override;
  float v() const { return v_; }

 private:
  float v_;
  Generator gen_;
};

}  // namespace ae::nn
