// Quiver plots: an arrow's shaft and head are where its coordinates say, both axes have one
// scale, and bad input is an error that says what is wrong.
#include "nn/viz/quiver.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "linalg/error.hpp"

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
using ae::viz::Canvas;
using ae::viz::Color;

namespace {

bool is_ink(Color c) { return c.r + c.g + c.b < 3 * 200; }

}  // namespace

TEST(VizArrow, ShaftAndHeadWhereTheCoordinatesSay) {
  Canvas canvas(100, 60);
  const Color red{200, 0, 0};
  // A horizontal arrow from (10, 30.5) to (80, 30.5): the head points right.
  ae::viz::draw_arrow(canvas, 10, 30.5, 80, 30.5, red, 2.0, 10.0);
  EXPECT_EQ(canvas.pixel(45, 30), red);                // on the shaft
  EXPECT_EQ(canvas.pixel(45, 20), ae::viz::kWhite);    // well off it
  EXPECT_EQ(canvas.pixel(90, 30), ae::viz::kWhite);    // beyond the tip
  // The head's strokes end 10 px back from the tip at ±25°: at x = 80 - 10 cos 25° ≈ 70.9,
  // y = 30.5 ± 10 sin 25° ≈ 30.5 ± 4.2.
  EXPECT_TRUE(is_ink(canvas.pixel(72, 27))) << "upper stroke";
  EXPECT_TRUE(is_ink(canvas.pixel(72, 34))) << "lower stroke";
  // Nothing of the head behind the tail.
  EXPECT_EQ(canvas.pixel(12, 26), ae::viz::kWhite);

  // An arrow shorter than a pixel is a dot at its tail.
  Canvas small(20, 20);
  ae::viz::draw_arrow(small, 10, 10, 10.2, 10.1, red, 2.0);
  EXPECT_TRUE(is_ink(small.pixel(10, 10)));
}

TEST(VizQuiver, ArrowsOnAxesWithOneScale) {
  const fs::path dir = fs::temp_directory_path() / ("aelab_quiver_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path file = dir / "quiver.png";
  // Two arrows: (0, 0) → (2, 0) and (0, 1) → (0, 0); data points spread over x ∈ [-1, 3] but
  // y ∈ [0, 1] only, so without one scale the y axis would be stretched.
  const std::vector<ae::viz::Arrow> arrows = {{0, 0, 2, 0}, {0, 1, 0, -1}};
  const std::vector<float> px = {-1, 3, 1}, py = {0, 1, 0.5f};
  const auto g = ae::viz::quiver_plot(file, arrows, px, py, "A field", "x", "y",
                                      {.arrows = "step", .points = "data"});
  const double px_per_x = (g.right - g.left) / (g.x_hi - g.x_lo);
  const double px_per_y = (g.bottom - g.top) / (g.y_hi - g.y_lo);
  EXPECT_NEAR(px_per_x / px_per_y, 1.0, 1e-9);
  EXPECT_LE(g.x_lo, -1.0);
  EXPECT_GE(g.x_hi, 3.0);

  int width = 0, height = 0, channels = 0;
  unsigned char* data = stbi_load(file.c_str(), &width, &height, &channels, 3);
  ASSERT_NE(data, nullptr) << stbi_failure_reason();
  auto at = [&](double x, double y) {
    const unsigned char* p = data + (size_t(std::floor(y)) * size_t(width) + size_t(std::floor(x))) * 3;
    return Color{p[0], p[1], p[2]};
  };
  EXPECT_EQ(width, g.width);
  // The middle of each shaft carries the arrow colour; the gray data point at (1, 0.5) is gray.
  // (Anti-aliasing blends the shaft's edge with the white page, so compare with the mix.)
  const Color arrow = ae::viz::class_color(0);
  for (const Color c : {at(g.x_to_px(1.0) + 0.5, g.y_to_px(0.0)), at(g.x_to_px(0.0), g.y_to_px(0.5) + 0.5)}) {
    EXPECT_TRUE(is_ink(c));
    EXPECT_LT(std::abs(int(c.r) - int(arrow.r)) + std::abs(int(c.g) - int(arrow.g)) + std::abs(int(c.b) - int(arrow.b)), 60)
        << int(c.r) << "," << int(c.g) << "," << int(c.b);
  }
  const Color gray = at(g.x_to_px(1.0), g.y_to_px(0.5));
  EXPECT_EQ(gray.r, gray.g);
  EXPECT_EQ(gray.g, gray.b);
  EXPECT_LT(gray.r, 230);
  EXPECT_EQ(at(g.x_to_px(2.5), g.y_to_px(0.75)), ae::viz::kWhite);  // nothing there
  stbi_image_free(data);
  fs::remove_all(dir);
}

TEST(VizQuiver, Errors) {
  const std::vector<float> two = {0, 1}, one = {0};
  try {
    ae::viz::quiver_plot("/nonexistent/q.png", {}, two, one, "", "x", "y");
    ADD_FAILURE() << "no error";
  } catch (const ae::Error& e) {
    EXPECT_NE(std::string(e.what()).find("2 point x values but 1 y values"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ae::viz::quiver_plot("/nonexistent/q.png", {}, two, two, "", "x", "y", {.arrows = "", .points = "", .scale = 0}), ae::Error);
  // A directory that does not exist: the PNG writer's error names the path.
  try {
    ae::viz::quiver_plot("/nonexistent/q.png", {{0, 0, 1, 1}}, two, two, "", "x", "y");
    ADD_FAILURE() << "no error";
  } catch (const ae::Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/q.png"), std::string::npos) << e.what();
  }
}
