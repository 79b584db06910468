#pragma once
// Convolutional layers on (N, C, H, W) images: Conv2d, ConvTranspose2d, MaxPool2d, AvgPool2d
// and nearest-neighbour Upsample, as modules over autograd's conv ops (autograd/conv.cpp:
// unfold + one gemm per batch).
#include <cstdint>
#include <string>

#include "nn/init.hpp"
#include "nn/module.hpp"
#include "tensor/random.hpp"

namespace ae::nn {

struct ConvOptions {
  int64_t stride = 1;
  int64_t padding = 0;  ///< zeros on every side; (kernel - 1) / 2 keeps the size at stride 1 ("same")
  Init init = Init::TorchDefault;
  bool bias = true;
};

/// y = conv2d(x, W, b): W (out, in, k, k), b (out). The initialisers use fan_in = in·k² and
/// fan_out = out·k² (nn/init.hpp), as PyTorch and Keras do.
class Conv2d : public Module {
 public:
  Conv2d(int64_t in_channels, int64_t out_channels, int64_t kernel, Generator& gen, const ConvOptions& options = {});
  /// Throws ae::Error naming the layer and the input's shape when x is not (N, in, H, W).
  Variable forward(const Variable& x) override;
  std::string describe() const override;

  int64_t in_channels() const { return in_; }
  int64_t out_channels() const { return out_; }
  Variable weight;  ///< (out, in, k, k)
  Variable bias;    ///< (out), undefined without bias

 private:
  int64_t in_, out_, kernel_;
  ConvOptions options_;
};

/// y = conv_transpose2d(x, W, b): W (in, out, k, k) as PyTorch stores it; the output side is
/// (H - 1)·stride - 2·padding + k. With kernel = stride = 2 it doubles the size, a learned
/// upsampling.
class ConvTranspose2d : public Module {
 public:
  ConvTranspose2d(int64_t in_channels, int64_t out_channels, int64_t kernel, Generator& gen,
                  const ConvOptions& options = {});
  Variable forward(const Variable& x) override;
  std::string describe() const override;

  Variable weight;  ///< (in, out, k, k)
  Variable bias;    ///< (out), undefined without bias

 private:
  int64_t in_, out_, kernel_;
  ConvOptions options_;
};

/// Maximum over kernel x kernel windows; stride 0 means stride = kernel (non-overlapping).
class MaxPool2d : public Module {
 public:
  explicit MaxPool2d(int64_t kernel, int64_t stride = 0, int64_t padding = 0);
  Variable forward(const Variable& x) override;
  std::string describe() const override;

 private:
  int64_t kernel_, stride_, padding_;
};

/// Mean over kernel x kernel windows; stride 0 means stride = kernel.
class AvgPool2d : public Module {
 public:
  explicit AvgPool2d(int64_t kernel, int64_t stride = 0, int64_t padding = 0);
  Variable forward(const Variable& x) override;
  std::string describe() const override;

 private:
  int64_t kernel_, stride_, padding_;
};

/// Nearest-neighbour upsampling by an integer factor (Keras' UpSampling2D).
class Upsample : public Module {
 public:
  explicit Upsample(int64_t scale);
  Variable forward(const Variable& x) override;
  std::string describe() const override;

 private:
  int64_t scale_;
};

}  // namespace ae::nn
