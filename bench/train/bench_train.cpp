// bench_train — trains a benchmark model with aelab and with PyTorch, in one run.
//
// Models (--model):
//   ae    784-256-64-256-784, ReLU hidden layers, sigmoid output, MSE (mean over pixels)
//   deep  784-1000-500-250-30-250-500-1000-784, logistic hidden layers, linear code, sigmoid
//         output, MSE (mean over pixels)
//   conv  chapter 8's convolutional autoencoder (nn/conv_autoencoder.hpp: 3x3 ReLU convs with
//         32 channels, 2x2 max-pool to 7x7, the mirror with upsampling, sigmoid output),
//         Glorot-uniform weights and zero biases, BCE (mean over pixels)
//   vae   784-400-20 VAE of PyTorch's example (nn/vae.hpp), Bernoulli logits, the negative
//         ELBO summed over pixels and averaged over examples
// Dense layers start from PyTorch's default Linear initialisation. All: Adam lr 1e-3, batch
// 128 reshuffled every epoch with the last partial batch kept (469 steps on the 60000
// Fashion-MNIST training images). aelab trains through nn::fit; PyTorch through the peer
// script next to this file (torch_ae.py, torch_conv_ae.py, torch_vae.py), run by
// /usr/bin/python3 as a child process, so the two never share threads.
//
// For each round and each thread count T, aelab trains (OpenMP T threads) and then PyTorch
// (dense models: torch 1 intra-op thread, OpenBLAS T threads, the fastest PyTorch setting on
// two cores, see ../shared/peers/README.md; conv: torch T threads, as its oneDNN convolutions
// use torch's threads). Reported: seconds per epoch (median), samples/s, the test loss after
// epochs 1, 5, 10 (those that were run), aelab/PyTorch time ratio, and the peak resident
// memory of this process (which runs only aelab; PyTorch is a child).
//
// --profile trains one more epoch with aelab alone and splits it into gemm, element-wise
// forward / backward, losses, optimizer, allocation and framework overhead (profile_hooks.hpp),
// then prints the gemm-only limit: the epoch's gemm flops over the gemm rate of the same
// shapes measured in the same run.
//
// bench_train --help lists the options.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <omp.h>
#include <malloc.h>
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
#include "bench/train/profile_hooks.hpp"
#include "autograd/ops.hpp"
#include "linalg/cli.hpp"
#include "linalg/error.hpp"
#include "linalg/fpmode.hpp"
#include "linalg/omp_policy.hpp"
#include "linalg/gemm.hpp"
#include "linalg/simd.hpp"
#include "nn/conv_autoencoder.hpp"
#include "nn/data/images.hpp"
#include "nn/data/loader.hpp"
#include "nn/data/locate.hpp"
#include "nn/autoencoder.hpp"
#include "nn/layers.hpp"
#include "nn/losses.hpp"
#include "nn/optim.hpp"
#include "nn/train.hpp"
#include "nn/vae.hpp"
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
  bool profile = false;
  uint64_t seed = 0;
  std::string python = "/usr/bin/python3";
  std::string peer_script;  // default: the model's script next to this file
};

// One training run of one implementation.
struct Run {
  std::vector<double> epoch_seconds;  // wall time of each epoch's training loop
  std::vector<double> cpu_seconds;    // CPU time of the process over the same loop
  std::vector<double> test_loss;      // after each epoch
  std::vector<double> train_loss;
};

struct Result {
  std::string who;  // "aelab" or "pytorch"
  int threads = 1;
  std::vector<Run> runs;

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
  // Test loss after epoch e (1-based) of the first run; NaN if not run.
  double test_loss_after(int e) const {
    if (runs.empty() || e < 1 || e > static_cast<int>(runs[0].test_loss.size())) return NAN;
    return runs[0].test_loss[static_cast<std::size_t>(e - 1)];
  }
};

