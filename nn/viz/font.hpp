#pragma once
// Text for figures, drawn with a TrueType font through stb_truetype (Debian's libstb-dev).
//
// Why TrueType rather than a built-in bitmap font: titles, axis labels and tick numbers
// must be readable at several sizes, and an outline font gives smooth, anti-aliased,
// proportionally spaced text at any size, with Greek letters for labels like "σ" or "ρ".
// The font is DejaVu Sans from Debian's fonts-dejavu-core (scripts/setup.sh installs it);
// the environment variable AELAB_FONT may name another .ttf file. A missing font is an
// ae::Error saying how to install it.
//
// Text is rendered into a coverage mask (one byte per pixel, 0 = empty, 255 = full ink)
// that the canvas blends in a colour, upright or turned a quarter turn.
#include <cstdint>
#include <string>
#include <vector>

namespace ae::viz {

/// Coverage of a rendered line of text. The pen starts `pen_x` pixels right of the mask's
/// left edge on the baseline, `baseline` pixels below its top edge. The line box (what
/// alignment refers to) spans `advance` pixels from pen_x across and `box_height` pixels
/// (ascender to descender) down from `box_top`; glyphs may overhang it a little, so the
/// mask has a margin around it.
struct TextMask {
  int width = 0;
  int height = 0;
  int pen_x = 0;
  int baseline = 0;
  int box_top = 0;
  int box_height = 0;
  double advance = 0;
  std::vector<uint8_t> coverage;  ///< height x width, row-major
  uint8_t at(int x, int y) const { return coverage[static_cast<size_t>(y) * width + x]; }
};

enum class FontWeight { Regular, Bold };

/// Renders one line of UTF-8 text. `size` is the font's pixel height (ascender to
/// descender). Bytes that are not valid UTF-8 show as '?'.
TextMask render_text(const std::string& text, double size, FontWeight weight = FontWeight::Regular);

/// Width in pixels of the text as render_text would draw it (its advance).
double text_width(const std::string& text, double size, FontWeight weight = FontWeight::Regular);

/// The file the regular (or bold) face is read from; throws ae::Error when none is found.
std::string font_file(FontWeight weight = FontWeight::Regular);

}  // namespace ae::viz
