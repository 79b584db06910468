#include "nn/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace ae::nn {

ProgressMode resolve_progress_mode(ProgressMode mode) {
  if (mode != ProgressMode::Auto) return mode;
  return ::isatty(STDERR_FILENO) ? ProgressMode::Bar : ProgressMode::Lines;
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto total = static_cast<int64_t>(std::llround(seconds));
  const int64_t h = total / 3600, m = (total / 60) % 60, s = total % 60;
  return h > 0 ? fmt::format("{}:{:02}:{:02}", h, m, s) : fmt::format("{}:{:02}", m, s);
}

std::string format_rate(double r) {
  if (!std::isfinite(r) || r < 0) return "?";
  if (r >= 999.5e3) return fmt::format("{:.3g}M", r / 1e6);
  if (r >= 999.5) return fmt::format("{:.3g}k", r / 1e3);
  return fmt::format("{:.0f}", r);
}

std::string format_terms(const NamedValues& terms) {
  if (terms.size() < 2) return "";
  std::string out = " (";
  for (std::size_t i = 0; i < terms.size(); ++i)
    out += fmt::format("{}{} {:.4g}", i ? ", " : "", terms[i].first, terms[i].second);
  return out + ")";
}

namespace {

double steady_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// A bar redraws at most this often: drawing every batch of a fast model would cost more
// than the batch.
constexpr double kRedrawSeconds = 0.1;
constexpr int kBarWidth = 20;

}  // namespace

ProgressBar::ProgressBar(std::string label, int64_t total_steps, ProgressMode mode,
                         std::ostream& out, Clock clock, double line_interval_seconds)
    : label_(std::move(label)),
      total_(std::max<int64_t>(total_steps, 0)),
      mode_(resolve_progress_mode(mode)),
      out_(out),
      clock_(clock ? std::move(clock) : Clock(steady_seconds)),
      line_interval_(line_interval_seconds) {
  start_ = clock_();
  last_draw_ = start_;
}

std::string ProgressBar::bar_line(int64_t steps, int64_t samples, double loss,
                                  const NamedValues& terms, bool done) const {
  const double t = elapsed();
  const double frac = total_ > 0 ? std::clamp(static_cast<double>(steps) / total_, 0.0, 1.0) : 1.0;
  const int filled = static_cast<int>(frac * kBarWidth);
  std::string bar(static_cast<std::size_t>(filled), '=');
  if (filled < kBarWidth) bar += '>';
  bar.resize(kBarWidth, ' ');
  std::string line = fmt::format("{} [{}] {}/{}  {} samples/s  loss {:.5g}{}", label_, bar, steps,
                                 total_, format_rate(t > 0 ? samples / t : 0.0), loss,
                                 format_terms(terms));
  if (done)
    line += fmt::format("  {:.1f} s", t);
  else if (steps > 0)
    line += "  ETA " + format_duration(t / steps * static_cast<double>(total_ - steps));
  return line;
}

std::string ProgressBar::plain_line(int64_t steps, int64_t samples, double loss,
                                    const NamedValues& terms, bool done) const {
  const double t = elapsed();
  const double pct = total_ > 0 ? 100.0 * static_cast<double>(steps) / total_ : 100.0;
  std::string line =
      fmt::format("{}: {}/{} batches ({:.0f}%), {} samples/s, loss {:.5g}{}", label_, steps, total_,
                  pct, format_rate(t > 0 ? samples / t : 0.0), loss, format_terms(terms));
  if (done)
    line += fmt::format(", {:.1f} s", t);
  else if (steps > 0)
    line += ", ETA " + format_duration(t / steps * static_cast<double>(total_ - steps));
  return line;
}

ProgressBar::~ProgressBar() {
  if (mode_ == ProgressMode::Bar && !finished_ && last_width_ > 0) out_ << '\n' << std::flush;
}

void ProgressBar::update(int64_t steps, int64_t samples, double running_loss,
                         const NamedValues& terms) {
  if (mode_ == ProgressMode::Off) return;
  const double now = clock_();
  if (mode_ == ProgressMode::Bar) {
    if (now - last_draw_ < kRedrawSeconds) return;
    const std::string line = bar_line(steps, samples, running_loss, terms, false);
    // Pad with spaces so a shorter line fully covers the previous one.
    out_ << '\r' << line
         << std::string(line.size() < last_width_ ? last_width_ - line.size() : 0, ' ')
         << std::flush;
    last_width_ = line.size();
  } else {
    if (now - last_draw_ < line_interval_) return;
    out_ << plain_line(steps, samples, running_loss, terms, false) << '\n' << std::flush;
  }
  last_draw_ = now;
}

void ProgressBar::finish(int64_t steps, int64_t samples, double running_loss,
                         const std::string& extra, const NamedValues& terms) {
  if (mode_ == ProgressMode::Off) return;
  finished_ = true;
  if (mode_ == ProgressMode::Bar) {
    const std::string line = bar_line(steps, samples, running_loss, terms, true) + extra;
    out_ << '\r' << line
         << std::string(line.size() < last_width_ ? last_width_ - line.size() : 0, ' ') << '\n'
         << std::flush;
  } else {
    out_ << plain_line(steps, samples, running_loss, terms, true) << extra << '\n' << std::flush;
  }
}

}  // namespace ae::nn
