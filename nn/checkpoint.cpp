#include "nn/checkpoint.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>
#include <string_view>

#include "linalg/error.hpp"
#include "nn/atomic_write.hpp"
#include "tensor/ops.hpp"

namespace ae::nn {

namespace {

constexpr char kMagic[8] = {'A', 'E', 'L', 'A', 'B', 'C', 'K', 'P'};
constexpr uint32_t kMaxDims = 16;
constexpr uint32_t kMaxNameLength = 4096;

uint32_t crc_of(const unsigned char* data, std::size_t size) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes the length as a 32-bit uInt: feed larger buffers in pieces.
  while (size > 0) {
    const std::size_t piece = std::min<std::size_t>(size, 1u << 30);
    crc = crc32(crc, data, static_cast<uInt>(piece));
    data += piece;
    size -= piece;
  }
  return static_cast<uint32_t>(crc);
}

// ---- encoding (little-endian whatever the host) ----

template <class T>
void put(std::string& out, T value) {
  auto bits = std::bit_cast<std::array<unsigned char, sizeof(T)>>(value);
  if constexpr (std::endian::native == std::endian::big) std::reverse(bits.begin(), bits.end());
  out.append(reinterpret_cast<const char*>(bits.data()), bits.size());
}

void put_floats(std::string& out, const Tensor& t) {
  const Tensor dense = t.contiguous();
  const float* p = dense.data();
  const int64_t n = dense.numel();
  if constexpr (std::endian::native == std::endian::little) {
    out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n) * sizeof(float));
  } else {
    for (int64_t i = 0; i < n; ++i) put(out, p[i]);
  }
}

// ---- decoding with bounds checks ----

class Reader {
 public:
  Reader(const std::filesystem::path& file, const std::string& bytes)
      : file_(file), bytes_(bytes) {}

  template <class T>
  T get(const std::string& what) {
    need(sizeof(T), what);
    std::array<unsigned char, sizeof(T)> bits;
    std::memcpy(bits.data(), bytes_.data() + pos_, sizeof(T));
    if constexpr (std::endian::native == std::endian::big) std::reverse(bits.begin(), bits.end());
    pos_ += sizeof(T);
    return std::bit_cast<T>(bits);
  }

  std::string get_string(std::size_t n, const std::string& what) {
    need(n, what);
    std::string s = bytes_.substr(pos_, n);
    pos_ += n;
    return s;
  }

  void get_floats(float* out, int64_t n, const std::string& what) {
    const std::size_t size = static_cast<std::size_t>(n) * sizeof(float);
    need(size, what);
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(out, bytes_.data() + pos_, size);
      pos_ += size;
    } else {
      for (int64_t i = 0; i < n; ++i) out[i] = get<float>(what);
    }
  }

  std::size_t pos() const { return pos_; }
  std::size_t remaining() const { return bytes_.size() - pos_; }

  [[noreturn]] void fail(const std::string& message) const {
    throw Error(fmt::format("checkpoint {}: {}", file_.string(), message));
  }

 private:
  void need(std::size_t n, const std::string& what) const {
    if (n > remaining())
      fail(fmt::format("truncated: {} needs {} bytes at offset {}, but the file has only {} left",
                       what, n, pos_, remaining()));
  }

  const std::filesystem::path& file_;
  const std::string& bytes_;
  std::size_t pos_ = 0;
};

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error("checkpoint " + file.string() + ": cannot open for reading");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw Error("checkpoint " + file.string() + ": read error");
  return bytes;
}

}  // namespace

void save_tensors(const std::filesystem::path& file, const NamedTensors& tensors) {
  std::set<std::string> seen;
  std::string bytes(kMagic, sizeof kMagic);
  put<uint32_t>(bytes, kCheckpointVersion);
  put<uint32_t>(bytes, static_cast<uint32_t>(tensors.size()));
  for (const auto& [name, t] : tensors) {
    if (name.empty() || name.size() > kMaxNameLength)
      throw Error(fmt::format("checkpoint {}: tensor name \"{}\" is empty or longer than {} bytes",
                              file.string(), name, kMaxNameLength));
    if (!seen.insert(name).second)
      throw Error(fmt::format("checkpoint {}: two tensors are named \"{}\"", file.string(), name));
    if (!t.defined())
      throw Error(fmt::format("checkpoint {}: tensor \"{}\" is undefined", file.string(), name));
    if (t.dim() > static_cast<int64_t>(kMaxDims))
      throw Error(fmt::format("checkpoint {}: tensor \"{}\" has {} axes (at most {})",
                              file.string(), name, t.dim(), kMaxDims));
    put<uint32_t>(bytes, static_cast<uint32_t>(name.size()));
    bytes += name;
    put<uint32_t>(bytes, static_cast<uint32_t>(t.dim()));
    for (int64_t size : t.shape()) put<int64_t>(bytes, size);
    put_floats(bytes, t);
  }
  put<uint32_t>(bytes, crc_of(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()));

  try {
    write_file_atomically(file, bytes);
  } catch (const Error& e) {
    throw Error(std::string("checkpoint ") + e.what());
  }
}

