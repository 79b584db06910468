// The class palette.
#include "nn/viz/color.hpp"

#include <array>
#include <cstddef>

namespace ae::viz {

Color class_color(int i) {
  // Ten hues around the colour wheel at medium lightness, alternating warm and cool so that
  // neighbouring class numbers differ strongly; gray last.
  static constexpr std::array<Color, 10> palette = {{
      {31, 119, 200},   // blue
      {245, 130, 20},   // orange
      {40, 160, 60},    // green
      {215, 40, 40},    // red
      {145, 95, 200},   // violet
      {140, 85, 60},    // brown
      {230, 110, 190},  // pink
      {20, 190, 205},   // cyan
      {185, 185, 30},   // olive yellow
      {120, 120, 120},  // gray
  }};
  const int n = static_cast<int>(palette.size());
  return palette[static_cast<std::size_t>(((i % n) + n) % n)];
}

}  // namespace ae::viz
