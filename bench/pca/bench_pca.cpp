// bench_pca — PCA of Fashion-MNIST train (60000 x 784, pixels / 255) with aelab's
// decompositions, against NumPy/LAPACK timed in the same run (numpy_peer.py, spawned here).
//
//   covariance      linalg::covariance (double)          vs np.cov
//   Jacobi eigen    eigen_jacobi, all 784 eigenpairs      vs np.linalg.eigh (LAPACK dsyevd)
//                   (auto route: one-sided on the pivoted Cholesky factor; and two-sided)
//   symmetric QR    eigen_symmetric_qr, all 784 eigenpairs vs np.linalg.eigh
//                   (Householder tridiagonalisation + implicit QR)
//   PCA end to end  covariance + eigen_symmetric_qr        vs np.linalg.eigh(np.cov(x)), or
//                                                         np.cov + eigh timed apart if faster
//   block power     block_power_iteration, k = 50         vs np.linalg.eigh
//   randomized SVD  randomized_svd of the centred data, k = 50
//                                                         vs np.linalg.svd (dgesdd, full thin SVD)
// and the explained-variance ratios for k = 2 / 30 / 50 and the largest relative difference of
// the top-50 eigenvalues from LAPACK's.
//
// Usage: bench_pca [--data DIR] [--rows N] [--cols N] [--repeats R] [--threads T] [--no-peer]
//                  [--json] [--quick] [--clock wall|cpu]
//   --threads: OpenMP threads for aelab and OpenBLAS threads for NumPy (default: all cores).
//   --clock cpu: both sides timed by their process's CPU time instead of the wall clock
//   (--threads 1 only): on a machine shared with other work, what the code costs while it runs.
//   --quick: 2000 rows, the first 392 pixels, 1 repeat (the ctest smoke test); synthetic data
//   if the images are missing.
// Exit status 1 if a result disagrees with the reference (eigenvalues, ratios).
#include <CLI/CLI.hpp>
#include <omp.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bench/peer_env.hpp"
#include "linalg/cli.hpp"
#include "linalg/covariance.hpp"
#include "linalg/eigen_jacobi.hpp"
#include "linalg/eigen_symmetric_qr.hpp"
#include "linalg/error.hpp"
#include "linalg/power_iteration.hpp"
#include "linalg/random.hpp"
#include "linalg/randomized_svd.hpp"
#include "linalg/simd.hpp"

namespace la = ae::linalg;

namespace {

struct Options {
  std::string data = "/usr/share/datasets/fashion-mnist";
  int64_t rows = 60000;
  int64_t cols = 784;  // the first `cols` pixels of each image (row-major)
  int repeats = 3;
  int threads = 0;  // 0: OpenMP's default (OMP_NUM_THREADS or every core)
  bool peer = true;
  bool json = false;
  bool quick = false;
  bool cpu_clock = false;
};

// ---------------------------------------------------------------- data
// IDX images, gzipped: big-endian magic 0x00000803, count, height, width, then uint8 pixels.
std::vector<uint8_t> read_images(const std::string& path, int64_t max_rows, int64_t& rows,
                                 int64_t& cols) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) throw std::runtime_error("cannot open " + path);
  unsigned char header[16];
  if (gzread(f, header, 16) != 16) throw std::runtime_error(path + ": shorter than its header");
  auto be32 = [&](int at) {
    return (uint32_t(header[at]) << 24) | (uint32_t(header[at + 1]) << 16) |
           (uint32_t(header[at + 2]) << 8) | uint32_t(header[at + 3]);
  };
  if (be32(0) != 0x803) throw std::runtime_error(path + ": not an IDX uint8 3-d file");
  rows = std::min<int64_t>(be32(4), max_rows);
  cols = int64_t(be32(8)) * be32(12);
  std::vector<uint8_t> pixels(static_cast<size_t>(rows * cols));
  const auto want = static_cast<unsigned>(pixels.size());
  if (gzread(f, pixels.data(), want) != static_cast<int>(want))
    throw std::runtime_error(path + ": fewer pixels than the header says");
  gzclose(f);
  return pixels;
}

