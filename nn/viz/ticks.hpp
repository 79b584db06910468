#pragma once
// Axis ticks at "nice" numbers.
//
// A reader takes in an axis fastest when the ticks sit at 1, 2 or 5 times a power of ten.
// The step is the range divided by the wanted number of intervals, rounded to such a
// number with the cut-offs of Heckbert's "Nice numbers for graph labels" (Graphics Gems,
// 1990). Unlike Heckbert we do not first round the range itself up to a nice number: that
// can double the step and leave an axis with only three ticks.
#include <string>
#include <vector>

namespace ae::viz {

struct Ticks {
  std::vector<double> values;       ///< increasing, all inside the axis range
  std::vector<std::string> labels;  ///< one per value, as printed on the axis
};

/// A nice number near x > 0: 1, 2, 5 or 10 times a power of ten. round = true takes the
/// nearest (cut-offs 1.5, 3, 7); false the smallest at least x.
double nice_number(double x, bool round);

/// Ticks at multiples of a nice step inside [lo, hi], about `target` of them (at least 2
/// when the range allows). Labels carry as many decimals as the step needs. The step is
/// at least min_step (1 for axes that count things: epochs, components).
Ticks linear_ticks(double lo, double hi, int target, double min_step = 0);

/// Ticks for a logarithmic axis over [lo, hi] (0 < lo < hi): the powers of ten inside,
/// thinned to about `target`; with 2x and 5x multiples added when fewer than 3 powers fit;
/// linear ticks when even those give fewer than 2.
Ticks log_ticks(double lo, double hi, int target);

/// A number for a tick label: "0.25", "1500", "1e-05" -> "1e-5"; at most 6 significant
/// digits, no trailing zeros, never "-0".
std::string format_number(double value);

}  // namespace ae::viz
