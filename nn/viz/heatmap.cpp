// Confusion-matrix heatmap (nn/viz/heatmap.hpp).
#include "nn/viz/heatmap.hpp"

#include <algorithm>
#include <cmath>

#include "linalg/error.hpp"
#include "nn/viz/canvas.hpp"

namespace ae::viz {

namespace {
constexpr int kEdge = 12;
constexpr double kTitleSize = 20;
constexpr double kLabelSize = 16;
constexpr double kNameSize = 14;
constexpr double kCountSize = 13;
constexpr int kCell = 46;
constexpr Color kDark{8, 48, 107};  // the colour of a cell holding its whole row
}  // namespace

Rgb heatmap_color(double share) {
  const double s = std::isfinite(share) ? std::clamp(share, 0.0, 1.0) : 0.0;
  auto mix = [&](uint8_t dark) { return static_cast<uint8_t>(std::lround(255.0 + s * (dark - 255.0))); };
  return {mix(kDark.r), mix(kDark.g), mix(kDark.b)};
}

HeatmapGeometry confusion_heatmap(const std::filesystem::path& path, const std::vector<int64_t>& counts,
                                  int classes, const std::vector<std::string>& class_names,
                                  const std::string& title) {
  const std::string who = "confusion_heatmap";
  if (classes < 1 || counts.size() != static_cast<size_t>(classes) * static_cast<size_t>(classes))
    throw Error(who + ": " + std::to_string(counts.size()) + " counts for " + std::to_string(classes) +
                " classes (needs classes x classes)");
  if (!class_names.empty() && class_names.size() != static_cast<size_t>(classes))
    throw Error(who + ": " + std::to_string(class_names.size()) + " class names for " + std::to_string(classes) +
                " classes");
  auto name = [&](int c) { return class_names.empty() ? std::to_string(c) : class_names[static_cast<size_t>(c)]; };
  double name_width = 0;
  for (int c = 0; c < classes; ++c) name_width = std::max(name_width, text_width(name(c), kNameSize));

  HeatmapGeometry g;
  g.cell = kCell;
  // Left: the axis label (turned), then the row names. Top: the title. Bottom: the column
  // names (turned) and the axis label.
  g.left = kEdge + static_cast<int>(kLabelSize) + 10 + static_cast<int>(std::ceil(name_width)) + 8;
  g.top = kEdge + static_cast<int>(kTitleSize) + 16;
  const int grid = classes * kCell;
  g.height = g.top + grid + 8 + static_cast<int>(std::ceil(name_width)) + 10 + static_cast<int>(kLabelSize) + kEdge;
  const double title_width = text_width(title, kTitleSize, FontWeight::Bold);
  g.width = std::max(g.left + grid + kEdge, static_cast<int>(std::ceil(title_width)) + 2 * kEdge);

  Canvas canvas(g.width, g.height);
  canvas.draw_text(title, g.width / 2.0, kEdge, kTitleSize, kText, Align::Center, Align::Start, FontWeight::Bold);
  for (int t = 0; t < classes; ++t) {
    int64_t row_total = 0;
    for (int p = 0; p < classes; ++p) row_total += counts[static_cast<size_t>(t * classes + p)];
    for (int p = 0; p < classes; ++p) {
      const int64_t n = counts[static_cast<size_t>(t * classes + p)];
      const double share = row_total > 0 ? static_cast<double>(n) / static_cast<double>(row_total) : 0.0;
      const Rgb c = heatmap_color(share);
      const double x0 = g.cell_x(p), y0 = g.cell_y(t);
      canvas.fill_rect(x0, y0, x0 + kCell, y0 + kCell, Color{c.r, c.g, c.b});
      if (n > 0)
        canvas.draw_text(std::to_string(n), x0 + kCell / 2.0, y0 + kCell / 2.0, kCountSize,
                         share > 0.5 ? kWhite : kText, Align::Center, Align::Center);
    }
  }
  // Thin grid lines between the cells, and a frame.
  for (int i = 0; i <= classes; ++i) {
    canvas.draw_line(g.left, g.cell_y(i), g.left + grid, g.cell_y(i), kGrid);
    canvas.draw_line(g.cell_x(i), g.top, g.cell_x(i), g.top + grid, kGrid);
  }
  canvas.draw_line(g.left, g.top, g.left + grid, g.top, kAxis);
  canvas.draw_line(g.left, g.top + grid, g.left + grid, g.top + grid, kAxis);
  canvas.draw_line(g.left, g.top, g.left, g.top + grid, kAxis);
  canvas.draw_line(g.left + grid, g.top, g.left + grid, g.top + grid, kAxis);
  for (int c = 0; c < classes; ++c) {
    canvas.draw_text(name(c), g.left - 8, g.cell_y(c) + kCell / 2.0, kNameSize, kText, Align::End, Align::Center);
    canvas.draw_text(name(c), g.cell_x(c) + kCell / 2.0, g.top + grid + 8, kNameSize, kText, Align::Center,
                     Align::Start, FontWeight::Regular, /*vertical=*/true);
  }
  canvas.draw_text("true class", kEdge, g.top + grid / 2.0, kLabelSize, kText, Align::Start, Align::Center,
                   FontWeight::Regular, /*vertical=*/true);
  canvas.draw_text("predicted class", g.left + grid / 2.0, g.height - kEdge, kLabelSize, kText, Align::Center,
                   Align::End);
  canvas.save_png(path, who);
  return g;
}

}  // namespace ae::viz
