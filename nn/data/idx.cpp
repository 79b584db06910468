// IDX reader. See idx.hpp for the format and the promises about bad files.
#include "nn/data/idx.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <string>

#include "linalg/error.hpp"

namespace ae::data {
namespace fs = std::filesystem;

namespace {

// zlib reads gzipped and raw files through the same calls (gzread passes raw bytes through),
// so one reader serves both. Reads happen in chunks well below gzread's INT_MAX limit.
constexpr size_t kChunk = size_t{1} << 20;
// The payload buffer grows from this size, doubling, so a short file never clears more memory
// than about twice what it holds.
constexpr size_t kFirstStep = size_t{64} << 10;

class GzReader {
 public:
  explicit GzReader(const fs::path& file) : name_(file.string()) {
    std::error_code ec;
    if (!fs::exists(file, ec)) throw Error(name_ + ": no such file");
    if (fs::is_directory(file, ec)) throw Error(name_ + ": is a directory, not an IDX file");
    errno = 0;
    handle_ = gzopen(name_.c_str(), "rb");
    if (handle_ == nullptr) {
      throw Error(name_ + ": cannot open (" + (errno ? std::strerror(errno) : "out of memory") +
                  ")");
    }
    // zlib's buffers (one for input, two for output) sized to the file: 128 KiB for data sets,
    // less for small files, whose reads would otherwise allocate and clear 384 KiB each.
    const auto on_disk = static_cast<size_t>(fs::file_size(file, ec));
    size_t buffer = size_t{8} << 10;
    while (buffer < (size_t{1} << 17) && !ec && buffer < on_disk) buffer *= 2;
    gzbuffer(handle_, static_cast<unsigned>(buffer));
  }
  ~GzReader() {
    if (handle_ != nullptr) gzclose(handle_);
  }
  GzReader(const GzReader&) = delete;
  GzReader& operator=(const GzReader&) = delete;

  /// Reads up to n bytes and returns how many arrived; fewer than n means the data ended.
  /// A zlib error (corrupt compressed data, bad checksum) throws.
  size_t read(uint8_t* out, size_t n) {
    size_t total = 0;
    while (total < n) {
      const auto want = static_cast<unsigned>(std::min(n - total, kChunk));
      const int got = gzread(handle_, out + total, want);
      if (got < 0) throw Error(name_ + ": corrupt gzip data (zlib: " + zlib_message() + ")");
      total += static_cast<size_t>(got);
      if (static_cast<unsigned>(got) < want) break;
    }
    return total;
  }

  /// An upper bound on the bytes still to come after `consumed` bytes were read, from the
  /// size of the file on disk (deflate expands a byte into at most 1032).
  size_t payload_bound(size_t consumed) const {
    std::error_code ec;
    const auto on_disk = static_cast<size_t>(fs::file_size(name_, ec));
    if (ec) return 0;
    if (gzdirect(handle_) == 1) return on_disk > consumed ? on_disk - consumed : 0;
    return on_disk * 1032;
  }

  /// How much to reserve for the payload up front: the bound above for a raw file; for a
  /// gzipped one 16 bytes per compressed byte (data sets compress 3-6x), since reserving
  /// deflate's worst case of 1032 would claim tens of MiB for every small damaged file.
  size_t reserve_hint(size_t consumed) const {
    return gzdirect(handle_) == 1 ? payload_bound(consumed) : payload_bound(consumed) / 1032 * 16;
  }

  /// Why the data ended early, when zlib knows (a gzip stream cut short), else "".
  std::string early_end_reason() {
    int code = Z_OK;
    gzerror(handle_, &code);
    if (code == Z_OK) return "";
    return " (gzip: " + zlib_message() + ")";
  }

 private:
  // zlib's message, without the "<file>: " it puts in front (our messages name the file).
  std::string zlib_message() {
    int code = Z_OK;
    const char* text = gzerror(handle_, &code);
    if (code == Z_ERRNO) return std::strerror(errno);
    std::string message = text ? text : "unknown error";
    if (message.rfind(name_ + ": ", 0) == 0) message.erase(0, name_.size() + 2);
    return message;
  }

  std::string name_;
  gzFile handle_ = nullptr;
};

std::string dims_text(const std::vector<int64_t>& dims) {
  std::string text;
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i > 0) text += "x";
    text += std::to_string(dims[i]);
  }
  return text;
}

std::string hex_bytes(const uint8_t* bytes, size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string text;
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) text += ' ';
    text += digits[bytes[i] >> 4];
    text += digits[bytes[i] & 15];
  }
  return text;
}

const char* idx_type_name(uint8_t type) {
  switch (type) {
    case 0x08: return "unsigned byte";
    case 0x09: return "signed byte";
    case 0x0B: return "int16";
    case 0x0C: return "int32";
    case 0x0D: return "float32";
    case 0x0E: return "float64";
    default: return nullptr;
  }
}

}  // namespace

