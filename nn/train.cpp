#include "nn/train.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <utility>

#include "linalg/error.hpp"
#include "linalg/fpmode.hpp"
#include "nn/checkpoint.hpp"
#include "nn/data/loader.hpp"

namespace ae::nn {

// ---- Dataset ----

Dataset::Dataset(Tensor x) : Dataset(std::vector<Tensor>{std::move(x)}) {}

Dataset::Dataset(std::vector<Tensor> tensors) : tensors_(std::move(tensors)) {
  for (std::size_t i = 0; i < tensors_.size(); ++i) {
    const Tensor& t = tensors_[i];
    if (!t.defined() || t.dim() < 1)
      throw Error(fmt::format("Dataset: tensor {} is undefined or 0-d", i));
    if (t.shape()[0] != tensors_[0].shape()[0])
      throw Error(fmt::format("Dataset: tensor {} has {} rows ({}), tensor 0 has {} ({})", i,
                              t.shape()[0], ae::to_string(t.shape()), tensors_[0].shape()[0],
                              ae::to_string(tensors_[0].shape())));
  }
}

int64_t Dataset::size() const { return tensors_.empty() ? 0 : tensors_[0].shape()[0]; }

// ---- loss values ----

LossValues::LossValues(double loss) : total(loss), terms{{"loss", loss}} {}

LossValues::LossValues(NamedValues named_terms) : terms(std::move(named_terms)) {
  for (const auto& [name, value] : terms) total += value;
}

// ---- History ----

std::vector<double> History::train_losses() const {
  std::vector<double> out;
  for (const auto& e : epochs) out.push_back(e.train_loss);
  return out;
}

std::vector<double> History::eval_losses() const {
  std::vector<double> out;
  for (const auto& e : epochs) out.push_back(e.eval_loss);
  return out;
}

namespace {

double term_in(const NamedValues& terms, std::string_view name) {
  for (const auto& [n, v] : terms)
    if (n == name) return v;
  return std::numeric_limits<double>::quiet_NaN();
}

std::vector<double> term_per_epoch(const History& h, std::string_view name,
                                   NamedValues EpochStats::*which) {
  const std::vector<std::string> names = h.term_names();
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    throw Error(fmt::format("History: no loss term '{}' (the terms are: {})", name,
                            list.empty() ? "none" : list));
  }
  std::vector<double> out;
  for (const auto& e : h.epochs) out.push_back(term_in(e.*which, name));
  return out;
}

}  // namespace

std::vector<std::string> History::term_names() const {
  std::vector<std::string> names;
  for (const auto& e : epochs)
    for (const NamedValues* terms : {&e.train_terms, &e.eval_terms})
      for (const auto& t : *terms)
        if (std::find(names.begin(), names.end(), t.first) == names.end()) names.push_back(t.first);
  return names;
}

std::vector<double> History::train_term(std::string_view name) const {
  return term_per_epoch(*this, name, &EpochStats::train_terms);
}

std::vector<double> History::eval_term(std::string_view name) const {
  return term_per_epoch(*this, name, &EpochStats::eval_terms);
}

std::vector<double> History::learning_rates() const {
  std::vector<double> out;
  for (const auto& e : epochs) out.push_back(e.learning_rate);
  return out;
}

namespace {

// Weighted sums of named terms, by name in order of first appearance: the per-epoch means
// of a loss's terms. A term missing from a batch counts as 0 there, so the means still add
// up to the mean total.
class TermSums {
 public:
  void add(const NamedValues& terms, double weight) {
    for (const auto& [name, value] : terms) {
      auto it = std::find_if(sums_.begin(), sums_.end(),
                             [&](const auto& sum) { return sum.first == name; });
      if (it == sums_.end()) it = sums_.insert(sums_.end(), {name, 0.0});
      it->second += value * weight;
    }
  }
  NamedValues means(double total_weight) const {
    NamedValues out = sums_;
    for (auto& t : out) t.second = total_weight > 0 ? t.second / total_weight : 0.0;
    return out;
  }

