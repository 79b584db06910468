#pragma once
// Confusion-matrix heatmap: a square of cells, row = true class, column = predicted class,
// each cell shaded by the share of its row (white 0 → dark blue 1) with its count written in it.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ae::viz {

/// Where the cells lie on the canvas, for tests and callers.
struct HeatmapGeometry {
  int width = 0, height = 0;  ///< the canvas
  int left = 0, top = 0;      ///< the first cell
  int cell = 0;               ///< cell side in pixels
  int cell_x(int column) const { return left + column * cell; }
  int cell_y(int row) const { return top + row * cell; }
};

/// counts: classes x classes, row-major, row = true class (nn::ConfusionMatrix::counts).
/// class_names label the rows and columns (numbers when empty). Throws ae::Error when counts
/// is not square or the names do not match the classes.
HeatmapGeometry confusion_heatmap(const std::filesystem::path& path, const std::vector<int64_t>& counts,
                                  int classes, const std::vector<std::string>& class_names,
                                  const std::string& title);

/// The shade of a cell holding `share` (clamped into [0, 1]) of its row: white to dark blue.
struct Rgb {
  uint8_t r, g, b;
};
Rgb heatmap_color(double share);

}  // namespace ae::viz
