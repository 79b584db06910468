#pragma once
// Helpers of the HW2 tests: double-precision references written from the formulas of
// hw2.hpp with plain loops, and inputs whose answers are known by hand. None of it calls
// the functions under test, which run in the student runner (hw2_student.hpp).
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <vector>

#include <gtest/gtest.h>

#include "autograd/variable.hpp"
#include "exercises/common/testing.hpp"
#include "exercises/hw2/hw2.hpp"
#include "tensor/ops.hpp"
#include "tensor/random.hpp"

namespace hw2_testing {

using namespace ae::exercises::testing;

inline double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

/// A matrix of uniform numbers in [low, high).
inline Matrix uniform(size_t rows, size_t cols, double low, double high, ae::Generator& gen) {
  Matrix m = zeros(rows, cols);
  for (auto& row : m)
    for (double& x : row) x = low + (high - low) * gen.uniform();
  return m;
}

// ---- task 1: Σ_j KL(ρ ‖ ρ̂_j) and its gradient, in double

inline std::vector<double> column_means(const Matrix& H) {
  std::vector<double> means(H[0].size(), 0.0);
  for (const auto& row : H)
    for (size_t j = 0; j < row.size(); ++j) means[j] += row[j];
  for (double& m : means) m /= static_cast<double>(H.size());
  return means;
}

inline double kl(double rho, double r) { return rho * std::log(rho / r) + (1 - rho) * std::log((1 - rho) / (1 - r)); }

inline double kl_penalty(const Matrix& H, double rho) {
  double total = 0;
  for (double r : column_means(H)) total += kl(rho, r);
  return total;
}

inline Matrix kl_gradient(const Matrix& H, double rho) {
  const std::vector<double> r = column_means(H);
  Matrix g = zeros(H.size(), H[0].size());
  for (auto& row : g)
    for (size_t j = 0; j < row.size(); ++j)
      row[j] = (-rho / r[j] + (1 - rho) / (1 - r[j])) / static_cast<double>(H.size());
  return g;
}

// ---- task 3: the encoder's Jacobian, entry by entry

/// J(x) (k x d) of h = σ(W x + b) at one image x: J_ji = h_j (1 - h_j) W_ji.
inline Matrix encoder_jacobian(const Matrix& W, const std::vector<double>& b, const std::vector<double>& x) {
  Matrix J = zeros(W.size(), x.size());
  for (size_t j = 0; j < W.size(); ++j) {
    double a = b[j];
    for (size_t i = 0; i < x.size(); ++i) a += W[j][i] * x[i];
    const double h = sigmoid(a);
    for (size_t i = 0; i < x.size(); ++i) J[j][i] = h * (1 - h) * W[j][i];
  }
  return J;
}

inline double squared_frobenius(const Matrix& J) {
  double total = 0;
  for (const auto& row : J)
    for (double x : row) total += x * x;
  return total;
}

// ---- task 4: the autoencoder on a corrupted input against a clean target

struct Model {
  Matrix W;               // k x d
  std::vector<double> b;  // k
  Matrix W_star;          // d x k
  std::vector<double> c;  // d
};

inline ae::hw2::Autoencoder to_autoencoder(const Model& m) {
  return {ae::Variable(to_tensor(m.W), true), ae::Variable(to_tensor(m.b), true),
          ae::Variable(to_tensor(m.W_star), true), ae::Variable(to_tensor(m.c), true)};
}

inline Model random_model(size_t d, size_t k, ae::Generator& gen) {
  return {uniform(k, d, -0.8, 0.8, gen), uniform(1, k, -0.5, 0.5, gen)[0], uniform(d, k, -0.8, 0.8, gen),
          uniform(1, d, -0.5, 0.5, gen)[0]};
}

/// L = (1/n) Σ ||σ(W* σ(W x̃ + b) + c) - x||² and its gradients, by back-propagation
/// written out:  dY = 2 (Y - X) / n,  dA2 = dY ⊙ Y ⊙ (1 - Y),  dW* = dA2ᵀ H,  dc = Σ dA2,
/// dA1 = (dA2 W*) ⊙ H ⊙ (1 - H),  dW = dA1ᵀ X̃,  db = Σ dA1. Gradients in the order
/// W, b, W*, c, each flattened row-major.
struct LossAndGradients {
  double loss = 0;
  std::vector<std::vector<double>> grads;
};
inline LossAndGradients denoising_reference(const Model& m, const Matrix& clean, const Matrix& corrupted) {
  const size_t n = clean.size(), d = clean[0].size(), k = m.W.size();
  Matrix H = zeros(n, k), Y = zeros(n, d), dA2 = zeros(n, d), dA1 = zeros(n, k);
  LossAndGradients r;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < k; ++j) {
      double a = m.b[j];
      for (size_t l = 0; l < d; ++l) a += m.W[j][l] * corrupted[i][l];
      H[i][j] = sigmoid(a);
    }
    for (size_t l = 0; l < d; ++l) {
      double a = m.c[l];
      for (size_t j = 0; j < k; ++j) a += m.W_star[l][j] * H[i][j];
      Y[i][l] = sigmoid(a);
      const double e = Y[i][l] - clean[i][l];
      r.loss += e * e / static_cast<double>(n);
      dA2[i][l] = 2 * e / static_cast<double>(n) * Y[i][l] * (1 - Y[i][l]);
    }
    for (size_t j = 0; j < k; ++j) {
      double s = 0;
      for (size_t l = 0; l < d; ++l) s += dA2[i][l] * m.W_star[l][j];
      dA1[i][j] = s * H[i][j] * (1 - H[i][j]);
    }
  }
  r.grads.assign(4, {});
  for (size_t j = 0; j < k; ++j)
    for (size_t l = 0; l < d; ++l) {
      double s = 0;
      for (size_t i = 0; i < n; ++i) s += dA1[i][j] * corrupted[i][l];
      r.grads[0].push_back(s);
    }
  for (size_t j = 0; j < k; ++j) {
    double s = 0;
    for (size_t i = 0; i < n; ++i) s += dA1[i][j];
    r.grads[1].push_back(s);
  }
  for (size_t l = 0; l < d; ++l)
    for (size_t j = 0; j < k; ++j) {
      double s = 0;
      for (size_t i = 0; i < n; ++i) s += dA2[i][l] * H[i][j];
      r.grads[2].push_back(s);
    }
  for (size_t l = 0; l < d; ++l) {
    double s = 0;
    for (size_t i = 0; i < n; ++i) s += dA2[i][l];
    r.grads[3].push_back(s);
  }
  return r;
}

