// Storage and the shape helpers every view is built from.
#include <algorithm>
#include <bit>
#include <cstdlib>
#include <mutex>
#include <new>
#include <string>
#include <unordered_map>
#include <vector>

#include "tensor/tensor.hpp"

namespace ae {

namespace {
// 64 bytes: one cache line, and the width of an AVX-512 register, so aligned vector
// loads work from the start of every buffer.
constexpr std::size_t kAlignment = 64;

// ---- the buffer cache ----
//
// A training step frees and allocates the same buffers every step (activations, gradients,
// temporaries of the same shapes). Fresh large blocks come from mmap and go back to the
// kernel when freed, so each step would fault its pages in again; instead a freed buffer is
// kept, by size class, for the next Storage of that class. Sizes are rounded up to a class
// (4 per power of two: at most 25% slack), the cache holds at most a cap of bytes
// (AELAB_STORAGE_CACHE_MB, default 256; 0 turns it off), and buffers beyond the cap are
// freed. One mutex guards it: OpenMP threads free tensors too. Under AddressSanitizer the
// cache is off, so that a use after free still hits freed memory and is reported.

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitizer = true;
#else
constexpr bool kSanitizer = false;
#endif
#else
constexpr bool kSanitizer = false;
#endif

std::size_t size_class(std::size_t bytes) {
  if (bytes <= kAlignment) return kAlignment;
  const std::size_t top = std::bit_floor(bytes);
  const std::size_t step = std::max(kAlignment, top / 4);
  return (bytes + step - 1) / step * step;
}

std::size_t cache_cap_bytes() {
  if (kSanitizer) return 0;
  const char* env = std::getenv("AELAB_STORAGE_CACHE_MB");
  if (env == nullptr || *env == '\0') return std::size_t{256} << 20;
  char* end = nullptr;
  const long long mb = std::strtoll(env, &end, 10);
  if (end == env || *end != '\0' || mb < 0)
    throw Error(std::string("AELAB_STORAGE_CACHE_MB='") + env +
                "' is not a whole number of MiB (0 turns the buffer cache off)");
  return static_cast<std::size_t>(mb) << 20;
}

struct BufferCache {
  std::mutex mutex;
  std::unordered_map<std::size_t, std::vector<void*>> free_buffers;  // by size class
  std::size_t cap = cache_cap_bytes();
  std::size_t cached_bytes = 0;
  tensor::AllocationStats stats;
};

// Never destroyed: tensors held in static objects may be freed after main returns.
BufferCache& cache() {
  static BufferCache* instance = new BufferCache;
  return *instance;
}

void* allocate(std::size_t bytes) {
  BufferCache& c = cache();
  {
    std::lock_guard<std::mutex> lock(c.mutex);
    ++c.stats.storages;
    if (c.cap > 0) {
      auto it = c.free_buffers.find(bytes);
      if (it != c.free_buffers.end() && !it->second.empty()) {
        void* p = it->second.back();
        it->second.pop_back();
        c.cached_bytes -= bytes;
        ++c.stats.reused;
        return p;
      }
    }
    ++c.stats.fresh;
  }
  return ::operator new(bytes, std::align_val_t{kAlignment});
}

void release(void* p, std::size_t bytes) {
  BufferCache& c = cache();
  {
    std::lock_guard<std::mutex> lock(c.mutex);
    if (c.cached_bytes + bytes <= c.cap) {
      c.free_buffers[bytes].push_back(p);
      c.cached_bytes += bytes;
      return;
    }
  }
  ::operator delete(p, std::align_val_t{kAlignment});
}

}  // namespace

namespace tensor {

AllocationStats allocation_stats() {
  BufferCache& c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  AllocationStats s = c.stats;
  s.cached_bytes = static_cast<int64_t>(c.cached_bytes);
  s.cap_bytes = static_cast<int64_t>(c.cap);
  return s;
}

void release_storage_cache() {
  BufferCache& c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  for (auto& [bytes, buffers] : c.free_buffers)
    for (void* p : buffers) ::operator delete(p, std::align_val_t{kAlignment});
  c.free_buffers.clear();
  c.cached_bytes = 0;
}

}  // namespace tensor

Storage::Storage(int64_t size) : size_(size) {
  if (size < 0) throw Error("Storage: negative size " + std::to_string(size));
  // Whole cache lines, rounded up to the cache's size class; never zero bytes, so data()
  // is a valid pointer.
  bytes_ = size_class(static_cast<std::size_t>(size) * sizeof(float));
  data_ = static_cast<float*>(allocate(bytes_));
}

Storage::~Storage() { release(data_, bytes_); }

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