// Returns 0 to go on, or the exit code (--help: 0; a bad option: CLI11's code, non-zero).
std::optional<int> parse(int argc, char** argv, Options& o) {
  CLI::App app{
      "bench_train: one model trained by aelab and by PyTorch in the same run (ratios of the "
      "two are what to compare on a shared machine). See bench/train/RESULTS.md."};
  app.add_option("--model", o.model, "ae | deep | conv | vae")
      ->check(CLI::IsMember({"ae", "deep", "conv", "vae"}))
      ->capture_default_str();
  app.add_option("--epochs", o.epochs, "epochs per run (test loss after 1, 5, 10)")
      ->check(CLI::Range(1, 1000000000))
      ->capture_default_str();
  app.add_option("--threads", o.threads, "thread counts, e.g. 1,2")
      ->delimiter(',')
      ->check(CLI::Range(1, 1024));
  auto* repeats = app.add_option("--repeats", o.repeats, "rounds (default 3; 1 with --epochs > 1)")
                      ->check(CLI::Range(1, 1000000000));
  app.add_option("--data", o.data, "Fashion-MNIST folder (default: the dataset locator's)");
  app.add_option("--limit", o.limit, "first N training images only (default all)")
      ->check(CLI::Range(1, 1000000000));
  app.add_option("--test-limit", o.test_limit, "first N test images only (default all)")
      ->check(CLI::Range(1, 1000000000));
  app.add_option("--seed", o.seed, "seed of round 1 (round r uses seed + r - 1)");
  bool no_peer = false, peer_no_flush = false, omp_env = false;
  app.add_flag("--no-peer", no_peer, "aelab only");
  app.add_flag("--peer-no-flush", peer_no_flush, "PyTorch without flush-to-zero");
  app.add_option("--python", o.python, "the Python with torch")->capture_default_str();
  app.add_option("--peer-script", o.peer_script, "the PyTorch script (default: the model's)");
  app.add_flag("--json", o.json, "one JSON object on stdout (the table goes to stderr)");
  app.add_flag("--quick", o.quick, "smoke test: 2048 images (conv: 512), 1 round, 1 thread, peer optional");
  app.add_flag("--profile", o.profile,
               "after the rounds, one more aelab epoch split into gemm, element-wise, losses, "
               "optimizer, allocation, framework, and the gemm-only limit");
  // Read before the OpenMP runtime starts (choose_wait_policy); listed here for --help.
  app.add_flag("--omp-env", omp_env, "keep the environment's OMP_WAIT_POLICY (else PASSIVE)");
  if (const int code = ae::cli::parse(app, argc, argv, "bench_train"); code >= 0) return code;
  o.peer = !no_peer;
  o.peer_flush = !peer_no_flush;
  const bool repeats_given = repeats->count() > 0;
  const bool threads_given = app.count("--threads") > 0;
  if (o.quick) {
    // A smoke test: seconds, not minutes; PyTorch only if it is installed.
    if (o.limit < 0) o.limit = o.model == "conv" ? 512 : 2048;
    if (o.test_limit < 0) o.test_limit = 500;
    if (!repeats_given) o.repeats = 1;
    if (!threads_given) o.threads = {1};
    o.peer_required = false;
  }
  if (!repeats_given && o.epochs > 1) o.repeats = 1;
  if (o.peer_script.empty()) {
    const std::string dir = AELAB_BENCH_TRAIN_DIR;
    o.peer_script = dir + (o.model == "conv" ? "/torch_conv_ae.py"
                           : o.model == "vae" ? "/torch_vae.py"
                                              : "/torch_ae.py");
  }
  return std::nullopt;
}

// ---- the models ----

// What one benchmark model needs: the network, how a batch becomes a loss (split into the
// forward pass and the loss so that --profile can time them apart), and how the test loss is
// measured. The test loss is the training loss's measure over the test images.
struct Workload {
  std::string title;        // one line for the log
  std::string loss_name;    // what the test loss is
  std::shared_ptr<nn::Module> net;
  Shape sample_shape;       // one image: {784} or {1, 28, 28}
  std::function<Variable(const Variable& x)> forward;
  std::function<Variable(const Variable& out, const Variable& x)> loss;
  int64_t eval_batch = 1000;
  std::vector<std::string> peer_args;  // extra arguments of the peer script
  bool peer_torch_threads = false;     // the peer's own ops use torch's threads (conv)
};

