// hw3 — runs the HW3 experiment (task 5) with your functions: a stack pre-trained greedily
// on unlabelled MNIST images against the same stack randomly initialised, both fine-tuned
// on 1,000 labelled images.
//
//   build/exercises/hw3                      the default run (10,000 unlabelled images)
//   build/exercises/hw3 --graded             the smaller run the grader uses
//   build/exercises/hw3 --data DIR --labelled 500 --pretrain-epochs 5
#include <algorithm>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>

#include <fmt/core.h>

#include "exercises/common/support.hpp"
#include "exercises/hw3/graded_run.hpp"
#include "exercises/hw3/hw3.hpp"
#include "linalg/fpmode.hpp"

namespace {

constexpr const char* kUsage =
    "usage: hw3 [options]\n"
    "\n"
    "A stack of sigmoid layers pre-trained greedily on unlabelled MNIST images against the same\n"
    "stack randomly initialised, both fine-tuned on a few labelled images (HW3, task 5).\n"
    "\n"
    "options:\n"
    "  --data DIR             MNIST folder (default: $AELAB_DATA, ./data, ../shared/data;\n"
    "                         Fashion-MNIST when no MNIST is found)\n"
    "  --unlabelled N         unlabelled training images (default 10000)\n"
    "  --labelled N           the first N of them keep their labels (default 1000)\n"
    "  --test N               test images (default 10000)\n"
    "  --hidden K1,K2,...     units of every layer of the stack (default 256,128,64)\n"
    "  --pretrain-epochs N    epochs of every layer's pre-training (default 1)\n"
    "  --pretrain-lr X        SGD's learning rate in pre-training (default 0.1)\n"
    "  --epochs N             fine-tuning epochs (default 30)\n"
    "  --lr X                 fine-tuning learning rate (default 0.1)\n"
    "  --seed N               seed of the weights and the fine-tuning batches (default 0)\n"
    "  --graded               the configuration of the graded test (under a minute)\n"
    "  -h, --help             this help\n";

}  // namespace

int main(int argc, char** argv) {
  try {
    ae::hw3::ExperimentOptions options;
    for (int i = 1; i < argc; ++i)
      if (std::string_view(argv[i]) == "--graded") options = ae::hw3::graded_run_options();
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= argc) throw ae::Error(arg + " needs a value (see hw3 --help)");
        return argv[++i];
      };
      using ae::exercises::parse_count;
      using ae::exercises::parse_positive;
      if (arg == "-h" || arg == "--help") {
        fmt::print("{}", kUsage);
        return 0;
      } else if (arg == "--graded") {
        // applied before the loop
      } else if (arg == "--data") {
        options.data_dir = value();
      } else if (arg == "--unlabelled") {
        options.unlabelled_size = parse_count(arg, value());
      } else if (arg == "--labelled") {
        options.labelled_size = parse_count(arg, value());
      } else if (arg == "--test") {
        options.test_size = parse_count(arg, value());
      } else if (arg == "--hidden") {
        options.hidden.clear();
        const std::string sizes = value();
        for (size_t start = 0; start <= sizes.size();) {
          const size_t comma = std::min(sizes.find(',', start), sizes.size());
          options.hidden.push_back(parse_count(arg, sizes.substr(start, comma - start)));
          start = comma + 1;
        }
      } else if (arg == "--pretrain-epochs") {
        options.pretrain.epochs = static_cast<int>(parse_count(arg, value()));
      } else if (arg == "--pretrain-lr") {
        options.pretrain.lr = parse_positive(arg, value());
      } else if (arg == "--epochs") {
        options.fine_tune_epochs = static_cast<int>(parse_count(arg, value()));
      } else if (arg == "--lr") {
        options.fine_tune_lr = parse_positive(arg, value());
      } else if (arg == "--seed") {
        options.seed = static_cast<uint64_t>(parse_count(arg, value()));
        options.pretrain.seed = options.seed;
      } else {
        throw ae::Error("unknown option '" + arg + "' (see hw3 --help)");
      }
    }
    options.pretrain.verbose = options.verbose;
    ae::linalg::enable_flush_to_zero();
    const ae::hw3::ExperimentResult r = ae::hw3::run_experiment(options);
    fmt::print("\n{:<28} {:>14}\n", fmt::format("{} labels, {}", options.labelled_size, r.dataset), "test accuracy");
    fmt::print("{:<28} {:>13.2f}%\n", "pre-trained stack", 100.0 * r.pretrained_test_accuracy);
    fmt::print("{:<28} {:>13.2f}%\n", "random initialisation", 100.0 * r.random_test_accuracy);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
