// Stacked autoencoders: the UFLDL sparse autoencoder cost against its formula evaluated here
// in double, greedy pre-training's data flow, the stacked classifier against the composition
// written out, fine-tuning, and the composed (second-layer) filters by hand.
#include "nn/stacked.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "autograd/ops.hpp"
#include "nn/autoencoder.hpp"
#include "nn/metrics.hpp"
#include "tensor/ops.hpp"

using ae::Generator;
using ae::Tensor;
using ae::Variable;
namespace nn = ae::nn;

namespace {

std::shared_ptr<nn::Linear> linear_with(int64_t in, int64_t out, const std::vector<float>& w,
                                        const std::vector<float>& b) {
  Generator gen(1);
  auto l = std::make_shared<nn::Linear>(in, out, gen);
  l->weight.value().copy_(ae::tensor::from_vector(w, {out, in}));
  l->bias.value().copy_(ae::tensor::from_vector(b, {out}));
  return l;
}

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

double kl(double rho, double rho_hat) {
  return rho * std::log(rho / rho_hat) + (1 - rho) * std::log((1 - rho) / (1 - rho_hat));
}

// Two well separated classes in 4 dimensions, values in [0, 1].
struct Toy {
  Tensor x;
  std::vector<int> labels;
};
Toy toy(int64_t m, uint64_t seed) {
  Generator gen(seed);
  std::vector<float> v;
  Toy t;
  for (int64_t i = 0; i < m; ++i) {
    const int c = int(i % 2);
    for (int k = 0; k < 4; ++k) {
      const float centre = (k < 2) == (c == 0) ? 0.8f : 0.2f;
      v.push_back(centre + 0.1f * (gen.uniform() - 0.5f));
    }
    t.labels.push_back(c);
  }
  t.x = ae::tensor::from_vector(v, {m, 4});
  return t;
}

}  // namespace

TEST(SparseAutoencoderCost, AtZeroWeightsIsTheClosedForm) {
  // W = W' = 0, b = c = 0: every h and every x̂ is sigmoid(0) = 1/2, so
  //   reconstruction = (1/2m) Σ (1/2 - x)²,  weight decay = 0,  sparsity = β · hidden · KL(ρ || 1/2).
  const std::vector<float> xs = {0.0f, 1.0f, 0.25f, 0.5f, 1.0f, 0.75f};  // m = 2, in = 3
  const Tensor x = ae::tensor::from_vector(xs, {2, 3});
  auto enc = linear_with(3, 4, std::vector<float>(12, 0.0f), std::vector<float>(4, 0.0f));
  auto dec = linear_with(4, 3, std::vector<float>(12, 0.0f), std::vector<float>(3, 0.0f));
  const nn::SparseAutoencoderOptions o{.sparsity_target = 0.1, .sparsity_weight = 3, .weight_decay = 3e-3};
  const nn::LossTerms terms = nn::sparse_autoencoder_cost(*enc, *dec, Variable(x), o);
  double sse = 0;
  for (float v : xs) sse += (0.5 - v) * (0.5 - v);
  EXPECT_NEAR(terms["reconstruction"].item(), sse / 4.0, 1e-6);
  EXPECT_NEAR(terms["weight decay"].item(), 0.0, 1e-12);
  EXPECT_NEAR(terms["sparsity"].item(), 3 * 4 * kl(0.1, 0.5), 1e-5);
  EXPECT_NEAR(terms.total().item(), sse / 4.0 + 3 * 4 * kl(0.1, 0.5), 1e-5);
}

