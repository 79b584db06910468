#include "nn/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "linalg/error.hpp"
#include "linalg/householder_qr.hpp"
#include "linalg/matmul_f64.hpp"
#include "linalg/svd_jacobi.hpp"
#include "nn/matrix_bridge.hpp"

namespace ae::nn {

namespace {

void require_defined(const Tensor& t, const char* function, const char* what) {
  if (!t.defined()) throw Error(fmt::format("{}: {} is undefined", function, what));
}

void require_same_shape(const Tensor& a, const Tensor& b, const char* function, const char* a_name,
                        const char* b_name) {
  require_defined(a, function, a_name);
  require_defined(b, function, b_name);
  if (a.shape() != b.shape())
    throw Error(fmt::format("{}: {} has shape {} but {} has shape {}", function, a_name,
                            to_string(a.shape()), b_name, to_string(b.shape())));
  if (a.numel() == 0) throw Error(fmt::format("{}: {} is empty (shape {})", function, a_name, to_string(a.shape())));
}

void require_rows(const Tensor& t, const char* function, const char* what) {
  require_defined(t, function, what);
  if (t.dim() != 2 || t.shape()[0] == 0 || t.shape()[1] == 0)
    throw Error(fmt::format("{}: {} must be a non-empty 2-D (rows, columns) tensor, got shape {}",
                            function, what, to_string(t.shape())));
}

// Sums of (p - t)² and |p - t| over the entries where `keep` says so.
struct ErrorSums {
  double squared = 0, absolute = 0;
  int64_t count = 0;
};

template <class Keep>
ErrorSums error_sums(const Tensor& predicted, const Tensor& target, Keep keep) {
  // contiguous() shares the storage of a tensor that already is: no copy of a large test set.
  const Tensor pc = predicted.contiguous(), tc = target.contiguous();
  const float* p = pc.data();
  const float* t = tc.data();
  ErrorSums s;
  for (size_t i = 0; i < size_t(pc.numel()); ++i) {
    if (!keep(i)) continue;
    const double e = double(p[i]) - double(t[i]);
    s.squared += e * e;
    s.absolute += std::abs(e);
    ++s.count;
  }
  return s;
}

ErrorSums all_errors(const Tensor& predicted, const Tensor& target, const char* function) {
  require_same_shape(predicted, target, function, "predicted", "target");
  return error_sums(predicted, target, [](size_t) { return true; });
}

ErrorSums observed_errors(const Tensor& predicted, const Tensor& target, const Tensor& observed,
                          const char* function) {
  require_same_shape(predicted, target, function, "predicted", "target");
  require_same_shape(predicted, observed, function, "predicted", "the observed mask");
  const auto mask = observed.to_vector();
  const ErrorSums s = error_sums(predicted, target, [&](size_t i) { return mask[i] != 0.0f; });
  if (s.count == 0)
    throw Error(fmt::format("{}: no entry of the {} mask is observed (non-zero)", function,
                            to_string(observed.shape())));
  return s;
}

void require_labels(const std::vector<int>& labels, const char* function, const char* what) {
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0) throw Error(fmt::format("{}: {}[{}] = {} is negative", function, what, i, labels[i]));
}

}  // namespace

// ---- subspaces ------------------------------------------------------------------------------

std::vector<double> principal_cosines(const Tensor& a, const Tensor& b) {
  require_rows(a, "principal_cosines", "a");
  require_rows(b, "principal_cosines", "b");
  if (a.shape()[1] != b.shape()[1])
    throw Error(fmt::format("principal_cosines: rows of a {} and b {} differ in length", to_string(a.shape()),
                            to_string(b.shape())));
  if (a.shape()[0] > a.shape()[1] || b.shape()[0] > b.shape()[1])
    throw Error(fmt::format("principal_cosines: a {} and b {} must have no more rows than columns",
                            to_string(a.shape()), to_string(b.shape())));
  const linalg::Matrix qa = linalg::householder_qr(to_matrix(a).transposed()).q;  // d x k_a
  const linalg::Matrix qb = linalg::householder_qr(to_matrix(b).transposed()).q;  // d x k_b
  const linalg::Matrix m = linalg::matmul(qa, qb, linalg::Trans::Yes, linalg::Trans::No);
  std::vector<double> cosines = linalg::svd_jacobi(m).sigma;
  for (double& c : cosines) c = std::min(c, 1.0);  // rounding can give 1 + 1e-16
  return cosines;
}

// ---- reconstruction -------------------------------------------------------------------------

double sum_of_squares(const Tensor& x) {
  require_defined(x, "sum_of_squares", "x");
  const Tensor c = x.contiguous();
  const float* p = c.data();
  double s = 0;
  for (int64_t i = 0; i < c.numel(); ++i) s += double(p[i]) * double(p[i]);
  return s;
}

