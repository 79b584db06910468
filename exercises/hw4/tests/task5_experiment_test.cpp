// HW4 task 5: the experiment. What the run reports is recomputed here from the models and
// codes it returns (hw4_experiment.hpp); then the point of the task: the VAE's decodings
// of codes z ~ N(0, I) — the run's own, and fresh ones drawn here — lie clearly closer to
// real test images than the plain autoencoder's.
#include <cmath>

#include <gtest/gtest.h>

#include "exercises/hw4/graded_run.hpp"
#include "exercises/hw4/tests/hw4_experiment.hpp"
#include "exercises/hw4/tests/hw4_student.hpp"
#include "exercises/hw4/tests/hw4_testing.hpp"
#include "nn/data/images.hpp"

namespace {

using namespace hw4_testing;
using ae::Tensor;

// The VAE's distance must be at least 15% below the plain autoencoder's.
constexpr double kMargin = 0.85;

TEST(Task5Experiment, VaeSamplesLieCloserToTestImagesThanPlainOnes) {
  if (std::getenv("AELAB_SANITIZER_BUILD") != nullptr)
    GTEST_SKIP() << "the graded run trains for seconds; the Release pass runs it";
  const std::filesystem::path dir = test_data_dir();
  ae::hw4::ExperimentOptions options = ae::hw4::graded_run_options(ae::data::detect_dataset_name(dir));
  options.data_dir = dir;
  hw4_student::StudentProcess student(hw4_student::runner_path());
  student.allow_read(dir);
  const ae::hw4::ExperimentResult r = hw4_student::run_experiment(student, options, 290);
  const Tensor test = ae::data::load_images(dir, "t10k", options.test_size).images;
  check_reported_run(r, options, test);

  EXPECT_LT(r.vae_sample_distance, kMargin * r.plain_sample_distance)
      << "decoded N(0, I) codes, mean squared distance to the nearest test image: VAE " << r.vae_sample_distance
      << ", plain autoencoder " << r.plain_sample_distance;
  // And on codes the run has never seen, drawn here.
  ae::Generator gen(hw4_student::hidden_seed(5));
  const Tensor codes = ae::tensor::randn({options.num_samples, options.k}, gen);
  const double vae = nearest_distance(decode_of(r.vae, codes), test);
  const double plain = nearest_distance(decode_of(r.plain, codes), test);
  EXPECT_LT(vae, kMargin * plain) << "on fresh codes: VAE " << vae << ", plain autoencoder " << plain;
}

}  // namespace
