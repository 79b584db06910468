#pragma once
// Helpers of the HW4 tests: double-precision references written from the formulas of
// hw4.hpp with plain loops, a numeric integral of the KL, and the VAE's forward pass in
// double. None of it calls the functions under test, which run in the student runner
// (hw4_student.hpp).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "autograd/variable.hpp"
#include "exercises/common/testing.hpp"
#include "exercises/hw4/hw4.hpp"
#include "tensor/ops.hpp"
#include "tensor/random.hpp"

namespace hw4_testing {

using namespace ae::exercises::testing;

inline double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

/// log(1 + e^l) without overflow: max(l, 0) + log(1 + e^-|l|).
inline double softplus(double l) { return std::max(l, 0.0) + std::log1p(std::exp(-std::abs(l))); }

/// A matrix of uniform numbers in [low, high).
inline Matrix uniform(size_t rows, size_t cols, double low, double high, ae::Generator& gen) {
  Matrix m = zeros(rows, cols);
  for (auto& row : m)
    for (double& x : row) x = low + (high - low) * gen.uniform();
  return m;
}

inline std::vector<double> flat(const ae::Tensor& t) {
  const std::vector<float> v = t.contiguous().to_vector();
  return {v.begin(), v.end()};
}

/// The largest |t - v| of a tensor against a flattened row-major reference (infinity when
/// the sizes differ or t is undefined; NaN counts as the worst).
inline double max_flat_diff(const ae::Tensor& t, const std::vector<double>& v) {
  if (!t.defined() || static_cast<size_t>(t.numel()) != v.size()) return INFINITY;
  const std::vector<double> a = flat(t);
  double worst = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const double diff = std::abs(a[i] - v[i]);
    if (!(diff <= worst)) worst = diff;
  }
  return worst;
}

inline std::vector<double> flatten(const Matrix& m) {
  std::vector<double> v;
  for (const auto& row : m) v.insert(v.end(), row.begin(), row.end());
  return v;
}

// ---- task 2: the KL of one dimension, KL(N(μ, σ²) ‖ N(0, 1)), σ² = e^logvar

inline double kl_closed_form(double mu, double logvar) { return 0.5 * (mu * mu + std::exp(logvar) - 1 - logvar); }

/// ∫ q(z) log(q(z) / p(z)) dz by Simpson's rule on μ ± 12σ (the tails beyond hold less
/// than 1e-30 of q): q = N(μ, σ²), p = N(0, 1); log(q/p) = -logvar/2 - (z-μ)²/(2σ²) + z²/2.
inline double kl_by_integration(double mu, double logvar) {
  const double sigma = std::exp(0.5 * logvar), low = mu - 12 * sigma, high = mu + 12 * sigma;
  const int intervals = 4000;
  const double h = (high - low) / intervals, pi = std::acos(-1.0);
  auto f = [&](double z) {
    const double u = (z - mu) / sigma;
    const double q = std::exp(-0.5 * u * u) / (sigma * std::sqrt(2 * pi));
    return q * (-0.5 * logvar - 0.5 * u * u + 0.5 * z * z);
  };
  double total = f(low) + f(high);
  for (int i = 1; i < intervals; ++i) total += (i % 2 == 1 ? 4 : 2) * f(low + i * h);
  return total * h / 3;
}

// ---- task 3: -log p(x | l) for one example, Bernoulli pixels with logits l

inline double nll_row(const std::vector<double>& logits, const std::vector<double>& x) {
  double total = 0;
  for (size_t j = 0; j < x.size(); ++j) total += softplus(logits[j]) - x[j] * logits[j];
  return total;
}

// ---- task 4: the VAE of hw4.hpp in double

struct Model {
  Matrix W1;                     // m x d
  std::vector<double> b1;        // m
  Matrix W_mu;                   // k x m
  std::vector<double> b_mu;      // k
  Matrix W_logvar;               // k x m
  std::vector<double> b_logvar;  // k
  Matrix W2;                     // m x k
  std::vector<double> b2;        // m
  Matrix W3;                     // d x m
  std::vector<double> b3;        // d
};

