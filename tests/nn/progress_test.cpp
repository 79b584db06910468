// ProgressBar with a fake clock: what each mode prints and when, rates, ETA, formatting,
// and the named terms of a loss.
#include "nn/progress.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>

using namespace ae::nn;

namespace {

int count(const std::string& s, const std::string& part) {
  int n = 0;
  for (std::size_t pos = s.find(part); pos != std::string::npos; pos = s.find(part, pos + 1)) ++n;
  return n;
}

// A clock the test moves by hand.
struct FakeClock {
  double t = 100.0;
  ProgressBar::Clock fn() {
    return [this] { return t; };
  }
};

}  // namespace

TEST(NnFormat, Durations) {
  EXPECT_EQ(format_duration(0), "0:00");
  EXPECT_EQ(format_duration(65), "1:05");
  EXPECT_EQ(format_duration(3725), "1:02:05");
  EXPECT_EQ(format_duration(-1), "?");
}

TEST(NnFormat, Rates) {
  EXPECT_EQ(format_rate(950), "950");
  EXPECT_EQ(format_rate(31234), "31.2k");
  EXPECT_EQ(format_rate(1250000), "1.25M");
}

// 10 batches of 100 samples, one second each: lines every 3 s, then a final line.
TEST(NnProgressBar, PlainLinesAtIntervals) {
  FakeClock clock;
  std::ostringstream out;
  ProgressBar bar("epoch 2/5", 10, ProgressMode::Lines, out, clock.fn(), 3.0);
  for (int step = 1; step <= 10; ++step) {
    clock.t += 1.0;
    bar.update(step, 100 * step, 0.5);
  }
  bar.finish(10, 1000, 0.25, "  eval loss 0.3");
  const std::string s = out.str();
  EXPECT_EQ(count(s, "\n"), 4) << s;  // at 3 s, 6 s, 9 s, and the end
  EXPECT_EQ(s.find('\r'), std::string::npos);
  // After 3 of 10 batches in 3 s: 100 samples/s, 7 batches to go = 7 s.
  EXPECT_NE(s.find("epoch 2/5: 3/10 batches (30%), 100 samples/s, loss 0.5, ETA 0:07\n"),
            std::string::npos)
      << s;
  EXPECT_NE(
      s.find("epoch 2/5: 10/10 batches (100%), 100 samples/s, loss 0.25, 10.0 s  eval loss 0.3\n"),
      std::string::npos)
      << s;
}

TEST(NnProgressBar, BarRedrawsInPlaceAndEndsTheLine) {
  FakeClock clock;
  std::ostringstream out;
  ProgressBar bar("fit", 4, ProgressMode::Bar, out, clock.fn());
  clock.t += 0.05;
  bar.update(1, 10, 1.0);  // within 0.1 s of the start: not drawn
  EXPECT_EQ(out.str(), "");
  clock.t += 1.0;
  bar.update(2, 20, 1.0);
  const std::string mid = out.str();
  EXPECT_EQ(mid.front(), '\r');
  EXPECT_NE(mid.find("fit [==========>         ] 2/4"), std::string::npos) << mid;
  EXPECT_NE(mid.find("ETA 0:01"), std::string::npos) << mid;
  EXPECT_EQ(mid.find('\n'), std::string::npos);
  clock.t += 1.0;
  bar.finish(4, 40, 0.5);
  const std::string s = out.str();
  EXPECT_EQ(s.back(), '\n');
  EXPECT_NE(s.find("[====================] 4/4"), std::string::npos) << s;
}

TEST(NnProgressBar, AnUnfinishedBarEndsItsLine) {
  FakeClock clock;
  std::ostringstream out;
  {
    ProgressBar bar("fit", 4, ProgressMode::Bar, out, clock.fn());
    clock.t += 1.0;
    bar.update(1, 10, 1.0);
  }  // as when an exception leaves the epoch
  const std::string s = out.str();
  EXPECT_EQ(s.back(), '\n');
  EXPECT_EQ(std::count(s.begin(), s.end(), '\n'), 1);
}

TEST(NnProgressBar, OffPrintsNothing) {
  std::ostringstream out;
  ProgressBar bar("x", 3, ProgressMode::Off, out);
  bar.update(1, 1, 1.0);
  bar.finish(3, 3, 1.0);
  EXPECT_EQ(out.str(), "");
}

TEST(NnProgressBar, AutoResolvesToBarOrLines) {
  const ProgressMode m = resolve_progress_mode(ProgressMode::Auto);
  EXPECT_TRUE(m == ProgressMode::Bar || m == ProgressMode::Lines);
  EXPECT_EQ(resolve_progress_mode(ProgressMode::Off), ProgressMode::Off);
}

// Named terms follow the loss, to four significant digits; a single term is the loss itself
// and adds nothing.
TEST(NnProgressBar, ShowsTheTermsOfALoss) {
  EXPECT_EQ(format_terms({}), "");
  EXPECT_EQ(format_terms({{"loss", 0.5}}), "");
  EXPECT_EQ(format_terms({{"reconstruction", 0.0341234}, {"kl", 12.5}}),
            " (reconstruction 0.03412, kl 12.5)");
  FakeClock clock;
  std::ostringstream out;
  ProgressBar bar("epoch 1/1", 2, ProgressMode::Lines, out, clock.fn(), 1.0);
  clock.t += 1.0;
  bar.update(1, 10, 0.75, {{"a", 0.5}, {"b", 0.25}});
  clock.t += 1.0;
  bar.finish(2, 20, 0.5, "", {{"a", 0.375}, {"b", 0.125}});
  const std::string s = out.str();
  EXPECT_NE(s.find("loss 0.75 (a 0.5, b 0.25), ETA"), std::string::npos) << s;
  EXPECT_NE(s.find("loss 0.5 (a 0.375, b 0.125), 2.0 s\n"), std::string::npos) << s;
}
