// HW1 task 1: centering and the covariance matrix.
// The data are built with a known sample mean and covariance (hw1_testing.hpp), so the
// expected answers come from the construction, not from a second implementation.
#include <gtest/gtest.h>

#include "exercises/hw1/tests/hw1_student.hpp"
#include "exercises/hw1/tests/hw1_testing.hpp"

namespace {

using namespace hw1_testing;
using ae::Tensor;

const std::vector<double> kMean = {0.5, -1.0, 2.0, 0.0, 3.25, -0.75};
const std::vector<double> kSpectrum = {4.0, 2.5, 1.0, 0.5, 0.25, 0.1};

TEST(Task1Covariance, ColumnMeanOfConstructedData) {
  const ConstructedData data = constructed_data(40, kMean, kSpectrum, 11);
  const Tensor mean = hw1_student::column_mean(to_tensor(data.X));
  ASSERT_EQ(mean.shape(), (ae::Shape{6}));
  EXPECT_LT(max_abs_diff(mean, kMean), 1e-5);
}

TEST(Task1Covariance, CenterSubtractsTheGivenMeanFromEveryRow) {
  const Tensor X = to_tensor(Matrix{{1, 2, 3}, {4, 5, 6}});
  const auto [centred, X_after] = hw1_student::center(X, to_tensor(std::vector<double>{1, 1, 2}));
  EXPECT_EQ(max_abs_diff(centred, Matrix{{0, 1, 1}, {3, 4, 4}}), 0.0);
  EXPECT_TRUE(ae::tensor::allclose(X_after, X, 0, 0)) << "center must not change X";
}

TEST(Task1Covariance, CovarianceOfConstructedData) {
  const ConstructedData data = constructed_data(40, kMean, kSpectrum, 12);
  // Centred here, by the known mean, so that this test needs only covariance().
  Matrix centred = data.X;
  for (auto& row : centred)
    for (size_t j = 0; j < row.size(); ++j) row[j] -= kMean[j];
  const Tensor C = hw1_student::covariance(to_tensor(centred));
  ASSERT_EQ(C.shape(), (ae::Shape{6, 6}));
  EXPECT_LT(max_abs_diff(C, data.covariance()), 1e-4)
      << "expected C = Xcᵀ Xc / (n - 1), the construction's Q diag(λ) Qᵀ";
}

}  // namespace
