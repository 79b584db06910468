// Bar charts, e.g. a spectrum of eigenvalues with its cumulative share.
#include <algorithm>
#include <cmath>

#include "linalg/error.hpp"
#include "nn/viz/plots.hpp"

namespace ae::viz {

PlotGeometry bar_chart(const std::filesystem::path& path, const std::vector<double>& values,
                       const std::string& title, const std::string& xlabel,
                       const std::string& ylabel, bool cumulative_line) {
  const std::string who = "bar_chart";
  double lowest = 0, highest = 0, total = 0;
  size_t not_finite = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    const double v = values[i];
    if (!std::isfinite(v)) {
      ++not_finite;
      continue;
    }
    if (cumulative_line && v < 0) {
      throw Error(who + ": the cumulative line needs non-negative values, but value " +
                  std::to_string(i) + " is " + format_number(v));
    }
    lowest = std::min(lowest, v), highest = std::max(highest, v);
    total += v;
  }
  const size_t n = values.size();

  FrameOptions options;
  options.title = title;
  // Bar k (1-based) stands on [k - 0.5, k + 0.5]; y starts at 0 (or the lowest negative
  // value) so that bar heights compare honestly.
  options.x = {xlabel, 0.5, static_cast<double>(std::max<size_t>(n, 1)) + 0.5, false,
               /*integer=*/true};
  options.y = padded_axis(ylabel, lowest, highest, 0.05, false);
  if (lowest == 0 && highest > 0) options.y.lo = 0;
  if (lowest < 0 && highest == 0) options.y.hi = 0;
  options.who = who;
  const bool with_line = cumulative_line && total > 0;
  if (with_line) {
    // Up to 105% so that the line's end at 100% does not run along the frame.
    options.y_right = AxisOptions{"cumulative share (%)", 0, 105, false};
    options.legend = {{ylabel.empty() ? "value" : ylabel, class_color(0), LegendMarker::Box},
                      {"cumulative %", class_color(1), LegendMarker::Line}};
  }
  PlotFrame frame(std::move(options));
  const PlotGeometry& g = frame.geometry();
  Canvas& canvas = frame.canvas();

  // Bars fill 80% of their slot; when slots are thinner than 4 pixels, gaps would be
  // sub-pixel noise, so bars then fill the whole slot.
  const double slot = (g.right - g.left) / std::max<double>(static_cast<double>(n), 1.0);
  const double fill = slot >= 4 ? 0.8 : 1.0;
  const double zero = g.y_to_px(0.0);
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(values[i])) continue;
    const double centre = g.x_to_px(static_cast<double>(i + 1));
    canvas.fill_rect(centre - slot * fill / 2, g.y_to_px(values[i]), centre + slot * fill / 2, zero,
                     class_color(0));
  }
  if (with_line) {
    const Color color = class_color(1);
    double running = 0, previous_x = 0, previous_y = 0;
    bool has_previous = false;
    for (size_t i = 0; i < n; ++i) {
      if (!std::isfinite(values[i])) continue;
      running += values[i];
      const double x = g.x_to_px(static_cast<double>(i + 1));
      const double y = frame.y_right_to_px(100.0 * running / total);
      if (has_previous) canvas.draw_line(previous_x, previous_y, x, y, color, 2.0);
      if (n <= 40) canvas.fill_circle(x, y, 3.5, color);
      previous_x = x, previous_y = y, has_previous = true;
    }
  }
  if (not_finite > 0) {
    frame.add_note(std::to_string(not_finite) + " values are NaN or infinite and are not drawn");
  }
  frame.finish();
  frame.save(path);
  return g;
}

}  // namespace ae::viz
