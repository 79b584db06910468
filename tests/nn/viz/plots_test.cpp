// The four figure types: each PNG is decoded back and checked for its size, its
// background, and the colour of known data at the pixel where it must be.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "linalg/error.hpp"
#include "nn/viz/plots.hpp"
#include "tensor/ops.hpp"

#include "tests/testing/stb_image_read.hpp"
#include "tests/testing/fresh_dir.hpp"

namespace fs = std::filesystem;
using ae::viz::Color;

namespace {

// A decoded PNG.
struct Png {
  int width = 0, height = 0;
  std::vector<uint8_t> rgb;
  Color at(double x, double y) const {
    const int px = static_cast<int>(std::floor(x)), py = static_cast<int>(std::floor(y));
    EXPECT_TRUE(px >= 0 && py >= 0 && px < width && py < height) << "(" << px << ", " << py << ")";
    const uint8_t* p = &rgb[(static_cast<size_t>(py) * width + px) * 3];
    return {p[0], p[1], p[2]};
  }
  // Pixels in [x0, x1) x [y0, y1) that are darker than light gray: text or lines.
  int ink(int x0, int y0, int x1, int y1) const {
    int count = 0;
    for (int y = std::max(0, y0); y < std::min(height, y1); ++y)
      for (int x = std::max(0, x0); x < std::min(width, x1); ++x) {
        const Color c = at(x, y);
        if (c.r + c.g + c.b < 3 * 160) ++count;
      }
    return count;
  }
};

Png load(const fs::path& file) {
  Png png;
  int channels = 0;
  unsigned char* data = stbi_load(file.c_str(), &png.width, &png.height, &channels, 3);
  EXPECT_NE(data, nullptr) << file << ": " << stbi_failure_reason();
  if (data) {
    png.rgb.assign(data, data + static_cast<size_t>(png.width) * png.height * 3);
    stbi_image_free(data);
  }
  return png;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ae::Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no ae::Error thrown";
  return "";
}

class VizFigures : public ae::testing::FreshDirTest {};

}  // namespace

// ---- image grid ----

TEST_F(VizFigures, ImageGridPutsEachPixelInItsBlock) {
  // Row 0: one 2 x 3 image; row 1: two of them. Values v give gray round(255 v).
  const ae::viz::GrayImage a{2, 3, {0.0f, 0.5f, 1.0f, 0.2f, NAN, 2.0f}};
  const ae::viz::GrayImage b{2, 3, {1, 1, 1, 1, 1, 1}};
  const fs::path file = dir_ / "grid.png";
  const auto g = ae::viz::image_grid(file, {{a}, {b, a}}, {"input", "output"}, "A grid", 4);
  const Png png = load(file);
  ASSERT_EQ(png.width, g.width);
  ASSERT_EQ(png.height, g.height);
  EXPECT_EQ(png.at(0, 0), ae::viz::kWhite);
  EXPECT_EQ(png.at(png.width - 1, png.height - 1), ae::viz::kWhite);
  EXPECT_EQ(g.cell_width, 12);  // 3 pixels x scale 4
  EXPECT_EQ(g.cell_height, 8);

  // Image a in row 1, column 1: pixel (i, j) fills the 4 x 4 block from
  // (x + 4j, y + 4i); check both corners of each block.
  const int x = g.cell_x(1), y = g.cell_y(1);
  const std::vector<Color> expected = {{0, 0, 0},    {128, 128, 128},     {255, 255, 255},
                                       {51, 51, 51}, ae::viz::kNotFinite, {255, 255, 255}};
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 3; ++j) {
      EXPECT_EQ(png.at(x + 4 * j, y + 4 * i), expected[3 * i + j]) << i << "," << j;
      EXPECT_EQ(png.at(x + 4 * j + 3, y + 4 * i + 3), expected[3 * i + j]) << i << "," << j;
    }
  }
  // The gap between the two images of row 1 is background; so is the place of the missing
  // second image in row 0.
  EXPECT_EQ(png.at(g.cell_x(1) - 1, y + 1), ae::viz::kWhite);
  EXPECT_EQ(png.at(g.cell_x(1) + 5, g.cell_y(0) + 5), ae::viz::kWhite);
  EXPECT_EQ(png.at(g.cell_x(0), g.cell_y(0)), (Color{0, 0, 0}));
  // The row labels are drawn left of the cells, the title above them.
  EXPECT_GT(png.ink(0, g.cell_y(0), g.cell_x(0), g.cell_y(0) + g.cell_height), 20);
  EXPECT_GT(png.ink(0, 0, png.width, g.top), 30);
}

