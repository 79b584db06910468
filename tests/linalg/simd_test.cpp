// The one CPU dispatch (linalg/simd.hpp): CPUID against Linux's view of the CPU, the clamp
// AELAB_SIMD applies, and that the level chosen is the kernel that runs.
//
// tests/linalg/CMakeLists.txt also runs this suite with AELAB_SIMD set (scalar, avx2, a
// misspelt level) and with a retired variable set; SimdEnvironment.* then checks that the
// process obeyed.
#include "linalg/simd.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "linalg/error.hpp"
#include "linalg/gemm.hpp"
#include "linalg/random.hpp"
#include "linalg/training_kernels.hpp"
#include "linalg/vector_kernels.hpp"

using ae::linalg::clamp_simd_level;
using ae::linalg::SimdLevel;

namespace {

std::string cpuinfo_flags() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("flags", 0) == 0) return line + " ";
  return "";
}

std::vector<float> random_floats(size_t count, uint64_t seed) {
  ae::linalg::Random gen(seed);
  std::vector<float> v(count);
  for (float& x : v) x = static_cast<float>(gen.uniform() * 2.0 - 1.0);
  return v;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// C = A B for 37 x 41 x 257 through gemm() (the dispatched kernel) and gemm_ref().
struct Products {
  std::vector<float> dispatched, reference;
};
Products gemm_both_ways() {
  const int64_t m = 37, n = 41, k = 257;
  const std::vector<float> A = random_floats(m * k, 1), B = random_floats(k * n, 2);
  Products out{std::vector<float>(m * n), std::vector<float>(m * n)};
  using ae::linalg::Trans;
  ae::linalg::gemm(Trans::No, Trans::No, m, n, k, 1.f, A.data(), k, B.data(), n, 0.f,
                   out.dispatched.data(), n);
  ae::linalg::gemm_ref(Trans::No, Trans::No, m, n, k, 1.f, A.data(), k, B.data(), n, 0.f,
                       out.reference.data(), n);
  return out;
}

// With the level at Scalar every dispatched kernel is its specification, bit for bit; at a
// wider level gemm's blocked FMA kernels add in another order, so over k = 257 terms some
// element differs in its last bits. Either way the check can tell which kernel ran.
void expect_the_level_runs(SimdLevel level) {
  const Products p = gemm_both_ways();
  if (level == SimdLevel::Scalar) {
    EXPECT_TRUE(same_bits(p.dispatched, p.reference)) << "gemm did not run the reference";
    std::vector<double> x(100), y(100);
    for (size_t i = 0; i < x.size(); ++i) x[i] = 0.1 * double(i), y[i] = 1.0 / double(i + 1);
    // dot_f64's scalar specification: four partial sums, added as (s0 + s1) + (s2 + s3).
    double s[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < x.size(); ++i) s[i % 4] += x[i] * y[i];
    EXPECT_EQ(ae::linalg::dot_f64(x.data(), y.data(), 100), (s[0] + s[1]) + (s[2] + s[3]));
  } else {
    EXPECT_FALSE(same_bits(p.dispatched, p.reference))
        << "gemm gave the reference's bits at " << to_string(level);
    for (size_t i = 0; i < p.reference.size(); ++i)
      ASSERT_NEAR(p.dispatched[i], p.reference[i], 1e-4f) << i;
  }
  // The Adam step through the dispatch equals the named level's, bit for bit.
  const ae::linalg::AdamCoefficients c{0.9f, 0.999f, 1e-8f, 1e-2f, 30.0f, 0.0f, 1.0f};
  std::vector<float> p1 = random_floats(100, 3), g = random_floats(100, 4);
  std::vector<float> m1(100, 0.01f), v1(100, 1e-4f), p2 = p1, m2 = m1, v2 = v1;
  ae::linalg::adam_update(p1.data(), g.data(), m1.data(), v1.data(), 100, c);
  ae::linalg::adam_update_with(level, p2.data(), g.data(), m2.data(), v2.data(), 100, c);
  EXPECT_TRUE(same_bits(p1, p2));
}

}  // namespace

