// bench_gemm — aelab's gemm against OpenBLAS cblas_sgemm, in the same process and run.
//
// For every thread count and shape, aelab and OpenBLAS take turns for several rounds
// (the order alternates each round) and each side keeps its best round: on a shared
// machine, noise only ever slows a run down, so the best round is the closest to what the
// code can do, and turns taken in the same minutes see the same machine. Each turn repeats
// the product until it has run for --min-time seconds. Both results are compared, and a
// disagreement fails the run.
//
//   bench_gemm [--json] [--quick] [--rounds N] [--threads 1,2] [--kernel ref|avx2|avx512]
//              [--only TEXT] [--min-time S] [--pause-ms MS] [--clock wall|cpu]
//
// --clock cpu times one thread by the CPU time it was given rather than by the wall clock:
// on a machine shared with other work, it shows what the code does while it runs (cache
// misses from the neighbours still count). Only for --threads 1.
//
// The FMA peak: before and after the shapes, a loop of many independent fused multiply-add
// chains (AVX-512 and AVX2, picked at run time by linalg::simd_level(); the faster one is
// the core's peak) runs on each thread count for the same rounds, and every row prints
// aelab's GFLOP/s as a fraction of that peak, measured in the same run.
//
// Shapes: square 256..2048 and the products of a 784-256 autoencoder layer at batch 128,
// forward and backward, with the transposes the backward pass uses (the list of
// ../shared/peers/sgemm_peer.cpp, so the figures compare with its table).
#include <CLI/CLI.hpp>
#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <time.h>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define AE_BENCH_X86 1
#endif

#include "bench/peer_env.hpp"
#include "linalg/cli.hpp"
#include "linalg/error.hpp"
#include "linalg/gemm.hpp"
#include "linalg/random.hpp"
#include "linalg/simd.hpp"

extern "C" void openblas_set_num_threads(int num_threads);
extern "C" char* openblas_get_corename(void);

