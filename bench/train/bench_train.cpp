// bench_train — trains the benchmark autoencoder with aelab and with PyTorch, in one run.
//
// Model "ae": 784-256-64-256-784, ReLU hidden layers, sigmoid output, PyTorch's default
// Linear initialisation, MSE (mean over all pixels), Adam lr 1e-3, batch 128 reshuffled
// every epoch with the last partial batch kept (469 steps on the 60000 Fashion-MNIST
// training images). aelab trains it through nn::fit; PyTorch through torch_ae.py (next to
// this file), run by /usr/bin/python3 as a child process, so the two never share threads.
//
// For each round and each thread count T, aelab trains (OpenMP T threads) and then PyTorch
// (torch 1 intra-op thread, OpenBLAS T threads: the fastest PyTorch setting on two cores,
// see ../shared/peers/README.md). Reported: seconds per epoch (median), samples/s, the test
// MSE per pixel after epochs 1, 5, 10 (those that were run), aelab/PyTorch time ratio, and
// the peak resident memory of this process (which runs only aelab; PyTorch is a child).
//
//   bench_train [--epochs E] [--threads 1,2] [--repeats R] [--data DIR] [--limit N]
//               [--model ae] [--no-peer] [--peer-no-flush] [--json] [--quick] [--omp-env]
#include <fmt/format.h>
#include <omp.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "bench/peer_env.hpp"
#include "autograd/ops.hpp"
#include "linalg/error.hpp"
#include "linalg/fpmode.hpp"
#include "linalg/omp_policy.hpp"
#include "linalg/gemm.hpp"
#include "linalg/simd.hpp"
#include "nn/data/images.hpp"
#include "nn/data/locate.hpp"
#include "nn/layers.hpp"
#include "nn/losses.hpp"
#include "nn/optim.hpp"
#include "nn/train.hpp"
#include "tensor/ops.hpp"

#ifndef AELAB_BENCH_TRAIN_DIR
#define AELAB_BENCH_TRAIN_DIR "bench/train"
#endif

namespace {

using namespace ae;

struct Options {
  int epochs = 1;
  std::vector<int> threads{1, 2};
  int repeats = 3;
  std::optional<std::filesystem::path> data;
  int64_t limit = -1;       // training images (-1 = all)
  int64_t test_limit = -1;  // test images
  std::string model = "ae";
  bool peer = true;
  bool peer_required = true;
  bool peer_flush = true;
  bool json = false;
  bool quick = false;
  uint64_t seed = 0;
  std::string python = "/usr/bin/python3";
  std::string peer_script = std::string(AELAB_BENCH_TRAIN_DIR) + "/torch_ae.py";
};

// One training run of one implementation.
struct Run {
  std::vector<double> epoch_seconds;  // wall time of each epoch's training loop
  std::vector<double> cpu_seconds;    // CPU time of the process over the same loop
  std::vector<double> test_mse;       // after each epoch
  std::vector<double> train_loss;
};

struct Result {
  std::string who;  // "aelab" or "pytorch"
  int threads = 1;
  std::vector<Run> runs;
  std::string note;

  // Median seconds per epoch over every epoch of every run (wall, or CPU time).
  double median_seconds(bool cpu = false) const {
    std::vector<double> all;
    for (const auto& r : runs) {
      const auto& s = cpu ? r.cpu_seconds : r.epoch_seconds;
      all.insert(all.end(), s.begin(), s.end());
    }
    if (all.empty()) return NAN;
    std::sort(all.begin(), all.end());
    const std::size_t n = all.size();
    return n % 2 ? all[n / 2] : 0.5 * (all[n / 2 - 1] + all[n / 2]);
  }
  double min_seconds() const {
    double m = INFINITY;
    for (const auto& r : runs)
      for (double s : r.epoch_seconds) m = std::min(m, s);
    return m;
  }
  // Test MSE after epoch e (1-based) of the first run; NaN if not run.
  double test_mse_after(int e) const {
    if (runs.empty() || e < 1 || e > static_cast<int>(runs[0].test_mse.size())) return NAN;
    return runs[0].test_mse[static_cast<std::size_t>(e - 1)];
  }
};

[[noreturn]] void usage_error(const std::string& message) {
  throw Error("bench_train: " + message + " (see the top of bench/train/bench_train.cpp)");
}

std::vector<int> parse_threads(const std::string& s) {
  std::vector<int> out;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, ',')) {
    try {
      const int t = std::stoi(part);
      if (t < 1) throw std::invalid_argument("");
      out.push_back(t);
    } catch (const std::exception&) {
      usage_error("--threads expects a list like 1,2, got \"" + s + "\"");
    }
  }
  if (out.empty()) usage_error("--threads is empty");
  return out;
}

