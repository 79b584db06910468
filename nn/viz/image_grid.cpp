// Image grids: rows of grayscale images, e.g. inputs over their reconstructions.
#include <algorithm>
#include <cmath>

#include "linalg/error.hpp"
#include "nn/viz/plots.hpp"

namespace ae::viz {

namespace {

constexpr int kEdge = 12;
constexpr double kTitleSize = 20;
constexpr double kRowLabelSize = 16;

uint8_t gray_level(float v) {
  return static_cast<uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
}

}  // namespace

GridGeometry image_grid(const std::filesystem::path& path,
                        const std::vector<std::vector<GrayImage>>& rows,
                        const std::vector<std::string>& row_labels, const std::string& title,
                        int scale) {
  const std::string who = "image_grid";
  if (scale < 1 || scale > 32) {
    throw Error(who + ": scale " + std::to_string(scale) + " is not in 1..32");
  }
  if (!row_labels.empty() && row_labels.size() != rows.size()) {
    throw Error(who + ": " + std::to_string(row_labels.size()) + " row labels for " +
                std::to_string(rows.size()) + " rows");
  }
  int64_t max_h = 0, max_w = 0;
  size_t max_columns = 0;
  for (size_t r = 0; r < rows.size(); ++r) {
    max_columns = std::max(max_columns, rows[r].size());
    for (size_t c = 0; c < rows[r].size(); ++c) {
      const GrayImage& image = rows[r][c];
      if (image.height <= 0 || image.width <= 0 ||
          static_cast<int64_t>(image.pixels.size()) != image.height * image.width) {
        throw Error(who + ": row " + std::to_string(r) + ", image " + std::to_string(c) + " has " +
                    std::to_string(image.pixels.size()) + " pixels for a " +
                    std::to_string(image.height) + "x" + std::to_string(image.width) + " image");
      }
      max_h = std::max(max_h, image.height);
      max_w = std::max(max_w, image.width);
    }
  }
  if (max_columns == 0) throw Error(who + ": no images to draw");
  if (max_h * scale > 4000 || max_w * scale > 4000) {
    throw Error(who + ": images of " + std::to_string(max_h) + "x" + std::to_string(max_w) +
                " at scale " + std::to_string(scale) + " are too large for a figure");
  }

  GridGeometry g;
  g.scale = scale;
  g.cell_width = static_cast<int>(max_w) * scale;
  g.cell_height = static_cast<int>(max_h) * scale;
  g.gap_x = 4;
  g.gap_y = 10;
  double label_width = 0;
  for (const auto& label : row_labels) {
    label_width = std::max(label_width, text_width(label, kRowLabelSize));
  }
  g.left = kEdge + (label_width > 0 ? static_cast<int>(std::ceil(label_width)) + 12 : 0);
  g.top = kEdge + (title.empty() ? 0 : static_cast<int>(kTitleSize) + 14);
  const int columns = static_cast<int>(max_columns);
  const int grid_width = columns * g.cell_width + (columns - 1) * g.gap_x;
  const int grid_height = static_cast<int>(rows.size()) * (g.cell_height + g.gap_y) - g.gap_y;
  const double title_width = title.empty() ? 0 : text_width(title, kTitleSize, FontWeight::Bold);
  g.width =
      std::max(g.left + grid_width + kEdge, static_cast<int>(std::ceil(title_width)) + 2 * kEdge);
  g.height = g.top + grid_height + kEdge;

  Canvas canvas(g.width, g.height);
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < rows[r].size(); ++c) {
      const GrayImage& image = rows[r][c];
      const int x0 = g.cell_x(static_cast<int>(c)) +
                     (g.cell_width - static_cast<int>(image.width) * scale) / 2;
      const int y0 = g.cell_y(static_cast<int>(r)) +
                     (g.cell_height - static_cast<int>(image.height) * scale) / 2;
      for (int64_t i = 0; i < image.height; ++i) {
        for (int64_t j = 0; j < image.width; ++j) {
          const float v = image.pixels[static_cast<size_t>(i * image.width + j)];
          const uint8_t level = std::isfinite(v) ? gray_level(v) : 0;
          const Color color = std::isfinite(v) ? Color{level, level, level} : kNotFinite;
          canvas.fill_rect(x0 + j * scale, y0 + i * scale, x0 + (j + 1) * scale,
                           y0 + (i + 1) * scale, color);
        }
      }
    }
    if (!row_labels.empty()) {
      canvas.draw_text(row_labels[r], g.left - 12,
                       g.cell_y(static_cast<int>(r)) + g.cell_height / 2.0, kRowLabelSize, kText,
                       Align::End, Align::Center);
    }
  }
  if (!title.empty()) {
    canvas.draw_text(title, g.width / 2.0, kEdge, kTitleSize, kText, Align::Center, Align::Start,
                     FontWeight::Bold);
  }
  canvas.save_png(path, who);
  return g;
}

GridGeometry image_grid(const std::filesystem::path& path, const std::vector<Tensor>& rows,
                        const std::vector<std::string>& row_labels, const std::string& title,
                        int scale) {
  std::vector<std::vector<GrayImage>> images;
  for (size_t r = 0; r < rows.size(); ++r) {
    const Tensor& t = rows[r];
    int64_t h = 0, w = 0;
    if (t.defined() && t.dim() == 3) {
      h = t.size(1), w = t.size(2);
    } else if (t.defined() && t.dim() == 2) {
      const auto side =
          static_cast<int64_t>(std::llround(std::sqrt(static_cast<double>(t.size(1)))));
      if (side * side != t.size(1)) {
        throw Error("image_grid: row " + std::to_string(r) + " has shape " + to_string(t.shape()) +
                    "; rows of " + std::to_string(t.size(1)) +
                    " values are not square images: reshape it to (n, height, width)");
      }
      h = w = side;
    } else {
      throw Error("image_grid: row " + std::to_string(r) + " has shape " +
                  (t.defined() ? to_string(t.shape()) : std::string("(undefined)")) +
                  "; expected (n, height, width) or (n, height*width)");
    }
    const std::vector<float> values = t.to_vector();
    std::vector<GrayImage>& row = images.emplace_back();
    for (int64_t n = 0; n < t.size(0); ++n) {
      const auto begin = values.begin() + n * h * w;
      row.push_back({h, w, std::vector<float>(begin, begin + h * w)});
    }
  }
  return image_grid(path, images, row_labels, title, scale);
}

}  // namespace ae::viz