namespace {

using ae::linalg::GemmKernel;
using ae::linalg::Trans;

struct Shape {
  const char* name;
  int64_t m, n, k;
  Trans ta, tb;
};

constexpr Trans N = Trans::No, T = Trans::Yes;

// C (m x n) = op(A) (m x k) * op(B) (k x n). A layer y = x W^T + b with W stored
// out x in (as nn::Linear and PyTorch store it) runs forward X W^T (NT), backward
// dX = dY W (NN) and dW = dY^T X (TN); a layer with W stored in x out runs X W, dY W^T
// and X^T dY.
const Shape kFullShapes[] = {
    {"square 256", 256, 256, 256, N, N},
    {"square 512", 512, 512, 512, N, N},
    {"square 1024", 1024, 1024, 1024, N, N},
    {"square 2048", 2048, 2048, 2048, N, N},
    {"enc fwd X*W", 128, 256, 784, N, N},
    {"enc fwd X*W^T", 128, 256, 784, N, T},
    {"enc bwd dX=dY*W^T", 128, 784, 256, N, T},
    {"enc bwd dW=X^T*dY", 784, 256, 128, T, N},
    {"dec fwd H*W", 128, 784, 256, N, N},
    {"dec bwd dH=dY*W^T", 128, 256, 784, N, T},
    {"dec bwd dW=H^T*dY", 256, 784, 128, T, N},
};

// --quick: tiny sizes over every transpose pair and tile edge, for a smoke test.
const Shape kQuickShapes[] = {
    {"tiny NN", 16, 16, 16, N, N},
    {"tiny NT", 33, 65, 17, N, T},
    {"tiny TN", 70, 33, 129, T, N},
    {"tiny TT", 17, 18, 300, T, T},
};

struct Options {
  bool json = false, quick = false;
  int rounds = 7;
  std::vector<int> threads = {1, 2};
  GemmKernel kernel = ae::linalg::gemm_kernel();
  std::string only;
  double min_time = 0.1;   // seconds per turn
  int pause_ms = 100;      // between turns with more than one thread
  bool cpu_clock = false;  // thread CPU time instead of wall time
};

struct Row {
  const Shape* shape;
  int threads;
  double aelab_gflops = 0, openblas_gflops = 0, max_rel_diff = 0;
  double peak_gflops = 0;  // the FMA peak on this many threads, same run
};

// ---------------------------------------------------------------- the FMA peak
// Twelve independent chains acc = acc * a + b: more than FMA latency x FMA ports (4 x 2 on
// current cores), so the loop is bound by FMA throughput alone. Each call does
// iterations x 12 FMAs per vector lane; the result is returned so the work stays.
constexpr int64_t kPeakIterations = 1 << 20;

#ifdef AE_BENCH_X86
#define AE_FMA12(fma)                                                                       \
  a0 = fma(a0, m, c); a1 = fma(a1, m, c); a2 = fma(a2, m, c); a3 = fma(a3, m, c);          \
  a4 = fma(a4, m, c); a5 = fma(a5, m, c); a6 = fma(a6, m, c); a7 = fma(a7, m, c);          \
  a8 = fma(a8, m, c); a9 = fma(a9, m, c); a10 = fma(a10, m, c); a11 = fma(a11, m, c)

[[gnu::target("avx512f")]] float fma_chains_avx512(int64_t iterations) {
  const __m512 m = _mm512_set1_ps(0.9999999f), c = _mm512_set1_ps(1e-7f);
  // Twelve different starting values: equal chains would be merged by the compiler.
  __m512 a0 = _mm512_set1_ps(0.10f), a1 = _mm512_set1_ps(0.11f), a2 = _mm512_set1_ps(0.12f);
  __m512 a3 = _mm512_set1_ps(0.13f), a4 = _mm512_set1_ps(0.14f), a5 = _mm512_set1_ps(0.15f);
  __m512 a6 = _mm512_set1_ps(0.16f), a7 = _mm512_set1_ps(0.17f), a8 = _mm512_set1_ps(0.18f);
  __m512 a9 = _mm512_set1_ps(0.19f), a10 = _mm512_set1_ps(0.20f), a11 = _mm512_set1_ps(0.21f);
  for (int64_t i = 0; i < iterations; ++i) { AE_FMA12(_mm512_fmadd_ps); }
  const __m512 s = _mm512_add_ps(
      _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)),
                    _mm512_add_ps(_mm512_add_ps(a4, a5), _mm512_add_ps(a6, a7))),
      _mm512_add_ps(_mm512_add_ps(a8, a9), _mm512_add_ps(a10, a11)));
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, s);
  float total = 0;
  for (float v : lanes) total += v;
  return total;
}

[[gnu::target("avx2,fma")]] float fma_chains_avx2(int64_t iterations) {
  const __m256 m = _mm256_set1_ps(0.9999999f), c = _mm256_set1_ps(1e-7f);
  __m256 a0 = _mm256_set1_ps(0.10f), a1 = _mm256_set1_ps(0.11f), a2 = _mm256_set1_ps(0.12f);
  __m256 a3 = _mm256_set1_ps(0.13f), a4 = _mm256_set1_ps(0.14f), a5 = _mm256_set1_ps(0.15f);
  __m256 a6 = _mm256_set1_ps(0.16f), a7 = _mm256_set1_ps(0.17f), a8 = _mm256_set1_ps(0.18f);
  __m256 a9 = _mm256_set1_ps(0.19f), a10 = _mm256_set1_ps(0.20f), a11 = _mm256_set1_ps(0.21f);
  for (int64_t i = 0; i < iterations; ++i) { AE_FMA12(_mm256_fmadd_ps); }
  const __m256 s = _mm256_add_ps(
      _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
                    _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(a6, a7))),
      _mm256_add_ps(_mm256_add_ps(a8, a9), _mm256_add_ps(a10, a11)));
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, s);
  return lanes[0] + lanes[1] + lanes[2] + lanes[3] + lanes[4] + lanes[5] + lanes[6] + lanes[7];
}
#undef AE_FMA12
#endif

