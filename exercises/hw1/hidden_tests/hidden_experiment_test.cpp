// HW1 task 6, hidden suite: the experiment's PCA (seeded from the grader's hidden seed)
// against an independent one — orthogonal
// (block power) iteration with Gram-Schmidt, in double — on a run of another size.
#include <cmath>

#include <gtest/gtest.h>

#include "exercises/hw1/tests/hw1_student.hpp"
#include "exercises/hw1/tests/hw1_testing.hpp"
#include "nn/data/images.hpp"

namespace {

using namespace hw1_testing;
using ae::Tensor;
namespace tensor = ae::tensor;

TEST(Task6Hidden, PcaMatchesAnIndependentPca) {
  ae::hw1::ExperimentOptions options;
  options.data_dir = test_data_dir();
  options.train_size = 2000;
  options.test_size = 500;
  options.k = 5;
  options.epochs = 1;
  options.seed = hw1_student::hidden_seed(6) % 1000;
  options.out_dir = "task6_hidden_run";
  hw1_student::StudentProcess student(hw1_student::runner_path());
  student.allow_read(*options.data_dir);
  const ae::hw1::ExperimentResult r = hw1_student::run_experiment(student, options, 110);
  EXPECT_TRUE(r.dataset == "mnist" || r.dataset == "fashion-mnist") << r.dataset;

  const Tensor train = ae::data::load_images(*options.data_dir, "train", options.train_size).images;
  const Tensor test = ae::data::load_images(*options.data_dir, "t10k", options.test_size).images;
  const Tensor mean = tensor::mean(train, {0});
  const Tensor centred = train - mean;
  const Tensor C = tensor::matmul(centred.t(), centred) / 1999.0f;
  const Matrix V = top_subspace(C, 5, 300);

  // The same subspace: ||Vᵀ W||²_F = k when W's columns span what V's span.
  ASSERT_EQ(r.pca_components.shape(), (ae::Shape{784, 5}));
  const Matrix overlap = multiply(transpose(V), to_matrix(r.pca_components));
  double captured = 0;
  for (const auto& row : overlap)
    for (double x : row) captured += x * x;
  EXPECT_NEAR(captured, 5.0, 5e-3) << "the PCA components do not span the top-5 eigenvectors";

  const Tensor Vt = to_tensor(V);
  const Tensor reconstruction = tensor::matmul(tensor::matmul(test - mean, Vt), Vt.t()) + mean;
  const Tensor diff = test - reconstruction;
  const double best = tensor::sum(diff * diff).item() / 500.0;
  EXPECT_NEAR(r.pca_error, best, 5e-3 * best) << "PCA's test error differs from the optimum";
}

}  // namespace
