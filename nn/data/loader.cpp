// Seeded shuffling batches, row gathering and the train / validation split.
#include "nn/data/loader.hpp"

#include <cmath>
#include <cstring>
#include <numeric>
#include <string>

#include "linalg/error.hpp"
#include "tensor/ops.hpp"

namespace ae::data {

namespace {

// Fisher-Yates: position i takes a uniformly chosen element of 0..i, so each of the n!
// orders has probability 1/n!.
void shuffle_in_place(std::vector<int64_t>& values, Generator& gen) {
  for (size_t i = values.size(); i > 1; --i) {
    const auto j = static_cast<size_t>(gen.below(i));
    std::swap(values[i - 1], values[j]);
  }
}

}  // namespace

BatchLoader::BatchLoader(int64_t num_samples, int64_t batch_size, bool shuffle, uint64_t seed,
                         bool drop_last)
    : num_samples_(num_samples),
      batch_size_(batch_size),
      shuffle_(shuffle),
      drop_last_(drop_last),
      gen_(seed) {
  if (num_samples < 0) {
    throw Error("BatchLoader: num_samples " + std::to_string(num_samples) + " is negative");
  }
  if (batch_size <= 0) {
    throw Error("BatchLoader: batch_size " + std::to_string(batch_size) + " must be positive");
  }
  order_.resize(static_cast<size_t>(num_samples));
  std::iota(order_.begin(), order_.end(), int64_t{0});
}

int64_t BatchLoader::num_batches() const {
  return drop_last_ ? num_samples_ / batch_size_ : (num_samples_ + batch_size_ - 1) / batch_size_;
}

BatchLoader::Epoch BatchLoader::next_epoch() {
  // Each epoch starts from 0..n-1 again, so its order depends only on the generator's state.
  std::iota(order_.begin(), order_.end(), int64_t{0});
  if (shuffle_) shuffle_in_place(order_, gen_);
  ++epochs_;
  return Epoch(order_, batch_size_, num_batches());
}

std::span<const int64_t> BatchLoader::Epoch::batch(int64_t b) const {
  if (b < 0 || b >= num_batches_) {
    throw Error("BatchLoader::Epoch::batch: batch " + std::to_string(b) + " out of range 0.." +
                std::to_string(num_batches_ - 1));
  }
  const int64_t start = b * batch_size_;
  const int64_t stop = std::min<int64_t>(start + batch_size_, static_cast<int64_t>(order_.size()));
  return order_.subspan(static_cast<size_t>(start), static_cast<size_t>(stop - start));
}

Tensor gather_rows(const Tensor& x, std::span<const int64_t> idx) {
  if (!x.defined() || x.dim() < 1) {
    throw Error("gather_rows: x must have at least one axis, got shape " +
                (x.defined() ? to_string(x.shape()) : std::string("(undefined)")));
  }
  const int64_t rows = x.size(0);
  for (const int64_t i : idx) {
    if (i < 0 || i >= rows) {
      throw Error("gather_rows: index " + std::to_string(i) + " out of range for " +
                  std::to_string(rows) + " rows of a tensor of shape " + to_string(x.shape()));
    }
  }
  if (!x.is_contiguous()) return tensor::index_select(x, 0, {idx.begin(), idx.end()});

  Shape shape = x.shape();
  shape[0] = static_cast<int64_t>(idx.size());
  Tensor out = tensor::empty(shape);
  const int64_t row_size = rows > 0 ? x.numel() / rows : 0;
  const float* src = x.data();
  float* dst = out.data();
  for (size_t r = 0; r < idx.size(); ++r) {
    std::memcpy(dst + static_cast<int64_t>(r) * row_size, src + idx[r] * row_size,
                static_cast<size_t>(row_size) * sizeof(float));
  }
  return out;
}

TrainValidationSplit split_train_validation(int64_t n, double validation_fraction, uint64_t seed) {
  if (n < 0) throw Error("split_train_validation: n " + std::to_string(n) + " is negative");
  if (!(validation_fraction >= 0.0 && validation_fraction < 1.0)) {
    throw Error("split_train_validation: validation fraction " +
                std::to_string(validation_fraction) + " is not in [0, 1)");
  }
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), int64_t{0});
  Generator gen(seed);
  shuffle_in_place(order, gen);
  const auto n_validation =
      static_cast<size_t>(std::llround(static_cast<double>(n) * validation_fraction));
  TrainValidationSplit split;
  split.validation.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n_validation));
  split.train.assign(order.begin() + static_cast<std::ptrdiff_t>(n_validation), order.end());
  std::sort(split.validation.begin(), split.validation.end());
  std::sort(split.train.begin(), split.train.end());
  return split;
}

}  // namespace ae::data
