// libFuzzer target: read_idx on arbitrary bytes (raw IDX, and gzip when the input happens to
// start with gzip's magic). Only ae::Error may come out; anything else is a finding.
#include <cstddef>
#include <cstdint>

#include "fuzz/scratch_file.hpp"
#include "linalg/error.hpp"
#include "nn/data/idx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto file = ae::fuzz::write_scratch("input-idx3-ubyte", data, size);
  try {
    const ae::data::IdxArray a = ae::data::read_idx(file);
    // A file that loads must hold exactly prod(dims) values, each dim in 1 .. 2^32-1.
    size_t count = 1;
    for (int64_t d : a.dims) {
      if (d < 1 || d > 0xFFFFFFFFll) __builtin_trap();
      count *= static_cast<size_t>(d);
    }
    if (count != a.values.size() || a.dims.empty() || a.dims.size() > 4) __builtin_trap();
  } catch (const ae::Error&) {
  }
  return 0;
}
