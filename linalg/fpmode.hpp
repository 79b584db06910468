#pragma once
// Floating-point mode for training: flush-to-zero (FTZ) and denormals-are-zero (DAZ).
//
// Denormal floats (|x| < 1.2e-38) take a slow microcode path on x86; late in training,
// tiny gradients and Adam moments become denormal and an epoch slows markedly (for the
// PyTorch peer, bench/train --peer-no-flush shows the effect; bench/train/RESULTS.md).
// Flushing them to zero changes results only below 1e-38. MXCSR is per thread, so this sets it on
// the calling thread and on every OpenMP worker.
namespace ae::linalg {

/// Turns FTZ and DAZ on for this thread and all OpenMP threads. Returns true on x86-64.
bool enable_flush_to_zero();
/// Whether FTZ and DAZ are on for the calling thread.
bool flush_to_zero_enabled();

}  // namespace ae::linalg
