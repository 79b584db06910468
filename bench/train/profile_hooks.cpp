#include "bench/train/profile_hooks.hpp"

#include <omp.h>
#include <time.h>

#include <atomic>
#include <cstddef>
#include <mutex>
#include <new>

#include "linalg/gemm.hpp"

namespace ae::bench {
namespace {

std::atomic<bool> g_on{false};
std::atomic<bool> g_seen{false};
std::atomic<Phase> g_phase{Phase::Other};
ProfileCounters g_counters;
std::mutex g_mutex;  // gemm or new may be called from OpenMP workers

// CPU time of the process, as bench_train's profile takes every phase.
double now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

}  // namespace

void profile_hooks_enable(bool on) {
  g_phase = Phase::Other;
  g_on = on;
}

void profile_hooks_reset() {
  std::lock_guard lock(g_mutex);
  g_counters = ProfileCounters{};
}

void profile_set_phase(Phase p) { g_phase = p; }
const ProfileCounters& profile_counters() { return g_counters; }
bool profile_hooks_linked() { return g_seen; }

}  // namespace ae::bench

// The wrapped symbols, by their mangled names (g++ / Itanium ABI):
//   ae::linalg::gemm(Trans, Trans, long, long, long, float, const float*, long,
//                    const float*, long, float, float*, long)
//   operator new(std::size_t, std::align_val_t), operator delete(void*, std::align_val_t)
// A change of gemm's signature leaves the wrapper unreferenced: profile_hooks_linked() then
// stays false and --profile says the hooks are missing instead of printing zeros.
using ae::linalg::Trans;
extern "C" {
void __real__ZN2ae6linalg4gemmENS0_5TransES1_lllfPKflS3_lfPfl(Trans, Trans, int64_t, int64_t, int64_t,
                                                              float, const float*, int64_t,
                                                              const float*, int64_t, float,
                                                              float*, int64_t);
void* __real__ZnwmSt11align_val_t(std::size_t, std::align_val_t);
void __real__ZdlPvSt11align_val_t(void*, std::align_val_t);

void __wrap__ZN2ae6linalg4gemmENS0_5TransES1_lllfPKflS3_lfPfl(Trans ta, Trans tb, int64_t m,
                                                              int64_t n, int64_t k, float alpha,
                                                              const float* A, int64_t lda,
                                                              const float* B, int64_t ldb,
                                                              float beta, float* C, int64_t ldc) {
  using namespace ae::bench;
  g_seen.store(true, std::memory_order_relaxed);
  if (!g_on.load(std::memory_order_relaxed)) {
    __real__ZN2ae6linalg4gemmENS0_5TransES1_lllfPKflS3_lfPfl(ta, tb, m, n, k, alpha, A, lda, B, ldb,
                                                             beta, C, ldc);
    return;
  }
  const double t0 = now();
  __real__ZN2ae6linalg4gemmENS0_5TransES1_lllfPKflS3_lfPfl(ta, tb, m, n, k, alpha, A, lda, B, ldb,
                                                           beta, C, ldc);
  const double t = now() - t0;
  std::lock_guard lock(g_mutex);
  PhaseCounters& c = g_counters.phase[static_cast<int>(g_phase.load())];
  c.gemm_seconds += t;
  c.gemm_calls += 1;
  c.gemm_flops += 2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
  ++g_counters.gemm_shapes[{ta == Trans::Yes, tb == Trans::Yes, m, n, k}];
}

void* __wrap__ZnwmSt11align_val_t(std::size_t bytes, std::align_val_t align) {
  using namespace ae::bench;
  if (!g_on.load(std::memory_order_relaxed)) return __real__ZnwmSt11align_val_t(bytes, align);
  const double t0 = now();
  void* p = __real__ZnwmSt11align_val_t(bytes, align);
  const double t = now() - t0;
  std::lock_guard lock(g_mutex);
  PhaseCounters& c = g_counters.phase[static_cast<int>(g_phase.load())];
  c.alloc_seconds += t;
  c.allocations += 1;
  return p;
}

void __wrap__ZdlPvSt11align_val_t(void* p, std::align_val_t align) {
  using namespace ae::bench;
  if (!g_on.load(std::memory_order_relaxed)) return __real__ZdlPvSt11align_val_t(p, align);
  const double t0 = now();
  __real__ZdlPvSt11align_val_t(p, align);
  const double t = now() - t0;
  std::lock_guard lock(g_mutex);
  g_counters.phase[static_cast<int>(g_phase.load())].alloc_seconds += t;
}
}
