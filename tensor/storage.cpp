// Storage and the shape helpers every view is built from.
#include <new>
#include <string>

#include "tensor/tensor.hpp"

namespace ae {

namespace {
// 64 bytes: one cache line, and the width of an AVX-512 register, so aligned vector
// loads work from the start of every buffer.
constexpr std::size_t kAlignment = 64;
}  // namespace

Storage::Storage(int64_t size) : size_(size) {
  if (size < 0) throw Error("Storage: negative size " + std::to_string(size));
  // Round up to whole cache lines; never zero bytes, so data() is a valid pointer.
  const std::size_t bytes = (static_cast<std::size_t>(size) * sizeof(float) + kAlignment - 1) /
                            kAlignment * kAlignment;
  data_ = static_cast<float*>(
      ::operator new(bytes == 0 ? kAlignment : bytes, std::align_val_t{kAlignment}));
}

Storage::~Storage() { ::operator delete(data_, std::align_val_t{kAlignment}); }

std::string to_string(const Shape& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

int64_t numel_of(const Shape& shape) {
  int64_t n = 1;
  for (int64_t size : shape) n *= size;
  return n;
}

Strides contiguous_strides(const Shape& shape) {
  Strides strides(shape.size());
  int64_t stride = 1;
  for (std::size_t d = shape.size(); d-- > 0;) {
    strides[d] = stride;
    stride *= shape[d];
  }
  return strides;
}

}  // namespace ae
