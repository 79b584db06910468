// UFLDL's sparse autoencoder cost: each named term and the gradient on a 2-2-2 model equal
// NumPy's (same formulas in double, gradient by central differences); L-BFGS drives the mean
// activations to ρ; filter images follow their definition; bad input is an error.
#include "nn/sparse_autoencoder.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "autograd/ops.hpp"
#include "nn/metrics.hpp"
#include "tensor/ops.hpp"
#include "tensor/random.hpp"

using ae::Error;
using ae::Generator;
using ae::Tensor;
using ae::Variable;
using namespace ae::nn;
namespace T = ae::tensor;

namespace {

void set(Variable& v, const std::vector<float>& values) {
  ASSERT_EQ(v.numel(), int64_t(values.size()));
  float* p = v.value().data();
  for (size_t i = 0; i < values.size(); ++i) p[i] = values[i];
}

// W1 = [[1, -1], [0.5, 0.25]], b1 = [0, -1], W2 = [[2, 0], [-1, 1]], b2 = [0, 0.5].
std::shared_ptr<Autoencoder> tiny_model() {
  Generator gen(1);
  auto m = sigmoid_autoencoder(2, 2, gen);
  set(encoder_linear(*m).weight, {1, -1, 0.5f, 0.25f});
  set(encoder_linear(*m).bias, {0, -1});
  set(decoder_linear(*m).weight, {2, 0, -1, 1});
  set(decoder_linear(*m).bias, {0, 0.5f});
  return m;
}

const Tensor tiny_x() { return T::from_vector({1, 0, 0, 1, 0.5f, 0.5f}, {3, 2}); }

}  // namespace

TEST(SparseAutoencoder, TermsEqualNumpy) {
  auto m = tiny_model();
  const SparseAeCost kl{.penalty = SparsityPenalty::KL, .rho = 0.1f, .beta = 3, .weight_decay = 3e-3};
  const LossTerms terms = sparse_autoencoder_cost(*m, Variable(tiny_x()), kl);
  ASSERT_EQ(terms.size(), 3u);
  EXPECT_NEAR(terms["reconstruction"].item(), 0.15270432266432435, 1e-6);
  EXPECT_NEAR(terms["sparsity"].item(), 1.6037197143950364, 1e-5);
  EXPECT_NEAR(terms["weight decay"].item(), 0.01246875, 1e-7);

  const SparseAeCost l1{.penalty = SparsityPenalty::L1, .beta = 3, .weight_decay = 0};
  const LossTerms t1 = sparse_autoencoder_cost(*m, Variable(tiny_x()), l1);
  ASSERT_EQ(t1.size(), 2u);  // no weight decay term when λ = 0
  EXPECT_NEAR(t1["sparsity"].item(), 2.5470071049566982, 1e-5);

  const SparseAeCost plain{.penalty = SparsityPenalty::None, .weight_decay = 0};
  EXPECT_EQ(sparse_autoencoder_cost(*m, Variable(tiny_x()), plain).size(), 1u);
}

TEST(SparseAutoencoder, GradientEqualsNumpyDifferences) {
  auto m = tiny_model();
  const SparseAeCost kl{};
  Variable total = sparse_autoencoder_cost(*m, Variable(tiny_x()), kl).total();
  total.backward();
  const std::vector<float> g = encoder_linear(*m).weight.grad().value().contiguous().to_vector();
  const std::vector<double> expected = {0.5079818119, 0.5393068355, 0.394740955, 0.3586341409};
  for (size_t i = 0; i < 4; ++i) EXPECT_NEAR(g[i], expected[i], 2e-5) << i;
}

TEST(SparseAutoencoder, LbfgsBringsMeanActivationsToRho) {
  Generator gen(7);
  const Tensor x = T::rand({300, 16}, gen);
  auto m = sigmoid_autoencoder(16, 12, gen);
  const SparseAeCost cost{.rho = 0.1f, .beta = 3, .weight_decay = 1e-4};
  const LbfgsReport r = fit_sparse_autoencoder(*m, x, cost, {.max_iterations = 200});
  EXPECT_LT(r.values.back(), r.values.front());
  // At a minimum, ∂J/∂b1_j = 0; with β = 3 the KL term dominates the pull on each ρ̂_j, so every
  // unit ends near ρ (the reconstruction term moves ρ̂_j only a little).
  for (double rho_hat : mean_activation(m->encode(x))) EXPECT_NEAR(rho_hat, 0.1, 0.03);
}

TEST(SparseAutoencoder, BadInputIsAnError) {
  auto m = tiny_model();
  EXPECT_THROW(sparse_autoencoder_cost(*m, Variable(T::zeros({3, 5})), {}), Error);
  EXPECT_THROW(sparse_autoencoder_cost(*m, Variable(tiny_x()), {.rho = 1.5f}), Error);
  EXPECT_THROW(sparse_autoencoder_cost(*m, Variable(tiny_x()), {.beta = -1}), Error);
}
