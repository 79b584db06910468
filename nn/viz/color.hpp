#pragma once
// Colours for figures: 8-bit sRGB, and a palette of 10 class colours.
#include <cstdint>

namespace ae::viz {

struct Color {
  uint8_t r = 0, g = 0, b = 0;
  friend bool operator==(const Color&, const Color&) = default;
};

inline constexpr Color kWhite{255, 255, 255};
inline constexpr Color kBlack{0, 0, 0};
inline constexpr Color kText{34, 34, 34};      ///< titles, labels, tick numbers
inline constexpr Color kAxis{68, 68, 68};      ///< the plot frame and tick marks
inline constexpr Color kGrid{230, 230, 230};   ///< grid lines behind the data
inline constexpr Color kNotFinite{230, 0, 0};  ///< image pixels that are NaN or infinite

/// Colour of class i: 10 hues chosen to be told apart on white and from each other,
/// repeating after 10.
Color class_color(int i);

}  // namespace ae::viz
