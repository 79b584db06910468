// Rating prediction protocols and collaborative-filtering baselines. See recommender.hpp.
#include "nn/recommender.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include "linalg/error.hpp"
#include "linalg/randomized_svd.hpp"
#include "nn/matrix_bridge.hpp"
#include "nn/metrics.hpp"
#include "tensor/ops.hpp"
#include "tensor/random.hpp"

namespace ae::nn {

namespace {

std::vector<size_t> shuffled_indices(size_t n, uint64_t seed) {
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  Generator gen(seed);
  // Fisher–Yates: every permutation equally likely.
  for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[gen.below(i)]);
  return order;
}

std::string rating_text(const Rating& r) {
  return fmt::format("(user {}, item {}, rating {})", r.user, r.item, r.rating);
}

void check_range(const Rating& r, int64_t users, int64_t items, const char* who) {
  if (r.user < 0 || r.user >= users || r.item < 0 || r.item >= items) {
    throw Error(fmt::format("{}: rating {} lies outside the {} x {} users x items grid", who,
                            rating_text(r), users, items));
  }
}

void check_grid(int64_t users, int64_t items, const char* who) {
  if (users < 1 || items < 1) {
    throw Error(fmt::format("{}: the grid must have at least one user and one item, got {} x {}",
                            who, users, items));
  }
}

// Which users and which items have at least one training rating.
std::pair<std::vector<bool>, std::vector<bool>> known_rows_cols(const std::vector<Rating>& train,
                                                                int64_t users, int64_t items,
                                                                const char* who) {
  std::vector<bool> user_known(static_cast<size_t>(users), false);
  std::vector<bool> item_known(static_cast<size_t>(items), false);
  for (const Rating& r : train) {
    check_range(r, users, items, who);
    user_known[static_cast<size_t>(r.user)] = true;
    item_known[static_cast<size_t>(r.item)] = true;
  }
  return {std::move(user_known), std::move(item_known)};
}

}  // namespace

// ---- protocols ------------------------------------------------------------------------------

std::vector<RatingSplit> kfold_splits(const std::vector<Rating>& ratings, int folds,
                                      uint64_t seed) {
  if (folds < 2 || static_cast<size_t>(folds) > ratings.size()) {
    throw Error(fmt::format("kfold_splits: folds must lie in 2 .. {} (the number of ratings), got {}",
                            ratings.size(), folds));
  }
  const std::vector<size_t> order = shuffled_indices(ratings.size(), seed);
  const size_t n = ratings.size(), k = static_cast<size_t>(folds);
  std::vector<RatingSplit> splits(k);
  size_t start = 0;
  for (size_t f = 0; f < k; ++f) {
    // Sizes n/k, the first n % k folds one more (as Surprise's KFold).
    const size_t stop = start + n / k + (f < n % k ? 1 : 0);
    for (size_t j = 0; j < n; ++j) {
      const Rating& r = ratings[order[j]];
      (j >= start && j < stop ? splits[f].test : splits[f].train).push_back(r);
    }
    start = stop;
  }
  return splits;
}

RatingSplit holdout_split(const std::vector<Rating>& ratings, double fraction, uint64_t seed) {
  if (!(fraction > 0.0 && fraction < 1.0)) {
    throw Error(fmt::format("holdout_split: fraction must lie in (0, 1), got {}", fraction));
  }
  const std::vector<size_t> order = shuffled_indices(ratings.size(), seed);
  const auto held = static_cast<size_t>(std::llround(fraction * static_cast<double>(ratings.size())));
  RatingSplit split;
  for (size_t j = 0; j < order.size(); ++j) {
    (j + held >= order.size() ? split.test : split.train).push_back(ratings[order[j]]);
  }
  return split;
}

