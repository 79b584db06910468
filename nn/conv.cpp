#include "nn/conv.hpp"

#include <fmt/format.h>

#include "autograd/ops.hpp"
#include "linalg/error.hpp"
#include "tensor/ops.hpp"

namespace ae::nn {

namespace {

void check_sizes(const char* layer, int64_t in, int64_t out, int64_t kernel, const ConvOptions& o) {
  if (in < 1 || out < 1 || kernel < 1 || o.stride < 1 || o.padding < 0)
    throw Error(fmt::format("{}: channels {} -> {}, kernel {}, stride {} must be >= 1 and padding {} >= 0", layer,
                            in, out, kernel, o.stride, o.padding));
}

void check_input(const Variable& x, int64_t channels, const std::string& layer) {
  if (x.dim() != 4 || x.shape()[1] != channels)
    throw Error(fmt::format("{}: expects input of shape [N, {}, H, W], got {}", layer, channels,
                            ae::to_string(x.shape())));
}

std::string options_string(const ConvOptions& o) {
  return fmt::format("{}{}{}", o.stride != 1 ? fmt::format(", stride {}", o.stride) : "",
                     o.padding != 0 ? fmt::format(", padding {}", o.padding) : "", o.bias ? "" : ", no bias");
}

}  // namespace

// ---- Conv2d ----

Conv2d::Conv2d(int64_t in_channels, int64_t out_channels, int64_t kernel, Generator& gen, const ConvOptions& options)
    : in_(in_channels), out_(out_channels), kernel_(kernel), options_(options) {
  check_sizes("Conv2d", in_channels, out_channels, kernel, options);
  Tensor w = tensor::empty({out_channels, in_channels, kernel, kernel});
  Tensor b = options.bias ? tensor::empty({out_channels}) : Tensor();
  init_layer_(w, options.bias ? &b : nullptr, options.init, gen);
  weight = register_parameter("weight", w);
  if (options.bias) bias = register_parameter("bias", b);
}

Variable Conv2d::forward(const Variable& x) {
  check_input(x, in_, describe());
  return ae::conv2d(x, weight, bias, options_.stride, options_.padding);
}

std::string Conv2d::describe() const {
  return fmt::format("Conv2d({} -> {}, {}x{}{})", in_, out_, kernel_, kernel_, options_string(options_));
}

// ---- ConvTranspose2d ----

ConvTranspose2d::ConvTranspose2d(int64_t in_channels, int64_t out_channels, int64_t kernel, Generator& gen,
                                 const ConvOptions& options)
    : in_(in_channels), out_(out_channels), kernel_(kernel), options_(options) {
  check_sizes("ConvTranspose2d", in_channels, out_channels, kernel, options);
  Tensor w = tensor::empty({in_channels, out_channels, kernel, kernel});
  Tensor b = options.bias ? tensor::empty({out_channels}) : Tensor();
  // fans_of reads axis 1 as the fan-in side: out·k² here, as PyTorch computes it for this layout.
  init_layer_(w, options.bias ? &b : nullptr, options.init, gen);
  weight = register_parameter("weight", w);
  if (options.bias) bias = register_parameter("bias", b);
}

Variable ConvTranspose2d::forward(const Variable& x) {
  check_input(x, in_, describe());
  return ae::conv_transpose2d(x, weight, bias, options_.stride, options_.padding);
}

std::string ConvTranspose2d::describe() const {
  return fmt::format("ConvTranspose2d({} -> {}, {}x{}{})", in_, out_, kernel_, kernel_, options_string(options_));
}

// ---- pooling and upsampling ----

MaxPool2d::MaxPool2d(int64_t kernel, int64_t stride, int64_t padding)
    : kernel_(kernel), stride_(stride), padding_(padding) {
  if (kernel < 1 || stride < 0 || padding < 0 || 2 * padding > kernel)
    throw Error(fmt::format("MaxPool2d: kernel {} must be >= 1, stride {} >= 0, padding {} in [0, kernel / 2]",
                            kernel, stride, padding));
}

Variable MaxPool2d::forward(const Variable& x) { return ae::max_pool2d(x, kernel_, stride_, padding_); }

std::string MaxPool2d::describe() const {
  return fmt::format("MaxPool2d({}x{}, stride {}{})", kernel_, kernel_, stride_ == 0 ? kernel_ : stride_,
                     padding_ != 0 ? fmt::format(", padding {}", padding_) : "");
}

AvgPool2d::AvgPool2d(int64_t kernel, int64_t stride, int64_t padding)
    : kernel_(kernel), stride_(stride), padding_(padding) {
  if (kernel < 1 || stride < 0 || padding < 0 || 2 * padding > kernel)
    throw Error(fmt::format("AvgPool2d: kernel {} must be >= 1, stride {} >= 0, padding {} in [0, kernel / 2]",
                            kernel, stride, padding));
}

Variable AvgPool2d::forward(const Variable& x) { return ae::avg_pool2d(x, kernel_, stride_, padding_); }

std::string AvgPool2d::describe() const {
  return fmt::format("AvgPool2d({}x{}, stride {}{})", kernel_, kernel_, stride_ == 0 ? kernel_ : stride_,
                     padding_ != 0 ? fmt::format(", padding {}", padding_) : "");
}

Upsample::Upsample(int64_t scale) : scale_(scale) {
  if (scale < 1) throw Error(fmt::format("Upsample: scale {} must be >= 1", scale));
}

Variable Upsample::forward(const Variable& x) { return ae::upsample_nearest(x, scale_); }

std::string Upsample::describe() const { return fmt::format("Upsample(x{}, nearest)", scale_); }

}  // namespace ae::nn
