// aelab — the driver that runs the chapters.
//
//   aelab list
//   aelab run N|all [--data DIR] [--out DIR] [--seed N] [--threads N] [--quick] [--step]
//   aelab help [command]
#include <omp.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/core.h>

#include "chapters/chapters.hpp"
#include "linalg/cli.hpp"
#include "linalg/error.hpp"
#include "linalg/fpmode.hpp"
#include "linalg/omp_policy.hpp"

namespace {

using ae::Error;
using ae::chapters::Options;

int list_chapters() {
  for (const auto& ch : ae::chapters::all_chapters())
    fmt::print("{:>2}  {:<48} lectures {:<14} {}\n", ch.number, ch.title, ch.lectures, ch.file);
  return 0;
}

int run_chapters(const std::string& which, const Options& options) {
  const auto& chapters = ae::chapters::all_chapters();
  std::vector<const ae::chapters::Chapter*> selected;
  if (which == "all") {
    for (const auto& ch : chapters) selected.push_back(&ch);
  } else {
    uint64_t n = 0;
    const auto [end, ec] = std::from_chars(which.data(), which.data() + which.size(), n);
    if (which.empty() || ec != std::errc() || end != which.data() + which.size())
      throw Error(fmt::format("run expects a whole number or 'all', got '{}' (see aelab list)", which));
    for (const auto& ch : chapters)
      if (uint64_t(ch.number) == n) selected.push_back(&ch);
    if (selected.empty())
      throw Error(fmt::format("there is no chapter {} (aelab list shows {} chapters)", which, chapters.size()));
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

  CLI::App app{"aelab runs the chapters: one program file per lecture, each printing its numbered\n"
               "steps and writing its figures and tables.",
               "aelab"};
  app.require_subcommand(0, 1);

  CLI::App* list = app.add_subcommand("list", "list the chapters with their lectures and files");

  Options options;
  std::string which;
  CLI::App* run = app.add_subcommand("run", "run chapter N, or every chapter in order");
  run->footer(
      "Runs one chapter (by number) or all of them, printing each numbered step and writing\n"
      "figures and result tables to OUT/chNN/ and a page with everything to OUT/index.html.");
  run->add_option("chapter", which, "N (see aelab list) or all")->required()->type_name("N|all");
  run->add_option_function<std::string>(
      "--data", [&](const std::string& dir) { options.data = dir; },
      "data folder (default: $AELAB_DATA, ./data, ../shared/data, then Debian's Fashion-MNIST in\n"
      "/usr/share/datasets/fashion-mnist)")
      ->type_name("DIR");
  run->add_option("--out", options.out, "where figures and tables go")->capture_default_str()->type_name("DIR");
  run->add_option("--seed", options.seed, "seed of every random draw")
      ->check(ae::cli::count())
      ->capture_default_str()
      ->type_name("N");
  run->add_option("--threads", options.threads,
                  "threads for the matrix kernels, 1 to 256 (default: OMP_NUM_THREADS or all cores)")
      ->check(ae::cli::count())
      ->check(CLI::Range(1, 256).description(""))
      ->type_name("N");
  run->add_flag("--quick", options.quick, "a small run of a few seconds per chapter (for tests)");
  run->add_flag("--step", options.step, "pause after every numbered step, to read the chapter's file alongside");

  std::string topic;
  CLI::App* help = app.add_subcommand("help", "show help: of aelab, or of one command");
  help->add_option("command", topic, "list or run")->check(CLI::IsMember({"list", "run"}));

  if (argc < 2) {
    fmt::print(stderr, "{}", app.help());
    return 2;
  }
  // A bad command line points at the help of the command it was for.
  std::string help_command = "aelab";
  for (int i = 1; i < argc; ++i)
    if (std::string_view(argv[i]) == "run" || std::string_view(argv[i]) == "list") {
      help_command += std::string(" ") + argv[i];
      break;
    }
  if (const int code = ae::cli::parse(app, argc, argv, help_command); code >= 0) return code;

  try {
    if (*list) return list_chapters();
    if (*run) return run_chapters(which, options);
    // help, or options without a command
    const CLI::App* about = topic == "run" ? run : topic == "list" ? list : &app;
    fmt::print("{}", app.get_formatter()->make_help(about, about == &app ? "aelab" : "aelab " + topic,
                                                     CLI::AppFormatMode::Normal));
    return 0;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  }
}
