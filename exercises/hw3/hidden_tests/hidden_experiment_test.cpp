// HW3 task 5, hidden suite: a small run of the experiment with a seed from the grader's
// hidden seed, checked for what every run must satisfy (hw3_experiment.hpp), and that the
// two networks were trained differently from the same start.
#include <gtest/gtest.h>

#include "exercises/hw3/tests/hw3_experiment.hpp"
#include "exercises/hw3/tests/hw3_student.hpp"
#include "exercises/hw3/tests/hw3_testing.hpp"
#include "nn/data/images.hpp"

namespace {

using namespace hw3_testing;

TEST(Task5Hidden, SmallRunReportsWhatItsNetworksDo) {
  ae::hw3::ExperimentOptions options;
  options.data_dir = test_data_dir();
  options.unlabelled_size = 2000;
  options.labelled_size = 300;
  options.test_size = 500;
  options.hidden = {32, 16};
  options.pretrain.epochs = 2;
  options.pretrain.seed = hw3_student::hidden_seed(7) % 1000;
  options.fine_tune_epochs = 3;
  options.seed = hw3_student::hidden_seed(8) % 1000;
  options.verbose = false;
  hw3_student::StudentProcess student(hw3_student::runner_path());
  student.allow_read(*options.data_dir);
  const ae::hw3::ExperimentResult r = hw3_student::run_experiment(student, options, 110);
  const ae::data::ImageSet test = ae::data::load_images(*options.data_dir, "t10k", options.test_size);
  check_reported_run(r, options, test.images, test.labels);
  if (HasFatalFailure()) return;
  EXPECT_FALSE(ae::tensor::allclose(r.pretrained.W[0].value(), r.random.W[0].value(), 0, 1e-3f))
      << "the pre-trained and the random network are the same: one of them must be pre-trained";
}

}  // namespace
