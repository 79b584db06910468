// Tensor: views over shared storage (shape, strides, offset), copies, element access and
// the in-place writes.
#include "tensor/tensor.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <utility>

#include "tensor/axes.hpp"
#include "tensor/map.hpp"
#include "tensor/ops.hpp"
#include "tensor/strided_loop.hpp"

namespace ae {

namespace {

using tensor::detail::require_defined;

// Two views may touch the same elements: then a write through one, read through the
// other, must read from a copy.
bool may_alias(const Tensor& a, const Tensor& b) {
  if (a.storage() != b.storage()) return false;
  return !(a.offset() == b.offset() && a.shape() == b.shape() && a.strides() == b.strides());
}

// Strides of a view with `new_shape` over the same elements as (shape, strides) in row-major
// order, or nothing when no such view exists (then reshape copies).
//
// The old axes fall into chunks: runs of axes where each axis' stride is the next one's
// stride times its size, so a chunk is one evenly strided block of `numel` elements. A new
// axis is a view only if it lies inside one chunk: its size must divide what is left of
// that chunk, and its stride is the chunk's innermost stride times the sizes still to come.
std::optional<Strides> view_strides(const Shape& shape, const Strides& strides,
                                    const Shape& new_shape) {
  struct Chunk {
    int64_t numel;
    int64_t inner_stride;
  };
  std::vector<Chunk> chunks;
  for (std::size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 1) continue;
    if (!chunks.empty() && chunks.back().inner_stride == strides[d] * shape[d]) {
      chunks.back().numel *= shape[d];
      chunks.back().inner_stride = strides[d];
    } else {
      chunks.push_back({shape[d], strides[d]});
    }
  }
  Strides out(new_shape.size(), 0);
  std::size_t c = 0;
  int64_t left = chunks.empty() ? 1 : chunks[0].numel;
  for (std::size_t i = 0; i < new_shape.size(); ++i) {
    if (new_shape[i] == 1) continue;
    if (c >= chunks.size() || left % new_shape[i] != 0) return std::nullopt;
    left /= new_shape[i];
    out[i] = chunks[c].inner_stride * left;
    if (left == 1) {
      ++c;
      left = c < chunks.size() ? chunks[c].numel : 1;
    }
  }
  if (c != chunks.size()) return std::nullopt;
  // Size-1 axes may have any stride; give them the one a contiguous layout would.
  int64_t next = 1;
  for (std::size_t i = new_shape.size(); i-- > 0;) {
    if (new_shape[i] == 1) out[i] = next;
    else next = out[i] * new_shape[i];
  }
  return out;
}

}  // namespace

Tensor::Tensor(std::shared_ptr<Storage> storage, Shape shape, Strides strides, int64_t offset)
    : storage_(std::move(storage)),
      shape_(std::move(shape)),
      strides_(std::move(strides)),
      offset_(offset) {
  if (!storage_) throw Error("Tensor: null storage for shape " + to_string(shape_));
  if (shape_.size() != strides_.size())
    throw Error("Tensor: shape " + to_string(shape_) + " and strides " + to_string(strides_) +
                " have different lengths");
  for (int64_t size : shape_)
    if (size < 0) throw Error("Tensor: negative size in shape " + to_string(shape_));
  if (numel() == 0) return;
  // Every reachable element must lie inside the storage.
  int64_t lowest = offset_, highest = offset_;
  for (std::size_t d = 0; d < shape_.size(); ++d) {
    const int64_t reach = (shape_[d] - 1) * strides_[d];
    (reach < 0 ? lowest : highest) += reach;
  }
  if (lowest < 0 || highest >= storage_->size())
    throw Error("Tensor: view with shape " + to_string(shape_) + ", strides " +
                to_string(strides_) + " and offset " + std::to_string(offset_) +
                " reaches outside its storage of " + std::to_string(storage_->size()) +
                " elements");
}

int64_t Tensor::size(int64_t axis) const {
  return shape_[tensor::normalize_axis(axis, shape_, "size")];
}