TEST(SparseAutoencoderCost, MatchesTheFormulaInDouble) {
  const int m = 3, in = 4, hidden = 2;
  Generator gen(7);
  std::vector<float> xs, w1, b1, w2, b2;
  for (int i = 0; i < m * in; ++i) xs.push_back(gen.uniform());
  for (int i = 0; i < hidden * in; ++i) w1.push_back(gen.uniform() - 0.5f);
  for (int i = 0; i < hidden; ++i) b1.push_back(gen.uniform() - 0.5f);
  for (int i = 0; i < in * hidden; ++i) w2.push_back(gen.uniform() - 0.5f);
  for (int i = 0; i < in; ++i) b2.push_back(gen.uniform() - 0.5f);
  auto enc = linear_with(in, hidden, w1, b1);
  auto dec = linear_with(hidden, in, w2, b2);
  const double rho = 0.2, beta = 2.5, lambda = 0.01;
  // UFLDL's sparseAutoencoderCost, loop by loop.
  double recon = 0, decay = 0, sparsity = 0;
  std::vector<double> rho_hat(hidden, 0.0);
  for (int i = 0; i < m; ++i) {
    std::vector<double> h(hidden);
    for (int j = 0; j < hidden; ++j) {
      double z = b1[j];
      for (int k = 0; k < in; ++k) z += w1[j * in + k] * xs[i * in + k];
      h[j] = sigmoid(z);
      rho_hat[j] += h[j] / m;
    }
    for (int k = 0; k < in; ++k) {
      double z = b2[k];
      for (int j = 0; j < hidden; ++j) z += w2[k * hidden + j] * h[j];
      recon += 0.5 * std::pow(sigmoid(z) - xs[i * in + k], 2) / m;
    }
  }
  for (float w : w1) decay += 0.5 * lambda * w * w;
  for (float w : w2) decay += 0.5 * lambda * w * w;
  for (double r : rho_hat) sparsity += beta * kl(rho, r);
  const nn::LossTerms terms = nn::sparse_autoencoder_cost(
      *enc, *dec, Variable(ae::tensor::from_vector(xs, {m, in})),
      {.sparsity_target = rho, .sparsity_weight = beta, .weight_decay = lambda});
  EXPECT_NEAR(terms["reconstruction"].item(), recon, 1e-6);
  EXPECT_NEAR(terms["weight decay"].item(), decay, 1e-7);
  EXPECT_NEAR(terms["sparsity"].item(), sparsity, 1e-5);
}

TEST(SparseAutoencoderCost, NamesTheShapesThatDoNotFit) {
  auto enc = linear_with(3, 2, std::vector<float>(6, 0.0f), {0, 0});
  auto dec = linear_with(2, 3, std::vector<float>(6, 0.0f), {0, 0, 0});
  try {
    nn::sparse_autoencoder_cost(*enc, *dec, Variable(ae::tensor::zeros({5, 4})), {});
    FAIL() << "no error";
  } catch (const ae::Error& e) {
    EXPECT_NE(std::string(e.what()).find("[5, 4]"), std::string::npos) << e.what();
  }
  EXPECT_THROW(nn::sparse_autoencoder_cost(*enc, *dec, Variable(ae::tensor::zeros({5, 3})), {.sparsity_target = 1.0}),
               ae::Error);
}

TEST(TrainSparseAutoencoder, LowersTheCostAndMeetsTheSparsityTarget) {
  Generator data_gen(3);
  const Tensor x = ae::tensor::rand({60, 8}, data_gen);
  Generator gen(4);
  nn::SparseAutoencoderOptions o;
  o.lbfgs.max_iterations = 200;
  const auto fit = nn::train_sparse_autoencoder(x, 5, gen, o);
  ASSERT_GE(fit.report.values.size(), 2u);
  EXPECT_LT(fit.report.value, 0.5 * fit.report.values.front());
  // β = 3 makes the KL term dominate until every unit's mean activation is near ρ = 0.1.
  const std::vector<double> rho_hat = nn::mean_activation(fit.layer.encode(x));
  ASSERT_EQ(rho_hat.size(), 5u);
  for (double r : rho_hat) EXPECT_NEAR(r, 0.1, 0.03);
  EXPECT_EQ(fit.layer.reconstruct(x).shape(), x.shape());
}

