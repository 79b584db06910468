// HW2: the given parts — loading the images, the autoencoder's forward pass, its initial
// weights, its error and the argument checks. Not graded; read them, do not edit them.
#include <fmt/core.h>

#include "autograd/ops.hpp"
#include "exercises/common/support.hpp"
#include "exercises/hw2/hw2.hpp"
#include "nn/data/images.hpp"
#include "nn/init.hpp"
#include "tensor/ops.hpp"

namespace ae::hw2 {

void require_matrix(const Tensor& t, const char* op, const char* name) {
  if (!t.defined()) throw Error(fmt::format("{}: {} is undefined", op, name));
  if (t.dim() != 2)
    throw Error(fmt::format("{}: {} must be 2-D, got shape {}", op, name, to_string(t.shape())));
}

Variable reconstruct(const Autoencoder& ae, const Variable& X) {
  require_matrix(X.value(), "reconstruct", "X");
  if (X.shape()[1] != ae.input_size())
    throw Error(fmt::format("reconstruct: X has shape {}, the autoencoder takes {} inputs",
                            to_string(X.shape()), ae.input_size()));
  // linear(x, W, b) = x Wᵀ + b is the row-per-image form of W x + b.
  const Variable H = sigmoid(linear(X, ae.W, ae.b));
  return sigmoid(linear(H, ae.W_star, ae.c));
}

double reconstruction_error(const Autoencoder& ae, const Tensor& input, const Tensor& target) {
  require_matrix(target, "reconstruction_error", "target");
  if (input.shape() != target.shape())
    throw Error(fmt::format("reconstruction_error: input has shape {} and target {}",
                            to_string(input.shape()), to_string(target.shape())));
  NoGradGuard no_grad;
  const Tensor diff = reconstruct(ae, Variable(input)).value() - target;
  double total = 0;
  for (float e : tensor::sum(diff * diff, {1}).to_vector()) total += e;
  return total / static_cast<double>(target.size(0));
}

Autoencoder make_autoencoder(int64_t input_size, int64_t code_size, const Tensor& pixel_mean,
                             Generator& gen) {
  if (input_size < 1 || code_size < 1)
    throw Error(fmt::format("make_autoencoder: input_size = {}, code_size = {}, both must be >= 1",
                            input_size, code_size));
  if (pixel_mean.dim() != 1 || pixel_mean.size(0) != input_size)
    throw Error(fmt::format("make_autoencoder: pixel_mean has shape {}, expected [{}]",
                            to_string(pixel_mean.shape()), input_size));
  Tensor W = tensor::empty({code_size, input_size});
  Tensor W_star = tensor::empty({input_size, code_size});
  nn::xavier_uniform_(W, gen);
  nn::xavier_uniform_(W_star, gen);
  // σ(c) = mean; the clamp keeps c finite for pixels that are always 0.
  const Tensor p = tensor::clamp(pixel_mean, 0.01f, 0.99f);
  const Tensor c = tensor::log(p / (1.0f - p));
  return Autoencoder{Variable(W, true), Variable(tensor::zeros({code_size}), true),
                     Variable(W_star, true), Variable(c.clone(), true)};
}

Hw2Data load_data(const ExperimentOptions& options) {
  if (options.train_size < 1 || options.test_size < 1)
    throw Error(fmt::format("load_data: train_size = {}, test_size = {} (both need >= 1)",
                            options.train_size, options.test_size));
  Hw2Data data;
  const exercises::FoundImages found = exercises::find_images(options.data_dir);
  data.dir = found.dir;
  data.dataset = found.dataset;
  data.train_images = data::load_images(data.dir, "train", options.train_size).images;
  data.test_images = data::load_images(data.dir, "t10k", options.test_size).images;
  if (data.train_images.size(0) < options.train_size || data.test_images.size(0) < options.test_size)
    throw Error(fmt::format("load_data: {} holds {} training and {} test images, fewer than the "
                            "{} and {} asked for",
                            data.dir.string(), data.train_images.size(0),
                            data.test_images.size(0), options.train_size, options.test_size));
  if (options.verbose)
    fmt::print("data: {} from {}: {} training and {} test images of {} pixels\n", data.dataset,
               data.dir.string(), data.train_images.size(0), data.test_images.size(0),
               data.train_images.size(1));
  return data;
}

}  // namespace ae::hw2