bool Tensor::is_contiguous() const {
  if (numel() == 0) return true;
  int64_t expected = 1;
  for (std::size_t d = shape_.size(); d-- > 0;) {
    if (shape_[d] == 1) continue;  // a size-1 axis is never stepped over
    if (strides_[d] != expected) return false;
    expected *= shape_[d];
  }
  return true;
}

float* Tensor::data() { return storage_ ? storage_->data() + offset_ : nullptr; }
const float* Tensor::data() const { return storage_ ? storage_->data() + offset_ : nullptr; }

// ---- views ----

Tensor Tensor::reshape(const Shape& shape) const {
  require_defined(*this, "reshape");
  Shape target = shape;
  int64_t known = 1, inferred = -1;
  for (std::size_t i = 0; i < target.size(); ++i) {
    if (target[i] == -1 && inferred < 0) {
      inferred = static_cast<int64_t>(i);
    } else if (target[i] < 0) {
      throw Error("reshape: cannot reshape " + to_string(shape_) + " into " + to_string(shape) +
                  " (only one size may be -1, none negative)");
    } else {
      known *= target[i];
    }
  }
  if (inferred >= 0) {
    if (known == 0 || numel() % known != 0)
      throw Error("reshape: cannot reshape " + to_string(shape_) + " into " + to_string(shape));
    target[inferred] = numel() / known;
  }
  if (numel_of(target) != numel())
    throw Error("reshape: cannot reshape " + to_string(shape_) + " (" + std::to_string(numel()) +
                " elements) into " + to_string(shape) + " (" +
                std::to_string(numel_of(target)) + " elements)");
  if (is_contiguous()) return Tensor(storage_, target, contiguous_strides(target), offset_);
  if (auto strides = view_strides(shape_, strides_, target))
    return Tensor(storage_, target, *strides, offset_);
  return contiguous().reshape(target);
}

Tensor Tensor::transpose(int64_t axis_a, int64_t axis_b) const {
  require_defined(*this, "transpose");
  const int64_t a = tensor::normalize_axis(axis_a, shape_, "transpose");
  const int64_t b = tensor::normalize_axis(axis_b, shape_, "transpose");
  Shape shape = shape_;
  Strides strides = strides_;
  std::swap(shape[a], shape[b]);
  std::swap(strides[a], strides[b]);
  return Tensor(storage_, shape, strides, offset_);
}

Tensor Tensor::t() const {
  if (dim() != 2) throw Error("t: expects a 2-D tensor, got shape " + to_string(shape_));
  return transpose(0, 1);
}

Tensor Tensor::permute(const Axes& order) const {
  require_defined(*this, "permute");
  auto fail = [&] {
    throw Error("permute: order " + to_string(order) + " is not a permutation of the axes of " +
                to_string(shape_));
  };
  if (order.size() != shape_.size()) fail();
  std::vector<bool> seen(shape_.size(), false);
  Shape shape(order.size());
  Strides strides(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    const int64_t dim_ = static_cast<int64_t>(shape_.size());
    if (order[i] < -dim_ || order[i] >= dim_) fail();
    const int64_t a = order[i] < 0 ? order[i] + dim_ : order[i];
    if (seen[a]) fail();
    seen[a] = true;
    shape[i] = shape_[a];
    strides[i] = strides_[a];
  }
  return Tensor(storage_, shape, strides, offset_);
}

Tensor Tensor::slice(int64_t axis, int64_t start, int64_t stop, int64_t step) const {
  require_defined(*this, "slice");
  const int64_t a = tensor::normalize_axis(axis, shape_, "slice");
  if (step < 1)
    throw Error("slice: step " + std::to_string(step) + " must be >= 1 (shape " +
                to_string(shape_) + ")");
  const int64_t size = shape_[a];
  auto clamp_index = [&](int64_t i) { return std::clamp(i < 0 ? i + size : i, int64_t{0}, size); };
  start = clamp_index(start);
  stop = clamp_index(stop);
  const int64_t count = stop > start ? (stop - start + step - 1) / step : 0;
  Shape shape = shape_;
  Strides strides = strides_;
  shape[a] = count;
  strides[a] = strides_[a] * step;
  return Tensor(storage_, shape, strides, offset_ + (count > 0 ? start * strides_[a] : 0));
}

