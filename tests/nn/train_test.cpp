// fit / fit_steps / evaluate on small problems with known answers: learning a linear map,
// the history's bookkeeping, evaluation weighted by batch size, reproducibility, the stop
// on a diverging loss, checkpoints, and option errors.
#include "nn/train.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "autograd/ops.hpp"
#include "nn/checkpoint.hpp"
#include "nn/layers.hpp"
#include "nn/losses.hpp"
#include "tensor/ops.hpp"

using ae::Error;
using ae::Generator;
using ae::Tensor;
using ae::Variable;
using namespace ae::nn;
namespace T = ae::tensor;
namespace fs = std::filesystem;

namespace {

// y = x [1, -2, 0.5]^T + 3 on 256 random points, and 64 held out.
struct Regression {
  Tensor x, y, x_test, y_test;
  explicit Regression(uint64_t seed) {
    Generator gen(seed);
    const Tensor w = T::from_vector({1, -2, 0.5f}, {3, 1});
    x = T::randn({256, 3}, gen);
    y = T::matmul(x, w) + 3.0f;
    x_test = T::randn({64, 3}, gen);
    y_test = T::matmul(x_test, w) + 3.0f;
  }
};

LossFn regression_loss(Module& model) {
  return [&model](const Batch& b) { return mse(model(b[0]), b[1]); };
}

FitOptions quiet(int epochs) {
  FitOptions o;
  o.epochs = epochs;
  o.batch_size = 32;
  o.progress = ProgressMode::Off;
  return o;
}

}  // namespace

TEST(NnFit, LearnsALinearMap) {
  const Regression data(1);
  Generator gen(2);
  Linear model(3, 1, gen);
  SGD sgd(model.parameters(), {.lr = 0.1f});
  FitOptions o = quiet(30);
  o.eval_data = Dataset({data.x_test, data.y_test});
  const History h = fit(model, sgd, Dataset({data.x, data.y}), regression_loss(model), o);
  ASSERT_EQ(h.epochs.size(), 30u);
  EXPECT_LT(h.epochs.back().eval_loss, 1e-6);
  EXPECT_LT(h.epochs.back().train_loss, h.epochs.front().train_loss);
  EXPECT_NEAR(model.weight.value().at({0, 1}), -2.0f, 1e-3);
  EXPECT_NEAR(model.bias.value().at({0}), 3.0f, 1e-3);
  for (const auto& e : h.epochs) {
    EXPECT_EQ(e.samples, 256);
    EXPECT_GT(e.seconds, 0.0);
    EXPECT_GT(e.samples_per_second, 0.0);
  }
  EXPECT_EQ(h.epochs[4].epoch, 5);
  const auto eval = h.eval_losses();
  const auto lowest = std::min_element(eval.begin(), eval.end()) - eval.begin();
  EXPECT_EQ(h.best_epoch(), lowest + 1);
  EXPECT_EQ(h.train_losses().size(), 30u);
  EXPECT_TRUE(model.is_training());  // evaluation switched it back
}

// The evaluated loss is the mean over all rows whatever the batch size: a zero model's MSE
// is mean(y^2), here (1 + 4 + ... + 100) / 10 = 38.5.
TEST(NnEvaluate, WeightsBatchesBySize) {
  Generator gen(3);
  Linear model(1, 1, gen);
  model.weight.value().fill_(0.0f);
  model.bias.value().fill_(0.0f);
  const Tensor x = T::zeros({10, 1});
  const Tensor y = T::arange(1.0f, 11.0f).reshape({10, 1});
  for (int64_t bs : {1, 3, 4, 10, 1000})
    EXPECT_NEAR(evaluate(model, Dataset({x, y}), regression_loss(model), bs), 38.5, 1e-5) << bs;
}

TEST(NnFit, SameSeedSameHistory) {
  const Regression data(4);
  auto run = [&](uint64_t seed) {
    Generator gen(5);
    Linear model(3, 1, gen);
    Adam adam(model.parameters(), {.lr = 0.01f});
    FitOptions o = quiet(3);
    o.seed = seed;
    return fit(model, adam, Dataset({data.x, data.y}), regression_loss(model), o).train_losses();
  };
  EXPECT_EQ(run(7), run(7));
  EXPECT_NE(run(7), run(8));
}

TEST(NnFit, StopsWithEpochAndBatchWhenTheLossDiverges) {
  const Regression data(6);
  Generator gen(7);
  Linear model(3, 1, gen);
  SGD sgd(model.parameters(), {.lr = 1e6f});
  try {
    fit(model, sgd, Dataset({data.x, data.y}), regression_loss(model), quiet(50));
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("epoch "), std::string::npos) << msg;
    EXPECT_NE(msg.find("batch "), std::string::npos) << msg;
    EXPECT_TRUE(msg.find("NaN") != std::string::npos || msg.find("infinite") != std::string::npos)
        << msg;
  }
}

