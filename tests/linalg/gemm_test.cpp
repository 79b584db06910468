// gemm: the reference kernel against hand-computed products, the entry point's checks, and
// every fast kernel against the reference on odd sizes, all transposes, alpha/beta,
// padded leading dimensions and 1 or 2 threads.
#include <gtest/gtest.h>
#include <omp.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "linalg/error.hpp"
#include "linalg/gemm.hpp"

using ae::linalg::GemmKernel;
using ae::linalg::Trans;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

TEST(GemmRef, TwoByTwoByHand) {
  // [1 2; 3 4] * [5 6; 7 8] = [19 22; 43 50]
  const float A[] = {1, 2, 3, 4}, B[] = {5, 6, 7, 8};
  float C[4] = {};
  ae::linalg::gemm_ref(Trans::No, Trans::No, 2, 2, 2, 1.f, A, 2, B, 2, 0.f, C, 2);
  EXPECT_EQ(C[0], 19);
  EXPECT_EQ(C[1], 22);
  EXPECT_EQ(C[2], 43);
  EXPECT_EQ(C[3], 50);
}

TEST(GemmRef, TransposesAlphaBeta) {
  // A^T with A = [1 3; 2 4] stored, so op(A) = [1 2; 3 4]; B^T with B = [5 7; 6 8].
  const float A[] = {1, 3, 2, 4}, B[] = {5, 7, 6, 8};
  float C[4] = {1, 1, 1, 1};
  ae::linalg::gemm_ref(Trans::Yes, Trans::Yes, 2, 2, 2, 2.f, A, 2, B, 2, 0.5f, C, 2);
  EXPECT_EQ(C[0], 2 * 19 + 0.5f);
  EXPECT_EQ(C[3], 2 * 50 + 0.5f);
}

TEST(GemmRef, BetaZeroOverwritesNaN) {
  const float A[] = {1, 2}, B[] = {3, 4};
  float C[1] = {kNaN};
  ae::linalg::gemm(Trans::No, Trans::No, 1, 1, 2, 1.f, A, 2, B, 1, 0.f, C, 1);
  EXPECT_EQ(C[0], 11);
}

TEST(Gemm, BadLeadingDimensionIsAnError) {
  const float A[4] = {}, B[4] = {};
  float C[4] = {};
  EXPECT_THROW(ae::linalg::gemm(Trans::No, Trans::No, 2, 2, 2, 1.f, A, 1, B, 2, 0.f, C, 2),
               ae::Error);
}

TEST(Gemm, KernelsReportAvailability) {
  EXPECT_TRUE(ae::linalg::gemm_kernel_available(GemmKernel::Ref));
  EXPECT_TRUE(ae::linalg::gemm_kernel_available(ae::linalg::gemm_kernel()));
  EXPECT_EQ(ae::linalg::to_string(GemmKernel::Avx512), "avx512");
  for (GemmKernel k : {GemmKernel::Avx2, GemmKernel::Avx512}) {
    if (ae::linalg::gemm_kernel_available(k)) continue;
    const float A[1] = {1}, B[1] = {1};
    float C[1] = {};
    EXPECT_THROW(ae::linalg::gemm_with(k, Trans::No, Trans::No, 1, 1, 1, 1.f, A, 1, B, 1, 0.f,
                                       C, 1),
                 ae::Error);
  }
}

// The CPU's flags as Linux reports them, to check the CPUID-based availability against.
std::string cpuinfo_flags() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("flags", 0) == 0) return line + " ";
  return "";
}

TEST(Gemm, AvailabilityMatchesTheCpuFlags) {
  const std::string flags = cpuinfo_flags();
  if (flags.empty()) GTEST_SKIP() << "no /proc/cpuinfo";
  auto has = [&](const char* flag) {
    return flags.find(" " + std::string(flag) + " ") != std::string::npos;
  };
  EXPECT_EQ(ae::linalg::gemm_kernel_available(GemmKernel::Avx2), has("avx2") && has("fma"));
  EXPECT_EQ(ae::linalg::gemm_kernel_available(GemmKernel::Avx512),
            has("avx2") && has("fma") && has("avx512f"));
}

TEST(Gemm, DefaultKernelIsTheWidestAvailable) {
  if (std::getenv("AELAB_SIMD") != nullptr) GTEST_SKIP() << "AELAB_SIMD chooses the kernel";
  using ae::linalg::gemm_kernel_available;
  const GemmKernel widest = gemm_kernel_available(GemmKernel::Avx512) ? GemmKernel::Avx512
                            : gemm_kernel_available(GemmKernel::Avx2) ? GemmKernel::Avx2
                                                                      : GemmKernel::Ref;
  EXPECT_EQ(ae::linalg::gemm_kernel(), widest);
}