double relative_error(const Tensor& x, const Tensor& x_hat) {
  const ErrorSums e = all_errors(x_hat, x, "relative_error");
  const double energy = sum_of_squares(x);
  if (energy == 0) throw Error("relative_error: the input " + to_string(x.shape()) + " is all zeros");
  return e.squared / energy;
}

double psnr(const Tensor& x, const Tensor& x_hat, double peak) {
  if (!(peak > 0)) throw Error(fmt::format("psnr: peak = {} must be positive", peak));
  const ErrorSums e = all_errors(x_hat, x, "psnr");
  const double mse = e.squared / double(e.count);
  if (mse == 0) return std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(peak * peak / mse);
}

double rmse(const Tensor& predicted, const Tensor& target) {
  const ErrorSums e = all_errors(predicted, target, "rmse");
  return std::sqrt(e.squared / double(e.count));
}

double mae(const Tensor& predicted, const Tensor& target) {
  const ErrorSums e = all_errors(predicted, target, "mae");
  return e.absolute / double(e.count);
}

double rmse(const Tensor& predicted, const Tensor& target, const Tensor& observed) {
  const ErrorSums e = observed_errors(predicted, target, observed, "rmse");
  return std::sqrt(e.squared / double(e.count));
}

double mae(const Tensor& predicted, const Tensor& target, const Tensor& observed) {
  const ErrorSums e = observed_errors(predicted, target, observed, "mae");
  return e.absolute / double(e.count);
}

// ---- classification -------------------------------------------------------------------------

std::vector<int> predicted_classes(const Tensor& scores) {
  require_rows(scores, "predicted_classes", "scores");
  const int64_t n = scores.shape()[0], classes = scores.shape()[1];
  const auto s = scores.to_vector();
  std::vector<int> out(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    const float* row = s.data() + i * classes;
    out[size_t(i)] = int(std::max_element(row, row + classes) - row);  // first of equal maxima
  }
  return out;
}

double accuracy(const std::vector<int>& predicted, const std::vector<int>& truth) {
  if (predicted.size() != truth.size() || truth.empty())
    throw Error(fmt::format("accuracy: {} predictions for {} labels (need the same, non-zero number)",
                            predicted.size(), truth.size()));
  int64_t correct = 0;
  for (size_t i = 0; i < truth.size(); ++i) correct += predicted[i] == truth[i];
  return double(correct) / double(truth.size());
}

double accuracy(const Tensor& scores, const std::vector<int>& truth) {
  require_rows(scores, "accuracy", "scores");
  if (scores.shape()[0] != int64_t(truth.size()))
    throw Error(fmt::format("accuracy: scores of shape {} for {} labels", to_string(scores.shape()), truth.size()));
  return accuracy(predicted_classes(scores), truth);
}

double ConfusionMatrix::accuracy() const {
  int64_t diagonal = 0, total = 0;
  for (int t = 0; t < classes; ++t)
    for (int p = 0; p < classes; ++p) {
      total += (*this)(t, p);
      if (t == p) diagonal += (*this)(t, p);
    }
  if (total == 0) throw Error("ConfusionMatrix::accuracy: the matrix counts nothing");
  return double(diagonal) / double(total);
}

ConfusionMatrix confusion_matrix(const std::vector<int>& predicted, const std::vector<int>& truth, int classes) {
  if (classes < 1) throw Error(fmt::format("confusion_matrix: classes = {} must be at least 1", classes));
  if (predicted.size() != truth.size())
    throw Error(fmt::format("confusion_matrix: {} predictions for {} labels", predicted.size(), truth.size()));
  ConfusionMatrix m{classes, std::vector<int64_t>(size_t(classes) * size_t(classes), 0)};
  for (size_t i = 0; i < truth.size(); ++i) {
    for (const auto& [name, label] : {std::pair{"truth", truth[i]}, std::pair{"predicted", predicted[i]}})
      if (label < 0 || label >= classes)
        throw Error(fmt::format("confusion_matrix: {}[{}] = {} is outside 0..{}", name, i, label, classes - 1));
    ++m.counts[size_t(truth[i]) * size_t(classes) + size_t(predicted[i])];
  }
  return m;
}

