// Quiver plots: a vector field as arrows, on axes with one scale for x and y.
#include <algorithm>
#include <cmath>
#include <limits>

#include "linalg/error.hpp"
#include "nn/viz/quiver.hpp"

namespace ae::viz {

void draw_arrow(Canvas& canvas, double x0, double y0, double x1, double y1, Color color, double width,
                double head) {
  const double dx = x1 - x0, dy = y1 - y0, length = std::hypot(dx, dy);
  if (length < 1.0) {
    canvas.fill_circle(x0, y0, width, color);
    return;
  }
  canvas.draw_line(x0, y0, x1, y1, color, width);
  // The head's strokes run back from the tip, turned ±25° from the reversed shaft.
  const double h = std::min(head, 0.4 * length), ux = -dx / length, uy = -dy / length;
  const double turn = 25.0 * std::acos(-1.0) / 180.0, c = std::cos(turn), s = std::sin(turn);
  for (const double sign : {1.0, -1.0}) {
    const double hx = ux * c - sign * uy * s, hy = sign * ux * s + uy * c;
    canvas.draw_line(x1, y1, x1 + h * hx, y1 + h * hy, color, width);
  }
}

PlotGeometry quiver_plot(const std::filesystem::path& path, const std::vector<Arrow>& arrows,
                         std::span<const float> points_x, std::span<const float> points_y,
                         const std::string& title, const std::string& xlabel, const std::string& ylabel,
                         const QuiverOptions& options) {
  const std::string who = "quiver_plot";
  if (points_x.size() != points_y.size())
    throw Error(who + ": " + std::to_string(points_x.size()) + " point x values but " +
                std::to_string(points_y.size()) + " y values");
  if (!(options.scale > 0) || !std::isfinite(options.scale))
    throw Error(who + ": scale must be finite and > 0, got " + std::to_string(options.scale));

  // The range of everything drawn: background points, tails and tips.
  double x_min = std::numeric_limits<double>::infinity(), x_max = -x_min, y_min = x_min, y_max = -x_min;
  auto include = [&](double x, double y) {
    x_min = std::min(x_min, x), x_max = std::max(x_max, x);
    y_min = std::min(y_min, y), y_max = std::max(y_max, y);
  };
  auto finite_arrow = [](const Arrow& a) {
    return std::isfinite(a.x) && std::isfinite(a.y) && std::isfinite(a.dx) && std::isfinite(a.dy);
  };
  size_t skipped_points = 0, skipped_arrows = 0;
  for (size_t i = 0; i < points_x.size(); ++i) {
    if (std::isfinite(points_x[i]) && std::isfinite(points_y[i]))
      include(points_x[i], points_y[i]);
    else
      ++skipped_points;
  }
  for (const Arrow& a : arrows) {
    if (!finite_arrow(a)) {
      ++skipped_arrows;
      continue;
    }
    include(a.x, a.y);
    include(a.x + options.scale * a.dx, a.y + options.scale * a.dy);
  }

  const Color arrow_color = class_color(0), point_color{150, 150, 150};
  FrameOptions frame_options;
  frame_options.width = 820;
  frame_options.height = 760;
  frame_options.title = title;
  frame_options.x = padded_axis(xlabel, x_min, x_max, 0.04, false);
  frame_options.y = padded_axis(ylabel, y_min, y_max, 0.04, false);
  frame_options.who = who;
  if (!options.arrows.empty()) frame_options.legend.push_back({options.arrows, arrow_color, LegendMarker::Line});
  if (!options.points.empty() && !points_x.empty())
    frame_options.legend.push_back({options.points, point_color, LegendMarker::Dot});

  // One scale for both axes: widen the range of the axis with more pixels per unit until
  // the two agree. Laying the frame out tells the plot area's size in pixels; a wider range
  // can change the tick labels and with them the margins, so repeat until it settles.
  for (int pass = 0; pass < 6; ++pass) {
    const PlotGeometry trial = PlotFrame(frame_options).geometry();
    const double px_per_x = (trial.right - trial.left) / (frame_options.x.hi - frame_options.x.lo);
    const double px_per_y = (trial.bottom - trial.top) / (frame_options.y.hi - frame_options.y.lo);
    const double ratio = std::max(px_per_x, px_per_y) / std::min(px_per_x, px_per_y);
    if (ratio < 1 + 1e-12) break;
    AxisOptions& widen = px_per_x > px_per_y ? frame_options.x : frame_options.y;
    const double centre = 0.5 * (widen.lo + widen.hi), half = 0.5 * (widen.hi - widen.lo) * ratio;
    widen.lo = centre - half, widen.hi = centre + half;
  }
  PlotFrame frame(std::move(frame_options));
  const PlotGeometry& g = frame.geometry();
  Canvas& canvas = frame.canvas();

  const double dot = points_x.size() <= 2000 ? 2.5 : 1.5;
  for (size_t i = 0; i < points_x.size(); ++i)
    if (std::isfinite(points_x[i]) && std::isfinite(points_y[i]))
      canvas.fill_circle(g.x_to_px(points_x[i]), g.y_to_px(points_y[i]), dot, point_color, 0.8);
  for (const Arrow& a : arrows) {
    if (!finite_arrow(a)) continue;
    draw_arrow(canvas, g.x_to_px(a.x), g.y_to_px(a.y), g.x_to_px(a.x + options.scale * a.dx),
               g.y_to_px(a.y + options.scale * a.dy), arrow_color, 2.0);
  }
  if (skipped_points > 0)
    frame.add_note(std::to_string(skipped_points) + " points are NaN or infinite and are not shown");
  if (skipped_arrows > 0)
    frame.add_note(std::to_string(skipped_arrows) + " arrows are NaN or infinite and are not shown");
  frame.finish();
  frame.save(path);
  return g;
}

}  // namespace ae::viz
