// Layout and drawing of a chart's frame. Sizes are in pixels for the default 900 x 600
// figure; text sizes are the font's pixel height.
#include "nn/viz/frame.hpp"

#include <algorithm>
#include <cmath>

#include "linalg/error.hpp"

namespace ae::viz {

namespace {

constexpr double kTitleSize = 20;
constexpr double kLabelSize = 16;
constexpr double kTickSize = 14;
constexpr double kLegendSize = 14;
constexpr double kNoteSize = 12;
constexpr int kTickLength = 5;
constexpr int kTickGap = 4;   // between a tick mark and its number
constexpr int kLabelGap = 8;  // between tick numbers and the axis label
constexpr int kEdge = 12;     // empty border round the figure
constexpr int kLegendRow = 22;
constexpr Color kLegendBorder{200, 200, 200};
constexpr Color kNoteColor{110, 110, 110};

double max_width(const std::vector<std::string>& texts, double size,
                 FontWeight weight = FontWeight::Regular) {
  double widest = 0;
  for (const auto& t : texts) widest = std::max(widest, text_width(t, size, weight));
  return widest;
}

Ticks ticks_for(const AxisOptions& axis, int target) {
  if (axis.log) return log_ticks(axis.lo, axis.hi, target);
  return linear_ticks(axis.lo, axis.hi, target, axis.integer ? 1.0 : 0.0);
}

// Fraction of the way from lo to hi, on a linear or log10 scale.
double axis_fraction(double value, double lo, double hi, bool log) {
  if (log) {
    if (!(value > 0)) return std::nan("");
    return (std::log10(value) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
  }
  return (value - lo) / (hi - lo);
}

void check_axis(const AxisOptions& axis, const std::string& who, const char* name) {
  const bool ok = std::isfinite(axis.lo) && std::isfinite(axis.hi) && axis.hi > axis.lo &&
                  (!axis.log || axis.lo > 0);
  if (!ok) {
    throw Error(who + ": bad " + name + " axis range [" + format_number(axis.lo) + ", " +
                format_number(axis.hi) + "]" + (axis.log ? " for a log scale" : ""));
  }
}

}  // namespace

double PlotGeometry::x_to_px(double x) const {
  return left + (right - left) * axis_fraction(x, x_lo, x_hi, false);
}

double PlotGeometry::y_to_px(double y) const {
  return bottom - (bottom - top) * axis_fraction(y, y_lo, y_hi, log_y);
}

AxisOptions padded_axis(const std::string& label, double lo, double hi, double fraction, bool log) {
  AxisOptions axis;
  axis.label = label;
  axis.log = log;
  if (log) {
    if (!(lo > 0 && std::isfinite(lo) && std::isfinite(hi) && hi >= lo)) {
      axis.lo = 1, axis.hi = 10;
    } else if (hi == lo) {
      axis.lo = lo / 2, axis.hi = hi * 2;
    } else {
      const double a = std::log10(lo), b = std::log10(hi), pad = (b - a) * fraction;
      axis.lo = std::pow(10.0, a - pad), axis.hi = std::pow(10.0, b + pad);
    }
    return axis;
  }
  if (!(std::isfinite(lo) && std::isfinite(hi) && hi >= lo)) {
    axis.lo = 0, axis.hi = 1;
  } else if (hi == lo) {
    axis.lo = lo - 1, axis.hi = hi + 1;
  } else {
    const double pad = (hi - lo) * fraction;
    axis.lo = lo - pad, axis.hi = hi + pad;
  }
  return axis;
}

PlotFrame::PlotFrame(FrameOptions options)
    : options_(std::move(options)), canvas_(options_.width, options_.height) {
  const auto& o = options_;
  check_axis(o.x, o.who, "x");
  check_axis(o.y, o.who, "y");
  if (o.y_right) check_axis(*o.y_right, o.who, "right y");

  // Vertical layout first: it fixes the plot height, which sets how many y ticks fit.
  const int top = o.title.empty() ? kEdge + 6 : kEdge + static_cast<int>(kTitleSize) + 16;
  const int bottom_margin = kEdge + kTickLength + kTickGap + static_cast<int>(kTickSize) +
                            (o.x.label.empty() ? 0 : kLabelGap + static_cast<int>(kLabelSize)) + 4;
  const int plot_height = o.height - top - bottom_margin;
  const int y_target = std::clamp(plot_height / 60, 3, 10);
  y_ticks_ = ticks_for(o.y, y_target);

  // Horizontal layout: the y tick numbers and label on the left; on the right, the second
  // axis and the legend.
  const int left = kEdge + (o.y.label.empty() ? 0 : static_cast<int>(kLabelSize) + kLabelGap) +
                   static_cast<int>(std::ceil(max_width(y_ticks_.labels, kTickSize))) + kTickGap +
                   kTickLength;
  int right_axis_width = 0;
  if (o.y_right) {
    right_ticks_ = ticks_for(*o.y_right, y_target);
    right_axis_width = kTickLength + kTickGap +
                       static_cast<int>(std::ceil(max_width(right_ticks_.labels, kTickSize))) +
                       (o.y_right->label.empty() ? 0 : kLabelGap + static_cast<int>(kLabelSize));
  }
  int legend_width = 0;
  if (!o.legend.empty()) legend_width = 16 + static_cast<int>(std::ceil(legend_box_width()));
  // Without a second axis, keep room for half of the last x tick number.
  const int right_margin = kEdge + std::max(right_axis_width + legend_width, 18);
  const int right = o.width - right_margin;
  const int bottom = o.height - bottom_margin;
  if (right - left < 50 || bottom - top < 50) {
    throw Error(o.who + ": the figure (" + std::to_string(o.width) + "x" +
                std::to_string(o.height) +
                ") leaves no room for the plot beside its labels and legend");
  }
  legend_left_ = right + right_axis_width + 16;

  geometry_.width = o.width;
  geometry_.height = o.height;
  geometry_.left = left;
  geometry_.top = top;
  geometry_.right = right;
  geometry_.bottom = bottom;
  geometry_.x_lo = o.x.lo;
  geometry_.x_hi = o.x.hi;
  geometry_.y_lo = o.y.lo;
  geometry_.y_hi = o.y.hi;
  geometry_.log_y = o.y.log;

  // x ticks: as many as fit with their numbers clear of each other.
  for (int target = std::clamp((right - left) / 100, 3, 12);; --target) {
    x_ticks_ = ticks_for(o.x, target);
    const double widest = max_width(x_ticks_.labels, kTickSize);
    const double spacing = x_ticks_.values.size() >= 2 ? geometry_.x_to_px(x_ticks_.values[1]) -
                                                             geometry_.x_to_px(x_ticks_.values[0])
                                                       : 1e9;
    if (spacing >= widest + 14 || target <= 2) break;
  }

  // Grid lines go under the data.
  for (double v : x_ticks_.values) {
    const double px = std::floor(geometry_.x_to_px(v));
    canvas_.fill_rect(px, top, px + 1, bottom, kGrid);
  }
  for (double v : y_ticks_.values) {
    const double py = std::floor(geometry_.y_to_px(v));
    canvas_.fill_rect(left, py, right, py + 1, kGrid);
  }
}

double PlotFrame::y_right_to_px(double value) const {
  if (!options_.y_right) throw Error(options_.who + ": this chart has no right-hand axis");
  const auto& axis = *options_.y_right;
  const auto& g = geometry_;
  return g.bottom - (g.bottom - g.top) * axis_fraction(value, axis.lo, axis.hi, axis.log);
}

void PlotFrame::finish() {
  const auto& o = options_;
  const auto& g = geometry_;
  const int w = o.width, h = o.height;

  // Clear the margins: whatever the data drew beyond the plot area goes.
  canvas_.fill_rect(0, 0, w, g.top, kWhite);
  canvas_.fill_rect(0, g.bottom, w, h, kWhite);
  canvas_.fill_rect(0, g.top, g.left, g.bottom, kWhite);
  canvas_.fill_rect(g.right, g.top, w, g.bottom, kWhite);

  // The frame, one pixel outside the plot area.
  canvas_.fill_rect(g.left - 1, g.top - 1, g.right + 1, g.top, kAxis);
  canvas_.fill_rect(g.left - 1, g.bottom, g.right + 1, g.bottom + 1, kAxis);
  canvas_.fill_rect(g.left - 1, g.top - 1, g.left, g.bottom + 1, kAxis);
  canvas_.fill_rect(g.right, g.top - 1, g.right + 1, g.bottom + 1, kAxis);

  // x ticks and numbers below the frame.
  for (size_t i = 0; i < x_ticks_.values.size(); ++i) {
    const double px = std::floor(g.x_to_px(x_ticks_.values[i]));
    canvas_.fill_rect(px, g.bottom + 1, px + 1, g.bottom + 1 + kTickLength, kAxis);
    canvas_.draw_text(x_ticks_.labels[i], px + 0.5, g.bottom + 1 + kTickLength + kTickGap,
                      kTickSize, kText, Align::Center, Align::Start);
  }
  // y ticks and numbers left of the frame.
  for (size_t i = 0; i < y_ticks_.values.size(); ++i) {
    const double py = std::floor(g.y_to_px(y_ticks_.values[i]));
    canvas_.fill_rect(g.left - 1 - kTickLength, py, g.left - 1, py + 1, kAxis);
    canvas_.draw_text(y_ticks_.labels[i], g.left - 1 - kTickLength - kTickGap, py + 0.5, kTickSize,
                      kText, Align::End, Align::Center);
  }
  // The second axis, mirrored on the right.
  if (o.y_right) {
    for (size_t i = 0; i < right_ticks_.values.size(); ++i) {
      const double py = std::floor(y_right_to_px(right_ticks_.values[i]));
      canvas_.fill_rect(g.right + 1, py, g.right + 1 + kTickLength, py + 1, kAxis);
      canvas_.draw_text(right_ticks_.labels[i], g.right + 1 + kTickLength + kTickGap, py + 0.5,
                        kTickSize, kText, Align::Start, Align::Center);
    }
    if (!o.y_right->label.empty()) {
      const double x = g.right + 1 + kTickLength + kTickGap +
                       max_width(right_ticks_.labels, kTickSize) + kLabelGap + kLabelSize / 2;
      canvas_.draw_text(o.y_right->label, x, (g.top + g.bottom) / 2, kLabelSize, kText,
                        Align::Center, Align::Center, FontWeight::Regular, /*vertical=*/true);
    }
  }

  // Axis labels.
  if (!o.x.label.empty()) {
    canvas_.draw_text(o.x.label, (g.left + g.right) / 2, h - kEdge - 4, kLabelSize, kText,
                      Align::Center, Align::End);
  }
  if (!o.y.label.empty()) {
    canvas_.draw_text(o.y.label, kEdge + kLabelSize / 2, (g.top + g.bottom) / 2, kLabelSize, kText,
                      Align::Center, Align::Center, FontWeight::Regular, /*vertical=*/true);
  }
  // The title over the plot area, or over the whole figure when it is wider than that.
  if (!o.title.empty()) {
    const double title_width = text_width(o.title, kTitleSize, FontWeight::Bold);
    const double centre = title_width <= g.right - g.left ? (g.left + g.right) / 2 : w / 2.0;
    canvas_.draw_text(o.title, centre, kEdge, kTitleSize, kText, Align::Center, Align::Start,
                      FontWeight::Bold);
  }
  draw_legend();

  // Notes, bottom right, one above the other.
  double y = h - 4;
  for (auto it = notes_.rbegin(); it != notes_.rend(); ++it) {
    canvas_.draw_text(*it, w - 6, y, kNoteSize, kNoteColor, Align::End, Align::End);
    y -= kNoteSize + 3;
  }
}

// A marker 20 pixels wide with 10 pixels before it and 8 after, the longest name, 10 more.
double PlotFrame::legend_box_width() const {
  std::vector<std::string> names;
  for (const auto& e : options_.legend) names.push_back(e.name);
  return 10 + 20 + 8 + std::ceil(max_width(names, kLegendSize)) + 10;
}

void PlotFrame::draw_legend() {
  const auto& entries = options_.legend;
  if (entries.empty()) return;
  const auto& g = geometry_;
  const double x0 = legend_left_;
  const double box_width = legend_box_width();
  const double box_height = 8 + kLegendRow * static_cast<double>(entries.size()) + 4;
  const double y0 = g.top;
  canvas_.fill_rect(x0, y0, x0 + box_width, y0 + box_height, kWhite);
  canvas_.fill_rect(x0, y0, x0 + box_width, y0 + 1, kLegendBorder);
  canvas_.fill_rect(x0, y0 + box_height - 1, x0 + box_width, y0 + box_height, kLegendBorder);
  canvas_.fill_rect(x0, y0, x0 + 1, y0 + box_height, kLegendBorder);
  canvas_.fill_rect(x0 + box_width - 1, y0, x0 + box_width, y0 + box_height, kLegendBorder);
  for (size_t i = 0; i < entries.size(); ++i) {
    const double cy = y0 + 8 + kLegendRow * (i + 0.5);
    const double mx = x0 + 10;  // the marker spans [mx, mx + 20]
    switch (entries[i].marker) {
      case LegendMarker::Dot: canvas_.fill_circle(mx + 10, cy, 5, entries[i].color); break;
      case LegendMarker::Line: canvas_.draw_line(mx, cy, mx + 20, cy, entries[i].color, 2.5); break;
      case LegendMarker::Box:
        canvas_.fill_rect(mx + 3, cy - 7, mx + 17, cy + 7, entries[i].color);
        break;
    }
    canvas_.draw_text(entries[i].name, mx + 28, cy, kLegendSize, kText, Align::Start,
                      Align::Center);
  }
}

}  // namespace ae::viz
