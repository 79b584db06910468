// HW5: the functions the graded tests may call in the student runner (given code, compiled
// only into the runner hw5_student, never into a test). Each takes the request's named
// inputs, calls the student's function and returns what the tests check.
#include <fmt/core.h>

#include "exercises/common/runner_server.hpp"
#include "exercises/hw5/hw5.hpp"
#include "exercises/hw5/protocol.hpp"

namespace ae::exercises {

using namespace ae::hw5;

Bindings student_bindings() {
  Bindings b;
  // ---- task 1
  b["cosine_similarity"] = [](const Message& in) {
    return Message{{"s", cosine_similarity(in.tensor("a"), in.tensor("b"))}};
  };

  // ---- task 2
  b["predict_item_based"] = [](const Message& in) {
    return Message{{"p", predict_item_based(in.tensor("R"), in.tensor("S"), in.integer("u"), in.integer("i"),
                                            in.integer("k"), in.integer("mean_centred") != 0)}};
  };

  // ---- task 3
  b["autorec_loss"] = [](const Message& in) {
    return Message{{"loss", autorec_loss(in.tensor("X_hat"), in.tensor("X"), in.tensor("W"), in.tensor("V"),
                                         in.real("lambda"))}};
  };
  b["autorec_loss_grad"] = [](const Message& in) {
    const Tensor grad = autorec_loss_grad(in.tensor("X_hat"), in.tensor("X"));
    if (!grad.defined()) throw Error("autorec_loss_grad returned an undefined tensor");
    return Message{{"grad", grad.contiguous().clone()}};
  };

  // ---- task 4
  b["k_fold_split"] = [](const Message& in) {
    Message out;
    protocol::put_folds(out, k_fold_split(in.integer("num_ratings"), in.integer("k"),
                                          static_cast<uint64_t>(in.integer("seed"))));
    return out;
  };
  b["item_means"] = [](const Message& in) {
    return Message{{"means", item_means(protocol::get_ratings(in.tensor("ratings")), in.integer("num_items"))}};
  };
  b["training_item_means"] = [](const Message& in) {
    return Message{{"means", training_item_means(protocol::get_ratings(in.tensor("ratings")),
                                                 protocol::get_folds(in), in.integer("test_fold"),
                                                 in.integer("num_items"))}};
  };
  b["rmse"] = [](const Message& in) {
    return Message{{"rmse", rmse(in.tensor("predicted"), in.tensor("actual"))}};
  };

  // ---- task 5
  b["run_experiment"] = [](const Message& in) {
    Message out;
    protocol::put_result(out, run_experiment(protocol::get_options(in)));
    return out;
  };
  return b;
}

}  // namespace ae::exercises