TEST(GreedyPretrain, TrainsEachLayerOnTheFrozenCodesBelow) {
  Generator data_gen(5);
  const Tensor x = ae::tensor::rand({6, 3}, data_gen);
  // Layer 1: W = 0, b = log 3, so every code is sigmoid(log 3) = 3/4 whatever x is.
  const float log3 = std::log(3.0f);
  std::vector<Tensor> inputs;
  std::vector<Tensor> codes;
  std::shared_ptr<nn::Linear> first;
  Tensor first_weight_before;
  auto trainer = [&](std::size_t layer, const Tensor& input, int64_t hidden) {
    inputs.push_back(input.clone());
    if (layer == 0) {
      first = linear_with(3, hidden, std::vector<float>(size_t(3 * hidden), 0.0f), std::vector<float>(size_t(hidden), log3));
      first_weight_before = first->weight.value().clone();
      return nn::AutoencoderLayer{first, nullptr};
    }
    Generator gen(9);
    nn::SparseAutoencoderOptions o;
    o.lbfgs.max_iterations = 20;
    return nn::train_sparse_autoencoder(input, hidden, gen, o).layer;
  };
  const auto layers = nn::greedy_pretrain(x, {4, 2}, trainer, [&](std::size_t, const nn::AutoencoderLayer&,
                                                                  const Tensor& c) { codes.push_back(c); });
  ASSERT_EQ(layers.size(), 2u);
  ASSERT_EQ(inputs.size(), 2u);
  EXPECT_EQ(inputs[0].shape(), x.shape());
  ASSERT_EQ(inputs[1].shape(), (ae::Shape{6, 4}));
  for (float v : inputs[1].to_vector()) EXPECT_NEAR(v, 0.75f, 1e-6f);
  ASSERT_EQ(codes.size(), 2u);
  EXPECT_EQ(codes[1].shape(), (ae::Shape{6, 2}));
  // Training layer 2 left layer 1 alone.
  EXPECT_EQ(first->weight.value().to_vector(), first_weight_before.to_vector());

  auto wrong = [&](std::size_t, const Tensor&, int64_t) {
    return nn::AutoencoderLayer{linear_with(2, 2, {0, 0, 0, 0}, {0, 0}), nullptr};
  };
  EXPECT_THROW(nn::greedy_pretrain(x, {2}, wrong), ae::Error);
  EXPECT_THROW(nn::greedy_pretrain(x, {}, trainer), ae::Error);
}

TEST(StackedClassifier, IsTheCompositionOfSigmoidLayersAndASoftmaxLayer) {
  // x = (1, -1); h1 = sigmoid(W1 x + b1), logits = Ws h1 + bs, written out.
  auto e1 = linear_with(2, 2, {1, 2, -1, 0.5f}, {0.1f, -0.2f});
  auto s = linear_with(2, 3, {1, 0, 0, 1, 1, -1}, {0, 0.5f, -0.5f});
  nn::StackedClassifier net({e1}, s);
  const Tensor x = ae::tensor::from_vector({1, -1}, {1, 2});
  const double h0 = sigmoid(1 - 2 + 0.1), h1 = sigmoid(-1 - 0.5 - 0.2);
  const std::vector<double> want = {h0, h1 + 0.5, h0 - h1 - 0.5};
  const std::vector<float> got = net(Variable(x)).value().to_vector();
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(got[size_t(k)], want[size_t(k)], 1e-6) << k;
  // argmax of want: h1 + 0.5 is the largest (h0 ≈ 0.29, h1 ≈ 0.15).
  EXPECT_EQ(net.predict(x), std::vector<int>{1});
  EXPECT_EQ(net.describe(), "StackedClassifier(2-2-3)");

  auto copy = net.clone();
  copy->encoders()[0]->weight.value().copy_(ae::tensor::zeros({2, 2}));
  EXPECT_NEAR(net.encoders()[0]->weight.value().to_vector()[0], 1.0f, 0.0f) << "clone shares storage";

  EXPECT_THROW(nn::StackedClassifier({e1}, linear_with(3, 2, std::vector<float>(6, 0.0f), {0, 0})), ae::Error);
}

