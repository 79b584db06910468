#pragma once
// Batches for stochastic gradient descent.
//
// A BatchLoader hands out the sample indices of each mini-batch. Every call to
// next_epoch() draws a fresh permutation from its own seeded generator (Fisher-Yates), so
// a run is reproducible from its seed, and every sample is seen exactly once per epoch:
//
//   BatchLoader loader(train.images.size(0), 128, /*shuffle=*/true, /*seed=*/42);
//   for (int epoch = 0; epoch < 10; ++epoch)
//     for (std::span<const int64_t> batch : loader.next_epoch())
//       step(gather_rows(train.images, batch));
//
// The last batch is smaller when batch_size does not divide the number of samples
// (60000 / 128 gives 468 full batches and one of 96), unless drop_last is set.
#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "tensor/random.hpp"
#include "tensor/tensor.hpp"

namespace ae::data {

class BatchLoader {
 public:
  BatchLoader(int64_t num_samples, int64_t batch_size, bool shuffle, uint64_t seed,
              bool drop_last = false);

  /// The batches of one epoch, as spans into the loader's current order. Valid until the
  /// next call to next_epoch().
  class Epoch {
   public:
    class iterator {
     public:
      using value_type = std::span<const int64_t>;
      using difference_type = std::ptrdiff_t;
      iterator() = default;
      iterator(const Epoch* epoch, int64_t batch) : epoch_(epoch), batch_(batch) {}
      value_type operator*() const { return epoch_->batch(batch_); }
      iterator& operator++() {
        ++batch_;
        return *this;
      }
      iterator operator++(int) {
        iterator old = *this;
        ++batch_;
        return old;
      }
      bool operator==(const iterator& other) const { return batch_ == other.batch_; }

     private:
      const Epoch* epoch_ = nullptr;
      int64_t batch_ = 0;
    };

    Epoch(std::span<const int64_t> order, int64_t batch_size, int64_t num_batches)
        : order_(order), batch_size_(batch_size), num_batches_(num_batches) {}
    iterator begin() const { return {this, 0}; }
    iterator end() const { return {this, num_batches_}; }
    int64_t size() const { return num_batches_; }
    /// Batch b of this epoch (0 <= b < size()).
    std::span<const int64_t> batch(int64_t b) const;

   private:
    std::span<const int64_t> order_;
    int64_t batch_size_;
    int64_t num_batches_;
  };

  /// Starts the next epoch: reshuffles (when shuffling) and returns its batches.
  Epoch next_epoch();

  int64_t num_samples() const { return num_samples_; }
  int64_t batch_size() const { return batch_size_; }
  /// Batches per epoch: ceil(num_samples / batch_size), or floor with drop_last.
  int64_t num_batches() const;
  /// Samples per epoch that reach a batch (all of them unless drop_last drops a tail).
  int64_t samples_per_epoch() const { return std::min(num_batches() * batch_size_, num_samples_); }
  /// Epochs started so far.
  int64_t epochs() const { return epochs_; }
  /// The current epoch's order of sample indices.
  std::span<const int64_t> order() const { return order_; }

 private:
  int64_t num_samples_;
  int64_t batch_size_;
  bool shuffle_;
  bool drop_last_;
  Generator gen_;
  std::vector<int64_t> order_;
  int64_t epochs_ = 0;
};

/// Rows idx[0], idx[1], ... of x (along its first axis) as a new contiguous tensor of shape
/// {idx.size(), x.shape()[1:]...}. One memcpy per row when x is contiguous. An index out of
/// range throws ae::Error naming it.
Tensor gather_rows(const Tensor& x, std::span<const int64_t> idx);

struct TrainValidationSplit {
  std::vector<int64_t> train;       ///< sorted
  std::vector<int64_t> validation;  ///< sorted
};

/// A random split of 0..n-1: round(n * validation_fraction) indices go to validation, the
/// rest to train, both sorted. The same seed gives the same split. The fraction must lie
/// in [0, 1).
TrainValidationSplit split_train_validation(int64_t n, double validation_fraction, uint64_t seed);

}  // namespace ae::data
