// Drawing on the canvas. Anti-aliasing by coverage: a pixel takes alpha * (the fraction
// of its area inside the shape) of the colour, estimated from the distance between the
// pixel's centre and the shape's edge.
#include "nn/viz/canvas.hpp"

#include <algorithm>
#include <cmath>

#include "linalg/error.hpp"
#include "nn/viz/png.hpp"

namespace ae::viz {

namespace {

// Coverage of a pixel whose centre is `distance` pixels inside an edge (negative: outside):
// a one-pixel ramp centred on the edge.
double coverage_from_distance(double distance) { return std::clamp(distance + 0.5, 0.0, 1.0); }

double align_offset(Align a, double size) {
  return a == Align::Start ? 0.0 : a == Align::Center ? size / 2 : size;
}

}  // namespace

Canvas::Canvas(int width, int height, Color background) : width_(width), height_(height) {
  if (width <= 0 || height <= 0 || width > 20000 || height > 20000) {
    throw Error("Canvas: size " + std::to_string(width) + "x" + std::to_string(height) +
                " is not within 1..20000 pixels a side");
  }
  rgb_.resize(static_cast<size_t>(width) * height * 3);
  for (size_t i = 0; i < rgb_.size(); i += 3) {
    rgb_[i] = background.r;
    rgb_[i + 1] = background.g;
    rgb_[i + 2] = background.b;
  }
}

Color Canvas::pixel(int x, int y) const {
  if (x < 0 || y < 0 || x >= width_ || y >= height_) {
    throw Error("Canvas::pixel: (" + std::to_string(x) + ", " + std::to_string(y) +
                ") is outside the " + std::to_string(width_) + "x" + std::to_string(height_) +
                " canvas");
  }
  const uint8_t* p = &rgb_[(static_cast<size_t>(y) * width_ + x) * 3];
  return {p[0], p[1], p[2]};
}

void Canvas::set(int x, int y, Color color) { blend(x, y, color, 1.0); }

void Canvas::blend(int x, int y, Color color, double alpha) {
  if (x < 0 || y < 0 || x >= width_ || y >= height_ || !(alpha > 0)) return;
  alpha = std::min(alpha, 1.0);
  uint8_t* p = &rgb_[(static_cast<size_t>(y) * width_ + x) * 3];
  const uint8_t target[3] = {color.r, color.g, color.b};
  for (int c = 0; c < 3; ++c) {
    p[c] = static_cast<uint8_t>(std::lround((1.0 - alpha) * p[c] + alpha * target[c]));
  }
}

void Canvas::fill_rect(double x0, double y0, double x1, double y1, Color color, double alpha) {
  if (!(std::isfinite(x0) && std::isfinite(y0) && std::isfinite(x1) && std::isfinite(y1))) return;
  if (x0 > x1) std::swap(x0, x1);
  if (y0 > y1) std::swap(y0, y1);
  const int px0 = std::max(0, static_cast<int>(std::floor(x0)));
  const int py0 = std::max(0, static_cast<int>(std::floor(y0)));
  const int px1 = std::min(width_, static_cast<int>(std::ceil(x1)));
  const int py1 = std::min(height_, static_cast<int>(std::ceil(y1)));
  for (int py = py0; py < py1; ++py) {
    // Exact area of the pixel inside the rectangle: overlap in x times overlap in y.
    const double cover_y = std::min<double>(y1, py + 1) - std::max<double>(y0, py);
    for (int px = px0; px < px1; ++px) {
      const double cover_x = std::min<double>(x1, px + 1) - std::max<double>(x0, px);
      blend(px, py, color, alpha * cover_x * cover_y);
    }
  }
}

void Canvas::draw_line(double x0, double y0, double x1, double y1, Color color, double width,
                       double alpha) {
  if (!(std::isfinite(x0) && std::isfinite(y0) && std::isfinite(x1) && std::isfinite(y1))) return;
  const double half = width / 2;
  const int px0 = std::max(0, static_cast<int>(std::floor(std::min(x0, x1) - half - 1)));
  const int py0 = std::max(0, static_cast<int>(std::floor(std::min(y0, y1) - half - 1)));
  const int px1 = std::min(width_, static_cast<int>(std::ceil(std::max(x0, x1) + half + 1)));
  const int py1 = std::min(height_, static_cast<int>(std::ceil(std::max(y0, y1) + half + 1)));
  const double dx = x1 - x0, dy = y1 - y0;
  const double length2 = dx * dx + dy * dy;
  for (int py = py0; py < py1; ++py) {
    for (int px = px0; px < px1; ++px) {
      // Distance from the pixel centre to the nearest point of the segment.
      const double cx = px + 0.5 - x0, cy = py + 0.5 - y0;
      const double t = length2 > 0 ? std::clamp((cx * dx + cy * dy) / length2, 0.0, 1.0) : 0.0;
      const double distance = std::hypot(cx - t * dx, cy - t * dy);
      blend(px, py, color, alpha * coverage_from_distance(half - distance));
    }
  }
}

void Canvas::fill_circle(double cx, double cy, double radius, Color color, double alpha) {
  if (!(std::isfinite(cx) && std::isfinite(cy) && std::isfinite(radius)) || radius <= 0) return;
  const int px0 = std::max(0, static_cast<int>(std::floor(cx - radius - 1)));
  const int py0 = std::max(0, static_cast<int>(std::floor(cy - radius - 1)));
  const int px1 = std::min(width_, static_cast<int>(std::ceil(cx + radius + 1)));
  const int py1 = std::min(height_, static_cast<int>(std::ceil(cy + radius + 1)));
  for (int py = py0; py < py1; ++py) {
    for (int px = px0; px < px1; ++px) {
      const double distance = std::hypot(px + 0.5 - cx, py + 0.5 - cy);
      blend(px, py, color, alpha * coverage_from_distance(radius - distance));
    }
  }
}

void Canvas::draw_text(const std::string& text, double x, double y, double size, Color color,
                       Align h, Align v, FontWeight weight, bool vertical) {
  if (text.empty()) return;
  const TextMask mask = render_text(text, size, weight);
  // The line box inside the mask, and its extent once placed (turned or not).
  const double box_x = vertical ? mask.box_top : mask.pen_x;
  const double box_y = vertical ? mask.width - mask.pen_x - mask.advance : mask.box_top;
  const double box_w = vertical ? mask.box_height : mask.advance;
  const double box_h = vertical ? mask.advance : mask.box_height;
  // Whole-pixel placement keeps the glyphs as crisp as the font rendered them.
  const int left = static_cast<int>(std::lround(x - align_offset(h, box_w) - box_x));
  const int top = static_cast<int>(std::lround(y - align_offset(v, box_h) - box_y));
  for (int my = 0; my < mask.height; ++my) {
    for (int mx = 0; mx < mask.width; ++mx) {
      const uint8_t c = mask.at(mx, my);
      if (c == 0) continue;
      // Turned a quarter turn counter-clockwise: the mask's rows become columns, and its
      // right end goes to the top.
      const int px = vertical ? left + my : left + mx;
      const int py = vertical ? top + (mask.width - 1 - mx) : top + my;
      blend(px, py, color, c / 255.0);
    }
  }
}

void Canvas::save_png(const std::filesystem::path& path, const std::string& who) const {
  write_png(path, width_, height_, rgb_, who);
}

}  // namespace ae::viz
