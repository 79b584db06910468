#pragma once
// ProgressBar — what a student watches while a model trains.
//
// On a terminal it redraws one line in place (at most ten times a second):
//   epoch 3/10 [=========>          ] 234/469  31.2k samples/s  loss 0.03412  ETA 0:04
// When the stream is not a terminal (a log file, CI), carriage returns would make a mess,
// so it prints a plain line every few seconds instead, and one at the end of the epoch:
//   epoch 3/10: 234/469 batches (50%), 31.2k samples/s, loss 0.03412, ETA 4 s
// A loss with several named terms shows them after the total, to four digits:
//   ... loss 0.04412 (reconstruction 0.03412, sparsity 0.01) ...
#include <chrono>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace ae::nn {

enum class ProgressMode {
  Auto,   ///< Bar when stderr is a terminal, else Lines
  Bar,    ///< one line redrawn in place (carriage return)
  Lines,  ///< plain periodic lines
  Off,    ///< nothing
};

/// Bar or Lines for Auto (by isatty on stderr); other modes unchanged.
ProgressMode resolve_progress_mode(ProgressMode mode);

/// "1:05" for 65 s, "1:01:05" for an hour and more.
std::string format_duration(double seconds);
/// "950", "31.2k", "1.25M": a rate for a narrow column.
std::string format_rate(double per_second);

/// Named numbers in order, e.g. the per-term means of a loss: {{"reconstruction", 0.034}, ...}.
using NamedValues = std::vector<std::pair<std::string, double>>;
/// " (reconstruction 0.03412, sparsity 0.01)" for two or more values, "" for fewer (a single
/// term is the loss itself, already shown).
std::string format_terms(const NamedValues& terms);

class ProgressBar {
 public:
  /// Seconds since some fixed start; tests pass a fake clock.
  using Clock = std::function<double()>;

  /// label: e.g. "epoch 3/10". total_steps: batches in the epoch.
  ProgressBar(std::string label, int64_t total_steps, ProgressMode mode, std::ostream& out,
              Clock clock = {}, double line_interval_seconds = 10.0);

  /// Ends a bar's line if finish() was never called (an exception left the epoch), so the
  /// error message starts on a line of its own.
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /// After `steps` batches holding `samples` samples, with the running mean loss and, for a
  /// loss with named terms, their running means.
  void update(int64_t steps, int64_t samples, double running_loss, const NamedValues& terms = {});
  /// The final state; the bar ends its line. `extra` is appended (e.g. the eval loss).
  void finish(int64_t steps, int64_t samples, double running_loss, const std::string& extra = "",
              const NamedValues& terms = {});

  double elapsed() const { return clock_() - start_; }
  ProgressMode mode() const { return mode_; }

 private:
  std::string bar_line(int64_t steps, int64_t samples, double loss, const NamedValues& terms,
                       bool done) const;
  std::string plain_line(int64_t steps, int64_t samples, double loss, const NamedValues& terms,
                         bool done) const;

  std::string label_;
  int64_t total_;
  ProgressMode mode_;
  std::ostream& out_;
  Clock clock_;
  double line_interval_;
  double start_;
  double last_draw_;
  std::size_t last_width_ = 0;  // characters of the bar on screen (0: nothing drawn)
  bool finished_ = false;
};

}  // namespace ae::nn
