// VAE: the architecture's sizes, the loss terms against hand values, the KL against a
// Monte-Carlo estimate, gradchecks through the reparameterisation, and the importance-weighted
// bound against log p(x) computed by quadrature for a one-dimensional latent space.
#include "nn/vae.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "autograd/gradcheck.hpp"
#include "autograd/ops.hpp"
#include "linalg/error.hpp"
#include "tensor/ops.hpp"

using ae::Error;
using ae::Generator;
using ae::Tensor;
using ae::Variable;
using namespace ae::nn;
namespace T = ae::tensor;

namespace {

Tensor vec(std::vector<float> v, ae::Shape shape) { return T::from_vector(std::move(v), shape); }

double mean_of(const Tensor& t) {
  double s = 0;
  for (float v : t.to_vector()) s += v;
  return s / static_cast<double>(t.numel());
}

// A small VAE whose posterior is far from the prior, so the bounds differ measurably.
VAE tiny_vae(int64_t latent, uint64_t seed) {
  Generator gen(seed);
  return VAE({.input = 6, .hidden = {5}, .latent = latent, .activation = Activation::Tanh,
              .init = Init::XavierNormal},
             gen);
}

Tensor binary_rows(int64_t n, int64_t d, uint64_t seed) { Generator gen(seed); return T::bernoulli({n, d}, 0.5f, gen); }

}  // namespace

TEST(Vae, SizesAndParameterCountOfThePyTorchExample) {
  Generator gen(1);
  VAE vae(VaeOptions{}, gen);
  // fc1 784*400+400, fc21 and fc22 400*20+20 each, fc3 20*400+400, fc4 400*784+784.
  EXPECT_EQ(vae.num_parameters(), 784 * 400 + 400 + 2 * (400 * 20 + 20) + 20 * 400 + 400 + 400 * 784 + 784);
  EXPECT_EQ(vae.describe(), "VAE(784-400-20-400-784, ReLU, Bernoulli logits)");
  const Tensor x = T::rand({3, 784}, gen);
  EXPECT_EQ(vae.encode(x).shape(), (ae::Shape{3, 20}));
  const Tensor p = vae.decode(T::randn({4, 20}, gen));
  EXPECT_EQ(p.shape(), (ae::Shape{4, 784}));
  for (float v : p.to_vector()) ASSERT_TRUE(v >= 0.0f && v <= 1.0f);
  EXPECT_EQ(vae.sample(2, gen).shape(), (ae::Shape{2, 784}));
}

TEST(Vae, BadShapesAndOptionsNameThemselves) {
  Generator gen(2);
  VAE vae({.input = 6, .hidden = {5}, .latent = 2}, gen);
  try {
    vae.posterior(Variable(T::zeros({3, 7})));
    FAIL() << "expected ae::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("[3, 7]"), std::string::npos) << e.what();
  }
  EXPECT_THROW(vae.decoder_logits(Variable(T::zeros({3, 3}))), Error);
  EXPECT_THROW(VAE({.input = 6, .hidden = {0}, .latent = 2}, gen), Error);
  EXPECT_THROW(iwae_negative_log_likelihood(vae, T::zeros({2, 6}), 0, gen), Error);
  EXPECT_THROW(vae_loss(vae, T::zeros({2, 6}), gen, -1.0f), Error);
}

