// Line plots, e.g. loss curves per epoch.
#include <algorithm>
#include <cmath>
#include <limits>

#include "linalg/error.hpp"
#include "nn/viz/plots.hpp"

namespace ae::viz {

PlotGeometry line_plot(const std::filesystem::path& path, const std::vector<Series>& series,
                       const std::string& title, const std::string& xlabel,
                       const std::string& ylabel, bool log_y) {
  const std::string who = "line_plot";
  // Empty xs means 1..n; fill them in once so that everything below sees explicit xs.
  std::vector<std::vector<double>> xs(series.size());
  for (size_t s = 0; s < series.size(); ++s) {
    const Series& line = series[s];
    if (line.xs.empty()) {
      for (size_t i = 0; i < line.ys.size(); ++i) xs[s].push_back(static_cast<double>(i + 1));
    } else if (line.xs.size() != line.ys.size()) {
      throw Error(who + ": series \"" + line.name + "\" has " + std::to_string(line.xs.size()) +
                  " x values but " + std::to_string(line.ys.size()) + " y values");
    } else {
      xs[s] = line.xs;
    }
  }

  // A point is drawable when both coordinates are finite and, on a log scale, y > 0.
  auto drawable = [&](double x, double y) {
    return std::isfinite(x) && std::isfinite(y) && (!log_y || y > 0);
  };
  double x_min = std::numeric_limits<double>::infinity(), x_max = -x_min;
  double y_min = x_min, y_max = -x_min;
  size_t not_finite = 0, not_positive = 0;
  for (size_t s = 0; s < series.size(); ++s) {
    for (size_t i = 0; i < xs[s].size(); ++i) {
      const double x = xs[s][i], y = series[s].ys[i];
      if (!drawable(x, y)) {
        ++(std::isfinite(x) && std::isfinite(y) ? not_positive : not_finite);
        continue;
      }
      x_min = std::min(x_min, x), x_max = std::max(x_max, x);
      y_min = std::min(y_min, y), y_max = std::max(y_max, y);
    }
  }

  FrameOptions options;
  options.title = title;
  options.x = padded_axis(xlabel, x_min, x_max, 0.02, false);
  // Implicit xs count epochs: no ticks between them.
  options.x.integer =
      std::all_of(series.begin(), series.end(), [](const Series& s) { return s.xs.empty(); });
  options.y = padded_axis(ylabel, y_min, y_max, 0.05, log_y);
  options.who = who;
  for (size_t s = 0; s < series.size(); ++s) {
    if (!series[s].name.empty()) {
      options.legend.push_back(
          {series[s].name, class_color(static_cast<int>(s)), LegendMarker::Line});
    }
  }
  PlotFrame frame(std::move(options));
  const PlotGeometry& g = frame.geometry();
  Canvas& canvas = frame.canvas();

  for (size_t s = 0; s < series.size(); ++s) {
    const Color color = class_color(static_cast<int>(s));
    const auto& ys = series[s].ys;
    // A segment joins two neighbouring drawable points; a point that is not drawable
    // breaks the line there.
    for (size_t i = 1; i < xs[s].size(); ++i) {
      if (drawable(xs[s][i - 1], ys[i - 1]) && drawable(xs[s][i], ys[i])) {
        canvas.draw_line(g.x_to_px(xs[s][i - 1]), g.y_to_px(ys[i - 1]), g.x_to_px(xs[s][i]),
                         g.y_to_px(ys[i]), color, 2.0);
      }
    }
    if (xs[s].size() <= 40) {
      for (size_t i = 0; i < xs[s].size(); ++i) {
        if (drawable(xs[s][i], ys[i])) {
          canvas.fill_circle(g.x_to_px(xs[s][i]), g.y_to_px(ys[i]), 3.5, color);
        }
      }
    }
  }
  if (not_finite > 0) {
    frame.add_note(std::to_string(not_finite) + " points are NaN or infinite and are not shown");
  }
  if (not_positive > 0) {
    frame.add_note(std::to_string(not_positive) +
                   " points are <= 0 and cannot be shown on the log scale");
  }
  frame.finish();
  frame.save(path);
  return g;
}

}  // namespace ae::viz
