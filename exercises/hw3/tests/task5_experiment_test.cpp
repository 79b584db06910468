// HW3 task 5: the experiment. The accuracies it reports are recomputed here from the
// networks it returns, and the pre-trained network must beat the randomly initialised one
// on the test images by the margin graded_run.hpp derives from the spread over seeds.
#include <gtest/gtest.h>

#include "exercises/hw3/graded_run.hpp"
#include "exercises/hw3/tests/hw3_experiment.hpp"
#include "exercises/hw3/tests/hw3_student.hpp"
#include "exercises/hw3/tests/hw3_testing.hpp"
#include "nn/data/images.hpp"

namespace {

using namespace hw3_testing;

TEST(Task5Experiment, PretrainingHelpsWith1000Labels) {
  if (std::getenv("AELAB_SANITIZER_BUILD") != nullptr)
    GTEST_SKIP() << "the graded run trains for seconds; the Release pass runs it";
  const std::filesystem::path dir = test_data_dir();
  const std::string dataset = ae::data::detect_dataset_name(dir);
  ae::hw3::ExperimentOptions options = ae::hw3::graded_run_options(dataset);
  options.data_dir = dir;
  hw3_student::StudentProcess student(hw3_student::runner_path());
  student.allow_read(dir);
  const ae::hw3::ExperimentResult r = hw3_student::run_experiment(student, options, 290);
  const ae::data::ImageSet test = ae::data::load_images(dir, "t10k", options.test_size);
  check_reported_run(r, options, test.images, test.labels);
  EXPECT_GT(r.pretrained_test_accuracy, r.random_test_accuracy + ae::hw3::minimum_margin(dataset))
      << "with " << options.labelled_size << " labels: pre-trained " << r.pretrained_test_accuracy << ", random "
      << r.random_test_accuracy;
}

}  // namespace
