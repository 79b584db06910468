#pragma once
// Figures as PNG files: image grids, scatter plots, line plots and bar charts.
//
//   viz::image_grid("out/recon.png", {originals, reconstructions}, {"input", "output"},
//                   "Autoencoder 784-64-784 on Fashion-MNIST");
//   viz::scatter_plot("out/codes.png", xs, ys, labels, data::class_names("fashion-mnist"),
//                     "2-D codes", "z1", "z2");
//   viz::line_plot("out/loss.png", {{"train", {}, train_loss}, {"test", {}, test_loss}},
//                  "Reconstruction error", "epoch", "MSE", /*log_y=*/true);
//   viz::bar_chart("out/spectrum.png", eigenvalues, "Covariance spectrum", "component",
//                  "variance", /*cumulative_line=*/true);
//
// Inputs are plain numbers, so figures do not depend on autograd. Values that are NaN or
// infinite never crash a figure: chart points are left out (a note on the figure says how
// many) and image pixels show in red. The PNG's directory must exist; errors are ae::Error
// naming the function and the path or argument at fault.
// Each function returns where it put things, so a test (or a caller adding marks) can
// find a data value's pixel.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "nn/viz/frame.hpp"
#include "tensor/tensor.hpp"

namespace ae::viz {

/// A grayscale image, row-major, 0 = black and 1 = white (values are clamped to [0, 1]).
struct GrayImage {
  int64_t height = 0;
  int64_t width = 0;
  std::vector<float> pixels;
};

/// Where image_grid put its cells. Image (row r, column c) has its top-left corner at
/// (cell_x(c), cell_y(r)) and covers height*scale x width*scale pixels (centred in the
/// cell when smaller than the largest image).
struct GridGeometry {
  int width = 0, height = 0;  ///< the canvas
  int left = 0, top = 0;      ///< the first cell
  int cell_width = 0, cell_height = 0;
  int gap_x = 0, gap_y = 0;
  int scale = 1;
  int cell_x(int column) const { return left + column * (cell_width + gap_x); }
  int cell_y(int row) const { return top + row * (cell_height + gap_y); }
};

/// Rows of images, each row a list (rows may differ in length), with a label left of each
/// row and a title on top; every image pixel becomes a scale x scale block.
GridGeometry image_grid(const std::filesystem::path& path,
                        const std::vector<std::vector<GrayImage>>& rows,
                        const std::vector<std::string>& row_labels, const std::string& title,
                        int scale = 3);

/// The same from tensors: each row is (n, height, width), or (n, d) with d a square number
/// (d = 784 gives 28 x 28 images).
GridGeometry image_grid(const std::filesystem::path& path, const std::vector<Tensor>& rows,
                        const std::vector<std::string>& row_labels, const std::string& title,
                        int scale = 3);

/// Points (xs[i], ys[i]) coloured by class labels[i] (class_color), with a legend of
/// class_names. labels may be empty (one colour, no legend); class_names may be shorter
/// than the largest label + 1 (the missing names are the numbers).
PlotGeometry scatter_plot(const std::filesystem::path& path, std::span<const float> xs,
                          std::span<const float> ys, std::span<const int> labels,
                          const std::vector<std::string>& class_names, const std::string& title,
                          const std::string& xlabel, const std::string& ylabel);

/// One line of a line plot. Empty xs means 1, 2, ..., ys.size() (epochs).
struct Series {
  std::string name;
  std::vector<double> xs;
  std::vector<double> ys;
};

/// Lines (with dots at the points when a series has at most 40), one colour per series,
/// with a legend. log_y draws y on a log10 scale; points with y <= 0 are then left out.
PlotGeometry line_plot(const std::filesystem::path& path, const std::vector<Series>& series,
                       const std::string& title, const std::string& xlabel,
                       const std::string& ylabel, bool log_y = false);

/// Bars of values[0], values[1], ... at x = 1, 2, ... from y = 0. cumulative_line adds the
/// running sum as a percentage of the total on a right-hand axis (for a spectrum: the share
/// of the variance the first k components hold); it needs non-negative values.
PlotGeometry bar_chart(const std::filesystem::path& path, const std::vector<double>& values,
                       const std::string& title, const std::string& xlabel,
                       const std::string& ylabel, bool cumulative_line = false);

}  // namespace ae::viz
