#pragma once
// Helpers of the HW3 tests: double-precision references written from the formulas of
// hw3.hpp with plain loops, and inputs whose answers are known by hand. None of it calls
// the functions under test, which run in the student runner (hw3_student.hpp).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <vector>

#include <gtest/gtest.h>

#include "autograd/variable.hpp"
#include "exercises/common/testing.hpp"
#include "exercises/hw3/hw3.hpp"
#include "tensor/ops.hpp"
#include "tensor/random.hpp"

namespace hw3_testing {

using namespace ae::exercises::testing;

inline double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

/// A matrix of uniform numbers in [low, high).
inline Matrix uniform(size_t rows, size_t cols, double low, double high, ae::Generator& gen) {
  Matrix m = zeros(rows, cols);
  for (auto& row : m)
    for (double& x : row) x = low + (high - low) * gen.uniform();
  return m;
}

inline std::vector<double> uniform_vector(size_t n, double low, double high, ae::Generator& gen) {
  return uniform(1, n, low, high, gen)[0];
}

/// The largest |t - v| of a tensor against a flattened row-major reference (infinity when
/// the sizes differ or t is undefined; NaN counts as the worst).
inline double max_flat_diff(const ae::Tensor& t, const std::vector<double>& flat) {
  if (!t.defined() || static_cast<size_t>(t.numel()) != flat.size()) return INFINITY;
  const std::vector<float> a = t.contiguous().to_vector();
  double worst = 0;
  for (size_t i = 0; i < flat.size(); ++i) {
    const double diff = std::abs(a[i] - flat[i]);
    if (!(diff <= worst)) worst = diff;
  }
  return worst;
}

inline double max_abs(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m = std::max(m, std::abs(x));
  return m;
}

inline std::vector<double> flat(const Matrix& m) {
  std::vector<double> f;
  for (const auto& row : m) f.insert(f.end(), row.begin(), row.end());
  return f;
}

// ---- task 1: one autoencoder layer in double, trained by SGD as nn::SGD does

struct Layer {
  Matrix W;               // k x d
  std::vector<double> b;  // k
  Matrix W_star;          // d x k
  std::vector<double> c;  // d
};

inline Layer random_layer(size_t d, size_t k, ae::Generator& gen) {
  return {uniform(k, d, -0.9, 0.9, gen), uniform_vector(k, -0.4, 0.4, gen), uniform(d, k, -0.9, 0.9, gen),
          uniform_vector(d, -0.4, 0.4, gen)};
}

inline ae::hw3::Stack to_stack(const std::vector<Layer>& layers) {
  ae::hw3::Stack stack;
  for (const Layer& l : layers)
    stack.push_back({ae::Variable(to_tensor(l.W), true), ae::Variable(to_tensor(l.b), true),
                     ae::Variable(to_tensor(l.W_star), true), ae::Variable(to_tensor(l.c), true)});
  return stack;
}

/// The parameters W, b, W*, c of a layer, each flattened row-major.
inline std::vector<std::vector<double>> flatten(const Layer& l) { return {flat(l.W), l.b, flat(l.W_star), l.c}; }

/// σ(H Wᵀ + b) for the rows of H.
inline Matrix encode(const Layer& l, const Matrix& H) {
  Matrix out = zeros(H.size(), l.W.size());
  for (size_t i = 0; i < H.size(); ++i)
    for (size_t j = 0; j < l.W.size(); ++j) {
      double a = l.b[j];
      for (size_t q = 0; q < H[i].size(); ++q) a += l.W[j][q] * H[i][q];
      out[i][j] = sigmoid(a);
    }
  return out;
}

/// L = (1/n) Σ_i ||σ(W* σ(W h_i + b) + c) - h_i||² and its gradients by back-propagation
/// written out: dY = 2 (Y - H) / n, dA2 = dY ⊙ Y ⊙ (1 - Y), dW* = dA2ᵀ C, dc = Σ dA2,
/// dA1 = (dA2 W*) ⊙ C ⊙ (1 - C), dW = dA1ᵀ H, db = Σ dA1 (C the codes). Gradients in the
/// order W, b, W*, c, flattened row-major.
struct LossAndGradients {
  double loss = 0;
  std::vector<std::vector<double>> grads;
};
inline LossAndGradients autoencoder_loss(const Layer& m, const Matrix& H) {
  const size_t n = H.size(), d = H[0].size(), k = m.W.size();
  const Matrix C = encode(m, H);
  Matrix dA2 = zeros(n, d), dA1 = zeros(n, k);
  LossAndGradients r;
  for (size_t i = 0; i < n; ++i) {
    for (size_t q = 0; q < d; ++q) {
      double a = m.c[q];
      for (size_t j = 0; j < k; ++j) a += m.W_star[q][j] * C[i][j];
      const double y = sigmoid(a), e = y - H[i][q];
      r.loss += e * e / static_cast<double>(n);
      dA2[i][q] = 2 * e / static_cast<double>(n) * y * (1 - y);
    }
    for (size_t j = 0; j < k; ++j) {
      double s = 0;
      for (size_t q = 0; q < d; ++q) s += dA2[i][q] * m.W_star[q][j];
      dA1[i][j] = s * C[i][j] * (1 - C[i][j]);
    }
  }
  r.grads = {flat(multiply(transpose(dA1), H)), std::vector<double>(k, 0.0), flat(multiply(transpose(dA2), C)),
             std::vector<double>(d, 0.0)};
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < k; ++j) r.grads[1][j] += dA1[i][j];
    for (size_t q = 0; q < d; ++q) r.grads[3][q] += dA2[i][q];
  }
  return r;
}