TEST(Vae, LossTermsAgainstHandValues) {
  // KL: mu = (0.5, -1), logvar = (-1, 0.5):
  //   -1/2 [(1 - 1 - 0.25 - e^-1) + (1 + 0.5 - 1 - e^0.5)] = 0.88330036 (NumPy).
  // Reconstruction: logits ((0, 2), (-3, 1.5)), x ((1, 0), (0.25, 1)):
  //   (1/2) sum softplus(l) - x l = 1.91003791 (NumPy).
  VaeOutput out;
  out.mu = Variable(vec({0.5f, -1.0f, 0.5f, -1.0f}, {2, 2}));
  out.logvar = Variable(vec({-1.0f, 0.5f, -1.0f, 0.5f}, {2, 2}));
  out.logits = Variable(vec({0.0f, 2.0f, -3.0f, 1.5f}, {2, 2}));
  const Variable x(vec({1.0f, 0.0f, 0.25f, 1.0f}, {2, 2}));
  const LossTerms terms = vae_loss(out, x);
  ASSERT_EQ(terms.size(), 2u);
  EXPECT_EQ(terms.terms()[0].name, "reconstruction");
  EXPECT_EQ(terms.terms()[1].name, "kl");
  EXPECT_NEAR(terms["kl"].item(), 0.88330036, 1e-6);
  EXPECT_NEAR(terms["reconstruction"].item(), 1.91003791, 1e-6);
  EXPECT_NEAR(vae_loss(out, x, 4.0f)["kl"].item(), 4 * 0.88330036, 4e-6);
  EXPECT_NEAR(terms.total().item(), 0.88330036 + 1.91003791, 2e-6);

  // The per-row pieces: log p(x|z) of row 0 = -(log 2 + softplus(2)).
  const Tensor ll = bernoulli_log_likelihood(out.logits.value(), x.value());
  EXPECT_NEAR(ll.at({0}), -(std::log(2.0) + std::log1p(std::exp(2.0))), 1e-6);
  // log N(z; 0, I) at z = (1, 0): -1/2 (1 + 2 log 2 pi).
  const double log2pi = std::log(2 * std::numbers::pi);
  EXPECT_NEAR(standard_normal_log_density(vec({1, 0}, {1, 2})).item(), -0.5 * (1 + 2 * log2pi), 1e-6);
  // log N(z; mu, e^lv) at z = (1, 1), mu = (0, 2), logvar = (log 4, 0):
  //   -1/2 [1/4 + log 4 + log 2 pi + 1 + 0 + log 2 pi].
  EXPECT_NEAR(gaussian_log_density(vec({1, 1}, {1, 2}), vec({0, 2}, {1, 2}),
                                   vec({static_cast<float>(std::log(4.0)), 0}, {1, 2}))
                  .item(),
              -0.5 * (0.25 + std::log(4.0) + 1 + 2 * log2pi), 1e-6);
}

TEST(Vae, ClosedFormKlMatchesMonteCarlo) {
  // KL(q || p) = E_q[log q(z) - log p(z)]: the mean over N samples of q, within 4 standard errors.
  const int64_t n = 200000;
  Generator gen(3);
  Tensor mu = T::full({n, 2}, 0.0f), lv = T::full({n, 2}, 0.0f);
  for (int64_t i = 0; i < n; ++i) {
    mu.data()[2 * i] = 0.5f, mu.data()[2 * i + 1] = -1.0f;
    lv.data()[2 * i] = -1.0f, lv.data()[2 * i + 1] = 0.5f;
  }
  const Tensor z = reparameterize(Variable(mu), Variable(lv), gen).value();
  const std::vector<float> lq = gaussian_log_density(z, mu, lv).to_vector();
  const std::vector<float> lp = standard_normal_log_density(z).to_vector();
  double s = 0, s2 = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double v = double(lq[i]) - lp[i];
    s += v, s2 += v * v;
  }
  const double m = s / n, se = std::sqrt((s2 / n - m * m) / n);
  EXPECT_NEAR(m, 0.88330036, 4 * se);
  EXPECT_LT(se, 0.01);
}

TEST(Vae, LossGradientsThroughTheReparameterisation) {
  // The loss as a function of mu, logvar and a decoder matrix W (logits = z W): z depends on
  // logvar through exp(logvar / 2) eps, so this checks dz/dlogvar as well as the KL and BCE.
  const Tensor x = vec({1, 0, 0.5f, 0.25f, 1, 0}, {2, 3});
  auto f = [&](const std::vector<Variable>& in) {
    Generator gen(7);  // the same eps at every evaluation
    VaeOutput out;
    out.mu = in[0];
    out.logvar = in[1];
    out.z = reparameterize(in[0], in[1], gen);
    out.logits = ae::matmul(out.z, in[2]);
    return vae_loss(out, Variable(x), 2.0f).total();
  };
  Generator gen(8);
  const ae::GradcheckResult r =
      ae::gradcheck(f, {T::randn({2, 2}, gen), T::randn({2, 2}, gen, 0.0f, 0.5f), T::randn({2, 3}, gen)});
  EXPECT_TRUE(r.ok) << r.message;
}

