#pragma once
// What every program's command line shares (CLI11, header-only: a program that includes this
// links CLI11::CLI11): validators for whole and positive numbers whose errors name the bad
// text, and one way to report a bad command line.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

namespace ae::cli {

/// A whole number >= 0 in decimal. The text is rewritten without leading zeros, which
/// CLI11's conversion would read as octal.
inline const CLI::Validator& count() {
  static const CLI::Validator validator(
      [](std::string& text) -> std::string {
        uint64_t number = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (text.empty() || ec != std::errc() || end != text.data() + text.size())
          return "expects a whole number >= 0, got '" + text + "'";
        text = std::to_string(number);
        return "";
      },
      "");
  return validator;
}

/// A finite number > 0.
inline const CLI::Validator& positive() {
  static const CLI::Validator validator(
      [](std::string& text) -> std::string {
        double number = 0;
        if (CLI::detail::lexical_cast(text, number) && std::isfinite(number) && number > 0) return "";
        return "expects a number > 0, got '" + text + "'";
      },
      "");
  return validator;
}

/// Parses the command line. Returns -1 when the program goes on; otherwise the exit code it
/// ends with: 0 after --help (printed on stdout), 2 after a bad command line (an error on
/// stderr, pointing at `help_command`'s --help).
inline int parse(CLI::App& app, int argc, char** argv, const std::string& help_command) {
  try {
    app.parse(argc, argv);
    return -1;
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "error: {} (see {} --help)\n", e.what(), help_command);
    return 2;
  }
}

}  // namespace ae::cli
