#pragma once
// Quiver plots — a vector field drawn as arrows, e.g. the step r(x̃) - x̃ a denoising
// autoencoder takes from a corrupted point back towards the data (lecture 003).
//
//   viz::quiver_plot("out/field.png", arrows, data_x, data_y, "Denoising field", "x1", "x2",
//                    {.arrows = "r(x̃) - x̃", .points = "training data"});
//
// Both axes use the same number of pixels per unit, so a circle stays round and an arrow's
// direction on the page is its direction in the data. Arrows or points that are not finite
// are left out (a note says how many); errors are ae::Error naming the function and what is
// wrong.
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "nn/viz/canvas.hpp"
#include "nn/viz/frame.hpp"

namespace ae::viz {

/// An arrow from (x, y) to (x + dx, y + dy), in data coordinates.
struct Arrow {
  double x = 0, y = 0;
  double dx = 0, dy = 0;
};

struct QuiverOptions {
  std::string arrows;  ///< legend name of the arrows ("" for no legend entry)
  std::string points;  ///< legend name of the background points
  /// Each arrow is drawn `scale` times its length (1: true length, in data units).
  double scale = 1.0;
};

/// Arrows over gray background points (points_x[i], points_y[i]; may be empty). An arrow
/// shorter than a pixel is drawn as a dot at its tail.
PlotGeometry quiver_plot(const std::filesystem::path& path, const std::vector<Arrow>& arrows,
                         std::span<const float> points_x, std::span<const float> points_y,
                         const std::string& title, const std::string& xlabel, const std::string& ylabel,
                         const QuiverOptions& options = {});

/// An arrow on a canvas from (x0, y0) to its tip (x1, y1), in pixels: a shaft `width`
/// pixels wide and a head of two strokes `head` pixels long at ±25° to the shaft (shorter for
/// a short arrow, so the head never outgrows it).
void draw_arrow(Canvas& canvas, double x0, double y0, double x1, double y1, Color color, double width = 1.5,
                double head = 7.0);

}  // namespace ae::viz