Workload make_workload(const std::string& model, Generator& gen) {
  using namespace nn;
  Workload w;
  if (model == "ae") {
    auto net = std::make_shared<Sequential>();
    net->add(std::make_shared<Linear>(784, 256, gen)).add(std::make_shared<ReLU>());
    net->add(std::make_shared<Linear>(256, 64, gen)).add(std::make_shared<ReLU>());
    net->add(std::make_shared<Linear>(64, 256, gen)).add(std::make_shared<ReLU>());
    net->add(std::make_shared<Linear>(256, 784, gen)).add(std::make_shared<Sigmoid>());
    w.net = net;
    w.title = "AE 784-256-64-256-784 (ReLU, sigmoid out), MSE";
    w.loss_name = "MSE";
    w.peer_args = {"--model", "ae"};
  } else if (model == "deep") {
    w.net = mlp_autoencoder({784, 1000, 500, 250, 30}, gen,
                            {.hidden = Activation::Sigmoid, .code = Activation::Identity,
                             .output = Activation::Sigmoid, .init = Init::TorchDefault},
                            "deep AE");
    w.title = "deep AE 784-1000-500-250-30-250-500-1000-784 (logistic, linear code, sigmoid out), MSE";
    w.loss_name = "MSE";
    w.peer_args = {"--model", "deep"};
  } else if (model == "conv") {
    w.net = keras_conv_autoencoder(gen, "conv AE", Init::XavierUniform);
    w.title = "conv AE of chapter 8 (3x3 ReLU convs x32, max-pool to 7x7, upsampling, sigmoid out), BCE";
    w.loss_name = "BCE";
    w.sample_shape = {1, 28, 28};
    w.eval_batch = 250;  // the last conv's unfolded columns hold 288 floats per pixel
    w.peer_torch_threads = true;
  } else {  // vae
    auto vae = std::make_shared<VAE>(VaeOptions{}, gen, "VAE");
    w.net = vae;
    w.title = "VAE 784-400-20 (ReLU, Bernoulli logits), negative ELBO (nats per example)";
    w.loss_name = "-ELBO";
    // The reparameterisation noise has its own generator; forward leaves the posterior and the
    // sample for the loss, which needs them beside the logits.
    auto noise = std::make_shared<Generator>(gen.next_u64());
    auto last = std::make_shared<VaeOutput>();
    w.forward = [vae, noise, last](const Variable& x) {
      *last = vae->forward(x, *noise);
      return last->logits;
    };
    w.loss = [last](const Variable&, const Variable& x) { return vae_loss(*last, x).total(); };
    w.peer_args = {};
  }
  if (w.sample_shape.empty()) w.sample_shape = {784};
  if (!w.forward) {
    auto net = w.net;
    w.forward = [net](const Variable& x) { return (*net)(x); };
  }
  if (!w.loss) {
    if (w.loss_name == "BCE")
      w.loss = [](const Variable& out, const Variable& x) { return nn::bce(out, x); };
    else
      w.loss = [](const Variable& out, const Variable& x) { return nn::mse(out, x); };
  }
  return w;
}

// The images as the model takes them: (N, 784) rows or (N, 1, 28, 28).
Tensor shaped(const Tensor& images, const Shape& sample) {
  Shape s{images.shape()[0]};
  s.insert(s.end(), sample.begin(), sample.end());
  return images.reshape(s);
}

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// One fit() call per epoch, so that the CPU time of each epoch's training can be taken
// around it; the test loss is computed between epochs, outside both clocks.
Run train_aelab(const std::string& model, const Tensor& train, const Tensor& test,
                const Options& o, int threads, uint64_t seed) {
  omp_set_num_threads(threads);
  linalg::enable_flush_to_zero();
  Generator gen(seed);
  Workload w = make_workload(model, gen);
  nn::Adam adam(w.net->parameters(), {.lr = 1e-3f});
  const auto loss = [&](const nn::Batch& b) { return w.loss(w.forward(b[0]), b[0]); };
  const nn::Dataset train_set(shaped(train, w.sample_shape)), test_set(shaped(test, w.sample_shape));
  Run run;
  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    nn::FitOptions fo;
    fo.epochs = 1;
    fo.batch_size = 128;
    fo.seed = seed * 1000 + static_cast<uint64_t>(epoch);  // a fresh shuffle every epoch
    fo.progress = nn::ProgressMode::Off;
    const double cpu0 = cpu_seconds();
    const nn::History h = nn::fit(*w.net, adam, train_set, loss, fo);
    run.cpu_seconds.push_back(cpu_seconds() - cpu0);
    run.epoch_seconds.push_back(h.epochs[0].seconds);
    run.train_loss.push_back(h.epochs[0].train_loss);
    run.test_loss.push_back(nn::evaluate(*w.net, test_set, loss, w.eval_batch));
  }
  return run;
}

// ---- the profile ----

