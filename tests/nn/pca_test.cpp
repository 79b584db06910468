// PCA as a model: known subspaces recovered, exact round trips, clear errors, and NumPy's
// numbers on the real data sets (NumPy 1.24 / LAPACK eigh on the same files, float64).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "linalg/error.hpp"
#include "nn/codec.hpp"
#include "nn/data/images.hpp"
#include "nn/pca.hpp"
#include "tensor/ops.hpp"

using ae::Tensor;
using ae::nn::PCA;
using ae::nn::PcaSolver;
namespace tensor = ae::tensor;

namespace {

// Points x = μ + a u1 + b u2 in R^5 with u1, u2 orthonormal, a and b centred and
// uncorrelated with known variances: PCA must find span{u1, u2} with eigenvalues var(a), var(b).
struct Plane {
  Tensor x;
  std::vector<float> u1, u2;
  double var_a = 0, var_b = 0;
};

Plane make_plane() {
  Plane p;
  const float s = 1.0f / std::sqrt(2.0f);
  p.u1 = {s, s, 0, 0, 0};
  p.u2 = {0, 0, 0.6f, 0.8f, 0};
  const std::vector<float> mu = {1, -2, 3, 0.5f, 4};
  const int n = 6;
  const float a[n] = {3, -3, 2, -2, 1, -1};      // mean 0, var = 28 / 5
  const float b[n] = {1, 1, -1, -1, 0, 0};      // mean 0, var = 4 / 5, uncorrelated with a
  std::vector<float> values;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < 5; ++j) values.push_back(mu[j] + a[i] * p.u1[j] + b[i] * p.u2[j]);
    p.var_a += double(a[i]) * a[i] / (n - 1);
    p.var_b += double(b[i]) * b[i] / (n - 1);
  }
  p.x = tensor::from_vector(values, {n, 5});
  return p;
}

double dot(const Tensor& row, const std::vector<float>& u) {
  double s = 0;
  for (size_t j = 0; j < u.size(); ++j) s += row.at({int64_t(j)}) * u[j];
  return s;
}

const char* kSolvers[] = {"Jacobi", "BlockPower", "Randomized", "SymmetricQr"};

}  // namespace

class PcaSolvers : public ::testing::TestWithParam<PcaSolver> {};

TEST_P(PcaSolvers, FindsAKnownPlaneAndItsVariances) {
  const Plane p = make_plane();
  const PCA pca = PCA::fit(p.x, 2, GetParam(), 7);
  ASSERT_GE(pca.eigenvalues().size(), 2u);
  EXPECT_NEAR(pca.eigenvalues()[0], p.var_a, 1e-5 * p.var_a);
  EXPECT_NEAR(pca.eigenvalues()[1], p.var_b, 1e-5 * p.var_a);
  EXPECT_NEAR(pca.total_variance(), p.var_a + p.var_b, 1e-5 * p.var_a);
  // The components are ±u1, ±u2 (eigenvectors are defined up to sign).
  EXPECT_NEAR(std::abs(dot(pca.components()[0], p.u1)), 1.0, 1e-5);
  EXPECT_NEAR(std::abs(dot(pca.components()[1], p.u2)), 1.0, 1e-5);
  EXPECT_NEAR(pca.explained_variance_ratio(1), p.var_a / (p.var_a + p.var_b), 1e-6);
}

INSTANTIATE_TEST_SUITE_P(Nn, PcaSolvers,
                         ::testing::Values(PcaSolver::Jacobi, PcaSolver::BlockPower,
                                           PcaSolver::Randomized, PcaSolver::SymmetricQr),
                         [](const auto& solver) { return std::string(kSolvers[int(solver.param)]); });

TEST(NnPca, PlaneIsReconstructedExactlyFromTwoCodes) {
  const Plane p = make_plane();
  PCA pca = PCA::fit(p.x, 2);
  const Tensor back = pca.reconstruct(p.x);
  EXPECT_TRUE(tensor::allclose(back, p.x, 1e-5f, 1e-5f));
  const auto err = ae::nn::reconstruction_error(pca, p.x);
  EXPECT_LT(err.mse_per_pixel, 1e-10);
}

