#include "exercises/common/wire.hpp"

#include <bit>
#include <cstring>

#include <fmt/core.h>

#include "tensor/ops.hpp"

namespace ae::exercises {

static_assert(std::endian::native == std::endian::little, "the wire format is little-endian");

Message& Message::set(const std::string& name, Value value) {
  values_[name] = std::move(value);
  return *this;
}

const Value& Message::get(const std::string& name, const char* type) const {
  const auto it = values_.find(name);
  if (it == values_.end()) throw Error(fmt::format("{}: no {} '{}'", what, type, name));
  return it->second;
}

const Tensor& Message::tensor(const std::string& name) const {
  const Value& v = get(name, "tensor");
  if (const auto* t = std::get_if<Tensor>(&v)) return *t;
  throw Error(fmt::format("{}: '{}' is not a tensor", what, name));
}

int64_t Message::integer(const std::string& name) const {
  const Value& v = get(name, "integer");
  if (const auto* i = std::get_if<int64_t>(&v)) return *i;
  throw Error(fmt::format("{}: '{}' is not an integer", what, name));
}

double Message::real(const std::string& name) const {
  const Value& v = get(name, "number");
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  throw Error(fmt::format("{}: '{}' is not a number", what, name));
}

const std::string& Message::text(const std::string& name) const {
  const Value& v = get(name, "string");
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  throw Error(fmt::format("{}: '{}' is not a string", what, name));
}

namespace {

template <typename T>
void put(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

void put_string(std::string& out, const std::string& s) {
  if (s.size() > kMaxPayload) throw Error(fmt::format("wire: a string of {} bytes is too long", s.size()));
  put<uint32_t>(out, static_cast<uint32_t>(s.size()));
  out += s;
}

/// Reads a payload front to back; every read checks that the bytes are there.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}

  template <typename T>
  T get(const char* what) {
    need(sizeof(T), what);
    T value;
    std::memcpy(&value, data_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return value;
  }

  std::string get_string(const char* what) {
    const auto n = get<uint32_t>(what);
    need(n, what);
    std::string s(data_.substr(pos_, n));
    pos_ += n;
    return s;
  }

  void need(uint64_t n, const char* what) const {
    if (n > data_.size() - pos_)
      throw Error(fmt::format("wire: truncated {} (needs {} bytes at offset {}, the payload has {})",
                              what, n, pos_, data_.size()));
  }

  const char* here() const { return data_.data() + pos_; }
  void skip(uint64_t n) { pos_ += n; }
  bool done() const { return pos_ == data_.size(); }
  size_t left() const { return data_.size() - pos_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

}  // namespace

std::string encode_payload(const Frame& frame) {
  std::string out;
  out += static_cast<char>(frame.kind);
  put_string(out, frame.head);
  put<uint32_t>(out, static_cast<uint32_t>(frame.body.values().size()));
  for (const auto& [name, value] : frame.body.values()) {
    put_string(out, name);
    if (const auto* t = std::get_if<Tensor>(&value)) {
      if (!t->defined()) throw Error(fmt::format("wire: tensor '{}' is undefined", name));
      out += 'T';
      put<uint32_t>(out, static_cast<uint32_t>(t->dim()));
      for (int64_t d : t->shape()) put<int64_t>(out, d);
      const std::vector<float> data = t->contiguous().to_vector();
      if (!data.empty()) out.append(reinterpret_cast<const char*>(data.data()), data.size() * sizeof(float));
    } else if (const auto* i = std::get_if<int64_t>(&value)) {
      out += 'I';
      put<int64_t>(out, *i);
    } else if (const auto* d = std::get_if<double>(&value)) {
      out += 'D';
      put<double>(out, *d);
    } else {
      out += 'S';
      put_string(out, std::get<std::string>(value));
    }
  }
  if (out.size() > kMaxPayload)
    throw Error(fmt::format("wire: a payload of {} bytes is above the limit of {}", out.size(), kMaxPayload));
  return out;
}

Frame decode_payload(std::string_view payload) {
  Reader in(payload);
  Frame frame;
  const char kind = in.get<char>("kind");
  if (kind != 'Q' && kind != 'R' && kind != 'E')
    throw Error(fmt::format("wire: unknown frame kind byte {}", static_cast<int>(kind)));
  frame.kind = static_cast<FrameKind>(kind);
  frame.head = in.get_string("head");
  const auto count = in.get<uint32_t>("value count");
  for (uint32_t i = 0; i < count; ++i) {
    std::string name = in.get_string("value name");
    if (frame.body.has(name)) throw Error(fmt::format("wire: value '{}' appears twice", name));
    const char type = in.get<char>("value type");
    switch (type) {
      case 'T': {
        const auto ndim = in.get<uint32_t>("tensor rank");
        if (ndim > 8) throw Error(fmt::format("wire: tensor '{}' has rank {} (at most 8)", name, ndim));
        Shape shape;
        uint64_t numel = 1;
        for (uint32_t k = 0; k < ndim; ++k) {
          const auto d = in.get<int64_t>("tensor shape");
          if (d < 0 || static_cast<uint64_t>(d) > kMaxPayload)
            throw Error(fmt::format("wire: tensor '{}' has a dimension of {}", name, d));
          shape.push_back(d);
          numel *= static_cast<uint64_t>(d);
          if (numel > kMaxPayload) throw Error(fmt::format("wire: tensor '{}' is too large", name));
        }
        in.need(numel * sizeof(float), "tensor data");
        std::vector<float> data(numel);
        if (numel > 0) std::memcpy(data.data(), in.here(), numel * sizeof(float));
        in.skip(numel * sizeof(float));
        frame.body.set(name, tensor::from_vector(data, shape));
        break;
      }
      case 'I': frame.body.set(name, in.get<int64_t>("integer")); break;
      case 'D': frame.body.set(name, in.get<double>("double")); break;
      case 'S': frame.body.set(name, in.get_string("string")); break;
      default:
        throw Error(fmt::format("wire: value '{}' has unknown type byte {}", name, static_cast<int>(type)));
    }
  }
  if (!in.done()) throw Error(fmt::format("wire: {} bytes after the last value", in.left()));
  return frame;
}

std::string encode_frame(const Frame& frame) {
  const std::string payload = encode_payload(frame);
  std::string out(kMagic);
  put<uint32_t>(out, static_cast<uint32_t>(payload.size()));
  return out + payload;
}

}  // namespace ae::exercises
