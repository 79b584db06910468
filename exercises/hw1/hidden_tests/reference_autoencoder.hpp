#pragma once
// The one-hidden-layer sigmoid autoencoder, its loss, gradients and Adam, in double with
// plain loops: the hidden suites' reference. Back-propagation written out by hand:
//   A1 = X Wᵀ + b,  H = σ(A1),  A2 = H W*ᵀ + c,  Y = σ(A2),  L = (1/n) Σ (Y - X)²
//   dY = 2 (Y - X) / n,  dA2 = dY ⊙ Y ⊙ (1 - Y),  dW* = dA2ᵀ H,  dc = Σ_rows dA2
//   dH = dA2 W*,  dA1 = dH ⊙ H ⊙ (1 - H),  dW = dA1ᵀ X,  db = Σ_rows dA1
#include <cmath>
#include <vector>

#include "exercises/hw1/tests/hw1_testing.hpp"

namespace hw1_reference {

using hw1_testing::Matrix;
using hw1_testing::multiply;
using hw1_testing::transpose;
using hw1_testing::zeros;

struct Autoencoder {
  Matrix W;                // k x d
  std::vector<double> b;   // k
  Matrix W_star;           // d x k
  std::vector<double> c;   // d
};

struct Forward {
  Matrix H, Y;
  double loss = 0;
};

inline double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

inline Forward forward(const Autoencoder& m, const Matrix& X) {
  Forward f;
  f.H = multiply(X, transpose(m.W));
  for (auto& row : f.H)
    for (size_t j = 0; j < row.size(); ++j) row[j] = sigmoid(row[j] + m.b[j]);
  f.Y = multiply(f.H, transpose(m.W_star));
  for (size_t i = 0; i < f.Y.size(); ++i)
    for (size_t j = 0; j < f.Y[i].size(); ++j) {
      f.Y[i][j] = sigmoid(f.Y[i][j] + m.c[j]);
      f.loss += (f.Y[i][j] - X[i][j]) * (f.Y[i][j] - X[i][j]);
    }
  f.loss /= static_cast<double>(X.size());
  return f;
}

/// Gradients in the order W, b, W*, c, each flattened row-major.
inline std::vector<std::vector<double>> gradients(const Autoencoder& m, const Matrix& X) {
  const Forward f = forward(m, X);
  const double n = static_cast<double>(X.size());
  Matrix dA2 = f.Y;
  for (size_t i = 0; i < dA2.size(); ++i)
    for (size_t j = 0; j < dA2[i].size(); ++j)
      dA2[i][j] = 2 * (f.Y[i][j] - X[i][j]) / n * f.Y[i][j] * (1 - f.Y[i][j]);
  Matrix dA1 = multiply(dA2, m.W_star);
  for (size_t i = 0; i < dA1.size(); ++i)
    for (size_t j = 0; j < dA1[i].size(); ++j) dA1[i][j] *= f.H[i][j] * (1 - f.H[i][j]);
  auto flatten = [](const Matrix& a) {
    std::vector<double> v;
    for (const auto& row : a) v.insert(v.end(), row.begin(), row.end());
    return v;
  };
  auto column_sums = [](const Matrix& a) {
    std::vector<double> s(a[0].size(), 0.0);
    for (const auto& row : a)
      for (size_t j = 0; j < row.size(); ++j) s[j] += row[j];
    return s;
  };
  return {flatten(multiply(transpose(dA1), X)), column_sums(dA1),
          flatten(multiply(transpose(dA2), f.H)), column_sums(dA2)};
}

struct Adam {
  double lr = 0.005, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  int step = 0;
  std::vector<std::vector<double>> m, v;
};

/// One Adam step on the flattened parameters with gradients g.
inline void adam_step(std::vector<std::vector<double>>& params,
                      const std::vector<std::vector<double>>& g, Adam& adam) {
  if (adam.m.empty()) {
    for (const auto& p : params) {
      adam.m.emplace_back(p.size(), 0.0);
      adam.v.emplace_back(p.size(), 0.0);
    }
  }
  ++adam.step;
  for (size_t i = 0; i < params.size(); ++i)
    for (size_t j = 0; j < params[i].size(); ++j) {
      adam.m[i][j] = adam.beta1 * adam.m[i][j] + (1 - adam.beta1) * g[i][j];
      adam.v[i][j] = adam.beta2 * adam.v[i][j] + (1 - adam.beta2) * g[i][j] * g[i][j];
      const double m_hat = adam.m[i][j] / (1 - std::pow(adam.beta1, adam.step));
      const double v_hat = adam.v[i][j] / (1 - std::pow(adam.beta2, adam.step));
      params[i][j] -= adam.lr * m_hat / (std::sqrt(v_hat) + adam.eps);
    }
}

inline std::vector<std::vector<double>> flatten(const Autoencoder& m) {
  std::vector<std::vector<double>> p(4);
  for (const auto& row : m.W) p[0].insert(p[0].end(), row.begin(), row.end());
  p[1] = m.b;
  for (const auto& row : m.W_star) p[2].insert(p[2].end(), row.begin(), row.end());
  p[3] = m.c;
  return p;
}

inline Autoencoder unflatten(const std::vector<std::vector<double>>& p, size_t d, size_t k) {
  Autoencoder m{zeros(k, d), p[1], zeros(d, k), p[3]};
  for (size_t i = 0; i < k; ++i)
    for (size_t j = 0; j < d; ++j) m.W[i][j] = p[0][i * d + j];
  for (size_t i = 0; i < d; ++i)
    for (size_t j = 0; j < k; ++j) m.W_star[i][j] = p[2][i * k + j];
  return m;
}

}  // namespace hw1_reference
