#pragma once
// The messages between a graded test and the student runner (exercises/README.md, "The
// grader"): a request names a function and carries named inputs, a reply carries named
// outputs or an error message. Values are tensors, integers, doubles and strings.
//
// On the pipe a message is a frame:
//   "AEX1"  uint32 payload length  payload
// and the payload, all integers little-endian:
//   kind (1 byte: 'Q' request, 'R' reply, 'E' error)  string (function or error text)
//   uint32 count, then count times: string name, 1 byte type, value
//     'T' tensor: uint32 ndim, int64 dims[ndim], float32 data[numel] (row-major)
//     'I' int64     'D' float64     'S' string
//   string = uint32 length, bytes
// A frame that does not parse exactly (bad magic, truncated, trailing bytes, a shape whose
// size disagrees with the data) is rejected with an ae::Error saying what was wrong.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>

#include "tensor/tensor.hpp"

namespace ae::exercises {

using Value = std::variant<Tensor, int64_t, double, std::string>;

/// Named values; `what` names the message in errors ("reply of covariance").
class Message {
 public:
  Message() = default;
  Message(std::initializer_list<std::pair<const std::string, Value>> values) : values_(values) {}

  Message& set(const std::string& name, Value value);
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  const std::map<std::string, Value>& values() const { return values_; }

  /// The value `name` of the given type; ae::Error naming `name` and `what` when it is
  /// missing or of another type.
  const Tensor& tensor(const std::string& name) const;
  int64_t integer(const std::string& name) const;
  double real(const std::string& name) const;  ///< a double, or an integer converted
  const std::string& text(const std::string& name) const;

  std::string what = "message";

 private:
  const Value& get(const std::string& name, const char* type) const;
  std::map<std::string, Value> values_;
};

enum class FrameKind : char { request = 'Q', reply = 'R', error = 'E' };

struct Frame {
  FrameKind kind = FrameKind::request;
  std::string head;  ///< the function (request) or the error message (error); empty in a reply
  Message body;
};

constexpr std::string_view kMagic = "AEX1";
/// Frames above this are refused before their payload is read (a runner cannot make its
/// test allocate without bound).
constexpr uint32_t kMaxPayload = 1u << 30;

/// The payload of a frame (without magic and length).
std::string encode_payload(const Frame& frame);
/// Parses a payload; throws ae::Error on anything malformed.
Frame decode_payload(std::string_view payload);
/// Magic + length + payload.
std::string encode_frame(const Frame& frame);

}  // namespace ae::exercises
