// HW5 task 5, hidden suite: a small run of the experiment on a split and with a seed from
// the grader's hidden seed, checked for what every run must satisfy (hw5_experiment.hpp).
#include <gtest/gtest.h>

#include "exercises/hw5/tests/hw5_experiment.hpp"
#include "exercises/hw5/tests/hw5_student.hpp"
#include "exercises/hw5/tests/hw5_testing.hpp"

namespace {

using namespace hw5_testing;

TEST(Task5Hidden, SmallRunReportsWhatItsModelDoes) {
  ae::hw5::ExperimentOptions options;
  options.data_dir = test_data_dir();
  const char* splits[] = {"u1", "u2", "u3", "u4", "u5"};
  options.split = splits[hw5_student::hidden_seed(501) % 5];
  options.hidden = 16 + static_cast<int64_t>(hw5_student::hidden_seed(502) % 17);
  options.epochs = 3;
  options.seed = hw5_student::hidden_seed(503) % 1000;
  hw5_student::StudentProcess student(hw5_student::runner_path());
  student.allow_read(*options.data_dir);
  const ae::hw5::ExperimentResult r = hw5_student::run_experiment(student, options, 110);
  const ae::hw5::Hw5Data data = ae::hw5::load_data(*options.data_dir, options.split);
  check_reported_run(r, options, data);
}

}  // namespace