// Stand-in when the images are missing (--quick only): 784-pixel "images" that are sums of
// 20 random patterns with decaying weights, plus noise, clipped to [0, 255].
std::vector<uint8_t> synthetic_images(int64_t rows, int64_t cols) {
  la::Random rng(1);
  std::vector<double> patterns(static_cast<size_t>(20 * cols));
  for (double& p : patterns) p = rng.normal();
  std::vector<uint8_t> pixels(static_cast<size_t>(rows * cols));
  for (int64_t i = 0; i < rows; ++i) {
    double w[20];
    for (int c = 0; c < 20; ++c) w[c] = rng.normal() * 30.0 / (1 + c);
    for (int64_t j = 0; j < cols; ++j) {
      double v = 100 + 5 * rng.normal();
      for (int c = 0; c < 20; ++c) v += w[c] * patterns[static_cast<size_t>(c * cols + j)];
      pixels[static_cast<size_t>(i * cols + j)] = static_cast<uint8_t>(std::clamp(v, 0.0, 255.0));
    }
  }
  return pixels;
}

// ---------------------------------------------------------------- the peer's JSON
// numpy_peer.py prints one flat object: numbers, strings, null and arrays of numbers.
struct PeerResult {
  std::map<std::string, double> number;
  std::map<std::string, std::vector<double>> array;
  std::map<std::string, std::string> text;
};

PeerResult parse_flat_json(const std::string& s) {
  PeerResult out;
  size_t i = 0;
  auto skip = [&] {
    while (i < s.size() &&
           (std::isspace(static_cast<unsigned char>(s[i])) || s[i] == ',' || s[i] == ':'))
      ++i;
  };
  auto string_at = [&] {
    const size_t end = s.find('"', i + 1);
    std::string v = s.substr(i + 1, end - i - 1);
    i = end + 1;
    return v;
  };
  auto number_at = [&] {
    char* end = nullptr;
    const double v = std::strtod(s.c_str() + i, &end);
    i = static_cast<size_t>(end - s.c_str());
    return v;
  };
  i = s.find('{') + 1;
  for (skip(); i < s.size() && s[i] != '}'; skip()) {
    const std::string key = string_at();
    skip();
    if (s[i] == '"') {
      out.text[key] = string_at();
    } else if (s[i] == '[') {
      ++i;
      std::vector<double>& v = out.array[key];
      for (skip(); s[i] != ']'; skip()) v.push_back(number_at());
      ++i;
    } else if (s.compare(i, 4, "null") == 0) {
      i += 4;
    } else {
      out.number[key] = number_at();
    }
  }
  return out;
}

bool run_peer(const std::string& images, int64_t rows, int64_t cols, int threads, int repeats,
              bool cpu_clock, PeerResult& out, std::string& why) {
  const std::string python = "/usr/bin/python3";
  if (!std::filesystem::exists(python)) {
    why = python + " not found";
    return false;
  }
  const std::string cmd = python + " " + AELAB_PCA_PEER + " --images '" + images + "' --rows " +
                          std::to_string(rows) + " --cols " + std::to_string(cols) + " --threads " +
                          std::to_string(threads) + " --repeats " + std::to_string(repeats) +
                          " --svd-repeats 1" + (cpu_clock ? " --clock cpu" : "");
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) {
    why = "cannot start " + cmd;
    return false;
  }
  std::string text;
  char buffer[65536];
  size_t got;
  while ((got = fread(buffer, 1, sizeof buffer, pipe)) > 0) text.append(buffer, got);
  const int status = pclose(pipe);
  if (status != 0 || text.find('{') == std::string::npos) {
    why = "the NumPy peer failed (exit status " + std::to_string(status) + ")";
    return false;
  }
  out = parse_flat_json(text);
  return true;
}

// ---------------------------------------------------------------- timing
bool g_cpu_clock = false;  // --clock cpu