double knn_accuracy(const Tensor& reference, const std::vector<int>& reference_labels, const Tensor& query,
                    const std::vector<int>& query_labels, int neighbours) {
  require_rows(reference, "knn_accuracy", "reference");
  require_rows(query, "knn_accuracy", "query");
  const int64_t nr = reference.shape()[0], nq = query.shape()[0], k = reference.shape()[1];
  if (query.shape()[1] != k)
    throw Error(fmt::format("knn_accuracy: reference {} and query {} rows differ in length",
                            to_string(reference.shape()), to_string(query.shape())));
  if (int64_t(reference_labels.size()) != nr || int64_t(query_labels.size()) != nq)
    throw Error(fmt::format("knn_accuracy: {} reference labels for {} rows, {} query labels for {} rows",
                            reference_labels.size(), nr, query_labels.size(), nq));
  if (neighbours < 1 || neighbours > nr)
    throw Error(fmt::format("knn_accuracy: neighbours = {} must be in 1..{} (the reference rows)", neighbours, nr));
  require_labels(reference_labels, "knn_accuracy", "reference_labels");
  const int label_count = *std::max_element(reference_labels.begin(), reference_labels.end()) + 1;

  const auto r = reference.to_vector();
  const auto q = query.to_vector();
  int64_t correct = 0;
  std::vector<std::pair<double, int>> dist(static_cast<size_t>(nr));
  std::vector<int> votes(static_cast<size_t>(label_count));
  for (int64_t i = 0; i < nq; ++i) {
    for (int64_t j = 0; j < nr; ++j) {
      double s = 0;
      for (int64_t c = 0; c < k; ++c) {
        const double diff = double(q[size_t(i * k + c)]) - double(r[size_t(j * k + c)]);
        s += diff * diff;
      }
      dist[size_t(j)] = {s, reference_labels[size_t(j)]};
    }
    std::partial_sort(dist.begin(), dist.begin() + neighbours, dist.end());
    // Counting the votes nearest first, the label that first reaches the top count wins.
    std::fill(votes.begin(), votes.end(), 0);
    int best = -1, best_votes = 0;
    for (int n = 0; n < neighbours; ++n) {
      const int label = dist[size_t(n)].second;
      if (++votes[size_t(label)] > best_votes) {
        best = label;
        best_votes = votes[size_t(label)];
      }
    }
    correct += best == query_labels[size_t(i)];
  }
  return double(correct) / double(nq);
}

// ---- recommendation -------------------------------------------------------------------------

PrecisionRecall precision_recall_at_k(const Tensor& scores, const std::vector<std::vector<int64_t>>& relevant,
                                      int64_t k, const Tensor& exclude) {
  require_rows(scores, "precision_recall_at_k", "scores");
  const int64_t users = scores.shape()[0], items = scores.shape()[1];
  if (int64_t(relevant.size()) != users)
    throw Error(fmt::format("precision_recall_at_k: relevant items for {} users, scores {} have {}",
                            relevant.size(), to_string(scores.shape()), users));
  if (k < 1 || k > items)
    throw Error(fmt::format("precision_recall_at_k: k = {} must be in 1..{} (the items)", k, items));
  if (exclude.defined() && exclude.shape() != scores.shape())
    throw Error(fmt::format("precision_recall_at_k: exclude has shape {} but scores {}",
                            to_string(exclude.shape()), to_string(scores.shape())));
  const auto s = scores.to_vector();
  const std::vector<float> ex = exclude.defined() ? exclude.to_vector() : std::vector<float>();

  PrecisionRecall out;
  std::vector<int64_t> order;
  std::vector<char> is_relevant(static_cast<size_t>(items));
  for (int64_t u = 0; u < users; ++u) {
    std::fill(is_relevant.begin(), is_relevant.end(), 0);
    int64_t n_relevant = 0;
    for (int64_t item : relevant[size_t(u)]) {
      if (item < 0 || item >= items)
        throw Error(fmt::format("precision_recall_at_k: user {} has relevant item {} outside 0..{}", u, item,
                                items - 1));
      n_relevant += !is_relevant[size_t(item)];
      is_relevant[size_t(item)] = 1;
    }
    if (n_relevant == 0) continue;
    order.clear();
    for (int64_t i = 0; i < items; ++i)
      if (ex.empty() || ex[size_t(u * items + i)] == 0.0f) order.push_back(i);
    const float* row = s.data() + u * items;
    const int64_t shown = std::min<int64_t>(k, int64_t(order.size()));
    std::partial_sort(order.begin(), order.begin() + shown, order.end(), [&](int64_t a, int64_t b) {
      return row[a] > row[b] || (row[a] == row[b] && a < b);
    });
    int64_t hits = 0;
    for (int64_t r = 0; r < shown; ++r) hits += is_relevant[size_t(order[size_t(r)])];
    // Precision divides by k even when fewer than k items were left to recommend: the list
    // had k places and filled fewer of them with hits.
    out.precision += double(hits) / double(k);
    out.recall += double(hits) / double(n_relevant);
    ++out.users;
  }
  if (out.users == 0) throw Error("precision_recall_at_k: no user has a relevant item");
  out.precision /= double(out.users);
  out.recall /= double(out.users);
  return out;
}

// ---- codes ----------------------------------------------------------------------------------

std::vector<double> mean_activation(const Tensor& activations) {
  require_rows(activations, "mean_activation", "activations");
  const int64_t n = activations.shape()[0], units = activations.shape()[1];
  const auto h = activations.to_vector();
  std::vector<double> mean(size_t(units), 0.0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < units; ++j) mean[size_t(j)] += h[size_t(i * units + j)];
  for (double& m : mean) m /= double(n);
  return mean;
}

}  // namespace ae::nn
