// The confusion heatmap: decoded back, each cell must carry the shade of its row share at
// its centre's edge, and the names must be written left of the rows and below the columns.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "linalg/error.hpp"
#include "nn/viz/heatmap.hpp"

#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#define STBI_ONLY_PNG
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <stb/stb_image.h>
#pragma GCC diagnostic pop

namespace fs = std::filesystem;

namespace {

fs::path temp_png(const std::string& name) {
  return fs::temp_directory_path() / ("aelab_heatmap_" + std::to_string(getpid()) + "_" + name);
}

struct Pixel {
  int r, g, b;
};

}  // namespace

TEST(HeatmapColor, RunsFromWhiteToDarkBlue) {
  const auto white = ae::viz::heatmap_color(0.0), dark = ae::viz::heatmap_color(1.0);
  EXPECT_EQ(white.r, 255);
  EXPECT_EQ(white.g, 255);
  EXPECT_EQ(white.b, 255);
  EXPECT_EQ(dark.r, 8);
  EXPECT_EQ(dark.g, 48);
  EXPECT_EQ(dark.b, 107);
  // Half way: the mean of the two ends, rounded: (255 + 8) / 2 = 131.5 -> 132.
  EXPECT_EQ(ae::viz::heatmap_color(0.5).r, 132);
  // Out of range and NaN are clamped, not wrapped.
  EXPECT_EQ(ae::viz::heatmap_color(2.0).r, 8);
  EXPECT_EQ(ae::viz::heatmap_color(-1.0).r, 255);
  EXPECT_EQ(ae::viz::heatmap_color(std::nan("")).r, 255);
}

TEST(ConfusionHeatmap, CellsAreShadedByTheShareOfTheirRow) {
  // Row 0: all 4 on the diagonal (share 1); row 1: 1 of 4 right, 3 wrong (shares 3/4, 1/4).
  const std::vector<int64_t> counts = {4, 0, 3, 1};
  const fs::path file = temp_png("cells.png");
  const auto g = ae::viz::confusion_heatmap(file, counts, 2, {"cat", "dog"}, "Confusion");
  int w = 0, h = 0, channels = 0;
  unsigned char* data = stbi_load(file.c_str(), &w, &h, &channels, 3);
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(w, g.width);
  EXPECT_EQ(h, g.height);
  auto at = [&](int x, int y) {
    const unsigned char* p = data + (static_cast<size_t>(y) * w + x) * 3;
    return Pixel{p[0], p[1], p[2]};
  };
  // A point inside each cell, away from its centre (the count) and its edges.
  auto probe = [&](int row, int col) { return at(g.cell_x(col) + 4, g.cell_y(row) + 4); };
  auto expect_shade = [&](int row, int col, double share) {
    const auto want = ae::viz::heatmap_color(share);
    const Pixel got = probe(row, col);
    EXPECT_NEAR(got.r, want.r, 2) << row << "," << col;
    EXPECT_NEAR(got.g, want.g, 2) << row << "," << col;
    EXPECT_NEAR(got.b, want.b, 2) << row << "," << col;
  };
  expect_shade(0, 0, 1.0);
  expect_shade(0, 1, 0.0);
  expect_shade(1, 0, 0.75);
  expect_shade(1, 1, 0.25);
  // The row names are written left of the grid: some ink there in row 0's band.
  int ink = 0;
  for (int y = g.cell_y(0); y < g.cell_y(1); ++y)
    for (int x = 0; x < g.left - 2; ++x) ink += at(x, y).r < 128;
  EXPECT_GT(ink, 10);
  stbi_image_free(data);
  fs::remove(file);
}

TEST(ConfusionHeatmap, RejectsCountsThatAreNotSquare) {
  try {
    ae::viz::confusion_heatmap(temp_png("bad.png"), {1, 2, 3}, 2, {}, "bad");
    FAIL() << "no error";
  } catch (const ae::Error& e) {
    EXPECT_NE(std::string(e.what()).find("3 counts for 2 classes"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ae::viz::confusion_heatmap(temp_png("bad.png"), {1, 2, 3, 4}, 2, {"one"}, "bad"), ae::Error);
}