TEST(Gemm, ThreadCount) {
  const int saved = omp_get_max_threads();
  omp_set_num_threads(2);
  EXPECT_EQ(ae::linalg::gemm_threads(8, 8, 8), 1) << "a tiny product should not start threads";
  EXPECT_EQ(ae::linalg::gemm_threads(1000, 1000, 1000), 2);
  int inside = 0;
#pragma omp parallel num_threads(2)
  {
#pragma omp single
    inside = ae::linalg::gemm_threads(1000, 1000, 1000);
  }
  EXPECT_EQ(inside, 1) << "inside a parallel region gemm must use the caller's thread only";
  omp_set_num_threads(1);
  EXPECT_EQ(ae::linalg::gemm_threads(1000, 1000, 1000), 1);
  omp_set_num_threads(saved);
}

// ---------------------------------------------------------------------------------------
// Fast kernels against the reference.

// A row-major matrix stored with a leading dimension ld >= cols. The buffer ends right after
// the last element of the last row, so a read or write past it is out of bounds for the
// address sanitizer; the padding between rows holds a sentinel.
struct Stored {
  int64_t rows, cols, ld;
  std::vector<float> data;

  Stored(int64_t r, int64_t c, int64_t pad, float sentinel)
      : rows(r), cols(c), ld(c + pad), data(std::size_t(r > 0 ? (r - 1) * (c + pad) + c : 0),
                                              sentinel) {}
  float& at(int64_t i, int64_t j) { return data[std::size_t(i * ld + j)]; }
  float at(int64_t i, int64_t j) const { return data[std::size_t(i * ld + j)]; }
};

Stored random_matrix(int64_t rows, int64_t cols, int64_t pad, std::mt19937& rng) {
  // Padding of A and B is NaN: a kernel that multiplied it in would turn C into NaN.
  Stored s(rows, cols, pad, kNaN);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) s.at(i, j) = u(rng);
  return s;
}

struct Case {
  Trans ta, tb;
  int64_t m, n, k;
  float alpha, beta;
  int64_t pad;  // extra floats per row of A, B and C
};

std::string describe(const Case& c, GemmKernel kernel, int threads) {
  return ae::linalg::to_string(kernel) + " " + (c.ta == Trans::Yes ? "T" : "N") +
         (c.tb == Trans::Yes ? "T" : "N") + " m=" + std::to_string(c.m) +
         " n=" + std::to_string(c.n) + " k=" + std::to_string(c.k) +
         " alpha=" + std::to_string(c.alpha) + " beta=" + std::to_string(c.beta) +
         " pad=" + std::to_string(c.pad) + " threads=" + std::to_string(threads);
}

// Bitwise equality, so that a NaN sentinel equals itself.
bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// The reference's C for a case, computed once per case and seed and shared by every kernel
// and thread count (the reference takes seconds at 1000^3).
const Stored& reference_result(const Case& c, uint32_t seed, const Stored& A, const Stored& B,
                               const Stored& C0) {
  static std::map<std::string, Stored> cache;
  const std::string key = describe(c, GemmKernel::Ref, 1) + " seed=" + std::to_string(seed);
  auto it = cache.find(key);
  if (it == cache.end()) {
    Stored expected = C0;
    ae::linalg::gemm_ref(c.ta, c.tb, c.m, c.n, c.k, c.alpha, A.data.data(), A.ld,
                         B.data.data(), B.ld, c.beta, expected.data.data(), expected.ld);
    it = cache.emplace(key, std::move(expected)).first;
  }
  return it->second;
}