TEST(FineTune, LbfgsBackpropagatesIntoTheEncoders) {
  const Toy t = toy(40, 11);
  Generator gen(12);
  auto net = std::make_shared<nn::StackedClassifier>(
      std::vector<std::shared_ptr<nn::Linear>>{std::make_shared<nn::Linear>(4, 3, gen)},
      std::make_shared<nn::Linear>(3, 2, gen));
  const std::vector<float> before = net->encoders()[0]->weight.value().to_vector();
  nn::FineTuneOptions o;
  o.lbfgs.max_iterations = 100;
  const auto report = nn::fine_tune_lbfgs(*net, t.x, t.labels, o);
  EXPECT_LT(report.value, report.values.front());
  EXPECT_NE(net->encoders()[0]->weight.value().to_vector(), before);
  EXPECT_EQ(nn::accuracy(net->predict(t.x), t.labels), 1.0);
  EXPECT_THROW(nn::fine_tune_lbfgs(*net, t.x, std::vector<int>(40, 2), o), ae::Error);
}

TEST(FineTune, SgdEndsWithTheParametersOfTheBestValidationEpoch) {
  const Toy t = toy(40, 13), v = toy(20, 14);
  Generator gen(15);
  auto net = std::make_shared<nn::StackedClassifier>(
      std::vector<std::shared_ptr<nn::Linear>>{std::make_shared<nn::Linear>(4, 3, gen)},
      std::make_shared<nn::Linear>(3, 2, gen));
  std::vector<double> errors;
  nn::EarlyStoppingOptions o;
  o.max_epochs = 60;
  o.patience = 5;
  o.learning_rate = 0.5f;
  o.batch_size = 4;
  o.seed = 1;
  o.on_epoch_end = [&](int, double, double e) { errors.push_back(e); };
  const auto report = nn::fine_tune_sgd(*net, t.x, t.labels, v.x, v.labels, o);
  ASSERT_EQ(int(errors.size()), report.epochs);
  ASSERT_GE(report.best_epoch, 1);
  EXPECT_DOUBLE_EQ(report.best_validation_error, errors[size_t(report.best_epoch - 1)]);
  for (double e : errors) EXPECT_GE(e, report.best_validation_error);
  // The network holds the best epoch's parameters: its validation error is that epoch's.
  EXPECT_DOUBLE_EQ(1.0 - nn::accuracy(net->predict(v.x), v.labels), report.best_validation_error);
  EXPECT_EQ(report.best_validation_error, 0.0);  // the classes are separable with room
}

TEST(TrainDenoisingAutoencoder, TiesTheDecoderAndLowersTheCrossEntropy) {
  Generator data_gen(21);
  const Tensor x = ae::tensor::rand({200, 6}, data_gen);
  Generator gen(22);
  nn::DenoisingAutoencoderOptions o;
  o.corruption = 0.2f;
  o.epochs = 8;
  o.learning_rate = 0.1f;
  o.batch_size = 10;
  o.seed = 3;
  const auto fit = nn::train_denoising_autoencoder(x, 4, gen, o);
  const auto losses = fit.history.train_losses();
  ASSERT_EQ(losses.size(), 8u);
  EXPECT_LT(losses.back(), losses.front());
  auto* tied = dynamic_cast<nn::TiedLinear*>(fit.layer.decoder.get());
  ASSERT_NE(tied, nullptr);
  EXPECT_EQ(&tied->source(), fit.layer.encoder.get());
  o.corruption = 1.0f;
  EXPECT_THROW(nn::train_denoising_autoencoder(x, 4, gen, o), ae::Error);
}

TEST(ComposedFilters, MultiplyTheLayersWeightsTopDown) {
  // W1 (3 x 2) = [[1, 0], [0, 1], [1, 1]], W2 (1 x 3) = [1, 2, 3]: W2 W1 = [1 + 3, 2 + 3].
  const Tensor w1 = ae::tensor::from_vector({1, 0, 0, 1, 1, 1}, {3, 2});
  const Tensor w2 = ae::tensor::from_vector({1, 2, 3}, {1, 3});
  const Tensor f = nn::composed_filters({w1, w2});
  EXPECT_EQ(f.shape(), (ae::Shape{1, 2}));
  EXPECT_EQ(f.to_vector(), (std::vector<float>{4, 5}));
  EXPECT_THROW(nn::composed_filters({w2, w1}), ae::Error);
}