TEST(NnPca, OneComponentLosesExactlyTheSecondVariance) {
  // Eckart–Young on the plane: dropping u2 costs (n - 1) var(b) of squared error.
  const Plane p = make_plane();
  PCA pca = PCA::fit(p.x, 1);
  const auto err = ae::nn::reconstruction_error(pca, p.x);
  EXPECT_NEAR(err.sse_per_image * 6, 5 * p.var_b, 1e-4);
}

TEST(NnPca, TruncatedKeepsTheLeadingComponents) {
  const Plane p = make_plane();
  const PCA pca = PCA::fit(p.x, 5);
  const PCA one = pca.truncated(1);
  EXPECT_EQ(one.k(), 1);
  EXPECT_TRUE(tensor::allclose(one.components()[0], pca.components()[0]));
  EXPECT_THROW(pca.truncated(6), ae::Error);
}

TEST(NnPca, BadInputIsAClearError) {
  const Plane p = make_plane();
  auto message = [](auto&& f) {
    try {
      f();
    } catch (const ae::Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message([&] { PCA::fit(p.x, 0); }).find("k = 0"), std::string::npos);
  EXPECT_NE(message([&] { PCA::fit(p.x, 6); }).find("[6, 5]"), std::string::npos);
  EXPECT_NE(message([&] { PCA::fit(tensor::ones({1, 5}), 1); }).find("[1, 5]"), std::string::npos);
  PCA pca = PCA::fit(p.x, 2);
  EXPECT_NE(message([&] { pca.encode(tensor::ones({3, 4})); }).find("[3, 4]"), std::string::npos);
  EXPECT_NE(message([&] { pca.decode(tensor::ones({3, 3})); }).find("[3, 3]"), std::string::npos);
  PCA empty;
  EXPECT_THROW(empty.encode(p.x), ae::Error);
}

// ---- the real data: numbers NumPy/LAPACK gives on the same files ----

namespace {
bool sanitizer_build() { return std::getenv("AELAB_SANITIZER_BUILD") != nullptr; }
}  // namespace

TEST(NnPcaRealData, FashionMnistMatchesNumPy) {
  const std::filesystem::path dir = "/usr/share/datasets/fashion-mnist";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  if (sanitizer_build()) GTEST_SKIP() << "full-size PCA runs in the Release pass only";
  const auto train = ae::data::load_images(dir, "train");
  const auto test = ae::data::load_images(dir, "t10k");
  for (PcaSolver solver : {PcaSolver::Jacobi, PcaSolver::SymmetricQr}) {
    SCOPED_TRACE(ae::nn::to_string(solver));
    const PCA pca = PCA::fit(train.images, 784, solver);
    EXPECT_NEAR(pca.total_variance(), 68.21739795, 68.2 * 1e-7);
    EXPECT_NEAR(pca.eigenvalues()[0], 19.809806, 19.8 * 1e-6);
    EXPECT_NEAR(pca.explained_variance_ratio(2), 0.46794538, 5e-7);
    EXPECT_NEAR(pca.explained_variance_ratio(30), 0.82073945, 5e-7);
    EXPECT_NEAR(pca.explained_variance_ratio(50), 0.86269170, 5e-7);
    const double numpy_mse[] = {0.046096114, 0.015615904, 0.011984867};
    const int ks[] = {2, 30, 50};
    for (int i = 0; i < 3; ++i) {
      PCA p = pca.truncated(ks[i]);
      EXPECT_NEAR(ae::nn::reconstruction_error(p, test.images).mse_per_pixel, numpy_mse[i],
                  numpy_mse[i] * 1e-5)
          << "k = " << ks[i];
    }
  }
}

TEST(NnPcaRealData, MnistPca30GivesHintonAndSalakhutdinovsError) {
  const std::filesystem::path dir = std::filesystem::path(AELAB_SOURCE_DIR) / "../shared/data/mnist";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no MNIST at " << dir;
  if (sanitizer_build()) GTEST_SKIP() << "full-size PCA runs in the Release pass only";
  const auto train = ae::data::load_images(dir, "train");
  const auto test = ae::data::load_images(dir, "t10k");
  PCA pca = PCA::fit(train.images, 30, PcaSolver::Jacobi);
  // 13.87 in Hinton & Salakhutdinov (Science, 2006); NumPy gives 13.8663 on these files.
  EXPECT_NEAR(ae::nn::reconstruction_error(pca, test.images).sse_per_image, 13.8663, 5e-4);
}