IdxArray read_idx(const fs::path& file) {
  const std::string name = file.string();
  GzReader reader(file);

  // Magic: 0x00 0x00 <type> <ndims>.
  std::array<uint8_t, 4> magic{};
  const size_t magic_bytes = reader.read(magic.data(), magic.size());
  if (magic_bytes == 0) throw Error(name + ": empty file" + reader.early_end_reason());
  if (magic_bytes < magic.size()) {
    throw Error(name + ": truncated: the file ends inside the 4-byte IDX magic number (" +
                std::to_string(magic_bytes) + " bytes)" + reader.early_end_reason());
  }
  if (magic[0] != 0 || magic[1] != 0) {
    throw Error(name + ": not an IDX file: it starts with bytes " + hex_bytes(magic.data(), 4) +
                ", an IDX file starts with 00 00 <type> <number of dimensions>");
  }
  if (magic[2] != 0x08) {
    const char* type = idx_type_name(magic[2]);
    throw Error(name + ": IDX value type 0x" + hex_bytes(&magic[2], 1) + " (" +
                (type ? type : "not a valid IDX type") +
                ") is not supported; aelab reads 0x08 (unsigned byte)");
  }
  const int ndims = magic[3];
  if (ndims < 1 || ndims > 4) {
    throw Error(name + ": bad IDX header: " + std::to_string(ndims) +
                " dimensions; expected 1 to 4");
  }

  // Dimensions: big-endian uint32 each, all nonzero, product within kIdxMaxValues.
  std::array<uint8_t, 16> dim_bytes{};
  const size_t header_bytes = 4 * static_cast<size_t>(ndims);
  const size_t got_dims = reader.read(dim_bytes.data(), header_bytes);
  if (got_dims < header_bytes) {
    throw Error(name + ": truncated: the file ends inside the IDX header (" +
                std::to_string(4 + got_dims) + " of " + std::to_string(4 + header_bytes) +
                " header bytes)" + reader.early_end_reason());
  }
  IdxArray result;
  result.dims.resize(ndims);
  for (int i = 0; i < ndims; ++i) {
    const uint8_t* b = &dim_bytes[4 * i];
    result.dims[i] = (int64_t{b[0]} << 24) | (int64_t{b[1]} << 16) | (int64_t{b[2]} << 8) | b[3];
  }
  int64_t count = 1;
  for (int i = 0; i < ndims; ++i) {
    if (result.dims[i] == 0) {
      throw Error(name + ": bad IDX header: dimension " + std::to_string(i) + " of " +
                  dims_text(result.dims) + " is 0");
    }
    // count * dim > limit, tested without overflowing.
    if (count > kIdxMaxValues / result.dims[i]) {
      throw Error(name + ": bad IDX header: " + dims_text(result.dims) +
                  " values is more than the limit of " + std::to_string(kIdxMaxValues) +
                  " (2^31); the file is corrupt or not a data set aelab can hold");
    }
    count *= result.dims[i];
  }

  // Payload: grow the buffer as data arrives, so a header that lies about the size costs
  // no more memory than the bytes the file really has. The first step reserves up to
  // 64 MiB at once, which holds all of MNIST's training images without a reallocation,
  // but never more than the file can hold: its size for a raw file, and for a gzipped one
  // 16 bytes per compressed byte (reserve_hint). Reading stops at deflate's largest
  // expansion, about 1032 output bytes per input byte.
  const auto expected = static_cast<size_t>(count);
  const size_t bound = reader.payload_bound(4 + header_bytes);
  result.values.reserve(std::min({expected, size_t{64} << 20, reader.reserve_hint(4 + header_bytes)}));
  size_t have = 0;
  while (have < expected) {
    // One byte past the bound, so that a short file still reads to its end.
    const size_t step =
        std::min({expected - have, std::max(kFirstStep, have), std::max(bound, have + 1) - have});
    result.values.resize(have + step);
    const size_t got = reader.read(result.values.data() + have, step);
    have += got;
    if (got < step) {
      throw Error(name + ": truncated: header says " + dims_text(result.dims) + " = " +
                  std::to_string(expected) + " bytes of data, file has " + std::to_string(have) +
                  reader.early_end_reason());
    }
  }

  // Nothing may follow the payload. Reading on to the end also makes zlib verify the gzip
  // trailer's CRC-32 and length, which catches corruption inside the compressed data.
  std::array<uint8_t, 4096> rest{};
  size_t trailing = 0;
  for (;;) {
    const size_t got = reader.read(rest.data(), rest.size());
    trailing += got;
    if (got < rest.size()) break;
  }
  if (trailing > 0) {
    throw Error(name + ": " + std::to_string(trailing) + " unexpected bytes after the " +
                std::to_string(expected) + " bytes of data the header announces (" +
                dims_text(result.dims) + ")");
  }
  const std::string reason = reader.early_end_reason();
  if (!reason.empty()) {
    throw Error(name + ": the gzip stream is damaged or cut short after the data" + reason);
  }
  return result;
}

}  // namespace ae::data