RatingSplit movielens_published_split(const std::filesystem::path& dir, const std::string& k,
                                      const data::RatingTable& full) {
  auto remap = [&](const std::filesystem::path& file) {
    const data::RatingTable part = data::read_movielens(file);
    std::vector<Rating> out;
    out.reserve(part.ratings.size());
    auto dense = [&](const std::vector<int64_t>& ids, int64_t id, const char* what) {
      const auto at = std::lower_bound(ids.begin(), ids.end(), id);
      if (at == ids.end() || *at != id) {
        throw Error(fmt::format("{}: {} id {} does not occur in {}", file.string(), what, id,
                                full.source));
      }
      return static_cast<int64_t>(at - ids.begin());
    };
    for (Rating r : part.ratings) {
      r.user = dense(full.user_ids, part.user_ids[static_cast<size_t>(r.user)], "user");
      r.item = dense(full.item_ids, part.item_ids[static_cast<size_t>(r.item)], "item");
      out.push_back(r);
    }
    return out;
  };
  RatingSplit split;
  split.train = remap(dir / ("u" + k + ".base"));
  split.test = remap(dir / ("u" + k + ".test"));
  return split;
}

RatingMatrix rating_matrix(const std::vector<Rating>& ratings, int64_t users, int64_t items) {
  check_grid(users, items, "rating_matrix");
  RatingMatrix m{tensor::zeros({users, items}), tensor::zeros({users, items})};
  float* v = m.values.data();
  float* mask = m.mask.data();
  for (const Rating& r : ratings) {
    check_range(r, users, items, "rating_matrix");
    const int64_t at = r.user * items + r.item;
    if (mask[at] != 0.0f) {
      throw Error(fmt::format("rating_matrix: (user {}, item {}) is rated twice", r.user, r.item));
    }
    v[at] = r.rating;
    mask[at] = 1.0f;
  }
  return m;
}

double sparsity(int64_t ratings, int64_t users, int64_t items) {
  check_grid(users, items, "sparsity");
  return 1.0 - static_cast<double>(ratings) / (static_cast<double>(users) * static_cast<double>(items));
}

double mean_rating(const std::vector<Rating>& ratings) {
  if (ratings.empty()) throw Error("mean_rating: the list of ratings is empty");
  double sum = 0;
  for (const Rating& r : ratings) sum += r.rating;
  return sum / static_cast<double>(ratings.size());
}

Tensor cosine_similarity(const Tensor& ratings, const Tensor& mask, bool mean_centred) {
  if (ratings.dim() != 2 || mask.shape() != ratings.shape()) {
    throw Error(fmt::format("cosine_similarity: ratings {} and mask {} must be the same 2-D shape",
                            to_string(ratings.shape()), to_string(mask.shape())));
  }
  const Tensor m = tensor::ne(mask, tensor::scalar(0.0f));
  Tensor r = tensor::where(m, ratings, tensor::scalar(0.0f));
  if (mean_centred) {
    const Tensor counts = tensor::maximum(tensor::sum(m, {1}, true), tensor::scalar(1.0f));
    const Tensor means = tensor::sum(r, {1}, true) / counts;
    r = (r - means) * m;
  }
  const Tensor numerator = tensor::matmul(r, r.t());
  // d(a, b) = Σ_j r_aj² m_bj: a's squared norm over the columns b rated too.
  const Tensor d = tensor::matmul(r * r, m.t());
  const Tensor denominator = tensor::sqrt(d * d.t().contiguous());
  const Tensor safe = tensor::where(tensor::gt(denominator, tensor::scalar(0.0f)), denominator,
                                    tensor::scalar(1.0f));
  return tensor::where(tensor::gt(denominator, tensor::scalar(0.0f)), numerator / safe,
                       tensor::scalar(0.0f))
      .contiguous();
}

// ---- predictors -----------------------------------------------------------------------------

float clip_rating(double r) {
  if (std::isnan(r)) return std::numeric_limits<float>::quiet_NaN();
  return static_cast<float>(std::clamp(r, 1.0, 5.0));
}

std::vector<float> predict_all(const RatingPredictor& model, const std::vector<Rating>& pairs) {
  std::vector<float> out;
  out.reserve(pairs.size());
  for (const Rating& r : pairs) out.push_back(model.predict(r.user, r.item));
  return out;
}

