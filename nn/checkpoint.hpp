#pragma once
// Checkpoints — a module's named tensors in a small binary file.
//
// Format, version 1 (all integers little-endian):
//   magic    8 bytes  "AELABCKP"
//   version  uint32   1
//   count    uint32   number of tensors
//   count times:
//     name_length uint32, name (UTF-8, no terminator)
//     ndim        uint32, then ndim sizes as int64
//     data        prod(sizes) float32, row-major
//   crc32    uint32   zlib's CRC-32 of every byte before it
//
// Writing goes through write_file_atomically (nn/atomic_write.hpp): a temporary file in the
// same directory, flushed to disk, then renamed over <file>. A rename within one file system
// is atomic, so a crash leaves either the old checkpoint or the new one, never a torn file,
// and a killed writer leaves no temporary that the next save does not remove.
//
// Reading checks everything before trusting it: a wrong magic or version, a size that does
// not fit in the file (truncation), trailing bytes or a checksum mismatch are ae::Errors
// naming the file (and the tensor being read), and nothing is allocated beyond what the
// file really holds.
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "nn/module.hpp"
#include "nn/optim.hpp"
#include "tensor/tensor.hpp"

namespace ae::nn {

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

inline constexpr uint32_t kCheckpointVersion = 1;

/// Writes named tensors atomically (see above). Names must be unique and non-empty.
void save_tensors(const std::filesystem::path& file, const NamedTensors& tensors);
/// Reads every tensor of a checkpoint file, in file order.
NamedTensors load_tensors(const std::filesystem::path& file);

/// Saves module.named_parameters().
void save_checkpoint(const Module& module, const std::filesystem::path& file);
/// Copies a checkpoint's tensors into the module's parameters. The file must hold exactly
/// the module's parameter names with the same shapes; otherwise ae::Error names the file
/// and the first tensor that is missing, extra or of another shape, and the module is left
/// unchanged.
void load_checkpoint(Module& module, const std::filesystem::path& file);
/// The same from tensors already read; `source` names where they came from in errors.
void load_parameters(Module& module, const NamedTensors& tensors, const std::string& source);

/// A training run's state in one checkpoint file, so that a stopped run can resume: the
/// module's parameters ("model.<name>"), the optimizer's state ("optim.<name>") and the
/// number of epochs done ("epoch", one element).
void save_training_state(const std::filesystem::path& file, const Module& module,
                         const Optimizer& optimizer, int epochs_done);
/// Restores save_training_state's file into the module and the optimizer and returns the
/// epochs done. Everything is checked before anything is changed: a missing, extra or
/// misshapen tensor is an ae::Error naming the file, and the module and optimizer are left
/// as they were.
int load_training_state(const std::filesystem::path& file, Module& module, Optimizer& optimizer);

}  // namespace ae::nn