// Runs `kernel` on the case with `threads` threads and compares every element of C with the
// reference; checks that the padding of C is untouched. Returns false on the first failure
// (after reporting it), so a broken kernel does not print a million lines.
bool matches_reference(GemmKernel kernel, const Case& c, int threads, uint32_t seed) {
  std::mt19937 rng(seed);
  const Stored A = c.ta == Trans::No ? random_matrix(c.m, c.k, c.pad, rng)
                                     : random_matrix(c.k, c.m, c.pad, rng);
  const Stored B = c.tb == Trans::No ? random_matrix(c.k, c.n, c.pad, rng)
                                     : random_matrix(c.n, c.k, c.pad, rng);
  constexpr float kSentinel = -7777.f;
  Stored C(c.m, c.n, c.pad, kSentinel);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  // With beta == 0, C starts as NaN: the kernel must overwrite it without reading it.
  for (int64_t i = 0; i < c.m; ++i)
    for (int64_t j = 0; j < c.n; ++j) C.at(i, j) = c.beta == 0.f ? kNaN : u(rng);
  const Stored& expected = reference_result(c, seed, A, B, C);
  omp_set_num_threads(threads);
  ae::linalg::gemm_with(kernel, c.ta, c.tb, c.m, c.n, c.k, c.alpha, A.data.data(), A.ld,
                        B.data.data(), B.ld, c.beta, C.data.data(), C.ld);

  // Error bound of a k-term float dot product (Higham, Accuracy and Stability of Numerical
  // Algorithms, 3.1): |error| <= gamma_k sum |a_ip b_pj| with gamma_k ~ k u, and
  // |a|, |b| <= 1 here; plus the rounding of the alpha / beta update.
  const double u_f32 = std::ldexp(1.0, -24);
  const double dot_bound = double(c.k) * double(c.k + 2) * u_f32 * std::fabs(c.alpha);
  for (int64_t i = 0; i < c.m; ++i)
    for (int64_t j = 0; j < c.n; ++j) {
      const double want = expected.at(i, j), got = C.at(i, j);
      const double tol = 2 * dot_bound + 4 * u_f32 * std::fabs(want) + 1e-30;
      if (!(std::fabs(got - want) <= tol)) {
        ADD_FAILURE() << describe(c, kernel, threads) << ": C[" << i << "][" << j
                      << "] = " << got << ", reference " << want << " (tolerance " << tol
                      << ")";
        return false;
      }
    }
  for (int64_t i = 0; i + 1 < c.m; ++i)
    for (int64_t j = c.n; j < C.ld; ++j)
      if (!same_bits(C.at(i, j), kSentinel)) {
        ADD_FAILURE() << describe(c, kernel, threads) << ": padding C[" << i << "][" << j
                      << "] was written (" << C.at(i, j) << ")";
        return false;
      }
  return true;
}

bool sanitizer_build() {
  const char* env = std::getenv("AELAB_SANITIZER_BUILD");
  return env != nullptr && std::string(env) == "1";
}

constexpr Trans kTrans[] = {Trans::No, Trans::Yes};

// Parameters: the kernel and the thread count.
class FastGemm : public ::testing::TestWithParam<std::tuple<GemmKernel, int>> {
 protected:
  void SetUp() override {
    kernel_ = std::get<0>(GetParam());
    threads_ = std::get<1>(GetParam());
    if (!ae::linalg::gemm_kernel_available(kernel_))
      GTEST_SKIP() << ae::linalg::to_string(kernel_) << " is not available on this CPU";
    saved_threads_ = omp_get_max_threads();
  }
  void TearDown() override { omp_set_num_threads(saved_threads_); }

  GemmKernel kernel_ = GemmKernel::Ref;
  int threads_ = 1, saved_threads_ = 1;
};

// Every (m, n, k) from the odd sizes, every transpose pair: register-tile edges in every
// direction (1, 2, 7 below a tile; 15, 16, 17 and 63, 64, 65 around tile multiples; 129
// past a cache block of the depth on some kernels).
TEST_P(FastGemm, AllSizeTriplesAndTransposes) {
  const int64_t sizes[] = {1, 2, 7, 15, 16, 17, 63, 64, 65, 129};
  uint32_t seed = 1;
  for (Trans ta : kTrans)
    for (Trans tb : kTrans)
      for (int64_t m : sizes)
        for (int64_t n : sizes)
          for (int64_t k : sizes)
            if (!matches_reference(kernel_, {ta, tb, m, n, k, 1.f, 0.f, 0}, threads_, seed++))
              return;
}

TEST_P(FastGemm, AlphaBetaAndPaddedLeadingDimensions) {
  struct AlphaBeta {
    float alpha, beta;
  };
  const AlphaBeta scalings[] = {{1.f, 1.f}, {-0.5f, 2.f}, {2.f, 0.f}, {1.f, -1.f}};
  const int64_t shapes[][3] = {{17, 33, 65}, {65, 17, 7},   {7, 129, 300},
                               {129, 65, 1}, {1, 300, 129}, {200, 1, 65}};
  uint32_t seed = 100;
  for (Trans ta : kTrans)
    for (Trans tb : kTrans)
      for (const auto& s : shapes)
        for (const AlphaBeta& ab : scalings)
          for (int64_t pad : {0, 3, 16})
            if (!matches_reference(kernel_, {ta, tb, s[0], s[1], s[2], ab.alpha, ab.beta, pad},
                                   threads_, seed++))
              return;
}

// Sizes past every cache block: several passes over the depth (kc), several row blocks
// (mc) and, for the wide case, several column blocks (nc); and matrix-vector products.
TEST_P(FastGemm, LargeAndNonSquare) {
  const int64_t big = sanitizer_build() ? 300 : 1000;
  const int64_t shapes[][3] = {{big, 129, 65}, {129, big, 63}, {65, 17, big}, {big, big, 16},
                               {7, 4500, 9},   {4500, 7, 9},   {1, big, big}, {big, 1, big}};
  uint32_t seed = 200;
  for (Trans ta : kTrans)
    for (Trans tb : kTrans)
      for (const auto& s : shapes)
        if (!matches_reference(kernel_, {ta, tb, s[0], s[1], s[2], 1.5f, 0.5f, 5}, threads_,
                               seed++))
          return;
}