RatingErrors rating_errors(const RatingPredictor& model, const std::vector<Rating>& test) {
  if (test.empty()) throw Error("rating_errors: the test list of " + model.name() + " is empty");
  const auto n = static_cast<int64_t>(test.size());
  std::vector<float> truth;
  truth.reserve(test.size());
  for (const Rating& r : test) truth.push_back(r.rating);
  const Tensor predicted = tensor::from_vector(predict_all(model, test), {n});
  const Tensor target = tensor::from_vector(truth, {n});
  return {rmse(predicted, target), mae(predicted, target)};
}

Tensor predict_matrix(const RatingPredictor& model, int64_t users, int64_t items) {
  check_grid(users, items, "predict_matrix");
  Tensor out = tensor::empty({users, items});
  float* p = out.data();
  for (int64_t u = 0; u < users; ++u) {
    for (int64_t i = 0; i < items; ++i) p[u * items + i] = model.predict(u, i);
  }
  return out;
}

namespace {

class MeanPredictor : public RatingPredictor {
 public:
  MeanPredictor(MeanKind kind, double global, std::vector<double> means, std::vector<bool> known)
      : kind_(kind), global_(global), means_(std::move(means)), known_(std::move(known)) {}
  float predict(int64_t user, int64_t item) const override {
    if (kind_ == MeanKind::Global) return clip_rating(global_);
    const int64_t at = kind_ == MeanKind::User ? user : item;
    if (at < 0 || at >= static_cast<int64_t>(means_.size()) || !known_[static_cast<size_t>(at)]) {
      return clip_rating(global_);
    }
    return clip_rating(means_[static_cast<size_t>(at)]);
  }
  std::string name() const override {
    switch (kind_) {
      case MeanKind::Global: return "global mean";
      case MeanKind::User: return "user mean";
      case MeanKind::Item: return "item mean";
    }
    return "mean";
  }

 private:
  MeanKind kind_;
  double global_;
  std::vector<double> means_;
  std::vector<bool> known_;
};

}  // namespace

std::unique_ptr<RatingPredictor> fit_mean(const std::vector<Rating>& train, int64_t users,
                                          int64_t items, MeanKind kind) {
  check_grid(users, items, "fit_mean");
  const double global = mean_rating(train);
  const int64_t n = kind == MeanKind::Item ? items : users;
  std::vector<double> sums(static_cast<size_t>(n), 0.0), counts(static_cast<size_t>(n), 0.0);
  for (const Rating& r : train) {
    check_range(r, users, items, "fit_mean");
    const auto at = static_cast<size_t>(kind == MeanKind::Item ? r.item : r.user);
    sums[at] += r.rating;
    counts[at] += 1.0;
  }
  std::vector<bool> known(static_cast<size_t>(n));
  for (size_t j = 0; j < sums.size(); ++j) {
    known[j] = counts[j] > 0;
    if (known[j]) sums[j] /= counts[j];
  }
  return std::make_unique<MeanPredictor>(kind, global, std::move(sums), std::move(known));
}

// ---- neighbourhood CF -----------------------------------------------------------------------

KnnCF::KnnCF(const std::vector<Rating>& train, int64_t users, int64_t items, Neighbourhood kind,
             KnnOptions options)
    : kind_(kind), options_(options) {
  check_grid(users, items, "KnnCF");
  if (options.k < 1) throw Error(fmt::format("KnnCF: k must be >= 1, got {}", options.k));
  const bool by_user = kind == Neighbourhood::UserBased;
  rows_ = by_user ? users : items;
  cols_ = by_user ? items : users;
  global_mean_ = mean_rating(train);

  // The matrix with rows = the entities compared (users for user-based CF).
  RatingMatrix m = rating_matrix(train, users, items);
  Tensor values = by_user ? m.values : m.values.t().contiguous();
  Tensor mask = by_user ? m.mask : m.mask.t().contiguous();
  similarity_ = cosine_similarity(values, mask, options.mean_centred);

  row_mean_.assign(static_cast<size_t>(rows_), 0.0);
  row_known_.assign(static_cast<size_t>(rows_), false);
  std::vector<double> counts(static_cast<size_t>(rows_), 0.0);
  col_start_.assign(static_cast<size_t>(cols_ + 1), 0);
  for (const Rating& r : train) {
    const auto row = static_cast<size_t>(by_user ? r.user : r.item);
    const auto col = by_user ? r.item : r.user;
    row_mean_[row] += r.rating;
    counts[row] += 1.0;
    ++col_start_[static_cast<size_t>(col + 1)];
  }
  for (size_t j = 0; j < row_mean_.size(); ++j) {
    row_known_[j] = counts[j] > 0;
    if (row_known_[j]) row_mean_[j] /= counts[j];
  }
  for (size_t c = 0; c < static_cast<size_t>(cols_); ++c) col_start_[c + 1] += col_start_[c];
  col_rows_.resize(train.size());
  col_values_.resize(train.size());
  std::vector<int64_t> fill(col_start_.begin(), col_start_.end() - 1);
  for (const Rating& r : train) {
    const int64_t row = by_user ? r.user : r.item;
    const auto col = static_cast<size_t>(by_user ? r.item : r.user);
    const auto at = static_cast<size_t>(fill[col]++);
    col_rows_[at] = row;
    col_values_[at] = r.rating;
  }
}

