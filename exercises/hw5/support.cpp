// HW5: the given parts — loading a MovieLens-100K split, the rating matrix, AutoRec's
// forward pass, its predictions and initial weights, and the argument checks. Not graded;
// read them, do not edit them.
#include <algorithm>

#include <fmt/core.h>

#include "autograd/ops.hpp"
#include "exercises/hw5/hw5.hpp"
#include "nn/data/locate.hpp"
#include "nn/init.hpp"
#include "tensor/ops.hpp"

namespace ae::hw5 {

namespace fs = std::filesystem;

void require_dims(const Tensor& t, int64_t dims, const char* op, const char* name) {
  if (!t.defined()) throw Error(fmt::format("{}: {} is undefined", op, name));
  if (t.dim() != dims)
    throw Error(fmt::format("{}: {} must be {}-D, got shape {}", op, name, dims, to_string(t.shape())));
}

namespace {

// A split file's ratings indexed by id - 1 (read_movielens numbers the ids of one file
// densely; the two files of a split must share one numbering, the ids').
std::vector<Rating> read_split_file(const fs::path& file, int64_t& num_users, int64_t& num_items) {
  const data::RatingTable table = data::read_movielens(file);
  std::vector<Rating> ratings;
  ratings.reserve(table.ratings.size());
  for (Rating r : table.ratings) {
    const int64_t user = table.user_ids[static_cast<size_t>(r.user)];
    const int64_t item = table.item_ids[static_cast<size_t>(r.item)];
    if (user < 1 || item < 1)
      throw Error(fmt::format("{}: user {} / item {}: MovieLens-100K numbers both from 1",
                              file.string(), user, item));
    r.user = user - 1;
    r.item = item - 1;
    num_users = std::max(num_users, user);
    num_items = std::max(num_items, item);
    ratings.push_back(r);
  }
  return ratings;
}

}  // namespace

Hw5Data load_data(const std::optional<fs::path>& data_dir, const std::string& split, bool verbose) {
  const bool known = split == "ua" || split == "ub" ||
                     (split.size() == 2 && split[0] == 'u' && split[1] >= '1' && split[1] <= '5');
  if (!known) throw Error(fmt::format("load_data: split \"{}\", expected u1 .. u5, ua or ub", split));
  Hw5Data data;
  // Says every place it looked, and where to get MovieLens-100K, when none holds u.data.
  data.dir = data::locate_dataset("ml-100k", data_dir);
  data.train = read_split_file(data.dir / (split + ".base"), data.num_users, data.num_items);
  data.test = read_split_file(data.dir / (split + ".test"), data.num_users, data.num_items);
  if (verbose)
    fmt::print("data: MovieLens-100K from {}: {} users, {} items; {} training ratings ({}.base), "
               "{} test ratings ({}.test)\n",
               data.dir.string(), data.num_users, data.num_items, data.train.size(), split,
               data.test.size(), split);
  return data;
}

Tensor rating_matrix(const std::vector<Rating>& ratings, int64_t num_users, int64_t num_items) {
  if (num_users < 1 || num_items < 1)
    throw Error(fmt::format("rating_matrix: num_users = {}, num_items = {}, both must be >= 1",
                            num_users, num_items));
  Tensor R = tensor::zeros({num_users, num_items});
  float* p = R.data();
  for (const Rating& r : ratings) {
    if (r.user < 0 || r.user >= num_users || r.item < 0 || r.item >= num_items)
      throw Error(fmt::format("rating_matrix: a rating of user {} for item {}, outside the ({} x {}) matrix",
                              r.user, r.item, num_users, num_items));
    p[r.user * num_items + r.item] = r.rating;
  }
  return R;
}

Tensor rating_values(const std::vector<Rating>& ratings) {
  std::vector<float> values;
  values.reserve(ratings.size());
  for (const Rating& r : ratings) values.push_back(r.rating);
  return tensor::from_vector(values, {static_cast<int64_t>(values.size())});
}

Variable reconstruct(const AutoRec& model, const Variable& X) {
  require_dims(X.value(), 2, "reconstruct", "X");
  if (X.shape()[1] != model.num_inputs())
    throw Error(fmt::format("reconstruct: X has shape {}, the AutoRec takes {} inputs",
                            to_string(X.shape()), model.num_inputs()));
  // linear(x, V, μ) = x Vᵀ + μ is the row-per-item form of V x + μ; the output is linear.
  return linear(sigmoid(linear(X, model.V, model.mu)), model.W, model.b);
}

Tensor predict_ratings(const AutoRec& model, const Tensor& X_items, const std::vector<Rating>& queries) {
  require_dims(X_items, 2, "predict_ratings", "X_items");
  NoGradGuard no_grad;
  const Tensor X_hat = reconstruct(model, Variable(X_items)).value().contiguous();
  const int64_t items = X_hat.size(0), users = X_hat.size(1);
  std::vector<float> out;
  out.reserve(queries.size());
  for (const Rating& q : queries) {
    if (q.user < 0 || q.user >= users || q.item < 0 || q.item >= items)
      throw Error(fmt::format("predict_ratings: a query of user {} for item {}, outside the ({} x {}) "
                              "items x users reconstruction",
                              q.user, q.item, items, users));
    out.push_back(std::clamp(X_hat.data()[q.item * users + q.user], 1.0f, 5.0f));
  }
  return tensor::from_vector(out, {static_cast<int64_t>(out.size())});
}

AutoRec make_autorec(int64_t num_inputs, int64_t hidden, Generator& gen) {
  if (num_inputs < 1 || hidden < 1)
    throw Error(fmt::format("make_autorec: num_inputs = {}, hidden = {}, both must be >= 1", num_inputs, hidden));
  Tensor V = tensor::empty({hidden, num_inputs});
  Tensor W = tensor::empty({num_inputs, hidden});
  nn::xavier_uniform_(V, gen);
  nn::xavier_uniform_(W, gen);
  return AutoRec{Variable(V, true), Variable(tensor::zeros({hidden}), true), Variable(W, true),
                 Variable(tensor::full({num_inputs}, 3.0f), true)};
}

}  // namespace ae::hw5
