#pragma once
// ae::Error — the one exception type of aelab.
//
// It lives in linalg/, the lowest layer, so that every layer above can throw it.
// A message always names what is at fault: the op and the shapes, the file and
// the byte offset, the option and its bad value.
#include <stdexcept>
#include <string>

namespace ae {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace ae