/// One plain SGD step θ ← θ - lr g on the model.
inline void sgd_step(Model& m, const std::vector<std::vector<double>>& g, double lr) {
  const size_t k = m.W.size(), d = m.c.size();
  for (size_t j = 0; j < k; ++j)
    for (size_t l = 0; l < d; ++l) m.W[j][l] -= lr * g[0][j * d + l];
  for (size_t j = 0; j < k; ++j) m.b[j] -= lr * g[1][j];
  for (size_t l = 0; l < d; ++l)
    for (size_t j = 0; j < k; ++j) m.W_star[l][j] -= lr * g[2][l * k + j];
  for (size_t l = 0; l < d; ++l) m.c[l] -= lr * g[3][l];
}

/// The parameters W, b, W*, c, each flattened row-major (the order of the gradients).
inline std::vector<std::vector<double>> flatten(const Model& m) {
  std::vector<std::vector<double>> p(4);
  for (const auto& row : m.W) p[0].insert(p[0].end(), row.begin(), row.end());
  p[1] = m.b;
  for (const auto& row : m.W_star) p[2].insert(p[2].end(), row.begin(), row.end());
  p[3] = m.c;
  return p;
}

/// The largest |t - v| of a tensor against a flattened row-major reference.
inline double max_flat_diff(const ae::Tensor& t, const std::vector<double>& flat) {
  if (!t.defined() || static_cast<size_t>(t.numel()) != flat.size()) return INFINITY;
  return max_abs_diff(t.contiguous().reshape({t.numel()}), flat);
}

/// The folder the task 5 tests read: MNIST from $AELAB_DATA, or ./data and ../shared/data
/// next to the repository; Fashion-MNIST when there is no MNIST.
inline std::filesystem::path test_data_dir() { return find_data_dir({"mnist", "fashion-mnist"}, AELAB_SOURCE_DIR); }

}  // namespace hw2_testing
