#pragma once
// PlotFrame — the parts every chart shares: the title, a plot area with a frame, ticks,
// grid lines and axis labels, an optional second y axis on the right, and a legend.
//
// A chart is drawn in three steps:
//   PlotFrame frame(options);          // lays out the figure, draws the grid
//   ... draw the data through frame.geometry().x_to_px / y_to_px onto frame.canvas() ...
//   frame.finish(); frame.save(path);  // frame, ticks, labels, legend on top; the PNG
// finish() repaints the margins, so data drawn past the plot area is cut off at its edge.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "nn/viz/canvas.hpp"
#include "nn/viz/ticks.hpp"

namespace ae::viz {

/// Where a chart's plot area lies on its canvas and which data values its edges show.
/// Tests and callers use it to find a data point's pixel.
struct PlotGeometry {
  int width = 0, height = 0;  ///< the canvas
  double left = 0, top = 0;   ///< plot area, in pixels: [left, right) x [top, bottom)
  double right = 0, bottom = 0;
  double x_lo = 0, x_hi = 1;  ///< data values at the left and right edges
  double y_lo = 0, y_hi = 1;  ///< data values at the bottom and top edges
  bool log_y = false;         ///< y is drawn on a log10 scale
  double x_to_px(double x) const;
  double y_to_px(double y) const;
};

struct AxisOptions {
  std::string label;
  double lo = 0, hi = 1;  ///< the range the axis shows (exactly; pad it before if wanted)
  bool log = false;
  bool integer = false;  ///< ticks only at whole numbers (epochs, component numbers)
};

enum class LegendMarker { Dot, Line, Box };

struct LegendEntry {
  std::string name;
  Color color;
  LegendMarker marker = LegendMarker::Dot;
};

struct FrameOptions {
  int width = 900, height = 600;
  std::string title;
  AxisOptions x, y;
  std::optional<AxisOptions> y_right;  ///< a second y axis, for a second quantity
  std::vector<LegendEntry> legend;     ///< drawn right of the plot area when not empty
  std::string who;                     ///< the chart function, for error messages
};

/// Pads a data range by `fraction` of its width on each side (in log10 space for a log
/// axis), so points do not sit on the frame. Non-finite or empty ranges become [0, 1]
/// ([1, 10] for log); a single value v becomes v -/+ 1 (v / 2 .. 2v for log).
AxisOptions padded_axis(const std::string& label, double lo, double hi, double fraction, bool log);

class PlotFrame {
 public:
  explicit PlotFrame(FrameOptions options);

  Canvas& canvas() { return canvas_; }
  const PlotGeometry& geometry() const { return geometry_; }
  /// Pixel row of a value on the right-hand axis.
  double y_right_to_px(double value) const;
  /// A short remark in small type at the bottom right, e.g. how many points were not finite.
  void add_note(const std::string& note) { notes_.push_back(note); }

  /// Draws everything that goes on top of the data.
  void finish();
  void save(const std::filesystem::path& path) const { canvas_.save_png(path, options_.who); }

 private:
  void draw_legend();
  double legend_box_width() const;

  FrameOptions options_;
  Canvas canvas_;
  PlotGeometry geometry_;
  Ticks x_ticks_, y_ticks_, right_ticks_;
  double legend_left_ = 0;
  std::vector<std::string> notes_;
};

}  // namespace ae::viz
