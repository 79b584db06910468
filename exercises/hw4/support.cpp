// HW4: the given parts — the VAE's two networks, its initial weights, loading the data, the
// nearest-neighbour distance of generated images and the argument checks. Not graded; read
// them, do not edit them.
#include <algorithm>
#include <limits>

#include <fmt/core.h>

#include "autograd/ops.hpp"
#include "exercises/common/support.hpp"
#include "exercises/hw4/hw4.hpp"
#include "nn/data/images.hpp"
#include "nn/init.hpp"
#include "tensor/ops.hpp"

namespace ae::hw4 {

void require_matrix(const Tensor& t, const char* op, const char* name) {
  if (!t.defined()) throw Error(fmt::format("{}: {} is undefined", op, name));
  if (t.dim() != 2)
    throw Error(fmt::format("{}: {} must be 2-D, got shape {}", op, name, to_string(t.shape())));
}

void require_same_shape(const Tensor& a, const Tensor& b, const char* op, const char* a_name,
                        const char* b_name) {
  require_matrix(a, op, a_name);
  if (!b.defined() || a.shape() != b.shape())
    throw Error(fmt::format("{}: {} has shape {} and {} {}, expected equal", op, a_name,
                            to_string(a.shape()), b_name,
                            b.defined() ? to_string(b.shape()) : std::string("undefined")));
}

Encoding encode(const Vae& model, const Variable& X) {
  require_matrix(X.value(), "encode", "X");
  if (X.shape()[1] != model.input_size())
    throw Error(fmt::format("encode: X has shape {}, the VAE takes {} inputs", to_string(X.shape()),
                            model.input_size()));
  // linear(x, W, b) = x Wᵀ + b is the row-per-image form of W x + b.
  const Variable H = tanh(linear(X, model.W1, model.b1));
  return Encoding{linear(H, model.W_mu, model.b_mu), linear(H, model.W_logvar, model.b_logvar)};
}

Variable decode_logits(const Vae& model, const Variable& Z) {
  require_matrix(Z.value(), "decode_logits", "Z");
  if (Z.shape()[1] != model.latent_size())
    throw Error(fmt::format("decode_logits: Z has shape {}, the VAE has {} latent dimensions",
                            to_string(Z.shape()), model.latent_size()));
  const Variable G = tanh(linear(Z, model.W2, model.b2));
  return linear(G, model.W3, model.b3);
}

Tensor decode_images(const Vae& model, const Tensor& Z) {
  NoGradGuard no_grad;
  return tensor::sigmoid(decode_logits(model, Variable(Z)).value());
}

double mean_nearest_distance(const Tensor& samples, const Tensor& images) {
  require_matrix(samples, "mean_nearest_distance", "samples");
  require_matrix(images, "mean_nearest_distance", "images");
  if (samples.size(1) != images.size(1) || samples.size(0) < 1 || images.size(0) < 1)
    throw Error(fmt::format("mean_nearest_distance: samples {} and images {} need rows of one length",
                            to_string(samples.shape()), to_string(images.shape())));
  // ||s - t||² = ||s||² - 2 s·t + ||t||²: one matrix product for all pairs; the clamp at 0
  // absorbs the rounding of the difference of large terms.
  const Tensor cross = tensor::matmul(samples, images.t());
  const std::vector<float> s2 = tensor::sum(samples * samples, {1}).to_vector();
  const std::vector<float> t2 = tensor::sum(images * images, {1}).to_vector();
  const std::vector<float> dots = cross.contiguous().to_vector();
  const size_t n = s2.size(), m = t2.size();
  double total = 0;
  for (size_t i = 0; i < n; ++i) {
    double best = std::numeric_limits<double>::infinity();
    for (size_t j = 0; j < m; ++j)
      best = std::min(best, static_cast<double>(s2[i]) - 2.0 * dots[i * m + j] + static_cast<double>(t2[j]));
    total += std::max(best, 0.0);
  }
  return total / static_cast<double>(n);
}

Vae make_vae(int64_t input_size, int64_t hidden_size, int64_t latent_size, const Tensor& pixel_mean,
             Generator& gen) {
  if (input_size < 1 || hidden_size < 1 || latent_size < 1)
    throw Error(fmt::format("make_vae: input_size = {}, hidden_size = {}, latent_size = {}, all must be >= 1",
                            input_size, hidden_size, latent_size));
  if (pixel_mean.dim() != 1 || pixel_mean.size(0) != input_size)
    throw Error(fmt::format("make_vae: pixel_mean has shape {}, expected [{}]",
                            to_string(pixel_mean.shape()), input_size));
  // Xavier's gain for tanh is 5/3 (the inverse of its mean slope on unit-variance inputs).
  auto weight = [&](int64_t rows, int64_t cols, float gain) {
    Tensor w = tensor::empty({rows, cols});
    nn::xavier_uniform_(w, gen, gain);
    return Variable(w, true);
  };
  auto zeros = [](int64_t size) { return Variable(tensor::zeros({size}), true); };
  const float tanh_gain = 5.0f / 3.0f;
  Vae model;
  model.W1 = weight(hidden_size, input_size, tanh_gain);
  model.b1 = zeros(hidden_size);
  model.W_mu = weight(latent_size, hidden_size, 1.0f);
  model.b_mu = zeros(latent_size);
  model.W_logvar = weight(latent_size, hidden_size, 1.0f);
  model.b_logvar = zeros(latent_size);
  model.W2 = weight(hidden_size, latent_size, tanh_gain);
  model.b2 = zeros(hidden_size);
  model.W3 = weight(input_size, hidden_size, 1.0f);
  // σ(b3) = mean; the clamp keeps b3 finite for pixels that are always 0.
  const Tensor p = tensor::clamp(pixel_mean, 0.01f, 0.99f);
  model.b3 = Variable(tensor::log(p / (1.0f - p)).clone(), true);
  return model;
}

Hw4Data load_data(const ExperimentOptions& options) {
  if (options.train_size < 1 || options.test_size < 1)
    throw Error(fmt::format("load_data: train_size = {}, test_size = {} (both need >= 1)",
                            options.train_size, options.test_size));
  Hw4Data data;
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

}  // namespace ae::hw4
