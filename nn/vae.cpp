#include "nn/vae.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <utility>

#include <fmt/format.h>

#include "autograd/ops.hpp"
#include "linalg/error.hpp"
#include "nn/layers.hpp"
#include "tensor/ops.hpp"

namespace ae::nn {
namespace {

const double kLog2Pi = std::log(2.0 * std::numbers::pi);

// softplus(l) - x l = -log p(x_j | l_j) for a Bernoulli pixel with logit l (x may lie in
// [0, 1]), as max(l, 0) + log1p(e^-|l|) - x l so no exp overflows.
double bernoulli_nll(double l, double x) {
  return std::max(l, 0.0) + std::log1p(std::exp(-std::abs(l))) - x * l;
}

// Sets the module to evaluation mode and recording off for a measurement, and restores
// the mode on exit.
class EvalScope {
 public:
  explicit EvalScope(Module& m) : module_(m), was_training_(m.is_training()) { m.eval(); }
  ~EvalScope() { module_.train(was_training_); }
  EvalScope(const EvalScope&) = delete;
  EvalScope& operator=(const EvalScope&) = delete;

 private:
  Module& module_;
  bool was_training_;
  NoGradGuard no_grad_;
};

void require_rows(const char* op, const Tensor& t, const char* what, int64_t rows, int64_t cols) {
  if (t.dim() != 2 || t.shape()[0] != rows || t.shape()[1] != cols)
    throw Error(fmt::format("{}: {} must have shape [{}, {}], got {}", op, what, rows, cols,
                            ae::to_string(t.shape())));
}

}  // namespace

// ---- VAE ----

VAE::VAE(const VaeOptions& options, Generator& gen, std::string name)
    : options_(options), name_(std::move(name)) {
  bool sizes_ok = options.input >= 1 && options.latent >= 1;
  for (int64_t h : options.hidden) sizes_ok = sizes_ok && h >= 1;
  if (!sizes_ok) {
    std::vector<int64_t> sizes{options.input};
    sizes.insert(sizes.end(), options.hidden.begin(), options.hidden.end());
    sizes.push_back(options.latent);
    throw Error(fmt::format("VAE '{}': every size must be >= 1, got {}", name_,
                            layer_sizes_string(sizes)));
  }
  // Registration order = parameter order: encoder, mu head, logvar head, decoder (PyTorch's
  // example: fc1, fc21, fc22, fc3, fc4).
  encoder_ = register_module("encoder", std::make_shared<Sequential>());
  int64_t width = options.input;
  for (int64_t h : options.hidden) {
    encoder_->add(std::make_shared<Linear>(width, h, gen, options.init));
    if (auto act = make_activation(options.activation)) encoder_->add(act);
    width = h;
  }
  mu_head_ = register_module("mu", std::make_shared<Linear>(width, options.latent, gen, options.init));
  logvar_head_ =
      register_module("logvar", std::make_shared<Linear>(width, options.latent, gen, options.init));
  decoder_ = register_module("decoder", std::make_shared<Sequential>());
  width = options.latent;
  for (auto it = options.hidden.rbegin(); it != options.hidden.rend(); ++it) {
    decoder_->add(std::make_shared<Linear>(width, *it, gen, options.init));
    if (auto act = make_activation(options.activation)) decoder_->add(act);
    width = *it;
  }
  decoder_->add(std::make_shared<Linear>(width, options.input, gen, options.init));
}

void VAE::check_input(const Variable& x) const {
  if (x.dim() != 2 || x.shape()[1] != options_.input)
    throw Error(fmt::format("{}: expects input of shape [batch, {}], got {}", describe(),
                            options_.input, ae::to_string(x.shape())));
}

void VAE::check_code(const Variable& z) const {
  if (z.dim() != 2 || z.shape()[1] != options_.latent)
    throw Error(fmt::format("{}: expects codes of shape [batch, {}], got {}", describe(),
                            options_.latent, ae::to_string(z.shape())));
}

GaussianPosterior VAE::posterior(const Variable& x) {
  check_input(x);
  const Variable h = encoder_->size() > 0 ? (*encoder_)(x) : x;
  return {(*mu_head_)(h), (*logvar_head_)(h)};
}

Variable VAE::decoder_logits(const Variable& z) {
  check_code(z);
  return (*decoder_)(z);
}

VaeOutput VAE::forward(const Variable& x, Generator& gen) {
  auto [mu, logvar] = posterior(x);
  Variable z = reparameterize(mu, logvar, gen);
  Variable logits = decoder_logits(z);
  return {std::move(mu), std::move(logvar), std::move(z), std::move(logits)};
}

Variable VAE::forward(const Variable& x) { return decoder_logits(posterior(x).mu); }

std::string VAE::describe() const {
  std::vector<int64_t> sizes{options_.input};
  sizes.insert(sizes.end(), options_.hidden.begin(), options_.hidden.end());
  sizes.push_back(options_.latent);
  return fmt::format("VAE({}, {}, Bernoulli logits)", layer_sizes_string(sizes),
                     to_string(options_.activation));
}

Tensor VAE::encode(const Tensor& x) {
  EvalScope scope(*this);
  return posterior(Variable(x)).mu.value();
}

Tensor VAE::decode(const Tensor& z) {
  EvalScope scope(*this);
  return tensor::sigmoid(decoder_logits(Variable(z)).value());
}

Tensor VAE::sample(int64_t n, Generator& gen) {
  if (n < 1) throw Error(fmt::format("{}: sample needs n >= 1, got {}", describe(), n));
  return decode(tensor::randn({n, options_.latent}, gen));
}

// ---- the loss ----

// z = mu + sigma * eps, sigma = exp(logvar / 2):  dz/dmu = 1,  dz/dlogvar = sigma * eps / 2.
Variable reparameterize(const Variable& mu, const Variable& logvar, Generator& gen) {
  if (mu.shape() != logvar.shape() || mu.dim() != 2)
    throw Error(fmt::format("reparameterize: mu and logvar must both be (batch, latent), got {} and {}",
                            ae::to_string(mu.shape()), ae::to_string(logvar.shape())));
  const Variable eps(tensor::randn(mu.shape(), gen));
  return mu + ae::exp(0.5f * logvar) * eps;
}

LossTerms vae_loss(const VaeOutput& out, const Variable& x, float beta) {
  if (!std::isfinite(beta) || beta < 0.0f)
    throw Error(fmt::format("vae_loss: beta must be finite and >= 0, got {}", beta));
  if (x.shape() != out.logits.shape())
    throw Error(fmt::format("vae_loss: x {} and logits {} differ in shape", ae::to_string(x.shape()),
                            ae::to_string(out.logits.shape())));
  const float per_row = 1.0f / static_cast<float>(x.shape()[0]);
  Variable reconstruction = bce_with_logits(out.logits, x, Reduction::Sum) * per_row;
  Variable kl = gaussian_kl(out.mu, out.logvar, Reduction::Mean);
  if (beta != 1.0f) kl = beta * kl;
  return LossTerms{{"reconstruction", std::move(reconstruction)}, {"kl", std::move(kl)}};
}

LossTerms vae_loss(VAE& vae, const Tensor& x, Generator& gen, float beta) {
  const Variable input(x);
  return vae_loss(vae.forward(input, gen), input, beta);
}

// ---- log densities, per row ----

Tensor bernoulli_log_likelihood(const Tensor& logits, const Tensor& x) {
  if (logits.dim() != 2 || x.shape() != logits.shape())
    throw Error(fmt::format("bernoulli_log_likelihood: logits and x must both be (n, d), got {} and {}",
                            ae::to_string(logits.shape()), ae::to_string(x.shape())));
  const int64_t n = logits.shape()[0], d = logits.shape()[1];
  const Tensor l = logits.contiguous(), t = x.contiguous();
  Tensor out = tensor::empty({n});
  for (int64_t r = 0; r < n; ++r) {
    double s = 0;
    for (int64_t j = 0; j < d; ++j) s += bernoulli_nll(l.data()[r * d + j], t.data()[r * d + j]);
    out.data()[r] = static_cast<float>(-s);
  }
  return out;
}

Tensor gaussian_log_density(const Tensor& z, const Tensor& mu, const Tensor& logvar) {
  if (z.dim() != 2 || mu.shape() != z.shape() || logvar.shape() != z.shape())
    throw Error(fmt::format("gaussian_log_density: z, mu, logvar must all be (n, latent), got {}, {}, {}",
                            ae::to_string(z.shape()), ae::to_string(mu.shape()),
                            ae::to_string(logvar.shape())));
  const int64_t n = z.shape()[0], k = z.shape()[1];
  const Tensor zc = z.contiguous(), mc = mu.contiguous(), lc = logvar.contiguous();
  Tensor out = tensor::empty({n});
  for (int64_t r = 0; r < n; ++r) {
    double s = 0;
    for (int64_t j = 0; j < k; ++j) {
      const double diff = double(zc.data()[r * k + j]) - mc.data()[r * k + j];
      const double lv = lc.data()[r * k + j];
      s += diff * diff * std::exp(-lv) + lv + kLog2Pi;
    }
    out.data()[r] = static_cast<float>(-0.5 * s);
  }
  return out;
}

Tensor standard_normal_log_density(const Tensor& z) {
  if (z.dim() != 2)
    throw Error(fmt::format("standard_normal_log_density: z must be (n, latent), got {}",
                            ae::to_string(z.shape())));
  const int64_t n = z.shape()[0], k = z.shape()[1];
  const Tensor zc = z.contiguous();
  Tensor out = tensor::empty({n});
  for (int64_t r = 0; r < n; ++r) {
    double s = 0;
    for (int64_t j = 0; j < k; ++j) s += double(zc.data()[r * k + j]) * zc.data()[r * k + j] + kLog2Pi;
    out.data()[r] = static_cast<float>(-0.5 * s);
  }
  return out;
}

// ---- evaluation ----

Tensor negative_elbo(VAE& vae, const Tensor& x, Generator& gen) {
  EvalScope scope(vae);
  const VaeOutput out = vae.forward(Variable(x), gen);
  const Tensor rec = bernoulli_log_likelihood(out.logits.value(), x);
  const int64_t n = x.shape()[0], k = vae.latent_size();
  const Tensor mu = out.mu.value().contiguous(), lv = out.logvar.value().contiguous();
  Tensor result = tensor::empty({n});
  for (int64_t r = 0; r < n; ++r) {
    // KL(N(mu, s^2) || N(0, 1)) = -1/2 (1 + log s^2 - mu^2 - s^2), summed over the latent axis.
    double kl = 0;
    for (int64_t j = 0; j < k; ++j) {
      const double m = mu.data()[r * k + j], l = lv.data()[r * k + j];
      kl += -0.5 * (1.0 + l - m * m - std::exp(l));
    }
    result.data()[r] = static_cast<float>(-double(rec.data()[r]) + kl);
  }
  return result;
}

Tensor iwae_negative_log_likelihood(VAE& vae, const Tensor& x, int64_t k, Generator& gen,
                                    int64_t rows_per_pass) {
  if (k < 1) throw Error(fmt::format("iwae_negative_log_likelihood: k must be >= 1, got {}", k));
  if (rows_per_pass < 1)
    throw Error(fmt::format("iwae_negative_log_likelihood: rows_per_pass must be >= 1, got {}",
                            rows_per_pass));
  EvalScope scope(vae);
  const Variable input(x);
  const GaussianPosterior q = vae.posterior(input);  // checks x's shape
  const int64_t n = x.shape()[0], d = vae.input_size(), latent = vae.latent_size();
  const Tensor xc = x.contiguous();
  const Tensor mu = q.mu.value().contiguous(), lv = q.logvar.value().contiguous();
  require_rows("iwae_negative_log_likelihood", mu, "mu", n, latent);

  // Running log-sum-exp per example: lse = top + log(sum), sum of exp(log w_i - top).
  std::vector<double> top(n, -std::numeric_limits<double>::infinity()), sum(n, 0.0);
  const int64_t samples_per_pass = std::max<int64_t>(1, std::min(k, rows_per_pass / std::max<int64_t>(n, 1)));
  for (int64_t done = 0; done < k; done += samples_per_pass) {
    const int64_t m = std::min(samples_per_pass, k - done);
    // eps of sample i is the i-th (n, latent) block: the same draws for any pass size.
    const Tensor eps = tensor::randn({m * n, latent}, gen);
    Tensor z = tensor::empty({m * n, latent});
    std::vector<double> log_w(static_cast<size_t>(m * n));
    for (int64_t row = 0; row < m * n; ++row) {
      const int64_t r = row % n;
      // log p(z) - log q(z|x) with z = mu + s eps:  -1/2 sum [z^2 - eps^2 - logvar].
      double prior_minus_q = 0;
      for (int64_t j = 0; j < latent; ++j) {
        const double e = eps.data()[row * latent + j], l = lv.data()[r * latent + j];
        const float zj = static_cast<float>(mu.data()[r * latent + j] + std::exp(0.5 * l) * e);
        z.data()[row * latent + j] = zj;
        prior_minus_q += -0.5 * (double(zj) * zj - e * e - l);
      }
      log_w[static_cast<size_t>(row)] = prior_minus_q;
    }
    const Tensor logits = vae.decoder_logits(Variable(z)).value().contiguous();
    for (int64_t row = 0; row < m * n; ++row) {
      const int64_t r = row % n;
      double nll = 0;
      for (int64_t j = 0; j < d; ++j) nll += bernoulli_nll(logits.data()[row * d + j], xc.data()[r * d + j]);
      const double w = log_w[static_cast<size_t>(row)] - nll;
      if (w > top[r]) {
        sum[r] = sum[r] * std::exp(top[r] - w) + 1.0;
        top[r] = w;
      } else {
        sum[r] += std::exp(w - top[r]);
      }
    }
  }
  Tensor out = tensor::empty({n});
  const double log_k = std::log(static_cast<double>(k));
  for (int64_t r = 0; r < n; ++r) out.data()[r] = static_cast<float>(-(top[r] + std::log(sum[r]) - log_k));
  return out;
}

double pixel_mean_nll(const Tensor& train, const Tensor& test) {
  if (train.dim() != 2 || test.dim() != 2 || train.shape()[1] != test.shape()[1] || train.shape()[0] < 1 ||
      test.shape()[0] < 1)
    throw Error(fmt::format("pixel_mean_nll: train (m, d) and test (n, d) must share d, got {} and {}",
                            ae::to_string(train.shape()), ae::to_string(test.shape())));
  const int64_t m = train.shape()[0], n = test.shape()[0], d = train.shape()[1];
  const Tensor tr = train.contiguous(), te = test.contiguous();
  std::vector<double> log_p(d), log_q(d);
  for (int64_t j = 0; j < d; ++j) {
    double s = 0;
    for (int64_t i = 0; i < m; ++i) s += tr.data()[i * d + j];
    const double p = (s + 1.0) / (double(m) + 2.0);
    log_p[j] = std::log(p), log_q[j] = std::log1p(-p);
  }
  double total = 0;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < d; ++j) {
      const double x = te.data()[i * d + j];
      total -= x * log_p[j] + (1.0 - x) * log_q[j];
    }
  return total / double(n);
}

