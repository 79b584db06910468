// Text rendering with stb_truetype. Its implementation is compiled here with static
// linkage, so it cannot clash with another copy elsewhere in a program.
#include "nn/viz/font.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "linalg/error.hpp"

#define STB_TRUETYPE_IMPLEMENTATION
#define STBTT_STATIC
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wsign-compare"
#endif
#include <stb/stb_truetype.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace ae::viz {
namespace fs = std::filesystem;

namespace {

// Where distributions put DejaVu: Debian and Ubuntu, Arch, Fedora.
constexpr std::array<const char*, 3> kFontDirs = {"/usr/share/fonts/truetype/dejavu",
                                                  "/usr/share/fonts/TTF",
                                                  "/usr/share/fonts/dejavu-sans-fonts"};

class Face {
 public:
  explicit Face(const std::string& file) : file_(file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error("figure text: cannot read the font file " + file);
    data_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    const int offset = stbtt_GetFontOffsetForIndex(data_.data(), 0);
    if (offset < 0 || stbtt_InitFont(&info_, data_.data(), offset) == 0) {
      throw Error("figure text: " + file + " is not a TrueType font");
    }
    stbtt_GetFontVMetrics(&info_, &ascent_, &descent_, &line_gap_);
  }

  // stb_truetype sizes fonts by "pixel height": ascender minus descender.
  float scale(double size) const {
    return stbtt_ScaleForPixelHeight(&info_, static_cast<float>(size));
  }
  int glyph(int codepoint) const { return stbtt_FindGlyphIndex(&info_, codepoint); }
  const stbtt_fontinfo& info() const { return info_; }
  int ascent() const { return ascent_; }
  int descent() const { return descent_; }

 private:
  std::string file_;
  std::vector<unsigned char> data_;
  stbtt_fontinfo info_{};
  int ascent_ = 0, descent_ = 0, line_gap_ = 0;
};

const Face& face(FontWeight weight) {
  // Loaded once, on first use; C++ makes these initialisations thread-safe.
  if (weight == FontWeight::Bold) {
    static const Face bold(font_file(FontWeight::Bold));
    return bold;
  }
  static const Face regular(font_file(FontWeight::Regular));
  return regular;
}

// UTF-8 to code points; a malformed sequence becomes '?'.
std::vector<int> decode_utf8(const std::string& text) {
  std::vector<int> out;
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    int length = lead < 0x80           ? 1
                 : (lead >> 5) == 0x6  ? 2
                 : (lead >> 4) == 0xE  ? 3
                 : (lead >> 3) == 0x1E ? 4
                                       : 0;
    if (length == 0 || i + length > text.size()) {
      out.push_back('?');
      ++i;
      continue;
    }
    int cp = length == 1 ? lead : lead & (0x7F >> length);
    bool ok = true;
    for (int k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next >> 6) != 0x2) ok = false;
      cp = (cp << 6) | (next & 0x3F);
    }
    out.push_back(ok ? cp : '?');
    i += ok ? length : 1;
  }
  return out;
}

// The pen position before each glyph, and after the last, in pixels.
std::vector<double> pen_positions(const Face& f, const std::vector<int>& glyphs, float scale) {
  std::vector<double> x(glyphs.size() + 1, 0.0);
  for (size_t i = 0; i < glyphs.size(); ++i) {
    int advance = 0, left_bearing = 0;
    stbtt_GetGlyphHMetrics(&f.info(), glyphs[i], &advance, &left_bearing);
    int kern =
        i + 1 < glyphs.size() ? stbtt_GetGlyphKernAdvance(&f.info(), glyphs[i], glyphs[i + 1]) : 0;
    x[i + 1] = x[i] + (advance + kern) * static_cast<double>(scale);
  }
  return x;
}

std::vector<int> glyphs_of(const Face& f, const std::string& text) {
  std::vector<int> glyphs;
  for (int cp : decode_utf8(text)) glyphs.push_back(f.glyph(cp));
  return glyphs;
}

}  // namespace