Options parse(int argc, char** argv) {
  Options o;
  bool repeats_given = false, threads_given = false;
  auto value = [&](int& i) -> std::string {
    if (i + 1 >= argc) usage_error(std::string(argv[i]) + " needs a value");
    return argv[++i];
  };
  auto integer = [&](int& i) -> int64_t {
    const std::string name = argv[i], v = value(i);
    try {
      std::size_t used = 0;
      const long long x = std::stoll(v, &used);
      if (used != v.size()) throw std::invalid_argument("");
      return x;
    } catch (const std::exception&) {
      usage_error(name + " expects an integer, got \"" + v + "\"");
    }
  };
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--epochs") {
      o.epochs = static_cast<int>(integer(i));
      if (o.epochs < 1) usage_error("--epochs must be >= 1");
    } else if (a == "--threads") {
      o.threads = parse_threads(value(i));
      threads_given = true;
    } else if (a == "--repeats") {
      o.repeats = static_cast<int>(integer(i));
      repeats_given = true;
      if (o.repeats < 1) usage_error("--repeats must be >= 1");
    } else if (a == "--data") {
      o.data = value(i);
    } else if (a == "--limit") {
      o.limit = integer(i);
    } else if (a == "--test-limit") {
      o.test_limit = integer(i);
    } else if (a == "--model") {
      o.model = value(i);
    } else if (a == "--seed") {
      o.seed = static_cast<uint64_t>(integer(i));
    } else if (a == "--no-peer") {
      o.peer = false;
    } else if (a == "--peer-no-flush") {
      o.peer_flush = false;
    } else if (a == "--python") {
      o.python = value(i);
    } else if (a == "--peer-script") {
      o.peer_script = value(i);
    } else if (a == "--json") {
      o.json = true;
    } else if (a == "--omp-env") {
      // handled before the OpenMP runtime starts (choose_wait_policy)
    } else if (a == "--quick") {
      o.quick = true;
    } else if (a == "--help" || a == "-h") {
      std::cout
          << "bench_train [--epochs E] [--threads 1,2] [--repeats R] [--data DIR] [--limit N]\n"
             "            [--test-limit N] [--model ae] [--seed S] [--no-peer] [--peer-no-flush]\n"
             "            [--python PATH] [--peer-script PATH] [--json] [--quick] [--omp-env]\n";
      std::exit(0);
    } else {
      usage_error("unknown option \"" + a + "\"");
    }
  }
  if (o.model == "vae")
    usage_error("--model vae: the VAE 784-400-20 joins this benchmark with the VAE itself");
  if (o.model != "ae") usage_error("--model must be ae, got \"" + o.model + "\"");
  if (o.quick) {
    // A smoke test: seconds, not minutes; PyTorch only if it is installed.
    if (o.limit < 0) o.limit = 2048;
    if (o.test_limit < 0) o.test_limit = 500;
    if (!repeats_given) o.repeats = 1;
    if (!threads_given) o.threads = {1};
    o.peer_required = false;
  }
  if (!repeats_given && o.epochs > 1) o.repeats = 1;
  return o;
}

// ---- the aelab side ----

