#pragma once
// The student's HW5 functions as the graded tests call them: each call goes to the
// student runner (hw5_student, exercises/common/student_process.hpp), never into this
// process. The signatures follow hw5.hpp.
#include <cstdint>
#include <vector>

#include "exercises/common/graded_test.hpp"
#include "exercises/hw5/hw5.hpp"
#include "exercises/hw5/protocol.hpp"

namespace hw5_student {

using ae::Tensor;
using ae::exercises::Message;
using ae::exercises::StudentProcess;
using ae::hw5::Folds;
using ae::hw5::Rating;

/// A seed of the hidden suites' inputs: the grader's per-run seed mixed with `salt`.
inline uint64_t hidden_seed(uint64_t salt) { return ae::exercises::salted_hidden_seed(salt); }

using ae::exercises::runner_path;
using ae::exercises::student;

// ---- task 1

inline double cosine_similarity(const Tensor& a, const Tensor& b) {
  return student().call("cosine_similarity", {{"a", a}, {"b", b}}).real("s");
}

// ---- task 2

inline double predict_item_based(const Tensor& R, const Tensor& S, int64_t u, int64_t i, int64_t k,
                                 bool mean_centred) {
  return student()
      .call("predict_item_based", {{"R", R}, {"S", S}, {"u", u}, {"i", i}, {"k", k},
                                   {"mean_centred", int64_t{mean_centred}}})
      .real("p");
}

// ---- task 3

inline double autorec_loss(const Tensor& X_hat, const Tensor& X, const Tensor& W, const Tensor& V, double lambda) {
  return student()
      .call("autorec_loss", {{"X_hat", X_hat}, {"X", X}, {"W", W}, {"V", V}, {"lambda", lambda}})
      .real("loss");
}
inline Tensor autorec_loss_grad(const Tensor& X_hat, const Tensor& X) {
  return student().call("autorec_loss_grad", {{"X_hat", X_hat}, {"X", X}}).tensor("grad");
}

// ---- task 4

inline Folds k_fold_split(int64_t num_ratings, int64_t k, uint64_t seed) {
  return ae::hw5::protocol::get_folds(student().call(
      "k_fold_split", {{"num_ratings", num_ratings}, {"k", k}, {"seed", static_cast<int64_t>(seed)}}));
}
inline Tensor item_means(const std::vector<Rating>& ratings, int64_t num_items) {
  return student()
      .call("item_means", {{"ratings", ae::hw5::protocol::ratings_tensor(ratings)}, {"num_items", num_items}})
      .tensor("means");
}
inline Tensor training_item_means(const std::vector<Rating>& ratings, const Folds& folds, int64_t test_fold,
                                  int64_t num_items) {
  Message in{{"ratings", ae::hw5::protocol::ratings_tensor(ratings)}, {"test_fold", test_fold}, {"num_items", num_items}};
  ae::hw5::protocol::put_folds(in, folds);
  return student().call("training_item_means", in).tensor("means");
}
inline double rmse(const Tensor& predicted, const Tensor& actual) {
  return student().call("rmse", {{"predicted", predicted}, {"actual", actual}}).real("rmse");
}

// ---- task 5

/// run_experiment in a runner of its own that may read the data folder.
inline ae::hw5::ExperimentResult run_experiment(StudentProcess& process, const ae::hw5::ExperimentOptions& options,
                                                double seconds) {
  Message in;
  ae::hw5::protocol::put_options(in, options);
  return ae::hw5::protocol::get_result(process.call("run_experiment", in, seconds));
}

}  // namespace hw5_student
