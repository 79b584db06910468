// NumPy-like text for tensors (see tensor/format.hpp for the rules).
#include "tensor/format.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace ae {

namespace {

constexpr int64_t kElideAbove = 1000;  // elements
constexpr int64_t kEdgeItems = 3;      // shown at each end of an elided axis
constexpr std::size_t kIndent = 7;     // the width of "tensor("

// The positions shown along an axis of this size; -1 marks the "...".
std::vector<int64_t> shown_positions(int64_t size, bool elide) {
  std::vector<int64_t> pos;
  if (elide && size > 2 * kEdgeItems) {
    for (int64_t i = 0; i < kEdgeItems; ++i) pos.push_back(i);
    pos.push_back(-1);
    for (int64_t i = size - kEdgeItems; i < size; ++i) pos.push_back(i);
  } else {
    for (int64_t i = 0; i < size; ++i) pos.push_back(i);
  }
  return pos;
}

std::string format_value(float v, bool scientific) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return scientific ? fmt::format("{:.4e}", v) : fmt::format("{:.4f}", v);
}

class Printer {
 public:
  Printer(const Tensor& t, bool elide)
      : values_(t.contiguous()), elide_(elide), strides_(contiguous_strides(t.shape())) {
    collect(0, 0);
    bool scientific = false;
    for (int64_t at : shown_) {
      const float v = std::fabs(values_.data()[at]);
      if (std::isfinite(v) && v != 0.0f && (v < 1e-4f || v >= 1e8f)) scientific = true;
    }
    for (int64_t at : shown_) {
      cells_.push_back(format_value(values_.data()[at], scientific));
      width_ = std::max(width_, cells_.back().size());
    }
  }

  std::string text() {
    std::string out;
    next_cell_ = 0;
    emit(out, 0);
    return out;
  }

 private:
  // The flat positions of the shown elements, in printing order.
  void collect(std::size_t d, int64_t at) {
    if (d == values_.shape().size()) {
      shown_.push_back(at);
      return;
    }
    for (int64_t i : shown_positions(values_.shape()[d], elide_))
      if (i >= 0) collect(d + 1, at + i * strides_[d]);
  }

  void emit(std::string& out, std::size_t d) {
    const std::size_t dim = values_.shape().size();
    if (d == dim) {
      const std::string& cell = cells_[next_cell_++];
      out.append(width_ - cell.size(), ' ');
      out += cell;
      return;
    }
    out += '[';
    bool first = true;
    for (int64_t i : shown_positions(values_.shape()[d], elide_)) {
      if (!first) {
        // Between numbers ", "; between sub-arrays a line break, plus one blank line per
        // axis below the rows (as NumPy separates the 2-D blocks of a 3-D array).
        if (d + 1 == dim) out += ", ";
        else out += "," + std::string(dim - d - 1, '\n') + std::string(kIndent + d + 1, ' ');
      }
      first = false;
      if (i < 0) out += "...";
      else emit(out, d + 1);
    }
    out += ']';
  }

  Tensor values_;
  bool elide_;
  Strides strides_;
  std::vector<int64_t> shown_;
  std::vector<std::string> cells_;
  std::size_t width_ = 0;
  std::size_t next_cell_ = 0;
};

}  // namespace

std::string to_string(const Tensor& t) {
  if (!t.defined()) return "tensor(undefined)";
  if (t.numel() == 0) return "tensor([], shape=" + to_string(t.shape()) + ")";
  const bool elide = t.numel() > kElideAbove;
  std::string out = "tensor(" + Printer(t, elide).text();
  if (elide) out += ", shape=" + to_string(t.shape());
  return out + ")";
}

std::ostream& operator<<(std::ostream& os, const Tensor& t) { return os << to_string(t); }

}  // namespace ae