struct ProfileReport {
  double epoch_seconds = 0;  // the profiled loop, CPU seconds of the process (all threads)
  double phase_seconds[bench::kPhases] = {};
  double nograd_forward_seconds = 0;  // the same forward passes without recording
  bench::ProfileCounters counters;
  double gemm_limit_seconds = 0;      // the epoch's gemm calls replayed alone
  double gemm_flops = 0;
  int64_t minor_faults = 0;
  int64_t steps = 0;
};

// The epoch's gemm calls, replayed shape by shape on fresh operands in this process: the
// time the epoch would take if it did nothing but its gemms at the rate they run alone.
double replay_gemms(const std::map<bench::GemmShape, int64_t>& shapes) {
  double total = 0;
  for (const auto& [shape, calls] : shapes) {
    const auto [ta, tb, m, n, k] = shape;
    std::vector<float> A(static_cast<std::size_t>(m * k), 0.5f), B(static_cast<std::size_t>(k * n), 0.25f),
        C(static_cast<std::size_t>(m * n), 0.0f);
    const int64_t lda = ta ? m : k, ldb = tb ? k : n;
    const auto trans = [](int t) { return t ? linalg::Trans::Yes : linalg::Trans::No; };
    // Best of several calls: noise from other processes only slows a call down.
    const int reps = static_cast<int>(std::clamp<int64_t>(calls, 3, 20));
    double best = INFINITY;
    for (int r = 0; r < reps; ++r) {
      const double t0 = cpu_seconds();
      linalg::gemm(trans(ta), trans(tb), m, n, k, 1.0f, A.data(), lda, B.data(), ldb, 0.0f,
                   C.data(), n);
      best = std::min(best, cpu_seconds() - t0);
    }
    total += best * static_cast<double>(calls);
  }
  return total;
}

int64_t minor_faults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt;
}

// One epoch with the steps of nn::fit written out (gather, forward, loss, backward, Adam
// step, zero_grad), each timed, with the gemm and allocation hooks on.
ProfileReport profile_epoch(const std::string& model, const Tensor& train, int threads,
                            uint64_t seed) {
  using bench::Phase;
  omp_set_num_threads(threads);
  linalg::enable_flush_to_zero();
  Generator gen(seed);
  Workload w = make_workload(model, gen);
  nn::Adam adam(w.net->parameters(), {.lr = 1e-3f});
  const Tensor x_all = shaped(train, w.sample_shape);
  data::BatchLoader loader(x_all.shape()[0], 128, true, seed * 1000 + 1);
  ProfileReport rep;
  w.net->train();
  bench::profile_hooks_reset();
  bench::profile_hooks_enable(true);
  const int64_t faults0 = minor_faults();
  // Process CPU time throughout: on a shared machine wall time also counts the waits for a
  // core, which belong to no phase.
  auto timed = [&](Phase p, auto&& f) {
    bench::profile_set_phase(p);
    const double t0 = cpu_seconds();
    f();
    rep.phase_seconds[static_cast<int>(p)] += cpu_seconds() - t0;
    bench::profile_set_phase(Phase::Other);
  };
  const double t_start = cpu_seconds();
  double side = 0;  // time of the no-grad forwards, taken out of the epoch
  for (std::span<const int64_t> rows : loader.next_epoch()) {
    Tensor xb;
    Variable out, loss;
    timed(Phase::Gather, [&] { xb = data::gather_rows(x_all, rows); });
    const Variable x(xb);
    timed(Phase::Forward, [&] { out = w.forward(x); });
    timed(Phase::Loss, [&] {
      loss = w.loss(out, x);
      (void)loss.value().item();  // fit reads the loss every step
    });
    timed(Phase::Backward, [&] { loss.backward(); });
    timed(Phase::Optimizer, [&] { adam.step(); });
    timed(Phase::ZeroGrad, [&] {
      adam.zero_grad();
      out = Variable();
      loss = Variable();  // the graph is freed here, as at the end of fit's step
    });
    // The forward again without a graph: what recording costs is the difference.
    bench::profile_hooks_enable(false);
    {
      const double t0 = cpu_seconds();
      NoGradGuard no_grad;
      (void)w.forward(x);
      const double t = cpu_seconds() - t0;
      rep.nograd_forward_seconds += t;
      side += t;
    }
    bench::profile_hooks_enable(true);
    ++rep.steps;
  }
  rep.epoch_seconds = cpu_seconds() - t_start - side;
  rep.minor_faults = minor_faults() - faults0;
  bench::profile_hooks_enable(false);
  rep.counters = bench::profile_counters();
  return rep;
}

