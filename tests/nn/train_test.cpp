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

// A run stopped after epoch 3 and resumed from its training state (model, Adam's moments,
// epochs done) with first_epoch = 4 ends with the same parameters as the run that was never
// stopped: the same shuffles, the same learning-rate schedule, the same optimizer state.
TEST(NnFit, ResumedRunEndsWhereTheUninterruptedRunEnds) {
  const fs::path dir = fs::temp_directory_path() / ("aelab_fit_resume_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const Regression data(30);
  const Dataset train({data.x, data.y});
  FitOptions o = quiet(6);
  o.lr_schedule = LrSchedule::cosine(0.1);
  o.seed = 7;

  Generator g1(31);
  Linear full(3, 1, g1);
  Adam adam_full(full.parameters(), {.lr = 0.05f});
  const History whole = fit(full, adam_full, train, regression_loss(full), o);

  struct Stop {};
  Generator g2(31);
  Linear first(3, 1, g2);
  Adam adam_first(first.parameters(), {.lr = 0.05f});
  FitOptions stopping = o;
  stopping.on_epoch_end = [&](const EpochStats& e) {
    save_training_state(dir / "run.ckpt", first, adam_first, e.epoch);
    if (e.epoch == 3) throw Stop{};
  };
  EXPECT_THROW(fit(first, adam_first, train, regression_loss(first), stopping), Stop);

  Generator g3(99);  // other starting values: everything must come from the file
  Linear resumed(3, 1, g3);
  Adam adam_resumed(resumed.parameters(), {.lr = 0.05f});
  const int done = load_training_state(dir / "run.ckpt", resumed, adam_resumed);
  EXPECT_EQ(done, 3);
  FitOptions rest = o;
  rest.first_epoch = done + 1;
  const History second = fit(resumed, adam_resumed, train, regression_loss(resumed), rest);
  ASSERT_EQ(second.epochs.size(), 3u);
  EXPECT_EQ(second.epochs.front().epoch, 4);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_DOUBLE_EQ(second.epochs[i].learning_rate, whole.epochs[i + 3].learning_rate);
    EXPECT_DOUBLE_EQ(second.epochs[i].train_loss, whole.epochs[i + 3].train_loss);
  }
  EXPECT_EQ(resumed.weight.value().to_vector(), full.weight.value().to_vector());
  EXPECT_EQ(resumed.bias.value().to_vector(), full.bias.value().to_vector());
  EXPECT_EQ(adam_resumed.steps(), adam_full.steps());

  // A run already complete trains nothing.
  rest.first_epoch = 7;
  EXPECT_TRUE(fit(resumed, adam_resumed, train, regression_loss(resumed), rest).epochs.empty());
  rest.first_epoch = 0;
  EXPECT_THROW(fit(resumed, adam_resumed, train, regression_loss(resumed), rest), Error);
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

// ---- named loss terms ----

namespace {

// y = w x with w fixed at 2 (lr 0), trained to give back x: the per-sample error is
// (2x - x)^2 = x^2, and a penalty 0.5 w^2 = 2 is the same in every batch.
struct FixedTerms {
  Generator gen{21};
  Linear model{1, 1, gen, Init::TorchDefault, /*bias=*/false};
  SGD sgd{model.parameters(), {.lr = 0.0f}};
  FixedTerms() { model.weight.value().fill_(2.0f); }
  LossFn loss() {
    return [this](const Batch& b) {
      const Variable w = model.weight;
      return LossTerms{{"reconstruction", mse(model(b[0]), b[0])},
                       {"penalty", 0.5f * ae::sum(w * w)}};
    };
  }
};

}  // namespace

// Training x = 1, 2, 3, 4 in batches of 3 and 1: reconstruction (1 + 4 + 9) / 3 and 16,
// weighted by batch size (14 + 16) / 4 = 7.5 = mean x^2; penalty 2; total 9.5.
// Held out x = 0.5, 1.5: reconstruction (0.25 + 2.25) / 2 = 1.25, total 3.25.
TEST(NnFit, KeepsEachNamedTermPerEpoch) {
  FixedTerms f;
  FitOptions o = quiet(3);
  o.batch_size = 3;
  o.eval_data = Dataset(T::from_vector({0.5f, 1.5f}, {2, 1}));
  const History h = fit(f.model, f.sgd, Dataset(T::from_vector({1, 2, 3, 4}, {4, 1})), f.loss(), o);
  EXPECT_EQ(h.term_names(), (std::vector<std::string>{"reconstruction", "penalty"}));
  const auto recon = h.train_term("reconstruction"), penalty = h.train_term("penalty");
  const auto eval_recon = h.eval_term("reconstruction"), eval_penalty = h.eval_term("penalty");
  ASSERT_EQ(recon.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(recon[i], 7.5, 1e-6);
    EXPECT_NEAR(penalty[i], 2.0, 1e-6);
    EXPECT_NEAR(h.epochs[i].train_loss, 9.5, 1e-6);
    EXPECT_NEAR(recon[i] + penalty[i], h.epochs[i].train_loss, 1e-6);
    EXPECT_NEAR(eval_recon[i], 1.25, 1e-6);
    EXPECT_NEAR(eval_penalty[i], 2.0, 1e-6);
    EXPECT_NEAR(h.epochs[i].eval_loss, 3.25, 1e-6);
  }
  EXPECT_THROW(h.train_term("kl"), Error);
  const LossValues ev = evaluate_terms(f.model, o.eval_data, f.loss(), 1);
  EXPECT_NEAR(ev.total, 3.25, 1e-6);
  ASSERT_EQ(ev.terms.size(), 2u);
  EXPECT_NEAR(ev.terms[0].second, 1.25, 1e-6);
}

// A loss with named terms moves the parameters by the gradient of their sum: one SGD step
// on w from 2 with x = 1: d/dw [(w - 1)^2 + 0.5 w^2] = 2 (w - 1) + w = 4, so w = 2 - 0.1 * 4.
TEST(NnFit, TheStepFollowsTheSumOfTheTerms) {
  FixedTerms f;
  f.sgd.set_learning_rate(0.1f);
  fit(f.model, f.sgd, Dataset(T::from_vector({1}, {1, 1})), f.loss(), quiet(1));
  EXPECT_NEAR(f.model.weight.value().item(), 1.6f, 1e-6);
}

TEST(NnFit, APlainLossIsOneTermNamedLoss) {
  const Regression data(22);
  Generator gen(23);
  Linear model(3, 1, gen);
  SGD sgd(model.parameters(), {.lr = 0.1f});
  const History h = fit(model, sgd, Dataset({data.x, data.y}), regression_loss(model), quiet(2));
  EXPECT_EQ(h.term_names(), (std::vector<std::string>{"loss"}));
  EXPECT_EQ(h.train_term("loss"), h.train_losses());
  EXPECT_TRUE(h.epochs[0].eval_terms.empty());
}

TEST(NnFit, ProgressShowsTheTerms) {
  FixedTerms f;
  std::ostringstream out;
  FitOptions o = quiet(1);
  o.batch_size = 2;
  o.progress = ProgressMode::Lines;
  o.progress_stream = &out;
  o.eval_data = Dataset(T::from_vector({0.5f, 1.5f}, {2, 1}));
  fit(f.model, f.sgd, Dataset(T::from_vector({1, 2, 3, 4}, {4, 1})), f.loss(), o);
  const std::string s = out.str();
  EXPECT_NE(s.find("loss 9.5 (reconstruction 7.5, penalty 2)"), std::string::npos) << s;
  EXPECT_NE(s.find("eval loss 3.25 (reconstruction 1.25, penalty 2)"), std::string::npos) << s;
}

// A custom step reports terms as LossValues; the total is their sum.
TEST(NnFitSteps, StepsCanReportTerms) {
  const Regression data(24);
  Generator gen(25);
  Linear model(3, 1, gen);
  const History h = fit_steps(
      model, Dataset({data.x, data.y}),
      [](const Batch&) { return LossValues({{"a", 1.0}, {"b", 0.25}}); }, {}, quiet(1));
  EXPECT_EQ(h.train_term("a"), (std::vector<double>{1.0}));
  EXPECT_EQ(h.train_term("b"), (std::vector<double>{0.25}));
  EXPECT_EQ(h.train_losses(), (std::vector<double>{1.25}));
}

// ---- learning-rate schedules ----

// The rate each batch sees: 0.1 x step_decay(2, 0.5) over 5 epochs is 0.1, 0.1, 0.05,
// 0.05, 0.025, and the History records it.
TEST(NnFit, AppliesTheScheduleAtEachEpochStart) {
  const Regression data(26);
  Generator gen(27);
  Linear model(3, 1, gen);
  SGD sgd(model.parameters(), {.lr = 0.1f});
  std::vector<std::vector<float>> seen(5);
  FitOptions o = quiet(5);
  o.lr_schedule = LrSchedule::step_decay(2, 0.5);
  const History h = fit(model, sgd, Dataset({data.x, data.y}), [&](const Batch& b) {
    seen[static_cast<std::size_t>(b.epoch - 1)].push_back(sgd.learning_rate());
    return mse(model(b[0]), b[1]);
  }, o);
  const std::vector<float> expected = {0.1f, 0.1f, 0.05f, 0.05f, 0.025f};
  for (std::size_t e = 0; e < 5; ++e) {
    ASSERT_EQ(seen[e].size(), 8u);  // 256 rows in batches of 32
    for (float lr : seen[e]) EXPECT_FLOAT_EQ(lr, expected[e]) << "epoch " << e + 1;
    EXPECT_FLOAT_EQ(static_cast<float>(h.learning_rates()[e]), expected[e]);
  }
  EXPECT_FLOAT_EQ(sgd.learning_rate(), 0.025f);
}

// Chapter 2's schedule: SGD at 0.01, cut tenfold for the last quarter of 6 epochs
// (ceil(1.5) = 2 epochs).
TEST(NnFit, CutForTheLastQuarter) {
  const Regression data(28);
  Generator gen(29);
  Linear model(3, 1, gen);
  SGD sgd(model.parameters(), {.lr = 0.01f});
  FitOptions o = quiet(6);
  o.lr_schedule = LrSchedule::cut_last(0.25, 0.1);
  const History h = fit(model, sgd, Dataset({data.x, data.y}), regression_loss(model), o);
  const std::vector<double> expected = {0.01, 0.01, 0.01, 0.01, 0.001, 0.001};
  for (std::size_t e = 0; e < 6; ++e) EXPECT_NEAR(h.learning_rates()[e], expected[e], 1e-9);
}

TEST(NnFitSteps, AScheduleNeedsTheOptimizer) {
  const Regression data(30);
  Generator gen(31);
  Linear model(3, 1, gen);
  FitOptions o = quiet(2);
  o.lr_schedule = LrSchedule::cosine(0.1);
  EXPECT_THROW(fit_steps(model, Dataset({data.x, data.y}), [](const Batch&) { return 0.0; }, {}, o),
               Error);
  const History h =
      fit_steps(model, Dataset({data.x, data.y}), [](const Batch&) { return 0.0; }, {}, quiet(1));
  EXPECT_TRUE(std::isnan(h.epochs[0].learning_rate));
}

// A non-finite loss names the term that made it.
TEST(NnFit, ANonFiniteTermIsNamed) {
  FixedTerms f;
  try {
    fit(f.model, f.sgd, Dataset(T::from_vector({1, 2}, {2, 1})), [&](const Batch& b) {
      return LossTerms{{"reconstruction", mse(f.model(b[0]), b[0])},
                       {"kl", ae::log(Variable(T::from_vector({-1}, {1})))}};
    }, quiet(1));
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("the loss is NaN (its term 'kl' is NaN) at epoch 1"), std::string::npos)
        << msg;
  }
}