TEST(Vae, ModuleGradientMatchesFiniteDifferenceOfOneWeight) {
  // Every parameter gets a gradient, and one weight of the logvar head (reached only through
  // the sampled z and the KL) agrees with a central difference of the loss.
  VAE vae = tiny_vae(2, 9);
  const Tensor x = binary_rows(4, 6, 10);
  auto loss = [&] {
    Generator gen(11);
    return vae_loss(vae, x, gen).total();
  };
  vae.zero_grad();
  loss().backward();
  for (const auto& [name, p] : vae.named_parameters()) EXPECT_TRUE(p.grad().defined()) << name;
  Variable w;
  for (const auto& [name, p] : vae.named_parameters())
    if (name == "logvar.weight") w = p;
  ASSERT_TRUE(w.defined());
  const float analytic = w.grad().value().data()[3];
  const float h = 1e-2f, w0 = w.value().data()[3];
  w.value().data()[3] = w0 + h;
  const double up = loss().item();
  w.value().data()[3] = w0 - h;
  const double down = loss().item();
  w.value().data()[3] = w0;
  EXPECT_NEAR(analytic, (up - down) / (2 * h), 2e-3 + 1e-2 * std::abs(analytic));
}

TEST(Vae, NegativeElboAveragesTheLossTerms) {
  VAE vae = tiny_vae(2, 12);
  const Tensor x = binary_rows(5, 6, 13);
  Generator g1(14), g2(14);
  const LossTerms terms = vae_loss(vae, x, g1);
  EXPECT_NEAR(mean_of(negative_elbo(vae, x, g2)), terms.total().item(), 1e-4);
}

TEST(Vae, IwaeWithOneSampleIsTheSingleSampleElbo) {
  // -L_1 = -[log p(x|z) + log p(z) - log q(z|x)] with the z that the same generator gives.
  VAE vae = tiny_vae(2, 15);
  const Tensor x = binary_rows(5, 6, 16);
  Generator g1(17), g2(17);
  const Tensor iwae = iwae_negative_log_likelihood(vae, x, 1, g1);
  const Tensor mu = vae.encode(x);
  ae::NoGradGuard no_grad;
  const GaussianPosterior q = vae.posterior(Variable(x));
  const Tensor z = reparameterize(q.mu, q.logvar, g2).value();
  const Tensor logits = vae.decoder_logits(Variable(z)).value();
  const std::vector<float> lx = bernoulli_log_likelihood(logits, x).to_vector();
  const std::vector<float> lp = standard_normal_log_density(z).to_vector();
  const std::vector<float> lq = gaussian_log_density(z, q.mu.value(), q.logvar.value()).to_vector();
  for (int64_t i = 0; i < 5; ++i)
    EXPECT_NEAR(iwae.at({i}), -(double(lx[i]) + lp[i] - lq[i]), 1e-4) << "example " << i;
  EXPECT_EQ(mu.shape(), (ae::Shape{5, 2}));

  // The pass size does not change the draws: k = 7 in passes of 1 or of all 7 agree.
  Generator g3(18), g4(18);
  const Tensor a = iwae_negative_log_likelihood(vae, x, 7, g3, 5);
  const Tensor b = iwae_negative_log_likelihood(vae, x, 7, g4, 1000);
  for (int64_t i = 0; i < 5; ++i) EXPECT_NEAR(a.at({i}), b.at({i}), 1e-5);
}

