// Canvas drawing, text and PNG output, checked pixel by pixel (PNGs decoded with
// stb_image from Debian's libstb-dev).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "linalg/error.hpp"
#include "nn/viz/canvas.hpp"
#include "nn/viz/font.hpp"

#include "tests/testing/stb_image_read.hpp"
#include "tests/testing/fresh_dir.hpp"

namespace fs = std::filesystem;
using ae::viz::Align;
using ae::viz::Canvas;
using ae::viz::Color;

namespace {

constexpr Color kRed{200, 30, 10};

// The bounding box of pixels that differ from white: {x0, y0, x1, y1} (exclusive ends),
// or all -1 when there are none.
std::array<int, 4> ink_box(const Canvas& c) {
  std::array<int, 4> box = {-1, -1, -1, -1};
  for (int y = 0; y < c.height(); ++y) {
    for (int x = 0; x < c.width(); ++x) {
      if (c.pixel(x, y) == ae::viz::kWhite) continue;
      if (box[0] < 0) box = {x, y, x + 1, y + 1};
      box = {std::min(box[0], x), std::min(box[1], y), std::max(box[2], x + 1),
             std::max(box[3], y + 1)};
    }
  }
  return box;
}

}  // namespace

TEST(VizCanvas, StartsWithTheBackground) {
  Canvas c(5, 4, Color{1, 2, 3});
  EXPECT_EQ(c.pixel(0, 0), (Color{1, 2, 3}));
  EXPECT_EQ(c.pixel(4, 3), (Color{1, 2, 3}));
  EXPECT_THROW(c.pixel(5, 0), ae::Error);
  EXPECT_THROW(Canvas(0, 10), ae::Error);
}

TEST(VizCanvas, BlendMixesLinearly) {
  Canvas c(1, 1);
  c.blend(0, 0, Color{0, 100, 255}, 0.25);
  // 0.75 * 255 + 0.25 * {0, 100, 255}
  EXPECT_EQ(c.pixel(0, 0), (Color{191, 216, 255}));
  c.blend(-1, 0, kRed, 1.0);  // outside: ignored
}

TEST(VizCanvas, RectangleCoverageAtFractionalEdges) {
  Canvas c(4, 2);
  // [1.5, 2.5) x [0, 1): half of pixel 1 and half of pixel 2 in row 0.
  c.fill_rect(1.5, 0, 2.5, 1, ae::viz::kBlack);
  EXPECT_EQ(c.pixel(0, 0), ae::viz::kWhite);
  EXPECT_EQ(c.pixel(1, 0), (Color{128, 128, 128}));  // 255 / 2 = 127.5 rounds to 128
  EXPECT_EQ(c.pixel(2, 0), (Color{128, 128, 128}));
  EXPECT_EQ(c.pixel(3, 0), ae::viz::kWhite);
  EXPECT_EQ(c.pixel(1, 1), ae::viz::kWhite);
  // Whole pixels are filled exactly; corners reversed are the same rectangle.
  c.fill_rect(4, 2, 3, 1, kRed);
  EXPECT_EQ(c.pixel(3, 1), kRed);
}

TEST(VizCanvas, CircleIsSolidInsideAndEmptyOutside) {
  Canvas c(21, 21);
  c.fill_circle(10.5, 10.5, 4, kRed);
  EXPECT_EQ(c.pixel(10, 10), kRed);
  EXPECT_EQ(c.pixel(13, 10), kRed);             // centre 3 px away, inside by 1
  EXPECT_EQ(c.pixel(15, 10), ae::viz::kWhite);  // 5 px away: outside by 1
  // Rim pixels are shaded by coverage r + 0.5 - distance: (14, 10) is 4 px away, half
  // covered; (13, 13) is 3 sqrt(2) = 4.243 px away, covered 0.2574.
  EXPECT_EQ(c.pixel(14, 10), (Color{228, 143, 133}));  // 255 - 0.5 (255 - {200, 30, 10})
  EXPECT_EQ(c.pixel(13, 13), (Color{241, 197, 192}));  // 255 - 0.2574 (255 - {200, 30, 10})
  const auto box = ink_box(c);
  EXPECT_EQ(box, (std::array<int, 4>{6, 6, 15, 15}));
}

TEST(VizCanvas, LineCoversItsWidth) {
  Canvas c(12, 12);
  c.draw_line(2, 5.5, 9, 5.5, kRed, 1.0);  // along the centres of row 5
  EXPECT_EQ(c.pixel(5, 5), kRed);
  EXPECT_EQ(c.pixel(5, 4), ae::viz::kWhite);
  EXPECT_EQ(c.pixel(5, 6), ae::viz::kWhite);
  c.draw_line(0, 0, NAN, 3, kRed);  // not finite: nothing, no crash
  Canvas d(12, 12);
  d.draw_line(1, 1, 10, 10, kRed, 2.0);  // the diagonal
  EXPECT_EQ(d.pixel(5, 5), kRed);
  EXPECT_EQ(d.pixel(9, 2), ae::viz::kWhite);
}