float KnnCF::predict(int64_t user, int64_t item) const {
  const bool by_user = kind_ == Neighbourhood::UserBased;
  const int64_t a = by_user ? user : item;
  const int64_t c = by_user ? item : user;
  if (a < 0 || a >= rows_ || c < 0 || c >= cols_ || !row_known_[static_cast<size_t>(a)] ||
      col_start_[static_cast<size_t>(c)] == col_start_[static_cast<size_t>(c + 1)]) {
    return clip_rating(global_mean_);  // an unseen user or item
  }
  const float* s = similarity_.data() + a * rows_;
  // Candidates: the rows that rated column c, with a positive similarity to a.
  std::vector<std::pair<float, int64_t>> candidates;  // (similarity, position in column c)
  for (int64_t at = col_start_[static_cast<size_t>(c)]; at < col_start_[static_cast<size_t>(c + 1)];
       ++at) {
    const int64_t b = col_rows_[static_cast<size_t>(at)];
    if (b != a && s[b] > 0.0f) candidates.emplace_back(s[b], at);
  }
  const size_t k = std::min(candidates.size(), static_cast<size_t>(options_.k));
  // The k most similar first; on equal similarity the earlier rating, so results are stable.
  std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(k),
                    candidates.end(), [](const auto& x, const auto& y) {
                      return x.first != y.first ? x.first > y.first : x.second < y.second;
                    });
  double weighted = 0, total = 0;
  for (size_t j = 0; j < k; ++j) {
    const auto at = static_cast<size_t>(candidates[j].second);
    double r = col_values_[at];
    if (options_.mean_centred) r -= row_mean_[static_cast<size_t>(col_rows_[at])];
    weighted += candidates[j].first * r;
    total += candidates[j].first;
  }
  const double base = options_.mean_centred ? row_mean_[static_cast<size_t>(a)] : 0.0;
  if (total <= 0.0) return clip_rating(options_.mean_centred ? base : global_mean_);
  return clip_rating(base + weighted / total);
}

std::string KnnCF::name() const {
  return fmt::format("{}-based CF{} (k = {})",
                     kind_ == Neighbourhood::UserBased ? "user" : "item",
                     options_.mean_centred ? ", mean-centred" : "", options_.k);
}

// ---- biased matrix factorisation ------------------------------------------------------------