TEST(Vae, IwaeTightensTowardsLogLikelihoodByQuadrature) {
  // With one latent dimension, log p(x) = log ∫ p(x|z) N(z; 0, 1) dz is a 1-D integral: the
  // trapezoid rule on [-10, 10] (the prior's mass outside is < 1e-22). The bounds must obey
  //   E[-L_1] >= E[-L_10] >= E[-L_100] >= -log p(x),   -L_k -> -log p(x),
  // each expectation estimated over R repetitions.
  VAE vae = tiny_vae(1, 19);
  const Tensor x = binary_rows(3, 6, 20);
  const int64_t grid = 8001;
  Tensor z = T::empty({grid, 1});
  const double step = 20.0 / (grid - 1);
  for (int64_t i = 0; i < grid; ++i) z.data()[i] = static_cast<float>(-10.0 + i * step);
  Tensor logits;
  {
    ae::NoGradGuard no_grad;
    logits = vae.decoder_logits(Variable(z)).value();
  }
  const std::vector<float> lp = standard_normal_log_density(z).to_vector();
  std::vector<double> exact(3);
  for (int64_t r = 0; r < 3; ++r) {
    Tensor xr = T::empty({grid, 6});
    for (int64_t i = 0; i < grid; ++i)
      for (int64_t j = 0; j < 6; ++j) xr.data()[i * 6 + j] = x.data()[r * 6 + j];
    const std::vector<float> lx = bernoulli_log_likelihood(logits, xr).to_vector();
    double top = -std::numeric_limits<double>::infinity();
    for (int64_t i = 0; i < grid; ++i) top = std::max(top, double(lx[i]) + lp[i]);
    double s = 0;
    for (int64_t i = 0; i < grid; ++i) s += (i == 0 || i == grid - 1 ? 0.5 : 1.0) * std::exp(double(lx[i]) + lp[i] - top);
    exact[r] = -(top + std::log(s * step));
  }
  const int repetitions = 200;
  std::vector<double> mean_k;
  Generator gen(21);
  for (int64_t k : {1, 10, 100}) {
    double s = 0;
    for (int rep = 0; rep < repetitions; ++rep) s += mean_of(iwae_negative_log_likelihood(vae, x, k, gen));
    mean_k.push_back(s / repetitions);
  }
  const double exact_mean = (exact[0] + exact[1] + exact[2]) / 3;
  EXPECT_GT(mean_k[0], mean_k[1]);
  EXPECT_GT(mean_k[1], mean_k[2]);
  EXPECT_GT(mean_k[2], exact_mean - 1e-3);
  const Tensor big = iwae_negative_log_likelihood(vae, x, 20000, gen);
  // By the delta method, -L_k has bias Var(w) / (2 k E[w]^2) and standard deviation
  // sqrt(Var(w) / (k E[w]^2)); the bias at k = 10 gives Var(w) / E[w]^2 ~ 20 gap_10, so at
  // k = 20000 each estimate lies within 4 standard deviations of -log p(x).
  const double gap1 = mean_k[0] - exact_mean, gap10 = mean_k[1] - exact_mean;
  EXPECT_GT(gap1, 0.05);
  const double sd = std::sqrt(20 * std::max(gap10, 0.0) / 20000.0);
  for (int64_t r = 0; r < 3; ++r) EXPECT_NEAR(big.at({r}), exact[r], 4 * sd + 1e-4) << "example " << r;
  EXPECT_LT(4 * sd, 0.25 * gap1);  // the estimate is much tighter than the ELBO
  // The closed-form negative ELBO is an upper bound too.
  double elbo = 0;
  for (int rep = 0; rep < repetitions; ++rep) elbo += mean_of(negative_elbo(vae, x, gen));
  EXPECT_GT(elbo / repetitions, exact_mean);
}

