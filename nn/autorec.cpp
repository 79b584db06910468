// AutoRec (Sedhain et al., WWW 2015). See autorec.hpp.
#include "nn/autorec.hpp"

#include <fmt/format.h>

#include <chrono>
#include <limits>

#include "autograd/ops.hpp"
#include "linalg/error.hpp"
#include "nn/metrics.hpp"
#include "nn/optim.hpp"
#include "nn/train.hpp"
#include "tensor/ops.hpp"

namespace ae::nn {

AutoRec::AutoRec(int64_t inputs, int64_t hidden, Generator& gen) {
  if (inputs < 1 || hidden < 1) {
    throw Error(fmt::format("AutoRec: inputs and hidden units must be >= 1, got {} and {}", inputs,
                            hidden));
  }
  encoder = register_module("encoder", std::make_shared<Linear>(inputs, hidden, gen));
  decoder = register_module("decoder", std::make_shared<Linear>(hidden, inputs, gen));
}

Variable AutoRec::encode(const Variable& x) { return ae::sigmoid((*encoder)(x)); }

Variable AutoRec::forward(const Variable& x) { return (*decoder)(encode(x)); }

std::string AutoRec::describe() const {
  return fmt::format("AutoRec({} -> {} sigmoid -> {} identity)", encoder->in_features(),
                     encoder->out_features(), decoder->out_features());
}

LossTerms autorec_loss(AutoRec& model, const Tensor& ratings, const Tensor& mask, float lambda,
                       int64_t data_rows) {
  if (ratings.dim() != 2 || ratings.size(1) != model.encoder->in_features()) {
    throw Error(fmt::format("autorec_loss: ratings {} must be (rows, {})",
                            to_string(ratings.shape()), model.encoder->in_features()));
  }
  if (!(lambda >= 0.0f) || data_rows < ratings.size(0)) {
    throw Error(fmt::format("autorec_loss: need lambda >= 0 and data_rows >= the batch's {} rows; "
                            "got {} and {}",
                            ratings.size(0), lambda, data_rows));
  }
  const Variable x(ratings);
  const Variable reconstruction = model(x);
  const auto rows = static_cast<float>(ratings.size(0));
  // masked_mse with Sum: Σ over observed entries only; a missing entry gets no gradient.
  const Variable error = masked_mse(reconstruction, x, mask, Reduction::Sum) * (1.0f / rows);
  const Variable& w = model.encoder->weight;
  const Variable& v = model.decoder->weight;
  const Variable decay =
      (ae::sum(w * w) + ae::sum(v * v)) * (lambda / (2.0f * static_cast<float>(data_rows)));
  return LossTerms{{"reconstruction", error}, {"weight decay", decay}};
}

RatingMatrix autorec_rows(const std::vector<Rating>& train, int64_t users, int64_t items,
                          AutoRecKind kind) {
  RatingMatrix m = rating_matrix(train, users, items);
  if (kind == AutoRecKind::UserBased) return m;
  return {m.values.t().contiguous(), m.mask.t().contiguous()};
}

Tensor autorec_estimates(AutoRec& model, const RatingMatrix& rows, AutoRecKind kind) {
  const NoGradGuard no_grad;
  const bool was_training = model.is_training();
  model.eval();
  const Tensor out = model(Variable(rows.values)).value();
  model.train(was_training);
  return kind == AutoRecKind::ItemBased ? out.t().contiguous() : out;
}

AutoRecResult train_autorec(const std::vector<Rating>& train, int64_t users, int64_t items,
                            const AutoRecOptions& options) {
  if (options.epochs < 1 || options.batch_size < 1 || !(options.lr > 0.0f) || options.patience < 1) {
    throw Error(fmt::format("train_autorec: need epochs >= 1, batch_size >= 1, lr > 0, patience >= 1; "
                            "got {}, {}, {}, {}",
                            options.epochs, options.batch_size, options.lr, options.patience));
  }
  for (const auto& r : options.validation) {
    if (r.user < 0 || r.user >= users || r.item < 0 || r.item >= items) {
      throw Error(fmt::format("train_autorec: validation rating (user {}, item {}) lies outside the "
                              "{} x {} grid", r.user, r.item, users, items));
    }
  }
  const AutoRecKind kind = options.kind;
  const RatingMatrix rows = autorec_rows(train, users, items, kind);
  const int64_t n = rows.values.size(0);
  Generator gen(options.seed);
  AutoRecResult result;
  result.model = std::make_shared<AutoRec>(rows.values.size(1), options.hidden, gen);
  AutoRec& model = *result.model;
  const std::vector<Variable> params = model.parameters();
  Adam adam(params, AdamOptions{.lr = options.lr});
  const std::string name = kind == AutoRecKind::ItemBased ? "I-AutoRec" : "U-AutoRec";
  auto predictor_now = [&] {
    return std::make_unique<MatrixPredictor>(
        fmt::format("{} ({} hidden, lambda {})", name, options.hidden, options.lambda),
        autorec_estimates(model, rows, kind), train, Fallback::Three);
  };

  FitOptions fit_options;
  fit_options.epochs = 1;
  fit_options.batch_size = options.batch_size;
  fit_options.progress = ProgressMode::Off;
  fit_options.label = name;
  const Dataset data({rows.values, rows.mask});
  const LossFn loss = [&](const Batch& b) { return autorec_loss(model, b[0], b[1], options.lambda, n); };

  // Early stopping keeps a copy of the parameters of the best epoch so far.
  std::vector<Tensor> best;
  double best_rmse = std::numeric_limits<double>::infinity();
  const auto start = std::chrono::steady_clock::now();
  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    fit_options.seed = options.seed + static_cast<uint64_t>(epoch);  // a fresh shuffle per epoch
    fit(model, adam, data, loss, fit_options);
    const auto predictor = predictor_now();
    result.train_rmse.push_back(rating_errors(*predictor, train).rmse);
    if (!options.monitor.empty()) {
      result.monitor_rmse.push_back(rating_errors(*predictor, options.monitor).rmse);
    }
    if (options.validation.empty()) {
      result.best_epoch = epoch;
      continue;
    }
    const double v = rating_errors(*predictor, options.validation).rmse;
    result.validation_rmse.push_back(v);
    if (v < best_rmse) {
      best_rmse = v;
      result.best_epoch = epoch;
      best.clear();
      for (const auto& p : params) best.push_back(p.value().clone());
    } else if (epoch - result.best_epoch >= options.patience) {
      break;
    }
  }
  if (!best.empty()) {
    for (size_t j = 0; j < params.size(); ++j) {
      Variable p = params[j];
      p.value().copy_(best[j]);
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.predictor = predictor_now();
  return result;
}

}  // namespace ae::nn