Tensor Tensor::expand(const Shape& shape) const {
  require_defined(*this, "expand");
  auto fail = [&] {
    throw Error("expand: shape " + to_string(shape_) + " cannot be broadcast to " +
                to_string(shape));
  };
  if (shape.size() < shape_.size()) fail();
  const std::size_t lead = shape.size() - shape_.size();
  Shape out_shape = shape;
  Strides strides(shape.size(), 0);  // new leading axes repeat the whole tensor: stride 0
  for (std::size_t d = 0; d < shape.size(); ++d) {
    if (d < lead) {
      if (shape[d] < 0) fail();
      continue;
    }
    const int64_t have = shape_[d - lead];
    const int64_t want = shape[d] == -1 ? have : shape[d];
    out_shape[d] = want;
    if (have == want) strides[d] = strides_[d - lead];
    else if (have == 1 && want >= 0) strides[d] = 0;  // one element repeated
    else fail();
  }
  return Tensor(storage_, out_shape, strides, offset_);
}

Tensor Tensor::squeeze(int64_t axis) const {
  require_defined(*this, "squeeze");
  const int64_t a = tensor::normalize_axis(axis, shape_, "squeeze");
  if (shape_[a] != 1)
    throw Error("squeeze: axis " + std::to_string(axis) + " of shape " + to_string(shape_) +
                " has size " + std::to_string(shape_[a]) + ", not 1");
  Shape shape = shape_;
  Strides strides = strides_;
  shape.erase(shape.begin() + a);
  strides.erase(strides.begin() + a);
  return Tensor(storage_, shape, strides, offset_);
}

Tensor Tensor::unsqueeze(int64_t axis) const {
  require_defined(*this, "unsqueeze");
  const int64_t d = dim();
  if (axis < -(d + 1) || axis > d)
    throw Error("unsqueeze: axis " + std::to_string(axis) + " is out of range for shape " +
                to_string(shape_) + " (new axis positions are " + std::to_string(-(d + 1)) +
                " .. " + std::to_string(d) + ")");
  const int64_t a = axis < 0 ? axis + d + 1 : axis;
  Shape shape = shape_;
  Strides strides = strides_;
  const int64_t stride = a < d ? strides_[a] * shape_[a] : 1;
  shape.insert(shape.begin() + a, 1);
  strides.insert(strides.begin() + a, stride);
  return Tensor(storage_, shape, strides, offset_);
}

Tensor Tensor::operator[](int64_t i) const {
  require_defined(*this, "operator[]");
  if (dim() == 0) throw Error("operator[]: cannot index a 0-d tensor");
  if (i < -shape_[0] || i >= shape_[0])
    throw Error("operator[]: index " + std::to_string(i) + " is out of range for shape " +
                to_string(shape_));
  if (i < 0) i += shape_[0];
  Shape shape(shape_.begin() + 1, shape_.end());
  Strides strides(strides_.begin() + 1, strides_.end());
  return Tensor(storage_, shape, strides, offset_ + i * strides_[0]);
}

// ---- copies ----

Tensor Tensor::contiguous() const {
  require_defined(*this, "contiguous");
  return is_contiguous() ? *this : clone();
}

Tensor Tensor::clone() const {
  require_defined(*this, "clone");
  Tensor out = tensor::empty(shape_);
  out.copy_(*this);
  return out;
}

std::vector<float> Tensor::to_vector() const {
  require_defined(*this, "to_vector");
  const Tensor c = contiguous();
  return std::vector<float>(c.data(), c.data() + c.numel());
}

// ---- elements ----

float Tensor::item() const {
  require_defined(*this, "item");
  if (numel() != 1)
    throw Error("item: tensor of shape " + to_string(shape_) + " has " +
                std::to_string(numel()) + " elements, not 1");
  return storage_->data()[offset_];  // the one element: every index is 0
}