TEST_F(VizFigures, ImageGridFromTensors) {
  // Two rows of two 2 x 2 images as (n, 4) and (n, 2, 2) tensors.
  const ae::Tensor flat = ae::tensor::from_vector({0, 0, 0, 0, 1, 1, 1, 1}, {2, 4});
  const ae::Tensor cube =
      ae::tensor::from_vector({0.2f, 0.2f, 0.2f, 0.2f, 0.6f, 0.6f, 0.6f, 0.6f}, {2, 2, 2});
  const fs::path file = dir_ / "tensors.png";
  const auto g = ae::viz::image_grid(file, std::vector<ae::Tensor>{flat, cube}, {}, "", 2);
  const Png png = load(file);
  EXPECT_EQ(png.at(g.cell_x(1) + 3, g.cell_y(0) + 3), (Color{255, 255, 255}));
  EXPECT_EQ(png.at(g.cell_x(0), g.cell_y(0)), (Color{0, 0, 0}));
  EXPECT_EQ(png.at(g.cell_x(0) + 1, g.cell_y(1) + 1), (Color{51, 51, 51}));
  EXPECT_EQ(png.at(g.cell_x(1), g.cell_y(1)), (Color{153, 153, 153}));

  const ae::Tensor odd = ae::tensor::zeros({2, 5});
  const std::string message =
      error_of([&] { ae::viz::image_grid(dir_ / "x.png", std::vector<ae::Tensor>{odd}, {}, ""); });
  EXPECT_NE(message.find("[2, 5]"), std::string::npos) << message;
}

TEST_F(VizFigures, ImageGridErrors) {
  const ae::viz::GrayImage bad{2, 2, {1, 2, 3}};
  std::string message = error_of([&] { ae::viz::image_grid(dir_ / "g.png", {{bad}}, {}, ""); });
  EXPECT_NE(message.find("row 0, image 0 has 3 pixels for a 2x2 image"), std::string::npos)
      << message;
  const ae::viz::GrayImage ok{1, 1, {0.5f}};
  message = error_of([&] { ae::viz::image_grid(dir_ / "g.png", {{ok}}, {"a", "b"}, ""); });
  EXPECT_NE(message.find("2 row labels for 1 rows"), std::string::npos) << message;
  EXPECT_THROW(
      ae::viz::image_grid(dir_ / "g.png", std::vector<std::vector<ae::viz::GrayImage>>{}, {}, ""),
      ae::Error);
  EXPECT_THROW(ae::viz::image_grid(dir_ / "g.png", {{ok}}, {}, "", 0), ae::Error);
  message = error_of([&] { ae::viz::image_grid(dir_ / "missing" / "g.png", {{ok}}, {}, ""); });
  EXPECT_NE(message.find("image_grid: cannot write " + (dir_ / "missing" / "g.png").string()),
            std::string::npos)
      << message;
}

// ---- scatter plot ----

TEST_F(VizFigures, ScatterPointsHaveTheirClassColour) {
  const std::vector<float> xs = {0.0f, 1.0f, 2.0f, 0.5f};
  const std::vector<float> ys = {0.0f, 1.0f, 0.5f, 0.8f};
  const std::vector<int> labels = {0, 1, 2, 2};
  const fs::path file = dir_ / "scatter.png";
  const auto g =
      ae::viz::scatter_plot(file, xs, ys, labels, {"zero", "one", "two"}, "Codes", "z1", "z2");
  const Png png = load(file);
  ASSERT_EQ(png.width, 900);
  ASSERT_EQ(png.height, 700);
  EXPECT_EQ(png.at(0, 0), ae::viz::kWhite);
  // The axes show the data range padded by 4% on each side.
  EXPECT_NEAR(g.x_lo, -0.08, 1e-9);
  EXPECT_NEAR(g.x_hi, 2.08, 1e-9);
  EXPECT_NEAR(g.y_lo, -0.04, 1e-9);
  EXPECT_NEAR(g.y_hi, 1.04, 1e-9);
  // The frame is drawn where the geometry says the plot area is.
  const double middle_y = (g.top + g.bottom) / 2;
  EXPECT_EQ(png.at(g.left - 1, middle_y), ae::viz::kAxis);
  EXPECT_EQ(png.at(g.right, middle_y), ae::viz::kAxis);
  EXPECT_EQ(png.at((g.left + g.right) / 2, g.bottom), ae::viz::kAxis);
  // Point i, by hand from the padded range: x pixel = left + (x + 0.08) / 2.16 * width.
  for (size_t i = 0; i < xs.size(); ++i) {
    const double px = g.left + (xs[i] + 0.08) / 2.16 * (g.right - g.left);
    const double py = g.bottom - (ys[i] + 0.04) / 1.08 * (g.bottom - g.top);
    EXPECT_EQ(png.at(px, py), ae::viz::class_color(labels[i])) << "point " << i;
  }
  // A legend right of the plot: a dot of each class colour and its name.
  int found = 0;
  for (int c = 0; c < 3; ++c) {
    for (int y = static_cast<int>(g.top); y < g.bottom && found == c; ++y)
      for (int x = static_cast<int>(g.right) + 10; x < png.width; ++x)
        if (png.at(x, y) == ae::viz::class_color(c)) {
          ++found;
          break;
        }
  }
  EXPECT_EQ(found, 3);
  EXPECT_GT(png.ink(static_cast<int>(g.right) + 10, static_cast<int>(g.top), png.width,
                    static_cast<int>(g.top) + 80),
            60);
  // Title, axis labels and tick numbers are drawn in the margins.
  EXPECT_GT(png.ink(0, 0, png.width, static_cast<int>(g.top) - 1), 50);
  EXPECT_GT(png.ink(0, static_cast<int>(g.bottom) + 2, png.width, png.height), 50);
  EXPECT_GT(
      png.ink(0, static_cast<int>(g.top), static_cast<int>(g.left) - 2, static_cast<int>(g.bottom)),
      50);
}