// A loss that is NaN on batch 3 of epoch 2 (batches 0-based inside the step) is reported as
// "epoch 2, batch 3 of 8", and its step is not applied.
TEST(NnFitSteps, ReportsTheExactBatch) {
  const Regression data(8);
  Generator gen(9);
  Linear model(3, 1, gen);
  int calls = 0;
  const StepFn step = [&](const Batch& b) {
    ++calls;
    EXPECT_EQ(b.size(), 32);
    EXPECT_EQ(b.indices.size(), 32u);
    return (b.epoch == 2 && b.index == 2) ? std::nan("") : 1.0;
  };
  try {
    fit_steps(model, Dataset({data.x, data.y}), step, {}, quiet(3));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("epoch 2, batch 3 of 8"), std::string::npos) << e.what();
  }
  EXPECT_EQ(calls, 8 + 3);
}

TEST(NnFit, DropLastAndBatchCounts) {
  const Regression data(10);
  Generator gen(11);
  Linear model(3, 1, gen);
  int64_t rows = 0;
  FitOptions o = quiet(1);
  o.batch_size = 100;
  fit_steps(
      model, Dataset({data.x, data.y}),
      [&](const Batch& b) {
        rows += b.size();
        return 0.0;
      },
      {}, o);
  EXPECT_EQ(rows, 256);
  o.drop_last = true;
  rows = 0;
  fit_steps(
      model, Dataset({data.x, data.y}),
      [&](const Batch& b) {
        rows += b.size();
        return 0.0;
      },
      {}, o);
  EXPECT_EQ(rows, 200);
}

TEST(NnFit, WritesBestAndLastCheckpoints) {
  const fs::path dir = fs::temp_directory_path() / ("aelab_fit_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const Regression data(12);
  Generator gen(13);
  Linear model(3, 1, gen);
  Adam adam(model.parameters(), {.lr = 0.05f});
  FitOptions o = quiet(5);
  o.eval_data = Dataset({data.x_test, data.y_test});
  o.best_checkpoint = dir / "best.ckpt";
  o.last_checkpoint = dir / "last.ckpt";
  const History h = fit(model, adam, Dataset({data.x, data.y}), regression_loss(model), o);
  ASSERT_TRUE(fs::exists(dir / "best.ckpt"));
  ASSERT_TRUE(fs::exists(dir / "last.ckpt"));
  ASSERT_TRUE(fs::exists(dir / "last.ckpt.optim"));
  // The loss is still falling, so the best epoch is the last, and the best checkpoint
  // reproduces its eval loss.
  EXPECT_EQ(h.best_epoch(), 5);
  Generator other(99);
  Linear restored(3, 1, other);
  load_checkpoint(restored, dir / "best.ckpt");
  EXPECT_NEAR(evaluate(restored, o.eval_data, regression_loss(restored)), h.epochs.back().eval_loss,
              1e-6 * h.epochs.back().eval_loss);
  // The optimizer's state loads into a fresh Adam.
  Adam resumed(restored.parameters(), {.lr = 0.05f});
  resumed.load_state(load_tensors(dir / "last.ckpt.optim"));
  fs::remove_all(dir);
}

TEST(NnFit, ProgressLinesNameTheEpochs) {
  const Regression data(14);
  Generator gen(15);
  Linear model(3, 1, gen);
  SGD sgd(model.parameters(), {.lr = 0.1f});
  std::ostringstream out;
  FitOptions o = quiet(2);
  o.progress = ProgressMode::Lines;
  o.progress_stream = &out;
  o.eval_data = Dataset({data.x_test, data.y_test});
  fit(model, sgd, Dataset({data.x, data.y}), regression_loss(model), o);
  const std::string s = out.str();
  EXPECT_NE(s.find("epoch 1/2: 8/8 batches (100%)"), std::string::npos) << s;
  EXPECT_NE(s.find("epoch 2/2: 8/8 batches (100%)"), std::string::npos) << s;
  EXPECT_NE(s.find("eval loss"), std::string::npos) << s;
}

TEST(NnFit, OptionAndDataErrors) {
  const Regression data(16);
  Generator gen(17);
  Linear model(3, 1, gen);
  SGD sgd(model.parameters(), {.lr = 0.1f});
  FitOptions o = quiet(1);
  o.batch_size = 0;
  EXPECT_THROW(fit(model, sgd, Dataset({data.x, data.y}), regression_loss(model), o), Error);
  EXPECT_THROW(fit(model, sgd, Dataset(), regression_loss(model), quiet(1)), Error);
  EXPECT_THROW(Dataset({data.x, data.y_test}), Error);  // 256 rows and 64 rows
}
