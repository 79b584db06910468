// libFuzzer target: load_tensors on arbitrary bytes. Checkpoints end in a CRC-32 that random
// mutations almost never match, so the first input byte, when odd, makes the target append
// the right checksum to the rest: the parser past the checksum gets fuzzed too.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz/scratch_file.hpp"
#include "linalg/error.hpp"
#include "nn/checkpoint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::vector<uint8_t> bytes(data + 1, data + size);
  if (data[0] & 1) {
    const auto crc = static_cast<uint32_t>(
        crc32(crc32(0L, Z_NULL, 0), bytes.data(), static_cast<uInt>(bytes.size())));
    for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<uint8_t>(crc >> (8 * i)));
  }
  const auto file = ae::fuzz::write_scratch("model.ckpt", bytes.data(), bytes.size());
  try {
    const ae::nn::NamedTensors tensors = ae::nn::load_tensors(file);
    for (const auto& [name, t] : tensors)
      if (name.empty() || !t.defined()) __builtin_trap();
  } catch (const ae::Error&) {
  }
  return 0;
}
