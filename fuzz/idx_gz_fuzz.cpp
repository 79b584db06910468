// libFuzzer target: read_idx through zlib's gzip path. Random bytes almost never form a gzip
// stream, so the input is gzipped here first; the first input byte, when nonzero, cuts the
// compressed file to that fraction of its length (streams that end early) and the second
// flips one of its bits (damaged streams the CRC-32 must catch).
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz/scratch_file.hpp"
#include "linalg/error.hpp"
#include "nn/data/idx.hpp"

namespace {

std::vector<uint8_t> gzip(const uint8_t* data, size_t size) {
  z_stream z{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    __builtin_trap();
  std::vector<uint8_t> out(deflateBound(&z, static_cast<uLong>(size)) + 32);
  z.next_in = const_cast<Bytef*>(data);
  z.avail_in = static_cast<uInt>(size);
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) __builtin_trap();
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const uint8_t cut = data[0];
  const uint8_t flip = data[1];
  std::vector<uint8_t> gz = gzip(data + 2, size - 2);
  if (flip != 0) gz[(flip * gz.size()) / 256] ^= static_cast<uint8_t>(1u << (flip % 8));
  if (cut != 0) gz.resize((cut * gz.size()) / 256);
  const auto file = ae::fuzz::write_scratch("input-idx3-ubyte.gz", gz.data(), gz.size());
  try {
    const ae::data::IdxArray a = ae::data::read_idx(file);
    size_t count = 1;
    for (int64_t d : a.dims) count *= static_cast<size_t>(d);
    if (count != a.values.size()) __builtin_trap();
  } catch (const ae::Error&) {
  }
  return 0;
}