// The profile as a table and as JSON. Parts of the epoch:
//   gemm          every linalg::gemm call (forward, loss, backward)
//   elementwise forward / backward, losses, optimizer: each phase's time without its gemms
//                 and allocations (the backward's includes the engine's walk of the graph)
//   allocation    aligned operator new / delete of tensor storage, in every phase
//   framework     graph recording (the forward with grad minus the same forward without),
//                 batch gather, zero_grad and freeing the graph, and the loop itself
nlohmann::json print_profile(const ProfileReport& r, std::ostream& log, int threads) {
  using bench::Phase;
  const auto& ph = r.counters.phase;
  auto at = [&](Phase p) { return static_cast<int>(p); };
  double gemm = 0, alloc = 0, flops = 0;
  int64_t gemm_calls = 0, allocations = 0;
  for (int i = 0; i < bench::kPhases; ++i) {
    gemm += ph[i].gemm_seconds;
    alloc += ph[i].alloc_seconds;
    flops += ph[i].gemm_flops;
    gemm_calls += ph[i].gemm_calls;
    allocations += ph[i].allocations;
  }
  auto own = [&](Phase p) {
    return r.phase_seconds[at(p)] - ph[at(p)].gemm_seconds - ph[at(p)].alloc_seconds;
  };
  const double recording = std::max(0.0, own(Phase::Forward) - r.nograd_forward_seconds);
  const double fwd = own(Phase::Forward) - recording;
  const double bwd = own(Phase::Backward);
  const double loss = own(Phase::Loss);
  const double optim = own(Phase::Optimizer);
  const double framework = r.epoch_seconds - gemm - alloc - fwd - bwd - loss - optim;
  const std::vector<std::pair<std::string, double>> parts = {
      {"gemm", gemm},           {"elementwise_forward", fwd}, {"elementwise_backward", bwd},
      {"losses", loss},         {"optimizer", optim},         {"allocation", alloc},
      {"framework", framework}};
  log << fmt::format("\nprofile: one aelab epoch at {} thread(s), {} steps, {:.3f} CPU s\n",
                     threads, r.steps, r.epoch_seconds);
  for (const auto& [name, s] : parts)
    log << fmt::format("  {:<22} {:>8.3f} s  {:>5.1f}%\n", name, s, 100 * s / r.epoch_seconds);
  log << fmt::format(
      "  (gemm: {} calls, {:.1f} GFLOP, {:.1f} GFLOP/CPU-s in the epoch; allocation: {} buffers, "
      "{} minor page faults; framework includes graph recording {:.3f} s)\n",
      gemm_calls, flops * 1e-9, flops * 1e-9 / gemm, allocations, r.minor_faults, recording);
  const double rate = flops / r.gemm_limit_seconds;
  log << fmt::format(
      "  gemm-only limit: {:.1f} GFLOP / {:.1f} GFLOP/CPU-s (the same {} shapes replayed alone) = "
      "{:.3f} CPU s, {:.0f}% of the epoch\n",
      flops * 1e-9, rate * 1e-9, r.counters.gemm_shapes.size(), r.gemm_limit_seconds,
      100 * r.gemm_limit_seconds / r.epoch_seconds);
  nlohmann::json j;
  j["threads"] = threads;
  j["steps"] = r.steps;
  j["epoch_seconds"] = r.epoch_seconds;
  for (const auto& [name, s] : parts) j["seconds"][name] = s;
  j["graph_recording_seconds"] = recording;
  j["gemm_calls"] = gemm_calls;
  j["gemm_flops"] = flops;
  j["gemm_shapes"] = r.counters.gemm_shapes.size();
  j["allocations"] = allocations;
  j["minor_page_faults"] = r.minor_faults;
  j["gemm_rate_alone_gflops"] = rate * 1e-9;
  j["gemm_only_limit_seconds"] = r.gemm_limit_seconds;
  return j;
}

// ---- the PyTorch side ----

// Both sides get the same glibc allocator policy (see keep_freed_memory): these are the
// environment's names for the two mallopt settings.
constexpr const char* kPeerMallocEnv =
    "MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=1073741824";

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

