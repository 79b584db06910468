#pragma once
// Canvas — an RGB image to draw figures on.
//
// Coordinates are in pixels, x to the right and y down; pixel (i, j) covers the square
// [i, i+1) x [j, j+1), so its centre is (i + 0.5, j + 0.5). Shapes take fractional
// coordinates and are anti-aliased: each pixel gets the colour in proportion to how much
// of it the shape covers. Anything outside the canvas is clipped.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "nn/viz/color.hpp"
#include "nn/viz/font.hpp"

namespace ae::viz {

/// Where an anchor sits on a box: its left (top) edge, its centre, its right (bottom) edge.
enum class Align { Start, Center, End };

class Canvas {
 public:
  Canvas(int width, int height, Color background = kWhite);

  int width() const { return width_; }
  int height() const { return height_; }
  Color pixel(int x, int y) const;
  /// Row-major RGB bytes, 3 per pixel.
  const std::vector<uint8_t>& rgb() const { return rgb_; }

  /// Mixes color into pixel (x, y): new = (1 - alpha) old + alpha color.
  void blend(int x, int y, Color color, double alpha);
  void set(int x, int y, Color color);

  /// The rectangle [x0, x1) x [y0, y1); edges between pixels are shaded by coverage.
  void fill_rect(double x0, double y0, double x1, double y1, Color color, double alpha = 1.0);
  /// A segment `width` pixels wide with round ends.
  void draw_line(double x0, double y0, double x1, double y1, Color color, double width = 1.0,
                 double alpha = 1.0);
  void fill_circle(double cx, double cy, double radius, Color color, double alpha = 1.0);

  /// One line of text with its line box anchored at (x, y): h picks the box's left edge,
  /// centre or right edge, v its top, middle or bottom. vertical turns the text a quarter
  /// turn counter-clockwise (reading upwards, like a y-axis label); h and v then refer to
  /// the turned box.
  void draw_text(const std::string& text, double x, double y, double size, Color color,
                 Align h = Align::Start, Align v = Align::Start,
                 FontWeight weight = FontWeight::Regular, bool vertical = false);

  /// Writes the canvas as a PNG; errors name `who` and the path.
  void save_png(const std::filesystem::path& path, const std::string& who) const;

 private:
  int width_;
  int height_;
  std::vector<uint8_t> rgb_;
};

}  // namespace ae::viz