std::string font_file(FontWeight weight) {
  if (const char* env = std::getenv("AELAB_FONT"); env != nullptr && *env != '\0') {
    std::error_code ec;
    if (!fs::is_regular_file(env, ec)) {
      throw Error(std::string("AELAB_FONT=") + env + ": no such font file");
    }
    return env;
  }
  std::error_code ec;
  const char* names[] = {"DejaVuSans-Bold.ttf", "DejaVuSans.ttf"};
  // Bold falls back to the regular face when only that one is present.
  for (size_t n = weight == FontWeight::Bold ? 0 : 1; n < 2; ++n) {
    for (const char* dir : kFontDirs) {
      const fs::path file = fs::path(dir) / names[n];
      if (fs::is_regular_file(file, ec)) return file.string();
    }
  }
  std::string looked;
  for (const char* dir : kFontDirs) looked += std::string(looked.empty() ? "" : ", ") + dir;
  throw Error("figure text: the font DejaVuSans.ttf is not installed (looked in " + looked +
              "). Install it with: sudo apt-get install fonts-dejavu-core "
              "(or set AELAB_FONT to a .ttf file)");
}

double text_width(const std::string& text, double size, FontWeight weight) {
  const Face& f = face(weight);
  return pen_positions(f, glyphs_of(f, text), f.scale(size)).back();
}

TextMask render_text(const std::string& text, double size, FontWeight weight) {
  const Face& f = face(weight);
  const float scale = f.scale(size);
  const std::vector<int> glyphs = glyphs_of(f, text);
  const std::vector<double> pen = pen_positions(f, glyphs, scale);

  // A margin of a few pixels takes glyphs that reach beyond their advance or the
  // ascender / descender lines (accents, italic overhangs).
  const int pad = 2 + static_cast<int>(size / 8);
  TextMask mask;
  mask.pen_x = pad;
  mask.box_top = pad;
  mask.baseline = pad + static_cast<int>(std::ceil(f.ascent() * scale));
  mask.box_height = mask.baseline - pad + static_cast<int>(std::ceil(-f.descent() * scale));
  mask.advance = pen.back();
  mask.width = static_cast<int>(std::ceil(pen.back())) + 2 * pad;
  mask.height = mask.box_top + mask.box_height + pad;
  mask.coverage.assign(static_cast<size_t>(mask.width) * mask.height, 0);

  std::vector<unsigned char> bitmap;
  for (size_t i = 0; i < glyphs.size(); ++i) {
    // Position each glyph at its exact fractional pen position (sub-pixel rendering), so
    // spacing stays even at small sizes.
    const double x = pad + pen[i];
    const int ix = static_cast<int>(std::floor(x));
    const auto shift = static_cast<float>(x - ix);
    int x0, y0, x1, y1;
    stbtt_GetGlyphBitmapBoxSubpixel(&f.info(), glyphs[i], scale, scale, shift, 0.0f, &x0, &y0, &x1,
                                    &y1);
    const int w = x1 - x0, h = y1 - y0;
    if (w <= 0 || h <= 0) continue;  // a space
    bitmap.assign(static_cast<size_t>(w) * h, 0);
    stbtt_MakeGlyphBitmapSubpixel(&f.info(), bitmap.data(), w, h, w, scale, scale, shift, 0.0f,
                                  glyphs[i]);
    for (int gy = 0; gy < h; ++gy) {
      const int my = mask.baseline + y0 + gy;
      if (my < 0 || my >= mask.height) continue;
      for (int gx = 0; gx < w; ++gx) {
        const int mx = ix + x0 + gx;
        if (mx < 0 || mx >= mask.width) continue;
        uint8_t& cell = mask.coverage[static_cast<size_t>(my) * mask.width + mx];
        cell = std::max<uint8_t>(cell, bitmap[static_cast<size_t>(gy) * w + gx]);
      }
    }
  }
  return mask;
}

}  // namespace ae::viz