bool python_has_torch(const Options& o) {
  const std::string cmd = shell_quote(o.python) + " -c 'import torch' >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

Run train_pytorch(const Workload& w, const std::filesystem::path& data_dir, const Options& o,
                  int threads, uint64_t seed) {
  std::string cmd = fmt::format("{} {} --data {} --threads {}:{} --epochs {} --seed {}",
                                shell_quote(o.python), shell_quote(o.peer_script),
                                shell_quote(data_dir.string()),
                                w.peer_torch_threads ? threads : 1, threads, o.epochs, seed);
  for (const auto& a : w.peer_args) cmd += " " + shell_quote(a);
  if (o.limit > 0) cmd += fmt::format(" --limit {}", o.limit);
  if (o.test_limit > 0) cmd += fmt::format(" --test-limit {}", o.test_limit);
  if (o.peer_flush) cmd += " --flush-denormal";
  cmd = std::string(kPeerMallocEnv) + " " + cmd;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) throw Error("bench_train: cannot start " + cmd);
  Run run;
  bool done = false;
  char line[1024];
  while (std::fgets(line, sizeof line, pipe) != nullptr) {
    int epoch = 0;
    double seconds = 0, cpu = 0, train_loss = 0, test = 0;
    if (std::sscanf(line, "epoch %d seconds %lf cpu %lf train_loss %lf test %lf", &epoch,
                    &seconds, &cpu, &train_loss, &test) == 5) {
      run.epoch_seconds.push_back(seconds);
      run.cpu_seconds.push_back(cpu);
      run.train_loss.push_back(train_loss);
      run.test_loss.push_back(test);
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

nlohmann::json number_or_null(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

// Every step allocates and frees the same large buffers (for the conv model, a batch's
// unfolded columns and their gradients, tens of MB). Above its mmap threshold glibc returns
// them to the kernel, which hands back fresh zeroed pages at the next step, one page fault per
// 4 kB. Chapter 8 keeps freed memory in the heap instead, and so do both sides here.
void keep_freed_memory() {
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

int run(const Options& o) {
  keep_freed_memory();
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

  Generator probe_gen(0);
  const Workload probe = make_workload(o.model, probe_gen);
  const int64_t n = train.shape()[0];
  const int64_t steps = (n + 127) / 128;
  log << fmt::format(
      "bench_train: {}, Adam 1e-3, batch 128, {} parameters, {} train / {} test images, "
      "{} steps/epoch, {} epoch(s), {} round(s)\n",
      probe.title, probe.net->num_parameters(), n, test.shape()[0], steps, o.epochs, o.repeats);
  log << fmt::format("data: {}\n", data_note);
  const char* wait_policy = std::getenv("OMP_WAIT_POLICY");
  log << fmt::format(
      "aelab: SIMD level {} (gemm kernel {}), FTZ/DAZ on, OMP_WAIT_POLICY={}; "
      "PyTorch ({}): torch {} thread(s) + OpenBLAS T threads{}\n",
      linalg::simd_summary(), linalg::to_string(linalg::gemm_kernel()),
      wait_policy == nullptr ? std::string("(unset)")
      : std::getenv("AELAB_BENCH_SET_WAIT_POLICY")
          ? std::string(wait_policy) + " (set by bench_train; --omp-env keeps the environment's)"
          : std::string(wait_policy),
      std::filesystem::path(o.peer_script).filename().string(),
      probe.peer_torch_threads ? "T" : "1", o.peer_flush ? ", flush_denormal on" : ", flush_denormal off");
  if (!peer_note.empty()) log << peer_note << "\n";
  log << std::flush;

  // ---- the runs, interleaved: per round, per thread count, aelab then PyTorch ----
  std::map<int, Result> ours, theirs;
  for (int t : o.threads) {
    ours[t] = {"aelab", t, {}};
    theirs[t] = {"pytorch", t, {}};
  }
  const std::string& what = probe.loss_name;
  for (int r = 0; r < o.repeats; ++r) {
    for (int t : o.threads) {
      const uint64_t seed = o.seed + static_cast<uint64_t>(r);
      ours[t].runs.push_back(train_aelab(o.model, train, test, o, t, seed));
      const Run& a = ours[t].runs.back();
      log << fmt::format("  round {} threads {}: aelab   {:.3f} s/epoch (cpu {:.3f}), test {} {:.5f}\n",
                         r + 1, t, a.epoch_seconds.back(), a.cpu_seconds.back(), what,
                         a.test_loss.back());
      if (peer) {
        theirs[t].runs.push_back(train_pytorch(probe, data_dir, o, t, seed));
        const Run& p = theirs[t].runs.back();
        log << fmt::format("  round {} threads {}: pytorch {:.3f} s/epoch (cpu {:.3f}), test {} {:.5f}\n",
                           r + 1, t, p.epoch_seconds.back(), p.cpu_seconds.back(), what,
                           p.test_loss.back());
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
  for (int e : marks) head += fmt::format(" {:>11}", fmt::format("{}@{}", what, e));
  log << head << "  aelab/pytorch time\n";
  for (int t : o.threads) {
    for (const Result* res : {&ours[t], &theirs[t]}) {
      if (res->runs.empty()) continue;
      const double s = res->median_seconds();
      std::string row =
          fmt::format("{:>7}  {:<8} {:>9.3f} {:>9.3f} {:>9.3f} {:>10.0f}", t, res->who, s,
                      res->min_seconds(), res->median_seconds(true), static_cast<double>(n) / s);
      for (int e : marks)
        row += fmt::format(" {:>11}", fmt_or_dash(res->test_loss_after(e), "{:.5f}"));
      if (res == &theirs[t])
        row += fmt::format("  {:.2f} (cpu {:.2f})", ours[t].median_seconds() / s,
                           ours[t].median_seconds(true) / res->median_seconds(true));
      log << row << "\n";
    }
  }
  log << fmt::format("peak resident memory of the aelab process: {:.0f} MB\n", rss);

  // ---- the profile ----
  nlohmann::json profile_json;
  if (o.profile) {
    const int t = o.threads.front();
    ProfileReport rep = profile_epoch(o.model, train, t, o.seed);
    if (!bench::profile_hooks_linked())
      throw Error("bench_train --profile: the gemm hook saw no call; the --wrap link options of "
                  "bench/train/CMakeLists.txt no longer match linalg::gemm's signature");
    rep.gemm_limit_seconds = replay_gemms(rep.counters.gemm_shapes);
    profile_json = print_profile(rep, log, t);
  }

  if (o.json) {
    nlohmann::json out;
    out["model"] = o.model;
    out["description"] = probe.title;
    out["parameters"] = probe.net->num_parameters();
    out["test_loss"] = probe.loss_name;
    out["train_images"] = n;
    out["test_images"] = test.shape()[0];
    out["epochs"] = o.epochs;
    out["rounds"] = o.repeats;
    out["simd_level"] = linalg::to_string(linalg::simd_level());
    out["gemm_kernel"] = linalg::to_string(linalg::gemm_kernel());
    out["peak_rss_mb"] = rss;
    out["synthetic_data"] = data_dir.empty();
    out["results"] = nlohmann::json::array();
    for (int t : o.threads) {
      for (const Result* res : {&ours[t], &theirs[t]}) {
        if (res->runs.empty()) continue;
        nlohmann::json row;
        row["who"] = res->who;
        row["threads"] = t;
        row["sec_per_epoch_median"] = res->median_seconds();
        row["cpu_sec_per_epoch_median"] = res->median_seconds(true);
        row["samples_per_s"] = static_cast<double>(n) / res->median_seconds();
        for (int e : marks) row["test_loss"][std::to_string(e)] = number_or_null(res->test_loss_after(e));
        row["epoch_seconds"] = nlohmann::json::array();
        for (const auto& r : res->runs)
          for (double s : r.epoch_seconds) row["epoch_seconds"].push_back(s);
        if (res == &theirs[t]) {
          row["ratio_aelab_over_pytorch"] = ours[t].median_seconds() / res->median_seconds();
          row["cpu_ratio_aelab_over_pytorch"] =
              ours[t].median_seconds(true) / res->median_seconds(true);
        }
        out["results"].push_back(row);
      }
    }
    if (o.profile) out["profile"] = profile_json;
    std::cout << out.dump() << std::endl;
  }
  // A smoke run checks that training did something sensible.
  for (int t : o.threads) {
    const double loss = ours[t].test_loss_after(1);
    if (!std::isfinite(loss)) throw Error("bench_train: aelab's test loss is not finite");
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
  Options o;
  // Options first: --help and a bad option answer before any re-execution.
  if (const auto code = parse(argc, argv, o)) return *code;
  ae::bench::give_peers_their_best_kernel(argv);
  choose_wait_policy(argc, argv);
  try {
    return run(o);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