inline ae::hw4::Vae to_vae(const Model& m) {
  auto var = [](const auto& values) { return ae::Variable(to_tensor(values), true); };
  ae::hw4::Vae v;
  v.W1 = var(m.W1);
  v.b1 = var(m.b1);
  v.W_mu = var(m.W_mu);
  v.b_mu = var(m.b_mu);
  v.W_logvar = var(m.W_logvar);
  v.b_logvar = var(m.b_logvar);
  v.W2 = var(m.W2);
  v.b2 = var(m.b2);
  v.W3 = var(m.W3);
  v.b3 = var(m.b3);
  return v;
}

inline Model random_model(size_t d, size_t hidden, size_t k, ae::Generator& gen) {
  Model m;
  m.W1 = uniform(hidden, d, -0.8, 0.8, gen);
  m.b1 = uniform(1, hidden, -0.3, 0.3, gen)[0];
  m.W_mu = uniform(k, hidden, -1, 1, gen);
  m.b_mu = uniform(1, k, -0.5, 0.5, gen)[0];
  m.W_logvar = uniform(k, hidden, -0.5, 0.5, gen);
  m.b_logvar = uniform(1, k, -0.5, 0.5, gen)[0];
  m.W2 = uniform(hidden, k, -1, 1, gen);
  m.b2 = uniform(1, hidden, -0.3, 0.3, gen)[0];
  m.W3 = uniform(d, hidden, -1.5, 1.5, gen);
  m.b3 = uniform(1, d, -0.5, 0.5, gen)[0];
  return m;
}

/// W v + b, then tanh or nothing.
inline std::vector<double> layer(const Matrix& W, const std::vector<double>& b, const std::vector<double>& v,
                                 bool apply_tanh) {
  std::vector<double> out(W.size());
  for (size_t r = 0; r < W.size(); ++r) {
    double a = b[r];
    for (size_t c = 0; c < v.size(); ++c) a += W[r][c] * v[c];
    out[r] = apply_tanh ? std::tanh(a) : a;
  }
  return out;
}

struct Encoded {
  std::vector<double> h, mu, logvar;
};
inline Encoded encode(const Model& m, const std::vector<double>& x) {
  Encoded e;
  e.h = layer(m.W1, m.b1, x, true);
  e.mu = layer(m.W_mu, m.b_mu, e.h, false);
  e.logvar = layer(m.W_logvar, m.b_logvar, e.h, false);
  return e;
}

inline std::vector<double> decode_logits(const Model& m, const std::vector<double>& z) {
  return layer(m.W3, m.b3, layer(m.W2, m.b2, z, true), false);
}

/// The loss of hw4.hpp with z = μ: (1/n) Σ_i [ nll(x_i | d(μ_i)) + β KL_i ]. It is vae_loss
/// up to σ ε, so when logvar is about -30 (σ ~ 3e-7) the two agree to float precision.
inline double loss_at_the_mean_code(const Model& m, const Matrix& X, double beta) {
  double total = 0;
  for (const auto& x : X) {
    const Encoded e = encode(m, x);
    double kl = 0;
    for (size_t j = 0; j < e.mu.size(); ++j) kl += kl_closed_form(e.mu[j], e.logvar[j]);
    total += nll_row(decode_logits(m, e.mu), x) + beta * kl;
  }
  return total / static_cast<double>(X.size());
}

/// The part of dL/db_logvar that comes from β KL: (β/n) Σ_i (e^{logvar_ij} - 1) / 2.
inline std::vector<double> kl_part_of_b_logvar_grad(const Model& m, const Matrix& X, double beta) {
  std::vector<double> g(m.b_logvar.size(), 0.0);
  for (const auto& x : X) {
    const Encoded e = encode(m, x);
    for (size_t j = 0; j < g.size(); ++j) g[j] += beta * (std::exp(e.logvar[j]) - 1) / 2 / static_cast<double>(X.size());
  }
  return g;
}

/// The folder the task 5 tests read: MNIST from $AELAB_DATA, or ./data and ../shared/data
/// next to the repository; Fashion-MNIST when there is no MNIST.
inline std::filesystem::path test_data_dir() { return find_data_dir({"mnist", "fashion-mnist"}, AELAB_SOURCE_DIR); }

}  // namespace hw4_testing
