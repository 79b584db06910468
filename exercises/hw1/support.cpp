// HW1: the given parts — loading the images, the autoencoder's initial weights, the
// scatter plots and the argument checks. Not graded; read them, do not edit them.
#include <algorithm>
#include <cmath>

#include <fmt/core.h>

#include "exercises/common/support.hpp"
#include "exercises/hw1/hw1.hpp"
#include "nn/data/images.hpp"
#include "nn/init.hpp"
#include "tensor/ops.hpp"

namespace ae::hw1 {

void require_matrix(const Tensor& t, const char* op, const char* name) {
  if (!t.defined()) throw Error(fmt::format("{}: {} is undefined", op, name));
  if (t.dim() != 2)
    throw Error(fmt::format("{}: {} must be 2-D, got shape {}", op, name, to_string(t.shape())));
}

Hw1Data load_data(const ExperimentOptions& options) {
  if (options.train_size < 2 || options.test_size < 1)
    throw Error(fmt::format("load_data: train_size = {} (needs >= 2), test_size = {} (needs >= 1)",
                            options.train_size, options.test_size));
  Hw1Data data;
  const exercises::FoundImages found = exercises::find_images(options.data_dir);
  data.dir = found.dir;
  data.dataset = found.dataset;
  data::ImageSet train = data::load_images(data.dir, "train", options.train_size);
  data::ImageSet test = data::load_images(data.dir, "t10k", options.test_size);
  if (train.images.size(0) < options.train_size || test.images.size(0) < options.test_size)
    throw Error(fmt::format("load_data: {} holds {} training and {} test images, fewer than the "
                            "{} and {} asked for",
                            data.dir.string(), train.images.size(0), test.images.size(0),
                            options.train_size, options.test_size));
  data.train_images = train.images;
  data.train_labels = std::move(train.labels);
  data.test_images = test.images;
  data.test_labels = std::move(test.labels);
  if (options.verbose)
    fmt::print("data: {} from {}: {} training and {} test images of {} pixels\n", data.dataset,
               data.dir.string(), data.train_images.size(0), data.test_images.size(0),
               data.train_images.size(1));
  return data;
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
  // σ(c) = mean, i.e. c = log(mean / (1 - mean)); the clamp keeps c finite for pixels
  // that are always 0 (the borders of the digits).
  const Tensor p = tensor::clamp(pixel_mean, 0.01f, 0.99f);
  const Tensor c = tensor::log(p / (1.0f - p));
  return Autoencoder{Variable(W, true), Variable(tensor::zeros({code_size}), true),
                     Variable(W_star, true), Variable(c.clone(), true)};
}

void write_scatter(const std::filesystem::path& file, const Tensor& codes,
                   const std::vector<int>& labels, const std::string& dataset,
                   const std::string& title) {
  require_matrix(codes, "write_scatter", "codes");
  exercises::write_class_scatter(file, codes, labels, dataset, title, "write_scatter");
}

}  // namespace ae::hw1