FunkSVD::FunkSVD(const std::vector<Rating>& train, int64_t users, int64_t items,
                 FunkSvdOptions options)
    : options_(options), users_(users), items_(items) {
  check_grid(users, items, "FunkSVD");
  if (options.factors < 1 || options.epochs < 0 || !(options.lr > 0) || !(options.reg >= 0)) {
    throw Error(fmt::format(
        "FunkSVD: need factors >= 1, epochs >= 0, lr > 0, reg >= 0; got {}, {}, {}, {}",
        options.factors, options.epochs, options.lr, options.reg));
  }
  std::tie(user_known_, item_known_) = known_rows_cols(train, users, items, "FunkSVD");
  mu_ = mean_rating(train);
  const auto f = static_cast<size_t>(options.factors);
  bu_.assign(static_cast<size_t>(users), 0.0);
  bi_.assign(static_cast<size_t>(items), 0.0);
  p_.resize(static_cast<size_t>(users) * f);
  q_.resize(static_cast<size_t>(items) * f);
  Generator gen(options.seed);
  for (double& x : p_) x = options.init_std * gen.normal();
  for (double& x : q_) x = options.init_std * gen.normal();
  const double lr = options.lr, reg = options.reg;
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    double squared = 0;
    for (const Rating& r : train) {
      const auto u = static_cast<size_t>(r.user), i = static_cast<size_t>(r.item);
      double* pu = p_.data() + u * f;
      double* qi = q_.data() + i * f;
      double dot = 0;
      for (size_t j = 0; j < f; ++j) dot += pu[j] * qi[j];
      const double e = r.rating - (mu_ + bu_[u] + bi_[i] + dot);
      squared += e * e;
      bu_[u] += lr * (e - reg * bu_[u]);
      bi_[i] += lr * (e - reg * bi_[i]);
      for (size_t j = 0; j < f; ++j) {
        const double puj = pu[j], qij = qi[j];
        pu[j] += lr * (e * qij - reg * puj);
        qi[j] += lr * (e * puj - reg * qij);
      }
    }
    epoch_rmse_.push_back(std::sqrt(squared / static_cast<double>(train.size())));
  }
}

float FunkSVD::predict(int64_t user, int64_t item) const {
  // Unknown user or item: its bias and factors are those of "no information" (0), as in
  // Surprise, leaving μ plus the other side's bias.
  const bool uk = user >= 0 && user < users_ && user_known_[static_cast<size_t>(user)];
  const bool ik = item >= 0 && item < items_ && item_known_[static_cast<size_t>(item)];
  double est = mu_;
  if (uk) est += bu_[static_cast<size_t>(user)];
  if (ik) est += bi_[static_cast<size_t>(item)];
  if (uk && ik) {
    const auto f = static_cast<size_t>(options_.factors);
    const double* pu = p_.data() + static_cast<size_t>(user) * f;
    const double* qi = q_.data() + static_cast<size_t>(item) * f;
    for (size_t j = 0; j < f; ++j) est += pu[j] * qi[j];
  }
  return clip_rating(est);
}

std::string FunkSVD::name() const {
  return fmt::format("biased MF / Funk SVD ({} factors)", options_.factors);
}

// ---- dense estimates ------------------------------------------------------------------------

MatrixPredictor::MatrixPredictor(std::string name, Tensor estimates,
                                 const std::vector<Rating>& train, Fallback fallback)
    : name_(std::move(name)), estimates_(estimates.contiguous()) {
  if (estimates_.dim() != 2) {
    throw Error(fmt::format("MatrixPredictor {}: estimates must be (users, items), got {}", name_,
                            to_string(estimates_.shape())));
  }
  std::tie(user_known_, item_known_) =
      known_rows_cols(train, estimates_.size(0), estimates_.size(1), "MatrixPredictor");
  fallback_value_ = fallback == Fallback::Three ? 3.0f : clip_rating(mean_rating(train));
}

float MatrixPredictor::predict(int64_t user, int64_t item) const {
  const int64_t items = estimates_.size(1);
  if (user < 0 || user >= estimates_.size(0) || item < 0 || item >= items ||
      !user_known_[static_cast<size_t>(user)] || !item_known_[static_cast<size_t>(item)]) {
    return fallback_value_;
  }
  return clip_rating(estimates_.data()[user * items + item]);
}