NamedTensors load_tensors(const std::filesystem::path& file) {
  const std::string bytes = read_file(file);
  Reader in(file, bytes);
  const std::string magic = in.get_string(sizeof kMagic, "the magic number");
  if (std::memcmp(magic.data(), kMagic, sizeof kMagic) != 0)
    in.fail("not an aelab checkpoint (bad magic number; expected \"AELABCKP\")");
  const uint32_t version = in.get<uint32_t>("the version");
  if (version != kCheckpointVersion)
    in.fail(fmt::format("unsupported version {} (this build reads version {})", version,
                        kCheckpointVersion));
  const uint32_t count = in.get<uint32_t>("the tensor count");

  NamedTensors out;
  for (uint32_t i = 0; i < count; ++i) {
    const std::string which = fmt::format("tensor {} of {}", i + 1, count);
    const uint32_t name_length = in.get<uint32_t>("the name length of " + which);
    if (name_length == 0 || name_length > kMaxNameLength)
      in.fail(fmt::format("{}: bad name length {}", which, name_length));
    const std::string name = in.get_string(name_length, "the name of " + which);
    const std::string label = fmt::format("tensor \"{}\"", name);
    const uint32_t ndim = in.get<uint32_t>("the number of axes of " + label);
    if (ndim > kMaxDims) in.fail(fmt::format("{}: {} axes (at most {})", label, ndim, kMaxDims));
    Shape shape;
    int64_t numel = 1;
    // The product of the nonzero sizes: a tensor with an empty axis holds no data, but its
    // strides multiply its other sizes, which must not overflow (a fuzzed file had
    // {0, 2^33, 2^32}).
    int64_t nonzero = 1;
    for (uint32_t d = 0; d < ndim; ++d) {
      const int64_t size = in.get<int64_t>("the shape of " + label);
      if (size < 0) in.fail(fmt::format("{}: negative size {} on axis {}", label, size, d));
      shape.push_back(size);
      if (size > 0 && nonzero > std::numeric_limits<int64_t>::max() / size)
        in.fail(fmt::format("{}: the sizes of shape {} overflow a 64-bit integer", label,
                            ae::to_string(shape)));
      if (size > 0) nonzero *= size;
      // Bounded by the bytes left, so a lying header can neither overflow nor allocate.
      if (size > 0 && numel > static_cast<int64_t>(in.remaining() / sizeof(float)) / size)
        in.fail(fmt::format("truncated: {} of shape {} needs more bytes than the file has", label,
                            ae::to_string(shape)));
      numel *= size;
    }
    Tensor t = tensor::empty(shape);
    in.get_floats(t.data(), numel, "the data of " + label);
    out.emplace_back(name, std::move(t));
  }
  const std::size_t body = in.pos();
  const uint32_t stored = in.get<uint32_t>("the checksum");
  if (in.remaining() != 0)
    in.fail(fmt::format("{} unexpected bytes after the checksum", in.remaining()));
  const uint32_t actual = crc_of(reinterpret_cast<const unsigned char*>(bytes.data()), body);
  if (stored != actual)
    in.fail(fmt::format("checksum mismatch (stored {:08x}, computed {:08x}): the file is corrupt",
                        stored, actual));
  return out;
}

void save_checkpoint(const Module& module, const std::filesystem::path& file) {
  NamedTensors tensors;
  for (const auto& [name, p] : module.named_parameters()) tensors.emplace_back(name, p.value());
  save_tensors(file, tensors);
}

void load_checkpoint(Module& module, const std::filesystem::path& file) {
  load_parameters(module, load_tensors(file), "checkpoint " + file.string());
}

