// .npy save and load (format described in tensor/npy.hpp and in NumPy's
// "numpy.lib.format" documentation).
#include "tensor/npy.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "tensor/ops.hpp"

namespace ae {

static_assert(std::endian::native == std::endian::little,
              ".npy '<f4' data is written and read as native floats");

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;
constexpr std::size_t kAlign = 64;

std::string shape_tuple(const Shape& shape) {
  // Python tuples: () for 0-d, (3,) for 1-d, (2, 3) otherwise.
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1) s += ",";
  return s + ")";
}

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw Error("load_npy: '" + path + "': " + what);
}

// The text after `'key':` in the header dict, with leading spaces skipped.
std::size_t value_of(const std::string& header, const std::string& key, const std::string& path) {
  const std::size_t k = header.find("'" + key + "'");
  if (k == std::string::npos) fail(path, "header has no '" + key + "' entry: " + header);
  std::size_t at = header.find(':', k);
  if (at == std::string::npos) fail(path, "malformed header: " + header);
  ++at;
  while (at < header.size() && header[at] == ' ') ++at;
  return at;
}

}  // namespace

void save_npy(const std::string& path, const Tensor& t) {
  if (!t.defined()) throw Error("save_npy: '" + path + "': the tensor is undefined");
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " +
                       shape_tuple(t.shape()) + ", }";
  // Pad with spaces so that magic + version + length + header + '\n' fills whole 64-byte lines.
  const std::size_t prefix = kMagicSize + 2 + 2;
  const std::size_t total = (prefix + header.size() + 1 + kAlign - 1) / kAlign * kAlign;
  header.append(total - prefix - header.size() - 1, ' ');
  header += '\n';
  if (header.size() > 65535) throw Error("save_npy: '" + path + "': shape too long for a header");

  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error("save_npy: cannot open '" + path + "' for writing");
  const unsigned char version_and_length[4] = {1, 0, static_cast<unsigned char>(header.size() & 0xff),
                                               static_cast<unsigned char>(header.size() >> 8)};
  out.write(kMagic, kMagicSize);
  out.write(reinterpret_cast<const char*>(version_and_length), 4);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  const Tensor c = t.contiguous();
  out.write(reinterpret_cast<const char*>(c.data()),
            static_cast<std::streamsize>(c.numel() * sizeof(float)));
  out.close();
  if (!out) throw Error("save_npy: writing '" + path + "' failed");
}

Tensor load_npy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("load_npy: cannot open '" + path + "'");
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  if (bytes.size() < kMagicSize + 4 || std::memcmp(bytes.data(), kMagic, kMagicSize) != 0)
    fail(path, "not a .npy file (bad magic: it must start with \\x93NUMPY)");

  // Version 1.0 has a 2-byte header length; 2.0 and 3.0 a 4-byte one.
  const auto byte = [&](std::size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])); };
  const uint32_t major = byte(6);
  std::size_t header_start, header_len;
  if (major == 1) {
    header_start = 10;
    header_len = byte(8) | byte(9) << 8;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) fail(path, "truncated header");
    header_start = 12;
    header_len = byte(8) | byte(9) << 8 | byte(10) << 16 | byte(11) << 24;
  } else {
    fail(path, "unsupported .npy version " + std::to_string(major) + "." +
                   std::to_string(byte(7)));
  }
  if (bytes.size() < header_start + header_len)
    fail(path, "truncated header: " + std::to_string(header_len) + " bytes announced, " +
                   std::to_string(bytes.size() - header_start) + " present");
  const std::string header(bytes.data() + header_start, header_len);

  std::size_t at = value_of(header, "descr", path);
  const std::size_t close = header.find('\'', at + 1);
  if (header[at] != '\'' || close == std::string::npos) fail(path, "malformed descr: " + header);
  const std::string descr = header.substr(at + 1, close - at - 1);
  if (descr != "<f4")
    fail(path, "dtype '" + descr + "' is not supported; only float32 '<f4' is (in NumPy: "
               "np.save(path, a.astype(np.float32)))");

  at = value_of(header, "fortran_order", path);
  bool fortran;
  if (header.compare(at, 4, "True") == 0) fortran = true;
  else if (header.compare(at, 5, "False") == 0) fortran = false;
  else fail(path, "malformed fortran_order: " + header);

  at = value_of(header, "shape", path);
  if (header[at] != '(') fail(path, "malformed shape: " + header);
  Shape shape;
  ++at;
  for (;;) {
    while (at < header.size() && (header[at] == ' ' || header[at] == ',')) ++at;
    if (at >= header.size()) fail(path, "malformed shape: " + header);
    if (header[at] == ')') break;
    if (!std::isdigit(static_cast<unsigned char>(header[at])))
      fail(path, "malformed shape: " + header);
    int64_t size = 0;
    while (at < header.size() && std::isdigit(static_cast<unsigned char>(header[at]))) {
      size = size * 10 + (header[at] - '0');
      if (size > (int64_t{1} << 40)) fail(path, "shape too large: " + header);
      ++at;
    }
    shape.push_back(size);
  }

  // Each size is at most 2^40, but their product can still overflow (and an empty axis
  // hides the others from the data-size check): bound the product of the nonzero sizes.
  int64_t nonzero = 1;
  for (const int64_t size : shape)
    if (size > 0 && nonzero > (int64_t{1} << 60) / size)
      fail(path, "shape too large: " + header);
    else if (size > 0)
      nonzero *= size;
  const int64_t numel = numel_of(shape);
  const std::size_t data_start = header_start + header_len;
  const std::size_t need = static_cast<std::size_t>(numel) * sizeof(float);
  if (bytes.size() - data_start < need)
    fail(path, "truncated data: shape " + to_string(shape) + " needs " + std::to_string(need) +
                   " bytes, the file has " + std::to_string(bytes.size() - data_start));

  // Fortran order is column-major: the same bytes read as the reversed shape, transposed.
  Shape stored = shape;
  if (fortran) std::reverse(stored.begin(), stored.end());
  Tensor t = tensor::empty(stored);
  std::memcpy(t.data(), bytes.data() + data_start, need);
  if (!fortran || shape.size() < 2) return t;
  Axes reverse_axes;
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) reverse_axes.push_back(d);
  return t.permute(reverse_axes).contiguous();
}

}  // namespace ae
