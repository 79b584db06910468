// HW2 task 5, hidden suite: a small run of the experiment with seeds from the grader's
// hidden seed, checked for what every run must satisfy (hw2_experiment.hpp), and that the
// two models were trained differently from the same start.
#include <gtest/gtest.h>

#include "exercises/hw2/tests/hw2_experiment.hpp"
#include "exercises/hw2/tests/hw2_student.hpp"
#include "exercises/hw2/tests/hw2_testing.hpp"
#include "nn/data/images.hpp"

namespace {

using namespace hw2_testing;
using ae::Tensor;

TEST(Task5Hidden, SmallRunReportsWhatItsModelsDo) {
  ae::hw2::ExperimentOptions options;
  options.data_dir = test_data_dir();
  options.train_size = 1000;
  options.test_size = 300;
  options.k = 16;
  options.epochs = 2;
  options.v = 0.2f;
  options.seed = hw2_student::hidden_seed(7) % 1000;
  options.test_noise_seed = hw2_student::hidden_seed(8) % 1000;
  hw2_student::StudentProcess student(hw2_student::runner_path());
  student.allow_read(*options.data_dir);
  const ae::hw2::ExperimentResult r = hw2_student::run_experiment(student, options, 110);
  const Tensor test = ae::data::load_images(*options.data_dir, "t10k", options.test_size).images;
  check_reported_run(r, options, test);
  ASSERT_TRUE(r.plain.W.defined() && r.denoising.W.defined());
  ASSERT_EQ(r.plain.W.shape(), (ae::Shape{16, 784}));
  EXPECT_FALSE(ae::tensor::allclose(r.plain.W.value(), r.denoising.W.value(), 0, 1e-6f))
      << "the plain and the denoising model are the same: the denoising one must see masked inputs";
}

}  // namespace