// The FMA loops the CPU runs (by linalg::simd_level()), with their float flops per call.
struct PeakLoop {
  const char* name;
  float (*run)(int64_t);
  double flops;  // per call of run(kPeakIterations)
};

std::vector<PeakLoop> peak_loops() {
  std::vector<PeakLoop> loops;
#ifdef AE_BENCH_X86
  using ae::linalg::SimdLevel;
  const SimdLevel level = ae::linalg::simd_level();
  if (level >= SimdLevel::Avx512)
    loops.push_back({"avx512", fma_chains_avx512, 2.0 * 16 * 12 * double(kPeakIterations)});
  if (level >= SimdLevel::Avx2)
    loops.push_back({"avx2", fma_chains_avx2, 2.0 * 8 * 12 * double(kPeakIterations)});
#endif
  return loops;
}

// Each side keeps its best, as the gemm rows do.
struct Peak {
  std::vector<double> gflops;  // per loop of peak_loops(), best so far
  double best() const {
    double b = 0;
    for (double g : gflops) b = std::max(b, g);
    return b;
  }
};

[[noreturn]] void usage_error(const std::string& what) {
  throw ae::Error("bench_gemm: " + what +
                  " (bench_gemm --help lists the options)");
}

// Options by CLI11. Returns the exit code when parsing ends the program (--help: 0; a bad
// option: CLI11's message and its non-zero code).
std::optional<int> parse(int argc, char** argv, Options& o) {
  CLI::App app{"bench_gemm: aelab's gemm against OpenBLAS cblas_sgemm in the same process, "
               "GFLOP/s per shape and thread count (bench/gemm/RESULTS.md)."};
  std::string kernel, clock = "wall";
  app.add_flag("--json", o.json, "one JSON object on stdout");
  app.add_flag("--quick", o.quick, "tiny sizes, one round: the smoke test");
  auto* rounds = app.add_option("--rounds", o.rounds, "rounds per shape")
                     ->check(CLI::Range(1, 1000))
                     ->capture_default_str();
  app.add_option("--threads", o.threads, "thread counts, e.g. 1,2")
      ->delimiter(',')
      ->check(CLI::Range(1, 256));
  app.add_option("--kernel", kernel, "aelab kernel (default: the CPU's)")
      ->check(CLI::IsMember({"ref", "avx2", "avx512"}));
  app.add_option("--only", o.only, "shapes whose name contains TEXT");
  auto* min_time = app.add_option("--min-time", o.min_time, "seconds per turn")
                       ->check(CLI::Range(1e-6, 60.0))
                       ->capture_default_str();
  app.add_option("--clock", clock, "wall, or cpu (one thread's CPU time; --threads 1 only)")
      ->check(CLI::IsMember({"wall", "cpu"}))
      ->capture_default_str();
  app.add_option("--pause-ms", o.pause_ms, "pause between turns with more than one thread")
      ->check(CLI::Range(0, 10000))
      ->capture_default_str();
  if (const int code = ae::cli::parse(app, argc, argv, "bench_gemm"); code >= 0) return code;
  if (!kernel.empty()) {
    o.kernel = kernel == "ref" ? GemmKernel::Ref : kernel == "avx2" ? GemmKernel::Avx2 : GemmKernel::Avx512;
    if (!ae::linalg::gemm_kernel_available(o.kernel))
      usage_error("--kernel " + kernel + " is not available on this CPU");
  }
  o.cpu_clock = clock == "cpu";
  if (o.cpu_clock)
    for (int t : o.threads)
      if (t != 1) usage_error("--clock cpu measures one thread; use it with --threads 1");
  if (o.quick) {
    if (rounds->count() == 0) o.rounds = 1;
    if (min_time->count() == 0) o.min_time = 0.002;
    o.pause_ms = std::min(o.pause_ms, 5);
  }
  return std::nullopt;
}

