// aelab — the driver that runs the chapters.
//
//   aelab list
//   aelab run N|all [--data DIR] [--out DIR] [--seed N] [--threads N] [--quick] [--step]
#include <omp.h>

#include <charconv>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/core.h>

#include "chapters/chapters.hpp"
#include "linalg/error.hpp"
#include "linalg/fpmode.hpp"
#include "linalg/omp_policy.hpp"

namespace {

using ae::Error;
using ae::chapters::Options;

constexpr const char* kUsage =
    "usage: aelab <command> [options]\n"
    "\n"
    "commands:\n"
    "  list              list the chapters\n"
    "  run N|all         run chapter N, or every chapter in order\n"
    "  help [command]    show help\n"
    "\n"
    "Run `aelab run --help` for the options of run.\n";

constexpr const char* kRunUsage =
    "usage: aelab run N|all [options]\n"
    "\n"
    "Runs one chapter (by number) or all of them, printing each numbered step and writing\n"
    "figures and result tables to OUT/chNN/ and a page with everything to OUT/index.html.\n"
    "\n"
    "options:\n"
    "  --data DIR      data folder (default: $AELAB_DATA, ./data, ../shared/data, then\n"
    "                  Debian's Fashion-MNIST in /usr/share/datasets/fashion-mnist)\n"
    "  --out DIR       where figures and tables go (default: out)\n"
    "  --seed N        seed of every random draw (default: 0)\n"
    "  --threads N     threads for the matrix kernels (default: OMP_NUM_THREADS or all cores)\n"
    "  --quick         a small run of a few seconds per chapter (for tests)\n"
    "  --step          pause after every numbered step, to read the chapter's file alongside\n"
    "  -h, --help      show this help\n";

constexpr const char* kListUsage = "usage: aelab list\n\nLists the chapters with their lectures and files.\n";

uint64_t parse_count(std::string_view option, std::string_view text, uint64_t max) {
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value > max)
    throw Error(fmt::format("{} expects a whole number up to {}, got '{}'", option, max, text));
  return value;
}

int cmd_list(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "-h" || a == "--help") {
      fmt::print("{}", kListUsage);
      return 0;
    }
    throw Error("list takes no arguments, got '" + a + "'");
  }
  for (const auto& ch : ae::chapters::all_chapters())
    fmt::print("{:>2}  {:<48} lectures {:<14} {}\n", ch.number, ch.title, ch.lectures, ch.file);
  return 0;
}

int cmd_run(const std::vector<std::string>& args) {
  Options options;
  std::string which;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> const std::string& {
      if (i + 1 >= args.size()) throw Error(a + " needs a value (see aelab run --help)");
      return args[++i];
    };
    if (a == "-h" || a == "--help") {
      fmt::print("{}", kRunUsage);
      return 0;
    } else if (a == "--data") {
      options.data = value();
    } else if (a == "--out") {
      options.out = value();
    } else if (a == "--seed") {
      options.seed = parse_count(a, value(), UINT64_MAX);
    } else if (a == "--threads") {
      options.threads = static_cast<int>(parse_count(a, value(), 256));
      if (options.threads == 0) throw Error("--threads must be at least 1");
    } else if (a == "--quick") {
      options.quick = true;
    } else if (a == "--step") {
      options.step = true;
    } else if (a.starts_with("-")) {
      throw Error("unknown option '" + a + "' (see aelab run --help)");
    } else if (which.empty()) {
      which = a;
    } else {
      throw Error("run takes one chapter, got '" + which + "' and '" + a + "'");
    }
  }
  if (which.empty()) throw Error("run needs a chapter number or 'all' (see aelab list)");

  const auto& chapters = ae::chapters::all_chapters();
  std::vector<const ae::chapters::Chapter*> selected;
  if (which == "all") {
    for (const auto& ch : chapters) selected.push_back(&ch);
  } else {
    const uint64_t n = parse_count("run", which, 1000);
    for (const auto& ch : chapters)
      if (uint64_t(ch.number) == n) selected.push_back(&ch);
    if (selected.empty())
      throw Error(fmt::format("there is no chapter {} (aelab list shows {} chapters)", which,
                              chapters.size()));
  }

  if (options.threads > 0) omp_set_num_threads(options.threads);
  ae::linalg::enable_flush_to_zero();

  for (const auto* ch : selected) {
    ch->run(options);
    // The index is rewritten after every chapter, so an interrupted run keeps what it made.
    ae::chapters::write_index(options.out);
  }
  fmt::print("\nWrote {}\n", (options.out / "index.html").string());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  ae::linalg::prefer_passive_omp_wait(argv);
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.empty()) {
      fmt::print(stderr, "{}", kUsage);
      return 2;
    }
    const std::string command = args[0];
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "-h" || command == "--help" || command == "help") {
      if (!rest.empty() && rest[0] == "run") fmt::print("{}", kRunUsage);
      else if (!rest.empty() && rest[0] == "list") fmt::print("{}", kListUsage);
      else fmt::print("{}", kUsage);
      return 0;
    }
    if (command == "list") return cmd_list(rest);
    if (command == "run") return cmd_run(rest);
    throw Error("unknown command '" + command + "' (see aelab --help)");
  } catch (const std::exception& e) {
    std::fflush(stdout);
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  }
}
