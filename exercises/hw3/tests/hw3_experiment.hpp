#pragma once
// The checks of task 5 every run of the experiment must pass, visible or hidden: the
// reported accuracies are those of the returned networks on the test images, the networks
// have the asked shape, and every layer's pre-training loss went down.
#include <gtest/gtest.h>

#include "exercises/hw3/hw3.hpp"
#include "tensor/ops.hpp"

namespace hw3_testing {

/// The share of rows whose largest logit is at their label, from the parameter values.
inline double accuracy_of(const ae::hw3::Classifier& net, const ae::Tensor& X, const std::vector<int>& labels) {
  namespace tensor = ae::tensor;
  ae::Tensor h = X;
  for (size_t l = 0; l < net.W.size(); ++l) h = tensor::sigmoid(tensor::matmul(h, net.W[l].value().t()) + net.b[l].value());
  const ae::Tensor z = tensor::matmul(h, net.softmax_W.value().t()) + net.softmax_b.value();
  const std::vector<float> predicted = tensor::argmax(z, 1).to_vector();
  size_t right = 0;
  for (size_t i = 0; i < labels.size(); ++i) right += static_cast<int>(predicted[i]) == labels[i] ? 1 : 0;
  return static_cast<double>(right) / static_cast<double>(labels.size());
}

inline void check_network(const ae::hw3::Classifier& net, const ae::hw3::ExperimentOptions& options, const char* name) {
  ASSERT_EQ(net.W.size(), options.hidden.size()) << "the " << name << " network's layers";
  int64_t in = 784;
  for (size_t l = 0; l < net.W.size(); ++l) {
    ASSERT_EQ(net.W[l].shape(), (ae::Shape{options.hidden[l], in})) << name << " layer " << l;
    ASSERT_EQ(net.b[l].shape(), (ae::Shape{options.hidden[l]})) << name << " layer " << l;
    in = options.hidden[l];
  }
  ASSERT_EQ(net.softmax_W.shape(), (ae::Shape{10, in})) << "the " << name << " network's softmax layer";
  ASSERT_EQ(net.softmax_b.shape(), (ae::Shape{10})) << "the " << name << " network's softmax layer";
}

inline void check_reported_run(const ae::hw3::ExperimentResult& r, const ae::hw3::ExperimentOptions& options,
                               const ae::Tensor& test, const std::vector<int>& test_labels) {
  EXPECT_TRUE(r.dataset == "mnist" || r.dataset == "fashion-mnist") << r.dataset;
  check_network(r.pretrained, options, "pre-trained");
  check_network(r.random, options, "random");
  if (testing::Test::HasFatalFailure()) return;
  const double pretrained = accuracy_of(r.pretrained, test, test_labels);
  const double random = accuracy_of(r.random, test, test_labels);
  EXPECT_NEAR(r.pretrained_test_accuracy, pretrained, 1e-9) << "pretrained_test_accuracy is not the returned network's";
  EXPECT_NEAR(r.random_test_accuracy, random, 1e-9) << "random_test_accuracy is not the returned network's";
  ASSERT_EQ(r.pretrain_losses.size(), options.hidden.size()) << "one list of pre-training losses per layer";
  for (size_t l = 0; l < r.pretrain_losses.size(); ++l) {
    ASSERT_EQ(r.pretrain_losses[l].size(), static_cast<size_t>(options.pretrain.epochs)) << "layer " << l;
    if (options.pretrain.epochs >= 2) {
      EXPECT_LT(r.pretrain_losses[l].back(), r.pretrain_losses[l].front()) << "layer " << l << "'s loss did not go down";
    }
  }
  ASSERT_EQ(r.pretrained_fine_tune_losses.size(), static_cast<size_t>(options.fine_tune_epochs));
  ASSERT_EQ(r.random_fine_tune_losses.size(), static_cast<size_t>(options.fine_tune_epochs));
}

}  // namespace hw3_testing
