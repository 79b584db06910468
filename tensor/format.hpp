#pragma once
// Printing tensors, NumPy-like:
//
//   tensor([[1.0000, 2.0000],
//           [3.0000, 4.0000]])
//
// Values have 4 decimals, right-aligned to a common width; scientific notation
// (1.0000e-05) when some non-zero value is below 1e-4 or at least 1e8 in magnitude. A tensor
// of more than 1000 elements is elided: 3 entries from each end of every axis with "..."
// between, and its shape appended: tensor([...], shape=[2000, 3]). Empty tensors print as
// tensor([], shape=[0, 3]).
#include <fmt/format.h>

#include <ostream>
#include <string>
#include <string_view>

#include "tensor/tensor.hpp"

namespace ae {

std::string to_string(const Tensor& t);
/// The same text, so test frameworks and streams print tensors readably.
std::ostream& operator<<(std::ostream& os, const Tensor& t);

}  // namespace ae

namespace fmt {
/// fmt::format("{}", tensor); width and alignment specs apply to the whole text.
template <>
struct formatter<ae::Tensor> : formatter<std::string_view> {
  template <class FormatContext>
  auto format(const ae::Tensor& t, FormatContext& ctx) const {
    return formatter<std::string_view>::format(ae::to_string(t), ctx);
  }
};
}  // namespace fmt