/// `steps` full-batch steps of nn::SGD (lr, momentum μ: buffer = g on the first step, then
/// μ buffer + g; θ ← θ - lr buffer) on the layer's loss on H. Returns the loss before each step.
inline std::vector<double> train_full_batch(Layer& m, const Matrix& H, int steps, double lr, double momentum) {
  std::vector<std::vector<double>> buffer;
  std::vector<double> losses;
  for (int s = 0; s < steps; ++s) {
    const LossAndGradients g = autoencoder_loss(m, H);
    losses.push_back(g.loss);
    if (s == 0) buffer = g.grads;
    else
      for (size_t p = 0; p < 4; ++p)
        for (size_t i = 0; i < buffer[p].size(); ++i) buffer[p][i] = momentum * buffer[p][i] + g.grads[p][i];
    const size_t k = m.W.size(), d = m.c.size();
    for (size_t j = 0; j < k; ++j)
      for (size_t q = 0; q < d; ++q) m.W[j][q] -= lr * buffer[0][j * d + q];
    for (size_t j = 0; j < k; ++j) m.b[j] -= lr * buffer[1][j];
    for (size_t q = 0; q < d; ++q)
      for (size_t j = 0; j < k; ++j) m.W_star[q][j] -= lr * buffer[2][q * k + j];
    for (size_t q = 0; q < d; ++q) m.c[q] -= lr * buffer[3][q];
  }
  return losses;
}

/// The largest difference between a returned layer and the reference's parameters.
inline double layer_diff(const ae::hw3::AutoencoderLayer& got, const Layer& expected) {
  const std::vector<ae::Variable> params = got.parameters();
  const std::vector<std::vector<double>> want = flatten(expected);
  double worst = 0;
  for (size_t p = 0; p < 4; ++p) {
    const double diff = params[p].defined() ? max_flat_diff(params[p].value(), want[p]) : INFINITY;
    if (!(diff <= worst)) worst = diff;
  }
  return worst;
}

/// True when every parameter of the two layers holds the same floats.
inline bool bit_identical(const ae::hw3::AutoencoderLayer& a, const ae::hw3::AutoencoderLayer& b) {
  const std::vector<ae::Variable> pa = a.parameters(), pb = b.parameters();
  for (size_t p = 0; p < 4; ++p) {
    if (!pa[p].defined() || !pb[p].defined() || pa[p].shape() != pb[p].shape()) return false;
    if (pa[p].value().contiguous().to_vector() != pb[p].value().contiguous().to_vector()) return false;
  }
  return true;
}

// ---- task 2: the softmax classifier in double