// Wall-clock seconds, or the calling thread's CPU seconds.
double now_seconds(bool cpu_clock) {
  timespec t{};
  clock_gettime(cpu_clock ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

// Seconds per call of fn, over as many calls as fit in min_time (at least one).
template <class F>
double seconds_per_call(F&& fn, double min_time, bool cpu_clock) {
  int64_t calls = 0;
  const double start = now_seconds(cpu_clock);
  double elapsed = 0;
  do {
    fn();
    ++calls;
    elapsed = now_seconds(cpu_clock) - start;
  } while (elapsed < min_time);
  return elapsed / double(calls);
}

// The FMA loops on `threads` threads at once (each thread its own calls), best of `rounds`.
void measure_peak(Peak& peak, int threads, const Options& o) {
  const std::vector<PeakLoop> loops = peak_loops();
  peak.gflops.resize(loops.size(), 0.0);
  volatile float sink = 0;
  for (int r = 0; r < o.rounds; ++r)
    for (size_t l = 0; l < loops.size(); ++l) {
      double seconds = 0;
      if (threads == 1) {
        seconds = seconds_per_call([&] { sink = sink + loops[l].run(kPeakIterations); },
                                   o.min_time, o.cpu_clock);
      } else {
        // Wall time of one call on every thread together, the slowest thread's.
        seconds = seconds_per_call(
            [&] {
#pragma omp parallel num_threads(threads)
              {
                const float v = loops[l].run(kPeakIterations);
                if (v == 12345.0f) sink = v;  // keeps the result alive
              }
            },
            o.min_time, false);
      }
      peak.gflops[l] = std::max(peak.gflops[l], threads * loops[l].flops / seconds / 1e9);
    }
}

// Uniform on [-1, 1).
std::vector<float> random_floats(int64_t count, uint64_t seed) {
  ae::linalg::Random rng(seed);
  std::vector<float> v(static_cast<std::size_t>(count));
  for (float& x : v) x = static_cast<float>(2.0 * rng.uniform() - 1.0);
  return v;
}

Row measure(const Shape& s, int threads, const Options& o) {
  // Stored shapes: A is m x k (k x m when transposed), B is k x n (n x k when transposed).
  const int64_t lda = s.ta == N ? s.k : s.m, ldb = s.tb == N ? s.n : s.k, ldc = s.n;
  const std::vector<float> A = random_floats(s.m * s.k, 1), B = random_floats(s.k * s.n, 2);
  std::vector<float> c_aelab(std::size_t(s.m * s.n)), c_openblas(c_aelab.size());

  omp_set_num_threads(threads);
  openblas_set_num_threads(threads);
  auto run_aelab = [&] {
    ae::linalg::gemm_with(o.kernel, s.ta, s.tb, s.m, s.n, s.k, 1.f, A.data(), lda, B.data(),
                          ldb, 0.f, c_aelab.data(), ldc);
  };
  auto run_openblas = [&] {
    cblas_sgemm(CblasRowMajor, s.ta == T ? CblasTrans : CblasNoTrans,
                s.tb == T ? CblasTrans : CblasNoTrans, int(s.m), int(s.n), int(s.k), 1.f,
                A.data(), int(lda), B.data(), int(ldb), 0.f, c_openblas.data(), int(ldc));
  };
  // Warm-up (thread start, page faults, packing buffers), and the results to compare.
  run_aelab();
  run_openblas();

  Row row{&s, threads};
  double scale = 0;
  for (std::size_t i = 0; i < c_openblas.size(); ++i) {
    scale = std::max(scale, double(std::fabs(c_openblas[i])));
    row.max_rel_diff = std::max(row.max_rel_diff, double(std::fabs(c_aelab[i] - c_openblas[i])));
  }
  row.max_rel_diff /= std::max(scale, 1e-30);

  // Both libraries leave their worker threads spinning for a while after a call; with more
  // than one thread, a pause between turns lets them sleep, so neither runs against the
  // other's spinning workers.
  auto pause = [&] {
    if (threads > 1 && o.pause_ms > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(o.pause_ms));
  };
  const double gflop = 2.0 * double(s.m) * double(s.n) * double(s.k) / 1e9;
  for (int r = 0; r < o.rounds; ++r) {
    for (int turn = 0; turn < 2; ++turn) {
      const bool aelab_turn = (turn == 0) == (r % 2 == 0);
      pause();
      if (aelab_turn)
        row.aelab_gflops = std::max(
            row.aelab_gflops, gflop / seconds_per_call(run_aelab, o.min_time, o.cpu_clock));
      else
        row.openblas_gflops = std::max(
            row.openblas_gflops, gflop / seconds_per_call(run_openblas, o.min_time, o.cpu_clock));
    }
  }
  return row;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(" \t", colon + 1));
    }
  return "unknown";
}