 private:
  NamedValues sums_;
};

// The loss an epoch is judged by: held-out if there is one.
double judged_loss(const EpochStats& e) {
  return std::isnan(e.eval_loss) ? e.train_loss : e.eval_loss;
}

double now_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

Batch make_batch(const Dataset& data, std::span<const int64_t> rows, int epoch, int64_t index) {
  Batch b;
  b.tensors.reserve(data.tensors().size());
  for (const Tensor& t : data.tensors()) b.tensors.push_back(data::gather_rows(t, rows));
  b.indices = rows;
  b.epoch = epoch;
  b.index = index;
  return b;
}

void check_options(const FitOptions& o, const Dataset& train) {
  if (train.empty() || train.size() == 0) throw Error("fit: the training data set is empty");
  if (o.epochs < 0) throw Error(fmt::format("fit: epochs must be >= 0, got {}", o.epochs));
  if (o.first_epoch < 1)
    throw Error(fmt::format("fit: first_epoch must be >= 1, got {}", o.first_epoch));
  if (o.batch_size <= 0)
    throw Error(fmt::format("fit: batch_size must be positive, got {}", o.batch_size));
  if (o.eval_batch_size <= 0)
    throw Error(fmt::format("fit: eval_batch_size must be positive, got {}", o.eval_batch_size));
  if (o.drop_last && o.batch_size > train.size())
    throw Error(fmt::format("fit: drop_last with batch_size {} > {} samples leaves no batch",
                            o.batch_size, train.size()));
}

// Restores training mode on every exit path of an evaluation.
class EvalMode {
 public:
  explicit EvalMode(Module& m) : m_(m), was_training_(m.is_training()) { m_.eval(); }
  ~EvalMode() { m_.train(was_training_); }
  EvalMode(const EvalMode&) = delete;
  EvalMode& operator=(const EvalMode&) = delete;

 private:
  Module& m_;
  bool was_training_;
};

}  // namespace

int History::best_epoch() const {
  int best = 0;
  double best_loss = std::numeric_limits<double>::infinity();
  for (const auto& e : epochs) {
    const double l = judged_loss(e);
    if (l < best_loss) {
      best_loss = l;
      best = e.epoch;
    }
  }
  return best;
}

double History::total_seconds() const {
  double s = 0;
  for (const auto& e : epochs) s += e.seconds;
  return s;
}

double evaluate(Module& model, const Dataset& data, const LossFn& loss, int64_t batch_size) {
  return evaluate_terms(model, data, loss, batch_size).total;
}

LossValues evaluate_terms(Module& model, const Dataset& data, const LossFn& loss,
                          int64_t batch_size) {
  if (!loss) throw Error("evaluate: no loss function");
  if (data.empty() || data.size() == 0) throw Error("evaluate: the data set is empty");
  if (batch_size <= 0)
    throw Error(fmt::format("evaluate: batch_size must be positive, got {}", batch_size));
  EvalMode mode(model);
  NoGradGuard no_grad;
  const int64_t n = data.size();
  std::vector<int64_t> rows;
  double total = 0;
  TermSums terms;
  int64_t index = 0;
  for (int64_t start = 0; start < n; start += batch_size, ++index) {
    const int64_t stop = std::min(n, start + batch_size);
    rows.resize(static_cast<std::size_t>(stop - start));
    for (int64_t i = start; i < stop; ++i) rows[static_cast<std::size_t>(i - start)] = i;
    // Consecutive rows: views into the data, no copy.
    Batch b;
    for (const Tensor& t : data.tensors()) b.tensors.push_back(t.slice(0, start, stop));
    b.indices = rows;
    b.index = index;
    const LossTerms l = loss(b);
    const double rows_in_batch = static_cast<double>(stop - start);
    total += static_cast<double>(l.total().item()) * rows_in_batch;
    NamedValues values;
    for (const LossTerm& t : l.terms()) values.emplace_back(t.name, t.value.item());
    terms.add(values, rows_in_batch);
  }
  LossValues out(terms.means(static_cast<double>(n)));
  out.total = total / static_cast<double>(n);
  return out;
}

