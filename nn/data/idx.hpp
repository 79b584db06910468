#pragma once
// IDX files — the format of MNIST and Fashion-MNIST.
//
// An IDX file is a 4-byte magic number, then one big-endian uint32 per dimension, then the
// values in row-major order. The magic is 0x00 0x00 <type> <number of dimensions>; aelab
// reads type 0x08 (unsigned byte) with 1 to 4 dimensions, which covers every image and
// label file of both data sets. Files may be gzipped (.gz) or raw.
//
// The reader trusts nothing in the file: the magic, each dimension, the total size and the
// exact payload length are checked, and a bad file is an ae::Error naming the file and what
// is wrong. The size is checked against a limit before anything is allocated, and the
// payload buffer grows only as bytes actually arrive, so a lying header cannot make the
// reader allocate more than the file really holds.
#include <cstdint>
#include <filesystem>
#include <vector>

namespace ae::data {

struct IdxArray {
  std::vector<int64_t> dims;    ///< e.g. {60000, 28, 28} for an image file, {60000} for labels
  std::vector<uint8_t> values;  ///< row-major, product(dims) bytes
};

/// The largest number of values read_idx accepts (2^31 bytes: 40x the MNIST training set).
inline constexpr int64_t kIdxMaxValues = int64_t{1} << 31;

/// Reads an IDX file of unsigned bytes, gzipped or raw (zlib tells them apart by content).
/// Throws ae::Error "<file>: <what is wrong>" for a missing, corrupt, truncated or oversized
/// file, or one with bytes after the payload.
IdxArray read_idx(const std::filesystem::path& file);

}  // namespace ae::data
