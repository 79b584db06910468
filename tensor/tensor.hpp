#pragma once
// Tensor — float32 values without gradients.
//
// A Tensor is a view: shared storage plus an offset, a shape and strides (in elements),
// row-major when contiguous. reshape / transpose / permute / slice / expand / squeeze /
// unsqueeze return views that share storage; contiguous() copies only when needed.
// Copying a Tensor object copies the view, not the data (like a PyTorch tensor);
// clone() copies the data.
//
// Shapes and axis errors throw ae::Error naming the op and the shapes involved.
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "linalg/error.hpp"

namespace ae {

using Shape = std::vector<int64_t>;
using Strides = std::vector<int64_t>;
/// A list of axes; negative axes count from the end. For reductions, empty means "all".
using Axes = std::vector<int64_t>;

/// "[2, 3, 4]"
std::string to_string(const Shape& shape);
/// Product of the sizes (1 for a 0-d shape).
int64_t numel_of(const Shape& shape);
/// Row-major strides of a contiguous tensor of this shape.
Strides contiguous_strides(const Shape& shape);

namespace tensor {
/// Counters of the Storage buffer cache (tensor/storage.cpp) since the process started.
struct AllocationStats {
  int64_t storages = 0;      ///< Storage objects created
  int64_t fresh = 0;         ///< of those, buffers taken from operator new
  int64_t reused = 0;        ///< of those, buffers taken from the cache
  int64_t cached_bytes = 0;  ///< bytes held in the cache now
  int64_t cap_bytes = 0;     ///< the cache's cap (0: off; AELAB_STORAGE_CACHE_MB, ASan)
};
AllocationStats allocation_stats();
/// Frees every buffer the cache holds (the cache stays on).
void release_storage_cache();
}  // namespace tensor

/// Flat float32 buffer, 64-byte aligned, shared by all views of it. Freed buffers are kept
/// for reuse by size class, up to AELAB_STORAGE_CACHE_MB (default 256) MiB in all.
class Storage {
 public:
  explicit Storage(int64_t size);  // uninitialised
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  float* data() { return data_; }
  const float* data() const { return data_; }
  int64_t size() const { return size_; }

 private:
  float* data_;
  int64_t size_;
  std::size_t bytes_;  // the buffer's size class
};

class Tensor {
 public:
  /// An undefined tensor (no storage). defined() is false; most ops throw on it.
  Tensor() = default;
  /// A view into existing storage.
  Tensor(std::shared_ptr<Storage> storage, Shape shape, Strides strides, int64_t offset);

  bool defined() const { return storage_ != nullptr; }
  const Shape& shape() const { return shape_; }
  const Strides& strides() const { return strides_; }
  int64_t offset() const { return offset_; }
  int64_t dim() const { return static_cast<int64_t>(shape_.size()); }
  int64_t numel() const { return numel_of(shape_); }
  /// Size along an axis (negative counts from the end); throws on a bad axis.
  int64_t size(int64_t axis) const;
  const std::shared_ptr<Storage>& storage() const { return storage_; }
  bool is_contiguous() const;
  /// Pointer to element [0, 0, ...]. Strided: index with strides().
  float* data();
  const float* data() const;

  // ---- views (share storage) ----
  /// Same data, new shape; one size may be -1. A view when the layout allows, else a copy.
  Tensor reshape(const Shape& shape) const;
  /// Swap two axes (a view).
  Tensor transpose(int64_t axis_a, int64_t axis_b) const;
  /// 2-D transpose (a view); throws if dim() != 2.
  Tensor t() const;
  /// Reorder axes: result axis i is input axis order[i] (a view).
  Tensor permute(const Axes& order) const;
  /// Elements start, start+step, ... < stop along an axis (a view). Negative start/stop
  /// count from the end; stop is clamped to the size; step >= 1.
  Tensor slice(int64_t axis, int64_t start, int64_t stop, int64_t step = 1) const;
  /// Broadcast to a larger shape by NumPy's rules (a view with zero strides); a size of -1
  /// keeps that axis' size.
  Tensor expand(const Shape& shape) const;
  /// Removes an axis of size 1; throws if the axis has another size.
  Tensor squeeze(int64_t axis) const;
  /// Inserts an axis of size 1 at position axis in [-(dim+1), dim].
  Tensor unsqueeze(int64_t axis) const;
  /// Row `i` of the first axis (a view with one axis fewer); negative i counts from the end.
  Tensor operator[](int64_t i) const;

  // ---- copies ----
  /// This tensor when already contiguous (shares storage), else a contiguous copy.
  Tensor contiguous() const;
  /// Always a fresh contiguous copy.
  Tensor clone() const;
  /// All elements in row-major order.
  std::vector<float> to_vector() const;

  // ---- elements ----
  /// The value of a one-element tensor (any shape with numel() == 1).
  float item() const;
  /// Element at a full index, e.g. x.at({1, 2}); negative indices count from the end.
  float at(std::initializer_list<int64_t> index) const;
  float& at(std::initializer_list<int64_t> index);

  // ---- in place (write through the view) ----
  Tensor& fill_(float value);
  /// Copy values from src, which must broadcast to this shape.
  Tensor& copy_(const Tensor& src);
  /// this += alpha * other (other broadcast to this shape).
  Tensor& add_(const Tensor& other, float alpha = 1.0f);
  Tensor& mul_(float scale);

 private:
  std::shared_ptr<Storage> storage_;
  Shape shape_;
  Strides strides_;
  int64_t offset_ = 0;
};

}  // namespace ae