// The 1-minute load average (runnable tasks): how much else the machine was doing.
std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one;
  return in >> one ? one : "unknown";
}

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return text;
}

std::string op_name(const Shape& s) {
  return std::string(s.ta == T ? "T" : "N") + (s.tb == T ? "T" : "N");
}

std::string json_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) out += c;
  }
  return out;
}

// A result is wrong, not merely slow, if the two libraries differ by more than float
// rounding can explain (random entries in [-1, 1], k <= 2048: a few 1e-6 of the largest).
constexpr double kMaxRelDiff = 1e-4;

std::string peak_text(const std::vector<int>& threads, const std::vector<Peak>& peaks) {
  const std::vector<PeakLoop> loops = peak_loops();
  std::string out;
  for (size_t t = 0; t < threads.size(); ++t) {
    char b[160];
    std::snprintf(b, sizeof b, "%s%d thread(s): %.1f GFLOP/s (", t ? "; " : "", threads[t],
                  peaks[t].best());
    out += b;
    for (size_t l = 0; l < loops.size(); ++l) {
      std::snprintf(b, sizeof b, "%s%s %.1f", l ? ", " : "", loops[l].name, peaks[t].gflops[l]);
      out += b;
    }
    out += ")";
  }
  return out;
}

void print_table(const std::vector<Row>& rows, const Options& o, const std::string& started,
                 const std::string& load_before, const std::string& peaks) {
  std::printf("aelab gemm kernel %s vs OpenBLAS (core %s), %d round(s), best round each, "
              "%s time\n",
              ae::linalg::to_string(o.kernel).c_str(), openblas_get_corename(), o.rounds,
              o.cpu_clock ? "thread CPU" : "wall");
  std::printf("aelab SIMD level: %s\n", ae::linalg::simd_summary().c_str());
  std::printf("machine: %s, started %s, load average %s before / %s after, "
              "OMP_WAIT_POLICY=%s\n",
              cpu_model().c_str(), started.c_str(), load_before.c_str(),
              load_average().c_str(), env_or("OMP_WAIT_POLICY", "(unset)").c_str());
  std::printf("FMA peak (float, independent FMA chains, best round, before and after the shapes): "
              "%s\naelab/pk, OBLAS/pk: each library's GFLOP/s as a fraction of that peak\n\n",
              peaks.c_str());
  std::printf("%-7s  %-20s %5s %5s %5s  %2s  %12s  %12s  %7s  %9s  %9s  %s\n", "threads",
              "shape", "m", "n", "k", "op", "aelab GF/s", "OpenBLAS GF/s", "ratio", "aelab/pk",
              "OBLAS/pk", "check");
  for (const Row& r : rows) {
    const Shape& s = *r.shape;
    std::printf("%-7d  %-20s %5lld %5lld %5lld  %2s  %12.1f  %13.1f  %7.3f  %9.3f  %9.3f  %s\n",
                r.threads, s.name, (long long)s.m, (long long)s.n, (long long)s.k,
                op_name(s).c_str(), r.aelab_gflops, r.openblas_gflops,
                r.aelab_gflops / r.openblas_gflops, r.aelab_gflops / r.peak_gflops,
                r.openblas_gflops / r.peak_gflops, r.max_rel_diff <= kMaxRelDiff ? "ok" : "MISMATCH");
  }
}