TEST_F(VizFigures, ScatterSkipsNonFinitePointsAndSaysSo) {
  const std::vector<float> xs = {0.0f, NAN, 1.0f, INFINITY};
  const std::vector<float> ys = {0.0f, 1.0f, 1.0f, 2.0f};
  const fs::path file = dir_ / "nan.png";
  const auto g = ae::viz::scatter_plot(file, xs, ys, {}, {}, "", "", "");
  // The range comes from the finite points only.
  EXPECT_NEAR(g.x_hi, 1.04, 1e-9);
  EXPECT_NEAR(g.y_hi, 1.04, 1e-9);
  const Png png = load(file);
  EXPECT_EQ(png.at(g.x_to_px(1.0), g.y_to_px(1.0)), ae::viz::class_color(0));
  EXPECT_GT(png.ink(png.width / 2, png.height - 20, png.width, png.height), 20);  // the note

  // No points at all: an empty frame, no crash.
  EXPECT_NO_THROW(ae::viz::scatter_plot(dir_ / "empty.png", {}, {}, {}, {}, "Nothing", "x", "y"));
}

TEST_F(VizFigures, ScatterErrors) {
  const std::vector<float> two = {1, 2}, three = {1, 2, 3};
  const std::vector<int> labels = {0, -1};
  std::string message =
      error_of([&] { ae::viz::scatter_plot(dir_ / "s.png", two, three, {}, {}, "", "", ""); });
  EXPECT_NE(message.find("2 x values but 3 y values"), std::string::npos) << message;
  message =
      error_of([&] { ae::viz::scatter_plot(dir_ / "s.png", two, two, labels, {}, "", "", ""); });
  EXPECT_NE(message.find("label -1 of point 1 is negative"), std::string::npos) << message;
  message = error_of([&] {
    ae::viz::scatter_plot(dir_ / "s.png", two, two, std::vector<int>{0}, {}, "", "", "");
  });
  EXPECT_NE(message.find("1 labels for 2 points"), std::string::npos) << message;
}

// ---- line plot ----

TEST_F(VizFigures, LinePassesThroughItsPoints) {
  // Series 0 is flat at y = 2, series 1 climbs from 1 to 3.
  const fs::path file = dir_ / "lines.png";
  const auto g = ae::viz::line_plot(
      file, {{"flat", {}, {2, 2, 2}}, {"rising", {1, 2, 3}, {1, 2, 3}}}, "Loss", "epoch", "loss");
  const Png png = load(file);
  ASSERT_EQ(png.width, 900);
  ASSERT_EQ(png.height, 600);
  EXPECT_EQ(png.at(png.width - 1, 0), ae::viz::kWhite);
  // x from 1 to 3 padded by 2%, y from 1 to 3 padded by 5%.
  EXPECT_NEAR(g.x_lo, 0.96, 1e-9);
  EXPECT_NEAR(g.x_hi, 3.04, 1e-9);
  EXPECT_NEAR(g.y_lo, 0.9, 1e-9);
  EXPECT_NEAR(g.y_hi, 3.1, 1e-9);
  // Between the points of the flat series (x = 1.5, y = 2): on its 2-pixel line.
  const double px = g.left + (1.5 - 0.96) / 2.08 * (g.right - g.left);
  const double py = g.bottom - (2 - 0.9) / 2.2 * (g.bottom - g.top);
  EXPECT_EQ(png.at(px, py), ae::viz::class_color(0));
  // The last point of the rising series (3, 3), drawn after the flat one.
  EXPECT_EQ(png.at(g.x_to_px(3), g.y_to_px(3)), ae::viz::class_color(1));
  // Far from both lines: background.
  EXPECT_EQ(png.at(g.x_to_px(2.9), g.y_to_px(1.1)), ae::viz::kWhite);
}