// Wall-clock seconds, or this process's CPU seconds (all its threads).
double now_seconds() {
  timespec t{};
  clock_gettime(g_cpu_clock ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

template <class F>
double median_seconds(int repeats, F&& f) {
  std::vector<double> t;
  for (int r = 0; r < repeats; ++r) {
    const double t0 = now_seconds();
    f();
    t.push_back(now_seconds() - t0);
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

double evr(const std::vector<double>& eigenvalues, int64_t k, double trace) {
  double top = 0.0;
  for (int64_t i = 0; i < k; ++i) top += eigenvalues[static_cast<size_t>(i)];
  return top / trace;
}

// max_{i < count} |a_i - b_i| / |b_i|
double max_relative_diff(const std::vector<double>& a, const std::vector<double>& b, size_t count) {
  double worst = 0.0;
  for (size_t i = 0; i < count && i < a.size() && i < b.size(); ++i)
    worst = std::max(worst, std::abs(a[i] - b[i]) / std::abs(b[i]));
  return worst;
}

struct Row {
  Row(std::string t, std::string pt, double s, double ps)
      : task(std::move(t)), peer_task(std::move(pt)), seconds(s), peer_seconds(ps) {}
  std::string task, peer_task;
  double seconds = NAN, peer_seconds = NAN;
  double evr[3] = {NAN, NAN, NAN};
  double eig_diff = NAN;  // top-50 max relative difference from LAPACK's eigenvalues
  std::string note;
};

std::string fmt(double v, const char* spec) {
  if (std::isnan(v)) return "-";
  char b[64];
  std::snprintf(b, sizeof b, spec, v);
  return b;
}

// Options by CLI11. Returns the exit code when parsing ends the program (--help: 0; a bad
// option: CLI11's message and its non-zero code).
std::optional<int> parse(int argc, char** argv, Options& o) {
  CLI::App app{"bench_pca: PCA of Fashion-MNIST by aelab's Jacobi and symmetric QR eigen, power "
               "iteration and randomized SVD against NumPy/LAPACK in the same run (bench/pca/RESULTS.md)."};
  app.add_option("--data", o.data, "folder with train-images-idx3-ubyte.gz")->capture_default_str();
  app.add_option("--rows", o.rows, "images")->check(CLI::Range(int64_t{2}, int64_t{1} << 32))->capture_default_str();
  app.add_option("--cols", o.cols, "first N pixels of each image")->check(CLI::Range(50, 784))->capture_default_str();
  app.add_option("--repeats", o.repeats, "timed repeats")->check(CLI::Range(1, 1000))->capture_default_str();
  app.add_option("--threads", o.threads, "OpenMP threads (0: the runtime's default)")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  bool no_peer = false;
  app.add_flag("--no-peer", no_peer, "aelab only");
  app.add_flag("--json", o.json, "one JSON object on stdout");
  app.add_flag("--quick", o.quick, "2000 rows, 392 columns, one repeat: the smoke test");
  std::string clock = "wall";
  app.add_option("--clock", clock, "wall, or cpu (the process's CPU time; --threads 1 only)")
      ->check(CLI::IsMember({"wall", "cpu"}))
      ->capture_default_str();
  if (const int code = ae::cli::parse(app, argc, argv, "bench_pca"); code >= 0) return code;
  o.peer = !no_peer;
  o.cpu_clock = clock == "cpu";
  if (o.cpu_clock && o.threads != 1) {
    std::fprintf(stderr, "error: --clock cpu measures one thread; use it with --threads 1 "
                         "(see bench_pca --help)\n");
    return 2;
  }
  if (o.quick) {
    o.rows = std::min<int64_t>(o.rows, 2000);
    o.cols = std::min<int64_t>(o.cols, 392);
    o.repeats = 1;
  }
  return std::nullopt;
}

int run(const Options& opt) {
  g_cpu_clock = opt.cpu_clock;
  if (opt.threads > 0) omp_set_num_threads(opt.threads);
  const int threads = omp_get_max_threads();
  const std::string images = opt.data + "/train-images-idx3-ubyte.gz";
  int64_t m = 0, n = 784;
  std::vector<uint8_t> pixels;
  std::string source = images;
  bool synthetic = false;
  if (std::filesystem::exists(images)) {
    pixels = read_images(images, opt.rows, m, n);
    if (opt.cols < n) {  // keep the first opt.cols pixels of every image
      for (int64_t i = 0; i < m; ++i)
        std::copy_n(pixels.begin() + i * n, opt.cols, pixels.begin() + i * opt.cols);
      n = opt.cols;
      pixels.resize(static_cast<size_t>(m * n));
    }
  } else if (opt.quick) {
    m = opt.rows;
    n = std::min<int64_t>(opt.cols, 784);
    pixels = synthetic_images(m, n);
    source = "synthetic data (" + images + " not found)";
    synthetic = true;
  } else {
    throw ae::Error("bench_pca: " + images +
                    " not found (--data DIR; Debian: dataset-fashion-mnist)");
  }
  la::Matrix xd(m, n);
  for (size_t i = 0; i < pixels.size(); ++i) xd.data[i] = pixels[i] / 255.0;

  // Covariance and the eigen-decompositions of it.
  la::Matrix cov;
  const double t_cov = median_seconds(opt.repeats, [&] { cov = la::covariance(xd); });
  double trace = 0.0;
  for (int64_t i = 0; i < n; ++i) trace += cov(i, i);
  la::SymmetricEigen eig, eig2;
  const double t_jacobi = median_seconds(opt.repeats, [&] { eig = la::eigen_jacobi(cov); });
  la::JacobiOptions two;
  two.method = la::JacobiMethod::TwoSided;
  const double t_two = median_seconds(opt.repeats, [&] { eig2 = la::eigen_jacobi(cov, two); });
  la::SymmetricEigen eig_qr;
  const double t_qr = median_seconds(opt.repeats, [&] { eig_qr = la::eigen_symmetric_qr(cov); });
  // PCA end to end: the covariance and every eigenpair, timed together.
  la::SymmetricEigen eig_pca;
  const double t_pca = median_seconds(opt.repeats, [&] {
    const la::Matrix c = la::covariance(xd);
    eig_pca = la::eigen_symmetric_qr(c);
  });
  const int64_t k = std::min<int64_t>(50, n);
  la::PowerOptions popt;
  popt.tolerance = 1e-8;
  la::PowerResult power;
  const double t_power =
      median_seconds(opt.repeats, [&] { power = la::block_power_iteration(cov, k, popt); });

  // Randomized SVD of the centred data, in float as the models hold it.
  const std::vector<double> mu = la::column_means(la::ViewD(xd.data.data(), m, n));
  std::vector<float> xc(static_cast<size_t>(m * n));
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) xc[i * n + j] = static_cast<float>(xd(i, j) - mu[j]);
  la::RandomizedSvd rsvd;
  const double t_rsvd = median_seconds(
      opt.repeats, [&] { rsvd = la::randomized_svd(la::ViewF(xc.data(), m, n), k); });
  std::vector<double> rsvd_eig(rsvd.sigma.size());
  for (size_t i = 0; i < rsvd.sigma.size(); ++i)
    rsvd_eig[i] = rsvd.sigma[i] * rsvd.sigma[i] / double(m - 1);
  const double rsvd_trace = rsvd.frobenius_norm2 / double(m - 1);

  PeerResult peer;
  std::string peer_note;
  bool have_peer = false;
  if (!opt.peer)
    peer_note = "peer skipped (--no-peer)";
  else if (synthetic)
    peer_note = "peer skipped (synthetic data)";
  else
    have_peer = run_peer(images, m, n, threads, opt.repeats, opt.cpu_clock, peer, peer_note);
  const std::vector<double> lapack = have_peer ? peer.array["eigenvalues"] : std::vector<double>{};
  auto peer_num = [&](const std::string& key) {
    return have_peer && peer.number.count(key) ? peer.number[key] : NAN;
  };

  const int64_t ks[3] = {2, 30, 50};
  std::vector<Row> rows;
  auto eig_row = [&](const std::string& task, const std::vector<double>& values, double tr,
                     double seconds, const std::string& peer_task, double peer_seconds) {
    Row r{task, peer_task, seconds, peer_seconds};
    for (int i = 0; i < 3; ++i)
      r.evr[i] = ks[i] <= int64_t(values.size()) ? evr(values, ks[i], tr) : NAN;
    if (have_peer) r.eig_diff = max_relative_diff(values, lapack, 50);
    return r;
  };
  rows.emplace_back("covariance (f64)", "np.cov", t_cov, peer_num("seconds_cov"));
  rows.push_back(eig_row(eig.method == la::JacobiMethod::OneSided ? "Jacobi eigen, one-sided"
                                                                  : "Jacobi eigen, two-sided",
                         eig.values, trace, t_jacobi, "eigh (dsyevd)", peer_num("seconds_eigh")));
  rows.back().note = "auto route; " + std::to_string(eig.sweeps) + " sweeps, " +
                     std::to_string(eig.rotations) + " rotations";
  rows.push_back(eig_row("Jacobi eigen, two-sided (forced)", eig2.values, trace, t_two,
                         "eigh (dsyevd)", peer_num("seconds_eigh")));
  rows.back().note = std::to_string(eig2.sweeps) + " block sweeps";
  rows.push_back(eig_row("symmetric QR eigen", eig_qr.values, trace, t_qr, "eigh (dsyevd)",
                         peer_num("seconds_eigh")));
  rows.back().note = "Householder + implicit QR; " + std::to_string(eig_qr.sweeps) +
                     " QR steps, " + std::to_string(eig_qr.rotations) + " rotations";
  // NumPy's side is the faster of its two measurements: eigh(cov(x)) in one timing, and the
  // sum of the separate cov and eigh timings (the one-call timing has read slower under load).
  rows.push_back(eig_row("PCA end to end (cov + QR eigen)", eig_pca.values, trace, t_pca,
                         "cov+eigh (best)",
                         std::min(peer_num("seconds_cov_eigh"),
                                  peer_num("seconds_cov") + peer_num("seconds_eigh"))));
  rows.back().note = "covariance + all eigenpairs in one timing; NumPy eigh(cov(x)) " +
                     fmt(peer_num("seconds_cov_eigh"), "%.3f") + " s";
  rows.push_back(eig_row("block power k=50 (+cov)", power.values, trace, t_power + t_cov,
                         "eigh (+cov)", peer_num("seconds_eigh") + peer_num("seconds_cov")));
  rows.back().note =
      std::to_string(power.iterations[0]) + " iterations, residual " + fmt(power.residual, "%.1e");
  rows.push_back(eig_row("randomized SVD k=50 (f32)", rsvd_eig, rsvd_trace, t_rsvd,
                         "svd (dgesdd, f64)", peer_num("seconds_svd")));
  rows.back().note = "block Krylov, p=10, q=" + std::to_string(rsvd.power_iterations) + ", basis " +
                     std::to_string(rsvd.basis_size) + ", residual " +
                     fmt(rsvd.relative_residual, "%.4f");
  Row reference{"NumPy eigh (reference)", "", NAN, NAN};
  Row reference_svd{"NumPy svd (reference)", "", NAN, NAN};
  for (int i = 0; i < 3; ++i) {
    reference.evr[i] = peer_num("evr_" + std::to_string(ks[i]));
    reference_svd.evr[i] = peer_num("evr_svd_" + std::to_string(ks[i]));
  }

  // Agreement checks: the bench fails if the numbers are wrong, whatever the speed.
  std::vector<std::string> failures;
  if (eig.values.size() >= 50 && power.values.size() >= 50 &&
      max_relative_diff(power.values, eig.values, 50) > 1e-6)
    failures.push_back("block power and Jacobi eigenvalues differ by more than 1e-6");
  if (max_relative_diff(eig2.values, eig.values, std::min<size_t>(50, eig.values.size())) > 1e-9)
    failures.push_back("the two Jacobi routes differ by more than 1e-9");
  if (max_relative_diff(eig_qr.values, eig.values, std::min<size_t>(50, eig.values.size())) > 1e-9 ||
      max_relative_diff(eig_pca.values, eig.values, std::min<size_t>(50, eig.values.size())) > 1e-9)
    failures.push_back("symmetric QR and Jacobi eigenvalues differ by more than 1e-9");
  if (have_peer) {
    if (rows[1].eig_diff > 1e-9)
      failures.push_back("Jacobi eigenvalues differ from LAPACK's by more than 1e-9");
    if (rows[3].eig_diff > 1e-9 || rows[4].eig_diff > 1e-9)
      failures.push_back("symmetric QR eigenvalues differ from LAPACK's by more than 1e-9");
    for (int i = 0; i < 3; ++i)
      if (std::abs(rows[1].evr[i] - reference.evr[i]) > 5e-7 ||
          std::abs(rows[3].evr[i] - reference.evr[i]) > 5e-7)
        failures.push_back("explained-variance ratio k=" + std::to_string(ks[i]) +
                           " differs from NumPy's beyond the 6th digit");
    const double exact50 = reference.evr[2];
    if (std::abs(rows[6].evr[2] - exact50) / exact50 > 1e-4)
      failures.push_back("randomized SVD explained variance k=50 is off by more than 1e-4");
  }

  if (opt.json) {
    std::printf(
        "{\"benchmark\": \"pca\", \"data\": \"%s\", \"rows\": %lld, \"cols\": %lld, "
        "\"threads\": %d, \"repeats\": %d, \"timing\": \"median seconds\", \"clock\": \"%s\", "
        "\"simd_level\": \"%s\", "
        "\"peer\": %s, \"numpy\": \"%s\", \"openblas_core\": \"%s\", \"rows_table\": [",
        source.c_str(), (long long)m, (long long)n, threads, opt.repeats,
        opt.cpu_clock ? "cpu" : "wall", ae::linalg::to_string(ae::linalg::simd_level()).c_str(),
        have_peer ? "true" : "false", have_peer ? peer.text["numpy"].c_str() : "",
        have_peer ? peer.text["openblas_core"].c_str() : "");
    auto num = [](double v) { return std::isnan(v) ? std::string("null") : fmt(v, "%.10g"); };
    for (size_t i = 0; i < rows.size(); ++i) {
      const Row& r = rows[i];
      std::printf(
          "%s{\"task\": \"%s\", \"seconds\": %s, \"peer_task\": \"%s\", "
          "\"peer_seconds\": %s, \"ratio\": %s, \"evr_2\": %s, \"evr_30\": %s, "
          "\"evr_50\": %s, \"eig_max_rel_diff_top50\": %s, \"note\": \"%s\"}",
          i ? ", " : "", r.task.c_str(), num(r.seconds).c_str(), r.peer_task.c_str(),
          num(r.peer_seconds).c_str(), num(r.seconds / r.peer_seconds).c_str(),
          num(r.evr[0]).c_str(), num(r.evr[1]).c_str(), num(r.evr[2]).c_str(),
          num(r.eig_diff).c_str(), r.note.c_str());
    }
    std::printf(
        "], \"numpy_evr\": [%s, %s, %s], \"numpy_evr_svd\": [%s, %s, %s], "
        "\"failures\": %zu}\n",
        num(reference.evr[0]).c_str(), num(reference.evr[1]).c_str(), num(reference.evr[2]).c_str(),
        num(reference_svd.evr[0]).c_str(), num(reference_svd.evr[1]).c_str(),
        num(reference_svd.evr[2]).c_str(), failures.size());
  } else {
    std::printf("bench_pca: %s, %lld x %lld, pixels/255; %d OpenMP thread(s); median of %d, "
                "%s time\n",
                source.c_str(), (long long)m, (long long)n, threads, opt.repeats,
                opt.cpu_clock ? "process CPU" : "wall");
    std::printf("aelab SIMD level: %s\n", ae::linalg::simd_summary().c_str());
    if (have_peer)
      std::printf("peer: NumPy %s, OpenBLAS %s, %g thread(s), same run\n",
                  peer.text["numpy"].c_str(), peer.text["openblas_core"].c_str(),
                  peer_num("openblas_threads"));
    else
      std::printf("peer: %s\n", peer_note.c_str());
    std::printf("\n| %-32s | %8s | %-18s | %8s | %6s | %9s | %9s | %9s | %10s | %s\n", "task",
                "aelab s", "NumPy", "NumPy s", "ratio", "EVR k=2", "EVR k=30", "EVR k=50",
                "eig diff", "notes");
    std::printf("|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", std::string(34, '-').c_str(),
                std::string(10, '-').c_str(), std::string(20, '-').c_str(),
                std::string(10, '-').c_str(), std::string(8, '-').c_str(),
                std::string(11, '-').c_str(), std::string(11, '-').c_str(),
                std::string(11, '-').c_str(), std::string(12, '-').c_str());
    for (const Row* r :
         {&rows[0], &rows[1], &rows[2], &rows[3], &rows[4], &rows[5], &rows[6], &reference,
          &reference_svd}) {
      std::printf("| %-32s | %8s | %-18s | %8s | %6s | %9s | %9s | %9s | %10s | %s\n",
                  r->task.c_str(), fmt(r->seconds, "%.3f").c_str(), r->peer_task.c_str(),
                  fmt(r->peer_seconds, "%.3f").c_str(),
                  fmt(r->seconds / r->peer_seconds, "%.2f").c_str(), fmt(r->evr[0], "%.6f").c_str(),
                  fmt(r->evr[1], "%.6f").c_str(), fmt(r->evr[2], "%.6f").c_str(),
                  fmt(r->eig_diff, "%.1e").c_str(), r->note.c_str());
    }
    std::printf(
        "\nEVR: explained-variance ratio (top-k eigenvalues / trace). eig diff: max over "
        "the top 50 of |lambda - lambda_LAPACK| / lambda_LAPACK.\n");
    if (m == 60000 && n == 784 && !synthetic)
      std::printf(
          "Published NumPy values (../shared/peers/README.md): EVR 0.467945 / 0.820739 / "
          "0.862692.\n");
    for (const std::string& f : failures) std::printf("error: %s\n", f.c_str());
  }
  return failures.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  // Options first: --help and a bad option answer before any re-execution.
  if (const auto code = parse(argc, argv, o)) return *code;
  ae::bench::give_peers_their_best_kernel(argv);
  try {
    return run(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
