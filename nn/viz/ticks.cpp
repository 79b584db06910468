// Nice tick values and their labels.
#include "nn/viz/ticks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace ae::viz {

double nice_number(double x, bool round) {
  const double exponent = std::floor(std::log10(x));
  const double power = std::pow(10.0, exponent);
  const double fraction = x / power;  // in [1, 10)
  double nice;
  if (round) {
    nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  } else {
    nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  }
  return nice * power;
}

std::string format_number(double value) {
  if (value == 0 || std::abs(value) < 1e-300) return "0";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  std::string text = buffer;
  // "1e-05" -> "1e-5", "2e+06" -> "2e6": the exponent's sign and zero padding are noise.
  const size_t e = text.find('e');
  if (e != std::string::npos) {
    std::string mantissa = text.substr(0, e);
    std::string exponent = text.substr(e + 1);
    const bool negative = exponent[0] == '-';
    exponent = exponent.substr(1);
    exponent.erase(0, std::min(exponent.find_first_not_of('0'), exponent.size() - 1));
    text = mantissa + "e" + (negative ? "-" : "") + exponent;
  }
  return text;
}

namespace {

// Decimals needed to print multiples of step exactly (step = 1, 2 or 5 x 10^k).
int decimals_for(double step) {
  int decimals = 0;
  double scaled = step;
  while (decimals < 12 && std::abs(scaled - std::round(scaled)) > 1e-9 * std::max(1.0, scaled)) {
    scaled *= 10;
    ++decimals;
  }
  return decimals;
}

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string text = buffer;
  // A tiny negative value rounds to "-0.0": print the zero without its sign.
  if (text[0] == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
  return text;
}

}  // namespace

Ticks linear_ticks(double lo, double hi, int target, double min_step) {
  Ticks ticks;
  if (!(std::isfinite(lo) && std::isfinite(hi)) || !(hi > lo)) return ticks;
  target = std::max(target, 2);
  const double step = std::max(nice_number((hi - lo) / (target - 1), true), min_step);
  // Multiples k * step, computed from k so that errors do not accumulate along the axis.
  const double first = std::ceil(lo / step - 1e-9);
  const double last = std::floor(hi / step + 1e-9);
  const double biggest = std::max(std::abs(lo), std::abs(hi));
  // Very large or very small numbers read better as 1.5e6 than as 1500000.
  const bool scientific = biggest >= 1e6 || step < 1e-4;
  const int decimals = decimals_for(step);
  for (double k = first; k <= last; ++k) {
    const double value = k * step;
    ticks.values.push_back(value);
    ticks.labels.push_back(scientific ? format_number(value) : fixed(value, decimals));
  }
  return ticks;
}

Ticks log_ticks(double lo, double hi, int target) {
  Ticks ticks;
  if (!(lo > 0) || !(hi > lo) || !std::isfinite(hi)) return ticks;
  target = std::max(target, 2);
  const int first = static_cast<int>(std::ceil(std::log10(lo) - 1e-9));
  const int last = static_cast<int>(std::floor(std::log10(hi) + 1e-9));
  const int powers = last - first + 1;
  if (powers >= 3) {
    // Every power of ten, or every 2nd, 3rd, ... when there are too many.
    const int every = std::max(1, (powers + target - 1) / target);
    for (int k = first; k <= last; ++k) {
      if ((k - first) % every != 0) continue;
      ticks.values.push_back(std::pow(10.0, k));
      ticks.labels.push_back(format_number(std::pow(10.0, k)));
    }
    return ticks;
  }
  for (int k = first - 1; k <= last; ++k) {
    for (double m : {1.0, 2.0, 5.0}) {
      const double value = m * std::pow(10.0, k);
      if (value >= lo * (1 - 1e-9) && value <= hi * (1 + 1e-9)) {
        ticks.values.push_back(value);
        ticks.labels.push_back(format_number(value));
      }
    }
  }
  if (ticks.values.size() >= 2) return ticks;
  return linear_ticks(lo, hi, target);
}

}  // namespace ae::viz