std::shared_ptr<nn::Sequential> make_ae(Generator& gen) {
  using namespace nn;
  auto net = std::make_shared<Sequential>();
  net->add(std::make_shared<Linear>(784, 256, gen)).add(std::make_shared<ReLU>());
  net->add(std::make_shared<Linear>(256, 64, gen)).add(std::make_shared<ReLU>());
  net->add(std::make_shared<Linear>(64, 256, gen)).add(std::make_shared<ReLU>());
  net->add(std::make_shared<Linear>(256, 784, gen)).add(std::make_shared<Sigmoid>());
  return net;
}

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// One fit() call per epoch, so that the CPU time of each epoch's training can be taken
// around it; the test MSE is computed between epochs, outside both clocks.
Run train_aelab(const Tensor& train, const Tensor& test, const Options& o, int threads,
                uint64_t seed) {
  omp_set_num_threads(threads);
  linalg::enable_flush_to_zero();
  Generator gen(seed);
  auto net = make_ae(gen);
  nn::Adam adam(net->parameters(), {.lr = 1e-3f});
  const auto loss = [&](const nn::Batch& b) { return nn::mse((*net)(b[0]), b[0]); };
  Run run;
  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    nn::FitOptions fo;
    fo.epochs = 1;
    fo.batch_size = 128;
    fo.seed = seed * 1000 + static_cast<uint64_t>(epoch);  // a fresh shuffle every epoch
    fo.progress = nn::ProgressMode::Off;
    const double cpu0 = cpu_seconds();
    const nn::History h = nn::fit(*net, adam, nn::Dataset(train), loss, fo);
    run.cpu_seconds.push_back(cpu_seconds() - cpu0);
    run.epoch_seconds.push_back(h.epochs[0].seconds);
    run.train_loss.push_back(h.epochs[0].train_loss);
    run.test_mse.push_back(nn::evaluate(*net, nn::Dataset(test), loss, 1000));
  }
  return run;
}

// ---- the PyTorch side ----

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

bool python_has_torch(const Options& o) {
  const std::string cmd = shell_quote(o.python) + " -c 'import torch' >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

Run train_pytorch(const std::filesystem::path& data_dir, const Options& o, int threads,
                  uint64_t seed) {
  std::string cmd = fmt::format("{} {} --data {} --threads 1:{} --epochs {} --seed {}",
                                shell_quote(o.python), shell_quote(o.peer_script),
                                shell_quote(data_dir.string()), threads, o.epochs, seed);
  if (o.limit > 0) cmd += fmt::format(" --limit {}", o.limit);
  if (o.test_limit > 0) cmd += fmt::format(" --test-limit {}", o.test_limit);
  if (o.peer_flush) cmd += " --flush-denormal";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) throw Error("bench_train: cannot start " + cmd);
  Run run;
  bool done = false;
  char line[1024];
  while (std::fgets(line, sizeof line, pipe) != nullptr) {
    int epoch = 0;
    double seconds = 0, cpu = 0, train_loss = 0, mse = 0;
    if (std::sscanf(line, "epoch %d seconds %lf cpu %lf train_loss %lf test_mse %lf", &epoch,
                    &seconds, &cpu, &train_loss, &mse) == 5) {
      run.epoch_seconds.push_back(seconds);
      run.cpu_seconds.push_back(cpu);
      run.train_loss.push_back(train_loss);
      run.test_mse.push_back(mse);
    } else if (std::string(line).rfind("done", 0) == 0) {
      done = true;
    }
  }
  const int status = ::pclose(pipe);
  if (!done || status != 0 || static_cast<int>(run.epoch_seconds.size()) != o.epochs)
    throw Error(fmt::format("bench_train: the PyTorch run failed (exit status {}): {}",
                            WIFEXITED(status) ? WEXITSTATUS(status) : -1, cmd));
  return run;
}

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

std::string fmt_or_dash(double v, const char* spec) {
  return std::isnan(v) ? std::string("-") : fmt::format(fmt::runtime(spec), v);
}