TEST(VizText, WidthIsProportionalAndAdditive) {
  EXPECT_EQ(ae::viz::text_width("", 16), 0.0);
  EXPECT_GT(ae::viz::text_width("WW", 16), ae::viz::text_width("ii", 16));
  EXPECT_NEAR(ae::viz::text_width("epoch", 32), 2 * ae::viz::text_width("epoch", 16), 1e-9);
  EXPECT_GT(ae::viz::text_width("Bold", 16, ae::viz::FontWeight::Bold),
            ae::viz::text_width("Bold", 16));
}

TEST(VizText, InkLiesInTheLineBox) {
  Canvas c(200, 60);
  const double width = ae::viz::text_width("Epoch 10", 20);
  c.draw_text("Epoch 10", 30, 20, 20, ae::viz::kText);  // top-left anchor
  const auto box = ink_box(c);
  ASSERT_GE(box[0], 0) << "no text drawn";
  // Glyphs start at the anchor (less a pixel or two of side bearing), end near its
  // advance, and stay between the top of the line box and its bottom (size 20).
  EXPECT_NEAR(box[0], 30, 3);
  EXPECT_NEAR(box[2], 30 + width, 3);
  EXPECT_GE(box[1], 20);
  EXPECT_LE(box[3], 40);
  EXPECT_GT(box[3] - box[1], 10);  // capitals and digits are well over half the size
}

TEST(VizText, CentredAndRightAligned) {
  Canvas c(200, 40);
  c.draw_text("100", 100, 20, 16, ae::viz::kText, Align::Center, Align::Center);
  auto box = ink_box(c);
  EXPECT_NEAR((box[0] + box[2]) / 2.0, 100, 2);
  EXPECT_NEAR((box[1] + box[3]) / 2.0, 20, 4);
  Canvas d(200, 40);
  d.draw_text("100", 150, 20, 16, ae::viz::kText, Align::End, Align::Center);
  box = ink_box(d);
  EXPECT_NEAR(box[2], 150, 2);
}

TEST(VizText, VerticalTextReadsUpwards) {
  Canvas c(60, 200);
  c.draw_text("variance", 30, 100, 16, ae::viz::kText, Align::Center, Align::Center,
              ae::viz::FontWeight::Regular, /*vertical=*/true);
  const auto box = ink_box(c);
  ASSERT_GE(box[0], 0);
  EXPECT_GT(box[3] - box[1], 3 * (box[2] - box[0]));  // tall and narrow
  EXPECT_NEAR((box[1] + box[3]) / 2.0, 100, 3);
  EXPECT_NEAR(box[3] - box[1], ae::viz::text_width("variance", 16), 3);
}

TEST(VizText, MissingFontIsAClearError) {
  ::setenv("AELAB_FONT", "/no/such/font.ttf", 1);
  try {
    ae::viz::font_file();
    ADD_FAILURE() << "no error";
  } catch (const ae::Error& e) {
    EXPECT_NE(std::string(e.what()).find("AELAB_FONT=/no/such/font.ttf"), std::string::npos)
        << e.what();
  }
  ::unsetenv("AELAB_FONT");
  EXPECT_NE(ae::viz::font_file().find("DejaVuSans"), std::string::npos);
  EXPECT_NE(ae::viz::font_file(ae::viz::FontWeight::Bold).find("Bold"), std::string::npos);
}

class VizCanvasFiles : public ae::testing::FreshDirTest {};

TEST_F(VizCanvasFiles, PngRoundTrip) {
  Canvas c(7, 5);
  c.set(0, 0, kRed);
  c.set(6, 4, Color{0, 255, 0});
  const fs::path file = dir_ / "tiny.png";
  c.save_png(file, "test");
  int w = 0, h = 0, channels = 0;
  unsigned char* pixels = stbi_load(file.c_str(), &w, &h, &channels, 3);
  ASSERT_NE(pixels, nullptr) << stbi_failure_reason();
  EXPECT_EQ(w, 7);
  EXPECT_EQ(h, 5);
  EXPECT_EQ(channels, 3);
  EXPECT_EQ(pixels[0], 200);
  EXPECT_EQ(pixels[1], 30);
  EXPECT_EQ(pixels[2], 10);
  const int last = (4 * 7 + 6) * 3;
  EXPECT_EQ(pixels[last], 0);
  EXPECT_EQ(pixels[last + 1], 255);
  EXPECT_EQ(pixels[3], 255);  // pixel (1, 0) is still white
  stbi_image_free(pixels);
}

TEST_F(VizCanvasFiles, BadPathsNameThePath) {
  Canvas c(3, 3);
  const fs::path missing = dir_ / "no-such-dir" / "a.png";
  try {
    c.save_png(missing, "scatter_plot");
    ADD_FAILURE() << "no error";
  } catch (const ae::Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("scatter_plot: cannot write " + missing.string()), std::string::npos) << m;
    EXPECT_NE(m.find("does not exist"), std::string::npos) << m;
  }
  EXPECT_THROW(c.save_png(dir_, "test"), ae::Error);  // a directory
  EXPECT_THROW(c.save_png("", "test"), ae::Error);
}
