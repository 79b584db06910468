#pragma once
// Timing hooks for bench_train --profile, with no code in the library.
//
// The linker's --wrap option (bench/train/CMakeLists.txt) sends every call that the
// library's object files make to linalg::gemm and to the aligned operator new / delete
// (Tensor storage, tensor/storage.cpp) through the wrappers in profile_hooks.cpp first. When
// profiling is off, a wrapper is one test of a flag and a direct call: the library itself is
// compiled and linked as for every other program, and only this executable has the wrappers.
//
// Attribution: the bench's own loop says which phase of a step is running (set_phase); the
// wrappers add their time to that phase's gemm or allocation counters, so the time of the
// phase minus them is what the phase spent elsewhere (element-wise kernels, bookkeeping).
#include <cstdint>
#include <map>
#include <tuple>

namespace ae::bench {

enum class Phase { Gather, Forward, Loss, Backward, Optimizer, ZeroGrad, Other, Count };
constexpr int kPhases = static_cast<int>(Phase::Count);

struct PhaseCounters {
  double gemm_seconds = 0;
  double alloc_seconds = 0;  // aligned operator new and delete
  int64_t gemm_calls = 0;
  int64_t allocations = 0;
  double gemm_flops = 0;  // 2·m·n·k per call
};

/// (trans_a, trans_b, m, n, k) of a gemm call.
using GemmShape = std::tuple<int, int, int64_t, int64_t, int64_t>;

struct ProfileCounters {
  PhaseCounters phase[kPhases];
  std::map<GemmShape, int64_t> gemm_shapes;  // calls per shape
};

/// Turns the hooks on or off; the counters are kept.
void profile_hooks_enable(bool on);
/// Clears the counters.
void profile_hooks_reset();
void profile_set_phase(Phase p);
/// The counters gathered since the last reset.
const ProfileCounters& profile_counters();
/// Whether the --wrap link options are in effect (a call through the wrapper was seen).
bool profile_hooks_linked();

}  // namespace ae::bench