TEST(Vae, NormalQuantileAndTheLatentGrid) {
  // Reference values: Python's statistics.NormalDist().inv_cdf.
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-12);
  EXPECT_NEAR(normal_quantile(0.05), -1.6448536269514722, 1e-12);
  EXPECT_NEAR(normal_quantile(1e-10), -6.361340902404056, 1e-9);
  EXPECT_NEAR(normal_quantile(0.5), 0.0, 1e-15);
  EXPECT_THROW(normal_quantile(0.0), Error);
  EXPECT_THROW(normal_quantile(1.0), Error);
  // side 4: u = 1/8, 3/8, 5/8, 7/8; top-left is (Phi^-1(1/8), Phi^-1(7/8)).
  const Tensor z = normal_quantile_grid(4);
  ASSERT_EQ(z.shape(), (ae::Shape{16, 2}));
  EXPECT_NEAR(z.at({0, 0}), -1.1503493803760079, 1e-6);
  EXPECT_NEAR(z.at({0, 1}), 1.1503493803760079, 1e-6);
  EXPECT_NEAR(z.at({15, 0}), 1.1503493803760079, 1e-6);
  EXPECT_NEAR(z.at({15, 1}), -1.1503493803760079, 1e-6);
  EXPECT_NEAR(z.at({1, 0}), -0.3186393639643752, 1e-6);  // Phi^-1(3/8), second column
}

TEST(Vae, FittedGaussianReproducesTheCodesMeanAndCovariance) {
  // Codes from mean (1, -2), covariance ((4, 1.2), (1.2, 1)); the samples must have the codes'
  // sample mean and covariance within Monte-Carlo error (n = 200000: standard errors ~0.005).
  Generator gen(30);
  const int64_t m = 4000;
  Tensor codes = T::empty({m, 2});
  for (int64_t i = 0; i < m; ++i) {
    const double a = gen.normal(), b = gen.normal();
    codes.data()[2 * i] = static_cast<float>(1 + 2 * a);
    codes.data()[2 * i + 1] = static_cast<float>(-2 + 0.6 * a + 0.8 * b);
  }
  auto moments = [](const Tensor& t) {
    const int64_t n = t.shape()[0];
    double mx = 0, my = 0;
    for (int64_t i = 0; i < n; ++i) mx += t.data()[2 * i], my += t.data()[2 * i + 1];
    mx /= n, my /= n;
    double sxx = 0, sxy = 0, syy = 0;
    for (int64_t i = 0; i < n; ++i) {
      const double dx = t.data()[2 * i] - mx, dy = t.data()[2 * i + 1] - my;
      sxx += dx * dx, sxy += dx * dy, syy += dy * dy;
    }
    return std::vector<double>{mx, my, sxx / (n - 1), sxy / (n - 1), syy / (n - 1)};
  };
  const auto want = moments(codes);
  const auto got = moments(fitted_gaussian_samples(codes, 200000, gen));
  const std::vector<double> tolerance = {0.02, 0.01, 0.06, 0.025, 0.015};
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], tolerance[i]) << "moment " << i;
  EXPECT_THROW(fitted_gaussian_samples(codes.slice(0, 0, 1), 5, gen), Error);
}

TEST(Vae, ActiveUnitsCountsDimensionsThatVaryWithTheInput) {
  // Columns with population variances 1, 0.0225 and 0.0025 (values +-1, +-0.15, +-0.05):
  // two are above 0.01.
  const Tensor mu = vec({1, 0.15f, 0.05f, -1, -0.15f, -0.05f, 1, 0.15f, 0.05f, -1, -0.15f, -0.05f}, {4, 3});
  EXPECT_EQ(active_units(mu), 2);
  EXPECT_EQ(active_units(mu, 0.001), 3);
  EXPECT_THROW(active_units(T::zeros({1, 3})), Error);
}

TEST(Vae, PixelMeanBaselineAgainstAHandValue) {
  // Two training rows (1, 0) and (0, 0): p = ((1 + 1) / 4, (0 + 1) / 4) = (1/2, 1/4).
  // Test row (1, 0.5): -[log 1/2] - [0.5 log 1/4 + 0.5 log 3/4] = log 2 + 0.5 log(16/3).
  const double nll = pixel_mean_nll(vec({1, 0, 0, 0}, {2, 2}), vec({1, 0.5f}, {1, 2}));
  EXPECT_NEAR(nll, std::log(2.0) + 0.5 * std::log(16.0 / 3.0), 1e-9);
  EXPECT_THROW(pixel_mean_nll(T::zeros({2, 3}), T::zeros({2, 2})), Error);
}