History fit_steps(Module& model, const Dataset& train, const StepFn& step, const LossFn& eval,
                  const FitOptions& o, Optimizer* optimizer) {
  check_options(o, train);
  if (!step) throw Error("fit: no step function");
  if (!o.lr_schedule.is_constant() && optimizer == nullptr)
    throw Error("fit_steps: FitOptions::lr_schedule (" + o.lr_schedule.describe() +
                ") needs the optimizer argument");
  linalg::enable_flush_to_zero();
  std::ostream& out = o.progress_stream ? *o.progress_stream : std::cerr;
  const bool evaluating = !o.eval_data.empty() && static_cast<bool>(eval);

  data::BatchLoader loader(train.size(), o.batch_size, o.shuffle, o.seed, o.drop_last);
  History history;
  double best = std::numeric_limits<double>::infinity();
  // The schedule scales the rate the optimizer has when training starts.
  const double base_lr = optimizer != nullptr ? optimizer->learning_rate() : 0.0;
  model.train();
  for (int epoch = 1; epoch < o.first_epoch && epoch <= o.epochs; ++epoch) loader.next_epoch();
  for (int epoch = o.first_epoch; epoch <= o.epochs; ++epoch) {
    if (!o.lr_schedule.is_constant())
      optimizer->set_learning_rate(
          static_cast<float>(base_lr * o.lr_schedule.factor(epoch, o.epochs)));
    const auto batches = loader.next_epoch();
    ProgressBar bar(fmt::format("{} {}/{}", o.label, epoch, o.epochs), batches.size(), o.progress,
                    out);
    double loss_sum = 0;
    TermSums term_sums;
    int64_t samples = 0, index = 0;
    const double t0 = now_seconds();
    for (std::span<const int64_t> rows : batches) {
      const Batch b = make_batch(train, rows, epoch, index);
      const LossValues values = step(b);
      const double loss = values.total;
      if (!std::isfinite(loss)) {
        bar.finish(index, samples, samples ? loss_sum / samples : loss, "",
                   term_sums.means(static_cast<double>(samples)));
        const auto kind = [](double v) { return std::isnan(v) ? "NaN" : "infinite"; };
        std::string term;  // which part of a loss with named terms went wrong
        if (values.terms.size() > 1)
          for (const auto& [name, value] : values.terms)
            if (!std::isfinite(value)) {
              term = fmt::format(" (its term '{}' is {})", name, kind(value));
              break;
            }
        std::string hint;
        if (!o.last_checkpoint.empty() && epoch > o.first_epoch)
          hint = fmt::format("; the model after epoch {} is in {}", epoch - 1,
                             o.last_checkpoint.string());
        throw Error(
            fmt::format("fit: the loss is {}{} at epoch {}, batch {} of {} (batch size {}): "
                        "training stopped; a lower learning rate may help{}",
                        kind(loss), term, epoch, index + 1, batches.size(), rows.size(), hint));
      }
      loss_sum += loss * static_cast<double>(rows.size());
      term_sums.add(values.terms, static_cast<double>(rows.size()));
      samples += static_cast<int64_t>(rows.size());
      ++index;
      bar.update(index, samples, loss_sum / samples,
                 values.terms.size() > 1 ? term_sums.means(static_cast<double>(samples))
                                         : NamedValues{});
    }
    EpochStats e;
    e.epoch = epoch;
    e.train_terms = term_sums.means(static_cast<double>(samples));
    if (optimizer != nullptr) e.learning_rate = optimizer->learning_rate();
    e.seconds = now_seconds() - t0;
    e.samples = samples;
    e.train_loss = samples ? loss_sum / samples : 0.0;
    e.samples_per_second = e.seconds > 0 ? samples / e.seconds : 0.0;
    if (evaluating) {
      LossValues ev = evaluate_terms(model, o.eval_data, eval, o.eval_batch_size);
      e.eval_loss = ev.total;
      e.eval_terms = std::move(ev.terms);
    }
    bar.finish(index, samples, e.train_loss,
               evaluating ? fmt::format("  eval loss {:.5g}{}", e.eval_loss,
                                        format_terms(e.eval_terms))
                          : std::string(),
               e.train_terms);

    if (!o.best_checkpoint.empty() && judged_loss(e) < best)
      save_checkpoint(model, o.best_checkpoint);
    best = std::min(best, judged_loss(e));
    if (!o.last_checkpoint.empty()) {
      save_checkpoint(model, o.last_checkpoint);
      if (optimizer != nullptr) {
        std::filesystem::path state = o.last_checkpoint;
        state += ".optim";
        save_tensors(state, optimizer->state());
      }
    }
    history.epochs.push_back(e);
    if (o.on_epoch_end) o.on_epoch_end(e);
  }
  return history;
}

History fit(Module& model, Optimizer& optimizer, const Dataset& train, const LossFn& loss,
            const FitOptions& options) {
  if (!loss) throw Error("fit: no loss function");
  const StepFn step = [&](const Batch& b) -> LossValues {
    optimizer.zero_grad();
    const LossTerms terms = loss(b);
    if (terms.empty()) throw Error("fit: the loss function returned no term");
    NamedValues values;
    for (const LossTerm& t : terms.terms()) {
      if (t.value.numel() != 1)
        throw Error(fmt::format("fit: the loss{} must have one element, got shape {}",
                                terms.size() > 1 ? " term '" + t.name + "'" : std::string(),
                                ae::to_string(t.value.shape())));
      values.emplace_back(t.name, t.value.item());
    }
    const Variable total = terms.total();
    LossValues out(std::move(values));
    out.total = total.item();  // the value backward starts from (float sum of the terms)
    // A non-finite loss must not reach the parameters; the loop reports it.
    if (!std::isfinite(out.total)) return out;
    total.backward();
    optimizer.step();
    return out;
  };
  return fit_steps(model, train, step, options.eval_loss ? options.eval_loss : loss, options,
                   &optimizer);
}

}  // namespace ae::nn