/// Row-wise softmax by the definition, with the row's maximum subtracted (in double,
/// exp(z - max) is exact enough for any float logits).
inline Matrix softmax(const Matrix& Z) {
  Matrix P = Z;
  for (auto& row : P) {
    const double top = *std::max_element(row.begin(), row.end());
    double total = 0;
    for (double& z : row) total += (z = std::exp(z - top));
    for (double& z : row) z /= total;
  }
  return P;
}

/// Z = X Wᵀ + b.
inline Matrix logits(const Matrix& W, const std::vector<double>& b, const Matrix& X) {
  Matrix Z = multiply(X, transpose(W));
  for (auto& row : Z)
    for (size_t k = 0; k < row.size(); ++k) row[k] += b[k];
  return Z;
}

/// J = -(1/m) Σ_i log P_{i, y_i} + (λ/2) ||W||²_F, log P by log-sum-exp.
inline double softmax_cost(const Matrix& W, const std::vector<double>& b, const Matrix& X,
                           const std::vector<int>& labels, double lambda) {
  const Matrix Z = logits(W, b, X);
  double cost = 0;
  for (size_t i = 0; i < Z.size(); ++i) {
    const double top = *std::max_element(Z[i].begin(), Z[i].end());
    double total = 0;
    for (double z : Z[i]) total += std::exp(z - top);
    cost -= Z[i][static_cast<size_t>(labels[i])] - top - std::log(total);
  }
  double decay = 0;
  for (const auto& row : W)
    for (double w : row) decay += w * w;
  return cost / static_cast<double>(Z.size()) + 0.5 * lambda * decay;
}

// ---- tasks 3 and 4: 4-D images in double, by the definitions

/// A row-major (N, C, H, W) array.
struct Image {
  int64_t N = 0, C = 0, H = 0, W = 0;
  std::vector<double> v;
  double& at(int64_t n, int64_t c, int64_t h, int64_t w) { return v[static_cast<size_t>(((n * C + c) * H + h) * W + w)]; }
  double at(int64_t n, int64_t c, int64_t h, int64_t w) const {
    return v[static_cast<size_t>(((n * C + c) * H + h) * W + w)];
  }
  ae::Shape shape() const { return {N, C, H, W}; }
  ae::Tensor tensor() const {
    std::vector<float> f(v.begin(), v.end());
    return ae::tensor::from_vector(f, shape());
  }
};

inline Image image(int64_t N, int64_t C, int64_t H, int64_t W) {
  return {N, C, H, W, std::vector<double>(static_cast<size_t>(N * C * H * W), 0.0)};
}

/// An image of uniform numbers in [-1, 1) rounded to floats (so the tensor sent holds the
/// same numbers as the reference).
inline Image random_image(int64_t N, int64_t C, int64_t H, int64_t W, ae::Generator& gen) {
  Image x = image(N, C, H, W);
  for (double& e : x.v) e = static_cast<float>(2 * gen.uniform() - 1);
  return x;
}

inline int64_t positions(int64_t size, int64_t k, int64_t stride, int64_t padding) {
  return (size + 2 * padding - k) / stride + 1;
}

/// x outside the image reads 0.
inline double padded(const Image& x, int64_t n, int64_t c, int64_t h, int64_t w) {
  return h < 0 || h >= x.H || w < 0 || w >= x.W ? 0.0 : x.at(n, c, h, w);
}

/// y[n, o, oh, ow] = b[o] + Σ_{c,i,j} w[o, c, i, j] x[n, c, oh·s - p + i, ow·s - p + j]:
/// the cross-correlation of hw3.hpp, one output at a time. b empty: no bias.
inline Image conv_direct(const Image& x, const Image& w, const std::vector<double>& b, int64_t s, int64_t p) {
  const int64_t Ho = positions(x.H, w.H, s, p), Wo = positions(x.W, w.W, s, p);
  Image y = image(x.N, w.N, Ho, Wo);
  for (int64_t n = 0; n < x.N; ++n)
    for (int64_t o = 0; o < w.N; ++o)
      for (int64_t oh = 0; oh < Ho; ++oh)
        for (int64_t ow = 0; ow < Wo; ++ow) {
          double total = b.empty() ? 0.0 : b[static_cast<size_t>(o)];
          for (int64_t c = 0; c < x.C; ++c)
            for (int64_t i = 0; i < w.H; ++i)
              for (int64_t j = 0; j < w.W; ++j) total += w.at(o, c, i, j) * padded(x, n, c, oh * s - p + i, ow * s - p + j);
          y.at(n, o, oh, ow) = total;
        }
  return y;
}