TEST_F(VizFigures, LogScaleSpacesDecadesEvenly) {
  const fs::path file = dir_ / "log.png";
  const auto g =
      ae::viz::line_plot(file, {{"loss", {}, {1, 10, 100, -1, NAN}}}, "", "epoch", "loss", true);
  EXPECT_TRUE(g.log_y);
  // 10 sits halfway between 1 and 100 on a log axis.
  EXPECT_NEAR(g.y_to_px(10), (g.y_to_px(1) + g.y_to_px(100)) / 2, 1e-9);
  const Png png = load(file);
  EXPECT_EQ(png.at(g.x_to_px(2), g.y_to_px(10)), ae::viz::class_color(0));
  // -1 and NaN are left out, with two notes saying so.
  EXPECT_GT(png.ink(png.width / 2, png.height - 35, png.width, png.height), 40);
}

TEST_F(VizFigures, LinePlotErrors) {
  std::string message = error_of([&] {
    ae::viz::line_plot(dir_ / "l.png", {{"train", {1, 2}, {1}}}, "", "", "");
  });
  EXPECT_NE(message.find("series \"train\" has 2 x values but 1 y values"), std::string::npos)
      << message;
  EXPECT_NO_THROW(ae::viz::line_plot(dir_ / "none.png", {}, "No data", "x", "y"));
  EXPECT_NO_THROW(
      ae::viz::line_plot(dir_ / "nan.png", {{"all NaN", {}, {NAN, NAN}}}, "", "", "", true));
}

// ---- bar chart ----

TEST_F(VizFigures, BarsStandOnZero) {
  const fs::path file = dir_ / "bars.png";
  const auto g = ae::viz::bar_chart(file, {1, 2, 3, 4}, "Spectrum", "component", "variance");
  const Png png = load(file);
  EXPECT_EQ(png.at(0, png.height - 1), ae::viz::kWhite);
  // Bars k = 1..4 on [0.5, 4.5]; y from exactly 0 to 4 + 5%.
  EXPECT_DOUBLE_EQ(g.x_lo, 0.5);
  EXPECT_DOUBLE_EQ(g.x_hi, 4.5);
  EXPECT_DOUBLE_EQ(g.y_lo, 0.0);
  EXPECT_NEAR(g.y_hi, 4.2, 1e-9);
  const double slot = (g.right - g.left) / 4;
  // Inside bar 3 (x = 3, below its top at 3) and above it.
  const double x3 = g.left + 2.5 * slot;
  EXPECT_EQ(png.at(x3, g.bottom - 2.5 / 4.2 * (g.bottom - g.top)), ae::viz::class_color(0));
  EXPECT_EQ(png.at(x3 + 3, g.bottom - 3.3 / 4.2 * (g.bottom - g.top)), ae::viz::kWhite);
  // Bars fill 80% of their slot: the gap between bars 3 and 4 is background.
  EXPECT_EQ(png.at(g.left + 3 * slot, g.bottom - 5), ae::viz::kWhite);
}

TEST_F(VizFigures, CumulativeLineOnTheRightAxis) {
  // Shares 25%, 50%, 100% of the total on a right axis from 0 to 105.
  const fs::path file = dir_ / "cumulative.png";
  const auto g = ae::viz::bar_chart(file, {1, 1, 2}, "", "k", "value", true);
  const Png png = load(file);
  const double y50 = g.bottom - 50.0 / 105.0 * (g.bottom - g.top);
  EXPECT_EQ(png.at(g.x_to_px(2), y50), ae::viz::class_color(1));
  // The right axis has numbers right of the frame, and the legend lies beyond them.
  EXPECT_GT(png.ink(static_cast<int>(g.right) + 2, static_cast<int>(g.top),
                    static_cast<int>(g.right) + 40, static_cast<int>(g.bottom)),
            40);

  std::string message = error_of([&] {
    ae::viz::bar_chart(dir_ / "b.png", {1, -2}, "", "", "", true);
  });
  EXPECT_NE(message.find("value 1 is -2"), std::string::npos) << message;
  EXPECT_NO_THROW(ae::viz::bar_chart(dir_ / "nan.png", {1, NAN, 3}, "", "", "", true));
  EXPECT_NO_THROW(ae::viz::bar_chart(dir_ / "neg.png", {-1, 2, -3}, "", "", ""));
  EXPECT_NO_THROW(ae::viz::bar_chart(dir_ / "empty.png", {}, "", "", ""));
  EXPECT_NO_THROW(
      ae::viz::bar_chart(dir_ / "many.png", std::vector<double>(784, 1.0), "", "", "", true));
}