void load_parameters(Module& module, const NamedTensors& stored, const std::string& source) {
  auto params = module.named_parameters();
  // Check everything first, so a mismatch leaves the module as it was.
  // The lambdas bind the name through an init-capture: clang 14 cannot capture a structured
  // binding directly.
  for (const auto& [name, p] : params) {
    auto it = std::find_if(stored.begin(), stored.end(),
                           [&key = name](const auto& entry) { return entry.first == key; });
    if (it == stored.end())
      throw Error(
          fmt::format("{}: no tensor \"{}\" for the module's parameter of "
                      "shape {}",
                      source, name, ae::to_string(p.shape())));
    if (it->second.shape() != p.shape())
      throw Error(fmt::format(
          "{}: tensor \"{}\" has shape {}, the module's "
          "parameter has shape {}",
          source, name, ae::to_string(it->second.shape()), ae::to_string(p.shape())));
  }
  for (const auto& [name, t] : stored) {
    const bool known = std::any_of(params.begin(), params.end(),
                                   [&key = name](const auto& entry) { return entry.first == key; });
    if (!known)
      throw Error(
          fmt::format("{}: tensor \"{}\" (shape {}) is not a parameter of "
                      "the module",
                      source, name, ae::to_string(t.shape())));
  }
  for (auto& [name, p] : params)
    for (const auto& [n, t] : stored)
      if (n == name) p.value().copy_(t);
}

namespace {

constexpr const char* kModelPrefix = "model.";
constexpr const char* kOptimPrefix = "optim.";
constexpr const char* kEpochName = "epoch";

}  // namespace

void save_training_state(const std::filesystem::path& file, const Module& module,
                         const Optimizer& optimizer, int epochs_done) {
  if (epochs_done < 0)
    throw Error(fmt::format("save_training_state: epochs done must be >= 0, got {}", epochs_done));
  NamedTensors tensors;
  for (const auto& [name, p] : module.named_parameters())
    tensors.emplace_back(kModelPrefix + name, p.value());
  for (auto& [name, t] : optimizer.state()) tensors.emplace_back(kOptimPrefix + name, t);
  Tensor epoch = tensor::empty({1});
  epoch.data()[0] = static_cast<float>(epochs_done);
  tensors.emplace_back(kEpochName, epoch);
  save_tensors(file, tensors);
}

int load_training_state(const std::filesystem::path& file, Module& module, Optimizer& optimizer) {
  const std::string source = file.string();
  NamedTensors model, optim;
  const Tensor* epoch = nullptr;
  const NamedTensors stored = load_tensors(file);
  for (const auto& [name, t] : stored) {
    if (name.starts_with(kModelPrefix))
      model.emplace_back(name.substr(std::string_view(kModelPrefix).size()), t);
    else if (name.starts_with(kOptimPrefix))
      optim.emplace_back(name.substr(std::string_view(kOptimPrefix).size()), t);
    else if (name == kEpochName)
      epoch = &t;
    else
      throw Error(fmt::format("training state {}: unexpected tensor \"{}\" (expected \"{}*\", "
                              "\"{}*\" and \"{}\")",
                              source, name, kModelPrefix, kOptimPrefix, kEpochName));
  }
  if (epoch == nullptr || epoch->numel() != 1)
    throw Error(fmt::format("training state {}: no one-element tensor \"{}\"", source, kEpochName));
  const float e = epoch->contiguous().data()[0];
  if (!(e >= 0) || e > float(std::numeric_limits<int>::max()) || e != std::floor(e))
    throw Error(fmt::format("training state {}: epochs done is {}, not a count", source, e));
  NamedTensors params_before;
  for (const auto& [name, p] : module.named_parameters()) params_before.emplace_back(name, p.value().clone());
  // The parameters are all checked before any is copied; the optimizer checks its tensors
  // while it loads them and may have taken some before it finds a bad one. So the model goes
  // first, and when the optimizer's part fails both are put back as they were.
  load_parameters(module, model, "training state " + source);
  const NamedTensors optim_before = optimizer.state();
  try {
    optimizer.load_state(optim);
  } catch (const Error& err) {
    for (auto& [name, p] : module.named_parameters())
      for (const auto& [n, t] : params_before)
        if (n == name) p.value().copy_(t);
    optimizer.load_state(optim_before);
    throw Error(fmt::format("training state {}: {}", source, err.what()));
  }
  return static_cast<int>(e);
}

}  // namespace ae::nn