/// cols[(c·kh + i)·kw + j, (n·Ho + oh)·Wo + ow] = x[n, c, oh·s - p + i, ow·s - p + j].
inline Matrix im2col_direct(const Image& x, int64_t kh, int64_t kw, int64_t s, int64_t p) {
  const int64_t Ho = positions(x.H, kh, s, p), Wo = positions(x.W, kw, s, p);
  Matrix cols = zeros(static_cast<size_t>(x.C * kh * kw), static_cast<size_t>(x.N * Ho * Wo));
  for (int64_t c = 0; c < x.C; ++c)
    for (int64_t i = 0; i < kh; ++i)
      for (int64_t j = 0; j < kw; ++j)
        for (int64_t n = 0; n < x.N; ++n)
          for (int64_t oh = 0; oh < Ho; ++oh)
            for (int64_t ow = 0; ow < Wo; ++ow)
              cols[static_cast<size_t>((c * kh + i) * kw + j)][static_cast<size_t>((n * Ho + oh) * Wo + ow)] =
                  padded(x, n, c, oh * s - p + i, ow * s - p + j);
  return cols;
}

/// The exact gradients of L = Σ dy ⊙ conv(x, w, b) by the definition:
///   dx[n,c,h,v] = Σ dy[n,o,oh,ow] w[o,c,i,j] over the (oh, ow, i, j) with oh·s - p + i = h, ow·s - p + j = v,
///   dw[o,c,i,j] = Σ_{n,oh,ow} dy[n,o,oh,ow] x[n,c,oh·s - p + i, ow·s - p + j],   db[o] = Σ dy[n,o,·,·].
struct ConvGradients {
  Image dx, dw;
  std::vector<double> db;
};
inline ConvGradients conv_gradients(const Image& x, const Image& w, const Image& dy, int64_t s, int64_t p) {
  ConvGradients g{image(x.N, x.C, x.H, x.W), image(w.N, w.C, w.H, w.W), std::vector<double>(size_t(w.N), 0.0)};
  for (int64_t n = 0; n < x.N; ++n)
    for (int64_t o = 0; o < w.N; ++o)
      for (int64_t oh = 0; oh < dy.H; ++oh)
        for (int64_t ow = 0; ow < dy.W; ++ow) {
          const double d = dy.at(n, o, oh, ow);
          g.db[static_cast<size_t>(o)] += d;
          for (int64_t c = 0; c < x.C; ++c)
            for (int64_t i = 0; i < w.H; ++i)
              for (int64_t j = 0; j < w.W; ++j) {
                const int64_t h = oh * s - p + i, v = ow * s - p + j;
                if (h < 0 || h >= x.H || v < 0 || v >= x.W) continue;
                g.dx.at(n, c, h, v) += d * w.at(o, c, i, j);
                g.dw.at(o, c, i, j) += d * x.at(n, c, h, v);
              }
        }
  return g;
}

/// Σ dy ⊙ conv(x, w, b): a loss whose gradient with respect to conv's output is dy.
inline double conv_loss(const Image& x, const Image& w, const std::vector<double>& b, const Image& dy, int64_t s,
                        int64_t p) {
  const Image y = conv_direct(x, w, b, s, p);
  double total = 0;
  for (size_t i = 0; i < y.v.size(); ++i) total += y.v[i] * dy.v[i];
  return total;
}

/// The folder the task 5 tests read: MNIST from $AELAB_DATA, or ./data and ../shared/data
/// next to the repository; Fashion-MNIST when there is no MNIST.
inline std::filesystem::path test_data_dir() { return find_data_dir({"mnist", "fashion-mnist"}, AELAB_SOURCE_DIR); }

}  // namespace hw3_testing
