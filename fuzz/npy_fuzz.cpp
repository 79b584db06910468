// libFuzzer target: load_npy on arbitrary bytes.
#include <cstddef>
#include <cstdint>

#include "fuzz/scratch_file.hpp"
#include "linalg/error.hpp"
#include "tensor/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto file = ae::fuzz::write_scratch("array.npy", data, size);
  try {
    const ae::Tensor t = ae::load_npy(file.string());
    if (!t.defined()) __builtin_trap();
  } catch (const ae::Error&) {
  }
  return 0;
}
