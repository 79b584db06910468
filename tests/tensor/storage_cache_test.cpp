// The Storage buffer cache: a freed buffer serves the next Storage of its size class, the
// counters say so, and release_storage_cache empties it. (tests/nn/allocation_test.cpp
// checks that a training step allocates nothing once warm.)
#include <gtest/gtest.h>

#include <cstdlib>

#include "tensor/ops.hpp"

using ae::Tensor;
namespace T = ae::tensor;

TEST(StorageCache, AFreedBufferIsReusedBySizeClass) {
  const T::AllocationStats start = T::allocation_stats();
  if (start.cap_bytes == 0) GTEST_SKIP() << "the cache is off (AELAB_STORAGE_CACHE_MB=0 or ASan)";
  const float* first = nullptr;
  {
    Tensor a = T::empty({1000, 37});
    first = a.data();
  }
  const T::AllocationStats freed = T::allocation_stats();
  EXPECT_GE(freed.cached_bytes, 1000 * 37 * 4);
  // A slightly smaller tensor falls in the same size class and gets the same buffer.
  Tensor b = T::empty({1000, 36});
  EXPECT_EQ(b.data(), first);
  const T::AllocationStats after = T::allocation_stats();
  EXPECT_EQ(after.reused, freed.reused + 1);
  EXPECT_EQ(after.fresh, freed.fresh);
  EXPECT_EQ(after.storages, freed.storages + 1);
  // Buffers stay 64-byte aligned.
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(b.data()) % 64, 0u);
}

TEST(StorageCache, ReleaseEmptiesTheCache) {
  { Tensor a = T::zeros({4096}); }
  T::release_storage_cache();
  EXPECT_EQ(T::allocation_stats().cached_bytes, 0);
  const int64_t fresh = T::allocation_stats().fresh;
  Tensor b = T::zeros({4096});
  EXPECT_EQ(T::allocation_stats().fresh, fresh + 1);
  EXPECT_EQ(b.to_vector()[100], 0.0f);
}

TEST(StorageCache, FreedFromManyThreads) {
  // OpenMP threads free tensors too: allocate and free concurrently, then check the counts.
  const T::AllocationStats start = T::allocation_stats();
#pragma omp parallel for num_threads(4)
  for (int i = 0; i < 400; ++i) {
    Tensor t = T::full({static_cast<int64_t>(16 + i % 7 * 100)}, static_cast<float>(i));
    if (t.to_vector().back() != static_cast<float>(i)) std::abort();
  }
  const T::AllocationStats end = T::allocation_stats();
  EXPECT_EQ(end.storages - start.storages, 400);
  EXPECT_EQ((end.fresh - start.fresh) + (end.reused - start.reused), 400);
}