TEST_P(FastGemm, SquareThousand) {
  const int64_t big = sanitizer_build() ? 300 : 1000;
  if (threads_ > 1) {
    EXPECT_GT(ae::linalg::gemm_threads(big, big, big), 1) << "not threaded";
  }
  EXPECT_TRUE(matches_reference(kernel_, {Trans::No, Trans::Yes, big, big, big, 1.f, 0.f, 0},
                                threads_, 300));
}

// Each element of C is one thread's dot product, summed in the same order whatever the
// thread count: 1 and 2 threads give the same bits.
TEST_P(FastGemm, ThreadCountDoesNotChangeTheResult) {
  if (threads_ == 1) GTEST_SKIP() << "compares 1 thread with more";
  for (const auto& s : {std::array<int64_t, 3>{300, 200, 700}, {130, 500, 300}}) {
    const int64_t m = s[0], n = s[1], k = s[2];
    std::mt19937 rng(7);
    const Stored A = random_matrix(m, k, 0, rng), B = random_matrix(k, n, 0, rng);
    const Stored C0 = random_matrix(m, n, 0, rng);
    std::vector<float> one = C0.data, many = C0.data;
    omp_set_num_threads(1);
    ae::linalg::gemm_with(kernel_, Trans::No, Trans::No, m, n, k, 1.5f, A.data.data(), k,
                          B.data.data(), n, -0.75f, one.data(), n);
    omp_set_num_threads(threads_);
    ASSERT_GT(ae::linalg::gemm_threads(m, n, k), 1);
    ae::linalg::gemm_with(kernel_, Trans::No, Trans::No, m, n, k, 1.5f, A.data.data(), k,
                          B.data.data(), n, -0.75f, many.data(), n);
    ASSERT_EQ(0, std::memcmp(one.data(), many.data(), one.size() * sizeof(float)))
        << "m=" << m << " n=" << n << " k=" << k;
  }
}

// alpha == 0: A and B are not read (they hold NaN here) and C = beta * C.
TEST_P(FastGemm, AlphaZeroScalesC) {
  const std::vector<float> A(6 * 5, kNaN), B(5 * 4, kNaN);
  std::vector<float> C(6 * 4, 3.f);
  omp_set_num_threads(threads_);
  ae::linalg::gemm_with(kernel_, Trans::No, Trans::No, 6, 4, 5, 0.f, A.data(), 5, B.data(), 4,
                        0.5f, C.data(), 4);
  for (float c : C) EXPECT_EQ(c, 1.5f);
  ae::linalg::gemm_with(kernel_, Trans::No, Trans::No, 6, 4, 0, 1.f, A.data(), 1, B.data(), 4,
                        0.f, C.data(), 4);
  for (float c : C) EXPECT_EQ(c, 0.f);
}

// Called from inside the caller's own parallel region, each thread computes its own
// product on its own data (gemm must not share work with the caller's team).
TEST_P(FastGemm, InsideACallersParallelRegion) {
  omp_set_num_threads(2);
  const int64_t n = 70;
  std::vector<std::vector<float>> results(2, std::vector<float>(n * n));
  std::vector<float> A(n * n), B(n * n);
  for (int64_t i = 0; i < n * n; ++i) {
    A[std::size_t(i)] = float(i % 7) - 3.f;
    B[std::size_t(i)] = float(i % 5) - 2.f;
  }
  const GemmKernel kernel = kernel_;
#pragma omp parallel num_threads(2)
  {
    const int t = omp_get_thread_num();
    // Thread t multiplies (t + 1) A by B.
    ae::linalg::gemm_with(kernel, Trans::No, Trans::No, n, n, n, float(t + 1), A.data(), n,
                          B.data(), n, 0.f, results[std::size_t(t)].data(), n);
  }
  std::vector<float> expected(n * n);
  ae::linalg::gemm_ref(Trans::No, Trans::No, n, n, n, 1.f, A.data(), n, B.data(), n, 0.f,
                       expected.data(), n);
  // Small integers: every sum is exact in float.
  for (int t = 0; t < 2; ++t)
    for (int64_t i = 0; i < n * n; ++i)
      ASSERT_EQ(results[std::size_t(t)][std::size_t(i)], float(t + 1) * expected[std::size_t(i)])
          << "thread " << t << " element " << i;
}

INSTANTIATE_TEST_SUITE_P(Kernels, FastGemm,
                         ::testing::Combine(::testing::Values(GemmKernel::Avx2,
                                                              GemmKernel::Avx512),
                                            ::testing::Values(1, 2)),
                         [](const auto& p) {
                           return ae::linalg::to_string(std::get<0>(p.param)) + "_" +
                                  std::to_string(std::get<1>(p.param)) + "threads";
                         });

}  // namespace
