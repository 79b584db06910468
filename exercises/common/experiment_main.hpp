#pragma once
// The command line of every set's experiment program (hw1 .. hw5), on CLI11: the set lists
// its options, and experiment_main parses them, answers --help, and turns bad input into a
// clear error with a non-zero exit.
//
//   int main(int argc, char** argv) {
//     return ae::exercises::experiment_main<ae::hw1::ExperimentOptions>(argc, argv, {
//         "hw1", "PCA and a sigmoid autoencoder ...",
//         [](auto& data) { return ae::hw1::graded_run_options(...); },
//         [](CLI::App& app, auto& o) { ae::exercises::add_count(app, "--k", o.k, "code size"); },
//         [](auto& o) { ... run the experiment and print its table ... }});
//   }
#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include <fmt/core.h>

#include "linalg/cli.hpp"
#include "linalg/fpmode.hpp"

namespace ae::exercises {

/// One set's experiment program. Every set has --data (Options::data_dir) and --graded.
template <class Options>
struct Experiment {
  std::string name;         ///< the program's name, "hw1"
  std::string description;  ///< the first paragraph of --help
  /// The graded test's configuration, given the --data folder (unset without --data); the
  /// other options on the command line then change it.
  std::function<Options(const std::optional<std::filesystem::path>& data_dir)> graded;
  /// Adds the set's own options to `app`, bound to the fields of `options`.
  std::function<void(CLI::App& app, Options& options)> options;
  /// Runs the experiment with the parsed options and prints its result.
  std::function<void(Options& options)> run;
};

/// A whole number >= 0 (linalg/cli.hpp's count).
template <class T>
CLI::Option* add_count(CLI::App& app, const std::string& name, T& value, const std::string& help) {
  return app.add_option(name, value, help)->check(cli::count())->type_name("N");
}

/// A finite number > 0.
template <class T>
CLI::Option* add_positive(CLI::App& app, const std::string& name, T& value, const std::string& help) {
  return app.add_option(name, value, help)->check(cli::positive())->type_name("X");
}

/// Parses the command line into Options (defaults: Options{}, or the graded configuration
/// with --graded) and runs the experiment. Returns the exit code: 0, 1 when the experiment
/// fails, 2 for a bad command line.
template <class Options>
int experiment_main(int argc, char** argv, const Experiment<Options>& experiment) {
  Options options;
  CLI::App app{experiment.description, experiment.name};
  app.option_defaults()->always_capture_default();
  // Callbacks run in the order the options are added: --graded first, so that it sets every
  // field and the options the user gave then change them.
  app.add_flag_callback("--graded", [&] {
        std::optional<std::filesystem::path> data_dir;
        if (const CLI::Option* data = app.get_option("--data"); data->count() > 0)
          data_dir = data->as<std::string>();
        options = experiment.graded(data_dir);
      },
      "the configuration of the graded test (a subset, seconds to a minute to run)");
  app.add_option_function<std::string>("--data", [&](const std::string& dir) { options.data_dir = dir; },
                                       "data folder (default: $AELAB_DATA, ./data, ../shared/data)")
      ->type_name("DIR");
  experiment.options(app, options);
  if (const int code = cli::parse(app, argc, argv, experiment.name); code >= 0) return code;
  try {
    ae::linalg::enable_flush_to_zero();
    experiment.run(options);
    return 0;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
}

}  // namespace ae::exercises
