// HW4 task 5, hidden suite: a small run of the experiment with seeds from the grader's
// hidden seed, checked for what every run must satisfy (hw4_experiment.hpp), and that the
// plain autoencoder is one: the same start as the VAE, trained differently, its logvar
// head never used.
#include <gtest/gtest.h>

#include "exercises/hw4/tests/hw4_experiment.hpp"
#include "exercises/hw4/tests/hw4_student.hpp"
#include "exercises/hw4/tests/hw4_testing.hpp"
#include "nn/data/images.hpp"

namespace {

using namespace hw4_testing;
using ae::Tensor;

TEST(Task5Hidden, SmallRunReportsWhatItsModelsDo) {
  ae::hw4::ExperimentOptions options;
  options.data_dir = test_data_dir();
  options.train_size = 1000;
  options.test_size = 300;
  options.hidden = 32;
  options.k = 4;
  options.epochs = 2;
  options.num_samples = 50;
  options.beta = 0.5 + (hw4_student::hidden_seed(6) % 100) / 100.0;
  options.seed = hw4_student::hidden_seed(7) % 1000;
  options.sample_seed = hw4_student::hidden_seed(8) % 1000;
  hw4_student::StudentProcess student(hw4_student::runner_path());
  student.allow_read(*options.data_dir);
  const ae::hw4::ExperimentResult r = hw4_student::run_experiment(student, options, 110);
  const Tensor test = ae::data::load_images(*options.data_dir, "t10k", options.test_size).images;
  check_reported_run(r, options, test);
  ASSERT_TRUE(r.vae.W1.defined() && r.plain.W1.defined());
  ASSERT_EQ(r.vae.W1.shape(), (ae::Shape{32, 784}));
  ASSERT_EQ(r.plain.W_logvar.shape(), (ae::Shape{4, 32}));
  EXPECT_FALSE(ae::tensor::allclose(r.vae.W1.value(), r.plain.W1.value(), 0, 1e-6f))
      << "the VAE and the plain autoencoder are the same model";
  // Both start from make_vae with Generator(seed); the plain one never uses its logvar head.
  const Tensor train = ae::data::load_images(*options.data_dir, "train", options.train_size).images;
  ae::Generator init(options.seed);
  const ae::hw4::Vae start = ae::hw4::make_vae(784, 32, 4, ae::tensor::mean(train, {0}), init);
  EXPECT_TRUE(ae::tensor::allclose(r.plain.W_logvar.value(), start.W_logvar.value(), 0, 1e-6f))
      << "the plain autoencoder must decode z = mu, leaving its logvar head as make_vae made it";
  EXPECT_FALSE(ae::tensor::allclose(r.vae.W_logvar.value(), start.W_logvar.value(), 0, 1e-6f))
      << "the VAE's logvar head was not trained";
}

}  // namespace