void print_json(const std::vector<Row>& rows, const Options& o, const std::string& started,
                const std::string& load_before, const std::vector<int>& threads,
                const std::vector<Peak>& peaks) {
  std::printf("{\"benchmark\": \"gemm\", \"started\": \"%s\", \"machine\": \"%s\", ",
              started.c_str(), json_escape(cpu_model()).c_str());
  std::printf("\"load_average_before\": \"%s\", \"load_average_after\": \"%s\", "
              "\"omp_wait_policy\": \"%s\", ",
              load_before.c_str(), load_average().c_str(),
              json_escape(env_or("OMP_WAIT_POLICY", "")).c_str());
  std::printf("\"simd_level\": \"%s\", ",
              ae::linalg::to_string(ae::linalg::simd_level()).c_str());
  std::printf("\"aelab_kernel\": \"%s\", \"openblas_core\": \"%s\", \"rounds\": %d, "
              "\"min_time_s\": %g, \"clock\": \"%s\", ",
              ae::linalg::to_string(o.kernel).c_str(), json_escape(openblas_get_corename()).c_str(),
              o.rounds, o.min_time, o.cpu_clock ? "cpu" : "wall");
  std::printf("\"fma_peak_gflops\": {");
  for (size_t t = 0; t < threads.size(); ++t)
    std::printf("%s\"%d\": %.2f", t ? ", " : "", threads[t], peaks[t].best());
  std::printf("}, \"rows\": [");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    const Shape& s = *r.shape;
    std::printf("%s\n  {\"shape\": \"%s\", \"m\": %lld, \"n\": %lld, \"k\": %lld, \"op\": \"%s\", "
                "\"threads\": %d, \"aelab_gflops\": %.2f, \"openblas_gflops\": %.2f, "
                "\"ratio\": %.4f, \"aelab_fraction_of_peak\": %.4f, "
                "\"openblas_fraction_of_peak\": %.4f, \"max_rel_diff\": %.3g}",
                i == 0 ? "" : ",", json_escape(s.name).c_str(), (long long)s.m, (long long)s.n,
                (long long)s.k, op_name(s).c_str(), r.threads, r.aelab_gflops, r.openblas_gflops,
                r.aelab_gflops / r.openblas_gflops, r.aelab_gflops / r.peak_gflops,
                r.openblas_gflops / r.peak_gflops, r.max_rel_diff);
  }
  std::printf("\n]}\n");
}

int run(const Options& o) {
  std::vector<const Shape*> shapes;
  if (o.quick)
    for (const Shape& s : kQuickShapes) shapes.push_back(&s);
  else
    for (const Shape& s : kFullShapes)
      if (std::string(s.name).find(o.only) != std::string::npos) shapes.push_back(&s);
  if (shapes.empty()) usage_error("--only '" + o.only + "' matches no shape");

  const std::string started = utc_now(), load_before = load_average();
  std::vector<Row> rows;
  std::vector<Peak> peaks(o.threads.size());
  for (size_t t = 0; t < o.threads.size(); ++t) measure_peak(peaks[t], o.threads[t], o);
  for (int threads : o.threads)
    for (const Shape* s : shapes) {
      rows.push_back(measure(*s, threads, o));
      if (!o.json) std::fprintf(stderr, ".");
    }
  for (size_t t = 0; t < o.threads.size(); ++t) measure_peak(peaks[t], o.threads[t], o);
  for (Row& r : rows)
    for (size_t t = 0; t < o.threads.size(); ++t)
      if (o.threads[t] == r.threads) r.peak_gflops = peaks[t].best();
  if (!o.json) std::fprintf(stderr, "\n");
  if (o.json)
    print_json(rows, o, started, load_before, o.threads, peaks);
  else
    print_table(rows, o, started, load_before, peak_text(o.threads, peaks));

  for (const Row& r : rows)
    if (!(r.max_rel_diff <= kMaxRelDiff)) {
      std::fprintf(stderr, "error: bench_gemm: %s on %d thread(s): aelab and OpenBLAS differ by %g "
                   "of the largest element\n", r.shape->name, r.threads, r.max_rel_diff);
      return 1;
    }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  // Options first: --help and a bad option answer before any re-execution.
  try {
    if (const auto code = parse(argc, argv, o)) return *code;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
  ae::bench::give_peers_their_best_kernel(argv);
  try {
    return run(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
}