int64_t active_units(const Tensor& mu, double threshold) {
  if (mu.dim() != 2 || mu.shape()[0] < 2)
    throw Error(fmt::format("active_units: mu must be (n, latent) with n >= 2, got {}", ae::to_string(mu.shape())));
  const int64_t n = mu.shape()[0], k = mu.shape()[1];
  const Tensor c = mu.contiguous();
  int64_t active = 0;
  for (int64_t j = 0; j < k; ++j) {
    double s = 0, s2 = 0;
    for (int64_t i = 0; i < n; ++i) s += c.data()[i * k + j];
    const double mean = s / double(n);
    for (int64_t i = 0; i < n; ++i) s2 += (c.data()[i * k + j] - mean) * (c.data()[i * k + j] - mean);
    active += s2 / double(n) > threshold;  // the population variance, as in Burda et al.
  }
  return active;
}

// ---- codes to decode ----

double normal_quantile(double p) {
  if (!(p > 0.0 && p < 1.0)) throw Error(fmt::format("normal_quantile: p must lie in (0, 1), got {}", p));
  // Phi is increasing and Phi(-40) < 1e-300: halve [-40, 40] until the ends meet in double.
  double lo = -40.0, hi = 40.0;
  for (int i = 0; i < 200 && hi - lo > 0.0; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (mid == lo || mid == hi) break;
    if (0.5 * std::erfc(-mid / std::numbers::sqrt2) < p)
      lo = mid;
    else
      hi = mid;
  }
  return 0.5 * (lo + hi);
}