TEST(SimdLevel, ClampTakesTheLowerOfTheCpuAndTheSetting) {
  EXPECT_EQ(clamp_simd_level(SimdLevel::Avx512, ""), SimdLevel::Avx512);
  EXPECT_EQ(clamp_simd_level(SimdLevel::Avx2, ""), SimdLevel::Avx2);
  EXPECT_EQ(clamp_simd_level(SimdLevel::Avx512, "avx2"), SimdLevel::Avx2);
  EXPECT_EQ(clamp_simd_level(SimdLevel::Avx512, "scalar"), SimdLevel::Scalar);
  EXPECT_EQ(clamp_simd_level(SimdLevel::Avx2, "avx512"), SimdLevel::Avx2);
  EXPECT_EQ(clamp_simd_level(SimdLevel::Scalar, "avx512"), SimdLevel::Scalar);
  EXPECT_EQ(clamp_simd_level(SimdLevel::Avx2, "avx2"), SimdLevel::Avx2);
}

TEST(SimdLevel, AnUnknownSettingIsAnErrorNamingTheVariable) {
  for (const char* bad : {"sse", "AVX2", "avx-512", " scalar"}) {
    try {
      clamp_simd_level(SimdLevel::Avx512, bad);
      ADD_FAILURE() << "no error for '" << bad << "'";
    } catch (const ae::Error& e) {
      EXPECT_NE(std::string(e.what()).find("AELAB_SIMD='" + std::string(bad) + "'"),
                std::string::npos)
          << e.what();
    }
  }
}

TEST(SimdLevel, CpuLevelMatchesTheCpuFlags) {
  const std::string flags = cpuinfo_flags();
  if (flags.empty()) GTEST_SKIP() << "no /proc/cpuinfo";
  auto has = [&](const char* flag) {
    return flags.find(" " + std::string(flag) + " ") != std::string::npos;
  };
  const bool avx2 = has("avx2") && has("fma");
  const SimdLevel expected = avx2 && has("avx512f") ? SimdLevel::Avx512
                             : avx2                 ? SimdLevel::Avx2
                                                    : SimdLevel::Scalar;
  EXPECT_EQ(ae::linalg::cpu_simd_level(), expected);
  EXPECT_TRUE(ae::linalg::simd_level_available(SimdLevel::Scalar));
  EXPECT_EQ(ae::linalg::simd_level_available(SimdLevel::Avx2), avx2);
}

TEST(SimdLevel, SetLevelChangesTheKernelThatRuns) {
  const SimdLevel saved = ae::linalg::simd_level();
  for (SimdLevel level : {SimdLevel::Scalar, SimdLevel::Avx2, SimdLevel::Avx512}) {
    if (!ae::linalg::simd_level_available(level)) {
      EXPECT_THROW(ae::linalg::set_simd_level(level), ae::Error);
      continue;
    }
    ae::linalg::set_simd_level(level);
    EXPECT_EQ(ae::linalg::simd_level(), level);
    EXPECT_EQ(ae::linalg::gemm_kernel(), ae::linalg::gemm_kernel_for(level));
    EXPECT_EQ(ae::linalg::simd_summary().rfind(to_string(level) + " (CPU: ", 0), 0u)
        << ae::linalg::simd_summary();
    expect_the_level_runs(level);
  }
  ae::linalg::set_simd_level(saved);
}

TEST(SimdEnvironment, TheProcessRunsTheLevelTheEnvironmentAllows) {
  for (const char* retired : {"AELAB_GEMM", "AELAB_LINALG_SIMD"}) {
    const char* old = std::getenv(retired);
    if (old != nullptr && *old != '\0') {
      // A retired variable is an error, not silently ignored.
      EXPECT_THROW(ae::linalg::simd_level(), ae::Error) << retired;
      return;
    }
  }
  const char* env = std::getenv("AELAB_SIMD");
  const std::string setting = env == nullptr ? "" : env;
  SimdLevel expected;
  try {
    expected = clamp_simd_level(ae::linalg::cpu_simd_level(), setting);
  } catch (const ae::Error&) {
    EXPECT_THROW(ae::linalg::simd_level(), ae::Error) << "AELAB_SIMD=" << setting;
    EXPECT_THROW(ae::linalg::dot_f64(nullptr, nullptr, 0), ae::Error);
    return;
  }
  EXPECT_EQ(ae::linalg::simd_level(), expected) << "AELAB_SIMD=" << setting;
  EXPECT_EQ(ae::linalg::gemm_kernel(), ae::linalg::gemm_kernel_for(expected));
  EXPECT_EQ(ae::linalg::simd_summary(),
            to_string(expected) + " (CPU: " + to_string(ae::linalg::cpu_simd_level()) +
                ", AELAB_SIMD=" + (setting.empty() ? "unset" : setting) + ")");
  expect_the_level_runs(expected);
}
