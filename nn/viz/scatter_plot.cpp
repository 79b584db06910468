// Scatter plots of 2-D codes, coloured by class.
#include <algorithm>
#include <cmath>
#include <limits>

#include "linalg/error.hpp"
#include "nn/viz/plots.hpp"

namespace ae::viz {

PlotGeometry scatter_plot(const std::filesystem::path& path, std::span<const float> xs,
                          std::span<const float> ys, std::span<const int> labels,
                          const std::vector<std::string>& class_names, const std::string& title,
                          const std::string& xlabel, const std::string& ylabel) {
  const std::string who = "scatter_plot";
  if (xs.size() != ys.size()) {
    throw Error(who + ": " + std::to_string(xs.size()) + " x values but " +
                std::to_string(ys.size()) + " y values");
  }
  if (!labels.empty() && labels.size() != xs.size()) {
    throw Error(who + ": " + std::to_string(labels.size()) + " labels for " +
                std::to_string(xs.size()) + " points");
  }
  int num_classes = static_cast<int>(class_names.size());
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] < 0) {
      throw Error(who + ": label " + std::to_string(labels[i]) + " of point " + std::to_string(i) +
                  " is negative");
    }
    num_classes = std::max(num_classes, labels[i] + 1);
  }

  // The range of the finite points.
  double x_min = std::numeric_limits<double>::infinity(), x_max = -x_min;
  double y_min = x_min, y_max = -x_min;
  size_t not_finite = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) {
      ++not_finite;
      continue;
    }
    x_min = std::min<double>(x_min, xs[i]), x_max = std::max<double>(x_max, xs[i]);
    y_min = std::min<double>(y_min, ys[i]), y_max = std::max<double>(y_max, ys[i]);
  }

  FrameOptions options;
  options.width = 900;
  options.height = 700;
  options.title = title;
  options.x = padded_axis(xlabel, x_min, x_max, 0.04, false);
  options.y = padded_axis(ylabel, y_min, y_max, 0.04, false);
  options.who = who;
  if (!labels.empty()) {
    for (int c = 0; c < num_classes; ++c) {
      const std::string name =
          c < static_cast<int>(class_names.size()) ? class_names[c] : std::to_string(c);
      options.legend.push_back({name, class_color(c), LegendMarker::Dot});
    }
  }
  PlotFrame frame(std::move(options));

  // Dots shrink and turn translucent as their number grows, so dense clusters show their
  // density instead of a solid blot.
  const size_t n = xs.size();
  const double radius = n <= 1000 ? 3.5 : n <= 20000 ? 2.2 : 1.5;
  const double alpha = n <= 1000 ? 1.0 : n <= 20000 ? 0.75 : 0.5;
  const PlotGeometry& g = frame.geometry();
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) continue;
    const Color color = labels.empty() ? class_color(0) : class_color(labels[i]);
    frame.canvas().fill_circle(g.x_to_px(xs[i]), g.y_to_px(ys[i]), radius, color, alpha);
  }
  if (not_finite > 0) {
    frame.add_note(std::to_string(not_finite) + " of " + std::to_string(n) +
                   " points have NaN or infinite coordinates and are not shown");
  }
  frame.finish();
  frame.save(path);
  return g;
}

}  // namespace ae::viz