std::unique_ptr<MatrixPredictor> fit_imputed_svd(const std::vector<Rating>& train,
                                                 int64_t users, int64_t items, int64_t rank,
                                                 uint64_t seed) {
  check_grid(users, items, "fit_imputed_svd");
  if (rank < 1 || rank > std::min(users, items)) {
    throw Error(fmt::format("fit_imputed_svd: rank must lie in 1 .. {} for a {} x {} matrix, got {}",
                            std::min(users, items), users, items, rank));
  }
  const RatingMatrix m = rating_matrix(train, users, items);
  const double global = mean_rating(train);
  // Item means; the global mean for an item nobody rated.
  const Tensor counts = tensor::sum(m.mask, {0}, true);
  const Tensor item_means = tensor::where(
      tensor::gt(counts, tensor::scalar(0.0f)),
      tensor::sum(m.values, {0}, true) / tensor::maximum(counts, tensor::scalar(1.0f)),
      tensor::scalar(static_cast<float>(global)));
  const Tensor filled =
      tensor::where(tensor::gt(m.mask, tensor::scalar(0.0f)), m.values,
                    item_means.expand({users, items}))
          .contiguous();
  linalg::RandomizedSvdOptions options;
  options.seed = seed;
  const linalg::RandomizedSvd svd = linalg::randomized_svd(float_view(filled), rank, options);
  Tensor u = to_tensor(svd.u);
  const Tensor v = to_tensor(svd.v);
  std::vector<float> sigma(svd.sigma.begin(), svd.sigma.end());
  u = u * tensor::from_vector(sigma, {1, rank});
  return std::make_unique<MatrixPredictor>(fmt::format("SVD of the mean-imputed matrix (rank {})", rank),
                                           tensor::matmul(u, v.t()), train, Fallback::GlobalMean);
}

NmfResult fit_nmf(const std::vector<Rating>& train, int64_t users, int64_t items,
                  NmfOptions options) {
  check_grid(users, items, "fit_nmf");
  if (options.factors < 1 || options.epochs < 0 || options.reg_p < 0 || options.reg_q < 0 ||
      !(options.init_low >= 0 && options.init_high > options.init_low)) {
    throw Error(fmt::format(
        "fit_nmf: need factors >= 1, epochs >= 0, reg >= 0 and 0 <= init_low < init_high; got "
        "{}, {}, {} / {}, [{}, {})",
        options.factors, options.epochs, options.reg_p, options.reg_q, options.init_low,
        options.init_high));
  }
  const RatingMatrix m = rating_matrix(train, users, items);
  const int64_t f = options.factors;
  Generator gen(options.seed);
  const auto low = static_cast<float>(options.init_low), high = static_cast<float>(options.init_high);
  Tensor p = tensor::rand({users, f}, gen, low, high);
  Tensor q = tensor::rand({items, f}, gen, low, high);
  const Tensor n_u = tensor::sum(m.mask, {1}, true) * static_cast<float>(options.reg_p);
  const Tensor n_i = tensor::sum(m.mask, {0}, true).t() * static_cast<float>(options.reg_q);
  // A denominator of exactly 0 (a factor already at 0 for a user without ratings) keeps the
  // factor: the tiny floor turns 0/0 into 0 instead of NaN.
  constexpr float kFloor = 1e-12f;
  const Tensor masked_r = m.values * m.mask;
  NmfResult result;
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    Tensor estimate = tensor::matmul(p, q.t()) * m.mask;
    p = p * tensor::matmul(masked_r, q) /
        (tensor::matmul(estimate, q) + n_u * p + kFloor);
    estimate = tensor::matmul(p, q.t()) * m.mask;
    q = q * tensor::matmul(masked_r.t(), p) /
        (tensor::matmul(estimate.t(), p) + n_i * q + kFloor);
    const Tensor residual = (tensor::matmul(p, q.t()) - m.values) * m.mask;
    const Tensor row_norms = tensor::sum(p * p, {1}, true);
    const Tensor col_norms = tensor::sum(q * q, {1}, true);
    // The objective the updates decrease: ½ (Σ_observed e² + Σ_u reg_p n_u |p_u|² + Σ_i reg_q n_i |q_i|²).
    result.objective.push_back(0.5 * (tensor::sum_double(residual * residual) +
                                      tensor::sum_double(n_u * row_norms) +
                                      tensor::sum_double(n_i * col_norms)));
  }
  result.predictor = std::make_unique<MatrixPredictor>(
      fmt::format("NMF, multiplicative updates ({} factors)", f), tensor::matmul(p, q.t()), train,
      Fallback::GlobalMean);
  return result;
}

}  // namespace ae::nn