int run(int argc, char** argv) {
  const Options o = parse(argc, argv);
  std::ostream& log = o.json ? std::cerr : std::cout;

  // ---- data ----
  std::filesystem::path data_dir;
  Tensor train, test;
  std::string data_note;
  try {
    data_dir = data::locate_dataset("fashion-mnist", o.data);
    const auto t0 = std::chrono::steady_clock::now();
    train = data::load_images(data_dir, "train", o.limit).images;
    test = data::load_images(data_dir, "t10k", o.test_limit).images;
    data_note =
        fmt::format("{} (loaded in {:.1f} s, not timed)", data_dir.string(),
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  } catch (const Error& e) {
    if (!o.quick) throw;
    // The smoke test still exercises the trainer without the data set, and says so.
    Generator gen(7);
    train = tensor::rand({o.limit, 784}, gen);
    test = tensor::rand({o.test_limit, 784}, gen);
    data_note = "SYNTHETIC uniform noise (Fashion-MNIST not found: " + std::string(e.what()) + ")";
  }
  bool peer = o.peer && !data_dir.empty();
  std::string peer_note;
  if (peer && !python_has_torch(o)) {
    if (o.peer_required)
      throw Error("bench_train: " + o.python +
                  " cannot import torch; install python3-torch (Debian) or pass --no-peer");
    peer = false;
    peer_note =
        "PyTorch skipped: " + o.python + " cannot import torch (apt-get install python3-torch)";
  }
  if (o.peer && data_dir.empty()) peer_note = "PyTorch skipped: it needs the real data files";

  const int64_t n = train.shape()[0];
  const int64_t steps = (n + 127) / 128;
  log << fmt::format(
      "bench_train: AE 784-256-64-256-784 (ReLU, sigmoid out), MSE, Adam 1e-3, batch 128, "
      "{} train / {} test images, {} steps/epoch, {} epoch(s), {} round(s)\n",
      n, test.shape()[0], steps, o.epochs, o.repeats);
  log << fmt::format("data: {}\n", data_note);
  const char* wait_policy = std::getenv("OMP_WAIT_POLICY");
  log << fmt::format(
      "aelab: SIMD level {} (gemm kernel {}), FTZ/DAZ on, OMP_WAIT_POLICY={}; "
      "PyTorch: torch 1 thread + OpenBLAS T threads{}\n",
      linalg::simd_summary(), linalg::to_string(linalg::gemm_kernel()),
      wait_policy == nullptr ? std::string("(unset)")
      : std::getenv("AELAB_BENCH_SET_WAIT_POLICY")
          ? std::string(wait_policy) + " (set by bench_train; --omp-env keeps the environment's)"
          : std::string(wait_policy),
      o.peer_flush ? ", flush_denormal on" : ", flush_denormal off");
  if (!peer_note.empty()) log << peer_note << "\n";
  log << std::flush;

  // ---- the runs, interleaved: per round, per thread count, aelab then PyTorch ----
  std::map<int, Result> ours, theirs;
  for (int t : o.threads) {
    ours[t] = {"aelab", t, {}, ""};
    theirs[t] = {"pytorch", t, {}, ""};
  }
  for (int r = 0; r < o.repeats; ++r) {
    for (int t : o.threads) {
      ours[t].runs.push_back(train_aelab(train, test, o, t, o.seed + static_cast<uint64_t>(r)));
      const Run& a = ours[t].runs.back();
      log << fmt::format("  round {} threads {}: aelab   {:.3f} s/epoch, test MSE {:.5f}\n", r + 1,
                         t, a.epoch_seconds.back(), a.test_mse.back());
      if (peer) {
        theirs[t].runs.push_back(train_pytorch(data_dir, o, t, o.seed + static_cast<uint64_t>(r)));
        const Run& p = theirs[t].runs.back();
        log << fmt::format("  round {} threads {}: pytorch {:.3f} s/epoch, test MSE {:.5f}\n",
                           r + 1, t, p.epoch_seconds.back(), p.test_mse.back());
      }
      log << std::flush;
    }
  }
  const double rss = peak_rss_mb();

  // ---- the table ----
  std::vector<int> marks;
  for (int e : {1, 5, 10})
    if (e <= o.epochs) marks.push_back(e);
  if (o.epochs != 1 && o.epochs != 5 && o.epochs != 10) marks.push_back(o.epochs);
  std::string head = fmt::format("\n{:>7}  {:<8} {:>9} {:>9} {:>9} {:>10}", "threads", "who",
                                 "s/epoch", "min", "cpu s", "samples/s");
  for (int e : marks) head += fmt::format(" {:>11}", fmt::format("MSE@{}", e));
  log << head << "  aelab/pytorch time\n";
  for (int t : o.threads) {
    for (const Result* res : {&ours[t], &theirs[t]}) {
      if (res->runs.empty()) continue;
      const double s = res->median_seconds();
      std::string row =
          fmt::format("{:>7}  {:<8} {:>9.3f} {:>9.3f} {:>9.3f} {:>10.0f}", t, res->who, s,
                      res->min_seconds(), res->median_seconds(true), static_cast<double>(n) / s);
      for (int e : marks)
        row += fmt::format(" {:>11}", fmt_or_dash(res->test_mse_after(e), "{:.5f}"));
      if (res == &theirs[t])
        row += fmt::format("  {:.2f} (cpu {:.2f})", ours[t].median_seconds() / s,
                           ours[t].median_seconds(true) / res->median_seconds(true));
      log << row << "\n";
    }
  }
  log << fmt::format("peak resident memory of the aelab process: {:.0f} MB\n", rss);

  if (o.json) {
    std::string out = "{";
    out += fmt::format(
        "\"model\": \"{}\", \"train_images\": {}, \"test_images\": {}, \"epochs\": {}, "
        "\"rounds\": {}, \"simd_level\": \"{}\", \"gemm_kernel\": \"{}\", "
        "\"peak_rss_mb\": {:.1f}, \"synthetic_data\": {}, \"results\": [",
        o.model, n, test.shape()[0], o.epochs, o.repeats,
        linalg::to_string(linalg::simd_level()), linalg::to_string(linalg::gemm_kernel()), rss, data_dir.empty() ? "true" : "false");
    bool first = true;
    for (int t : o.threads) {
      for (const Result* res : {&ours[t], &theirs[t]}) {
        if (res->runs.empty()) continue;
        out += first ? "" : ", ";
        first = false;
        std::string mse;
        for (int e : marks) {
          const double v = res->test_mse_after(e);
          mse += fmt::format("{}\"{}\": {}", mse.empty() ? "" : ", ", e,
                             std::isnan(v) ? "null" : fmt::format("{:.8f}", v));
        }
        std::string all;
        for (const auto& r : res->runs)
          for (double s : r.epoch_seconds)
            all += fmt::format("{}{:.4f}", all.empty() ? "" : ", ", s);
        out += fmt::format(
            "{{\"who\": \"{}\", \"threads\": {}, \"sec_per_epoch_median\": {:.4f}, "
            "\"cpu_sec_per_epoch_median\": {:.4f}, \"samples_per_s\": {:.1f}, "
            "\"test_mse\": {{{}}}, \"epoch_seconds\": [{}]",
            res->who, t, res->median_seconds(), res->median_seconds(true),
            n / res->median_seconds(), mse, all);
        if (res == &theirs[t])
          out += fmt::format(
              ", \"ratio_aelab_over_pytorch\": {:.4f}, \"cpu_ratio_aelab_over_pytorch\": {:.4f}",
              ours[t].median_seconds() / res->median_seconds(),
              ours[t].median_seconds(true) / res->median_seconds(true));
        out += "}";
      }
    }
    out += "]}";
    std::cout << out << std::endl;
  }
  // A smoke run checks that training did something sensible.
  for (int t : o.threads) {
    const double mse = ours[t].test_mse_after(1);
    if (!std::isfinite(mse)) throw Error("bench_train: aelab's test MSE is not finite");
  }
  return 0;
}

}  // namespace

// The wait policy is chosen as linalg::prefer_passive_omp_wait explains; --omp-env keeps the
// environment as it is.
void choose_wait_policy(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]) == "--omp-env") return;
  if (std::getenv("OMP_WAIT_POLICY") == nullptr) ::setenv("AELAB_BENCH_SET_WAIT_POLICY", "1", 1);
  ae::linalg::prefer_passive_omp_wait(argv);
}

int main(int argc, char** argv) {
  ae::bench::give_peers_their_best_kernel(argv);
  choose_wait_policy(argc, argv);
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