float& Tensor::at(std::initializer_list<int64_t> index) {
  require_defined(*this, "at");
  if (static_cast<int64_t>(index.size()) != dim())
    throw Error("at: index of " + std::to_string(index.size()) + " values for shape " +
                to_string(shape_));
  int64_t pos = offset_;
  int64_t d = 0;
  for (int64_t i : index) {
    if (i < -shape_[d] || i >= shape_[d])
      throw Error("at: index " + to_string(Shape(index)) + " is out of range for shape " +
                  to_string(shape_));
    pos += (i < 0 ? i + shape_[d] : i) * strides_[d];
    ++d;
  }
  return storage_->data()[pos];
}

float Tensor::at(std::initializer_list<int64_t> index) const {
  return const_cast<Tensor*>(this)->at(index);
}

// ---- in place ----

Tensor& Tensor::fill_(float value) {
  require_defined(*this, "fill_");
  float* base = storage_->data();
  tensor::detail::strided_loop<1>(shape_, {&strides_}, {offset_},
                                  [&](const auto& off, int64_t n, const auto& step) {
                                    float* p = base + off[0];
                                    if (step[0] == 1) {
                                      std::fill(p, p + n, value);
                                    } else {
                                      for (int64_t i = 0; i < n; ++i) p[i * step[0]] = value;
                                    }
                                  });
  return *this;
}

// The right-hand side of an in-place op on `dst`: broadcast to dst's shape, and copied
// first when it may share memory with dst (so no element is read after it was written).
static Tensor in_place_source(const Tensor& dst, const Tensor& src, const char* op) {
  require_defined(dst, op);
  require_defined(src, op);
  if (tensor::broadcast_shapes(src.shape(), dst.shape(), op) != dst.shape())
    throw Error(std::string(op) + ": shape " + to_string(src.shape()) +
                " cannot be broadcast to " + to_string(dst.shape()));
  return (may_alias(dst, src) ? src.clone() : src).expand(dst.shape());
}

Tensor& Tensor::copy_(const Tensor& src) {
  const Tensor from = in_place_source(*this, src, "copy_");
  float* dst = storage_->data();
  const float* in = from.storage()->data();
  tensor::detail::strided_loop<2>(
      shape_, {&strides_, &from.strides()}, {offset_, from.offset()},
      [&](const auto& off, int64_t n, const auto& step) {
        float* d = dst + off[0];
        const float* s = in + off[1];
        if (step[0] == 1 && step[1] == 1) {
          std::memcpy(d, s, static_cast<std::size_t>(n) * sizeof(float));
        } else if (step[1] == 0) {
          for (int64_t i = 0; i < n; ++i) d[i * step[0]] = *s;
        } else {
          for (int64_t i = 0; i < n; ++i) d[i * step[0]] = s[i * step[1]];
        }
      });
  return *this;
}

Tensor& Tensor::add_(const Tensor& other, float alpha) {
  const Tensor from = in_place_source(*this, other, "add_");
  float* dst = storage_->data();
  const float* in = from.storage()->data();
  tensor::detail::strided_loop<2>(
      shape_, {&strides_, &from.strides()}, {offset_, from.offset()},
      [&](const auto& off, int64_t n, const auto& step) {
        float* d = dst + off[0];
        const float* s = in + off[1];
        if (step[0] == 1 && step[1] == 1) {
#pragma omp simd
          for (int64_t i = 0; i < n; ++i) d[i] += alpha * s[i];
        } else {
          for (int64_t i = 0; i < n; ++i) d[i * step[0]] += alpha * s[i * step[1]];
        }
      });
  return *this;
}

Tensor& Tensor::mul_(float scale) {
  require_defined(*this, "mul_");
  float* base = storage_->data();
  tensor::detail::strided_loop<1>(shape_, {&strides_}, {offset_},
                                  [&](const auto& off, int64_t n, const auto& step) {
                                    float* p = base + off[0];
                                    for (int64_t i = 0; i < n; ++i) p[i * step[0]] *= scale;
                                  });
  return *this;
}

}  // namespace ae