Tensor normal_quantile_grid(int64_t side) {
  if (side < 1) throw Error(fmt::format("normal_quantile_grid: side must be >= 1, got {}", side));
  Tensor z = tensor::empty({side * side, 2});
  for (int64_t r = 0; r < side; ++r)
    for (int64_t c = 0; c < side; ++c) {
      z.data()[(r * side + c) * 2] = static_cast<float>(normal_quantile((double(c) + 0.5) / double(side)));
      z.data()[(r * side + c) * 2 + 1] = static_cast<float>(normal_quantile(1.0 - (double(r) + 0.5) / double(side)));
    }
  return z;
}

Tensor fitted_gaussian_samples(const Tensor& codes, int64_t n, Generator& gen) {
  if (codes.dim() != 2 || codes.shape()[0] < 2)
    throw Error(fmt::format("fitted_gaussian_samples: codes must be (m, k) with m >= 2, got {}",
                            ae::to_string(codes.shape())));
  if (n < 1) throw Error(fmt::format("fitted_gaussian_samples: n must be >= 1, got {}", n));
  const int64_t m = codes.shape()[0], k = codes.shape()[1];
  const Tensor c = codes.contiguous();
  std::vector<double> mean(k, 0.0), cov(k * k, 0.0);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t a = 0; a < k; ++a) mean[a] += c.data()[i * k + a];
  for (double& v : mean) v /= double(m);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t a = 0; a < k; ++a)
      for (int64_t b = 0; b <= a; ++b)
        cov[a * k + b] += (c.data()[i * k + a] - mean[a]) * (c.data()[i * k + b] - mean[b]);
  double trace = 0;
  for (int64_t a = 0; a < k; ++a) trace += cov[a * k + a] / double(m - 1);
  const double ridge = 1e-9 * trace / double(k) + std::numeric_limits<double>::min();
  for (int64_t a = 0; a < k; ++a)
    for (int64_t b = 0; b <= a; ++b) cov[a * k + b] = cov[a * k + b] / double(m - 1) + (a == b ? ridge : 0.0);
  // Cholesky, lower triangle in place: L_ab = (C_ab - sum_{j<b} L_aj L_bj) / L_bb, L_aa = sqrt(...).
  for (int64_t a = 0; a < k; ++a)
    for (int64_t b = 0; b <= a; ++b) {
      double s = cov[a * k + b];
      for (int64_t j = 0; j < b; ++j) s -= cov[a * k + j] * cov[b * k + j];
      cov[a * k + b] = a == b ? std::sqrt(std::max(s, ridge)) : s / cov[b * k + b];
    }
  const Tensor eps = tensor::randn({n, k}, gen);
  Tensor z = tensor::empty({n, k});
  for (int64_t i = 0; i < n; ++i)
    for (int64_t a = 0; a < k; ++a) {
      double v = mean[a];
      for (int64_t b = 0; b <= a; ++b) v += cov[a * k + b] * eps.data()[i * k + b];
      z.data()[i * k + a] = static_cast<float>(v);
    }
  return z;
}

}  // namespace ae::nn
