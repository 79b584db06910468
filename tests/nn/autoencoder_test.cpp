// Autoencoder, TiedLinear and the builders: the tied gradient is the sum of its two uses
// (worked out by hand below), the layer structure and parameter counts follow the sizes, and
// encode / decode record no graph.
#include "nn/autoencoder.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "autograd/ops.hpp"
#include "nn/losses.hpp"
#include "tensor/ops.hpp"

using ae::Error;
using ae::Generator;
using ae::Tensor;
using ae::Variable;
using namespace ae::nn;
namespace T = ae::tensor;

namespace {

void set(Variable& v, const std::vector<float>& values) {
  v.value().copy_(T::from_vector(values, v.shape()));
}

}  // namespace

// Loss L = Σ_j (x̂_j - x_j)² with h = W x + b, x̂ = Wᵀ h + c, r = 2 (x̂ - x):
//   decoder use  x̂_j = Σ_i W_ij h_i + c_j      -> dL/dW_ij += r_j h_i
//   encoder use  h_i = Σ_j W_ij x_j + b_i      -> dL/dh_i = (W r)_i,  dL/dW_ij += (W r)_i x_j
// so dL/dW = h rᵀ + (W r) xᵀ, dL/db = W r, dL/dc = r.
TEST(NnAutoencoder, TiedGradientIsTheSumOfBothUses) {
  Generator gen(1);
  auto model = linear_autoencoder(3, 2, /*tied=*/true, gen);
  auto& enc = model->encoder().at<Linear>(0);
  auto& dec = model->decoder().at<TiedLinear>(0);
  const std::vector<double> W = {0.5, -1.0, 2.0, 1.5, 0.25, -0.75}, b = {0.1, -0.2}, c = {0.3, 0.0, -0.4};
  const std::vector<double> x = {1.0, 2.0, -1.0};
  set(enc.weight, {0.5f, -1.0f, 2.0f, 1.5f, 0.25f, -0.75f});
  set(enc.bias, {0.1f, -0.2f});
  set(dec.bias, {0.3f, 0.0f, -0.4f});

  double h[2], xh[3], r[3], Wr[2];
  for (int i = 0; i < 2; ++i) {
    h[i] = b[i];
    for (int j = 0; j < 3; ++j) h[i] += W[i * 3 + j] * x[j];
  }
  for (int j = 0; j < 3; ++j) {
    xh[j] = c[j];
    for (int i = 0; i < 2; ++i) xh[j] += W[i * 3 + j] * h[i];
    r[j] = 2 * (xh[j] - x[j]);
  }
  for (int i = 0; i < 2; ++i) {
    Wr[i] = 0;
    for (int j = 0; j < 3; ++j) Wr[i] += W[i * 3 + j] * r[j];
  }

  const Variable input(T::from_vector({1.0f, 2.0f, -1.0f}, {1, 3}));
  const Variable out = (*model)(input);
  for (int j = 0; j < 3; ++j) EXPECT_NEAR(out.value().at({0, j}), xh[j], 1e-5) << j;
  mse(out, input, Reduction::Sum).backward();
  const Tensor gW = enc.weight.grad().value();
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      EXPECT_NEAR(gW.at({i, j}), h[i] * r[j] + Wr[i] * x[j], 1e-4) << i << "," << j;
  for (int i = 0; i < 2; ++i) EXPECT_NEAR(enc.bias.grad().value().at({i}), Wr[i], 1e-4);
  for (int j = 0; j < 3; ++j) EXPECT_NEAR(dec.bias.grad().value().at({j}), r[j], 1e-4);
}

TEST(NnAutoencoder, LinearParameterCounts) {
  Generator gen(2);
  // tied: W (k x d) once, b (k), c (d); untied adds W* (d x k)
  EXPECT_EQ(linear_autoencoder(784, 30, true, gen)->num_parameters(), 30 * 784 + 30 + 784);
  EXPECT_EQ(linear_autoencoder(784, 30, false, gen)->num_parameters(), 2 * 30 * 784 + 30 + 784);
  EXPECT_EQ(linear_autoencoder(784, 30, true, gen)->parameters().size(), 3u);
}

TEST(NnAutoencoder, LinearInitIsSmallAndCentred) {
  Generator gen(3);
  auto model = linear_autoencoder(400, 50, false, gen, 0.01f);
  const auto w = model->encoder().at<Linear>(0).weight.value().to_vector();
  double s = 0, s2 = 0;
  for (float v : w) {
    s += v;
    s2 += double(v) * v;
  }
  const double n = double(w.size());
  // 20,000 draws of N(0, 0.01²): the mean is within 5 standard errors (5 * 0.01 / sqrt(n))
  // and the variance within 5% of 1e-4.
  EXPECT_LT(std::abs(s / n), 5 * 0.01 / std::sqrt(n));
  EXPECT_NEAR(s2 / n, 1e-4, 5e-6);
  for (float v : model->encoder().at<Linear>(0).bias.value().to_vector()) EXPECT_EQ(v, 0.0f);
}

TEST(NnAutoencoder, MlpStructure) {
  Generator gen(4);
  auto model = mlp_autoencoder({784, 512, 256, 30}, gen);
  // encoder: Linear ReLU Linear ReLU Linear (code without activation)
  EXPECT_EQ(model->encoder().size(), 5);
  // decoder: Linear ReLU Linear ReLU Linear Sigmoid
  EXPECT_EQ(model->decoder().size(), 6);
  EXPECT_NO_THROW(model->decoder().at<Sigmoid>(5));
  const int64_t weights = 784 * 512 + 512 * 256 + 256 * 30;
  const int64_t enc_bias = 512 + 256 + 30, dec_bias = 256 + 512 + 784;
  EXPECT_EQ(model->num_parameters(), 2 * weights + enc_bias + dec_bias);
  EXPECT_EQ(model->name(), "AE 784-512-256-30-256-512-784");
  EXPECT_EQ(layer_sizes_string({784, 1000}), "784-1000-784");
}

TEST(NnAutoencoder, MlpActivationsCanBeChosen) {
  Generator gen(5);
  auto model = mlp_autoencoder({10, 20}, gen, {.hidden = Activation::Tanh, .code = Activation::Identity,
                                            .output = Activation::Identity});
  EXPECT_EQ(model->encoder().size(), 1);  // 10 -> 20 is the code layer
  EXPECT_EQ(model->decoder().size(), 1);  // 20 -> 10 with no output activation
}

TEST(NnAutoencoder, EncodeDecodeRecordNothingAndKeepTheMode) {
  Generator gen(6);
  auto model = mlp_autoencoder({16, 8, 3}, gen);
  const Tensor x = T::rand({5, 16}, gen);
  model->train();
  const Tensor z = model->encode(x);
  EXPECT_EQ(z.shape(), (ae::Shape{5, 3}));
  const Tensor xh = model->decode(z);
  EXPECT_EQ(xh.shape(), (ae::Shape{5, 16}));
  EXPECT_TRUE(model->is_training());
  // reconstruct = decode(encode(x)) = forward(x)
  const Tensor direct = (*model)(Variable(x)).value();
  EXPECT_TRUE(T::allclose(model->reconstruct(x), direct, 1e-6f, 1e-7f));
  for (float v : xh.to_vector()) {  // sigmoid output
    EXPECT_GT(v, 0.0f);
    EXPECT_LT(v, 1.0f);
  }
}

TEST(NnAutoencoder, BadSizesThrow) {
  Generator gen(7);
  EXPECT_THROW(mlp_autoencoder({784}, gen), Error);
  EXPECT_THROW(mlp_autoencoder({784, 0}, gen), Error);
  EXPECT_THROW(linear_autoencoder(0, 2, true, gen), Error);
  try {
    linear_autoencoder(784, 30, false, gen, -1.0f);
    FAIL() << "no throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("init_std"), std::string::npos) << e.what();
  }
}

// ---- reconstruction error on (n, ...) inputs ----

namespace {

// Reconstructs half of its input, whatever the input's shape.
class HalvingCodec : public Codec {
 public:
  Tensor encode(const Tensor& x) override { return T::mul(x, T::scalar(0.5f)); }
  Tensor decode(const Tensor& z) override { return z; }
  std::string name() const override { return "halving"; }
};

// Gives back its input flattened to (n, d): a shape mismatch, not an error to hide.
class FlatteningCodec : public Codec {
 public:
  Tensor encode(const Tensor& x) override { return x.reshape({x.shape()[0], -1}); }
  Tensor decode(const Tensor& z) override { return z; }
  std::string name() const override { return "flattening"; }
};

// x of shape (2, 1, 2, 2): images [1 2; 3 4] and [0 0; 2 -2].
Tensor two_images() { return T::from_vector({1, 2, 3, 4, 0, 0, 2, -2}, {2, 1, 2, 2}); }

}  // namespace

// x̂ = x / 2, so the error of an image is Σ (x/2)^2 = Σ x^2 / 4: (1 + 4 + 9 + 16) / 4 = 7.5
// and (4 + 4) / 4 = 2. Per image: (7.5 + 2) / 2 = 4.75; per pixel: 9.5 / 8 = 1.1875.
TEST(NnCodec, ReconstructionErrorOnImageShapedInput) {
  HalvingCodec codec;
  for (int64_t batch : {1, 2, 1000}) {
    const ReconstructionError e = reconstruction_error(codec, two_images(), batch);
    EXPECT_NEAR(e.sse_per_image, 4.75, 1e-6) << batch;
    EXPECT_NEAR(e.mse_per_pixel, 1.1875, 1e-6) << batch;
  }
}

// An autoencoder for (N, 1, 2, 2) images, Flatten + Linear(4 -> 4, weight I) and
// Linear(4 -> 4, weight I/2) + Unflatten, reconstructs x / 2: the same numbers as above.
TEST(NnCodec, AnAutoencoderWithFlattenFitsTheSameComparison) {
  Generator gen(3);
  auto enc_linear = std::make_shared<Linear>(4, 4, gen, Init::TorchDefault, /*bias=*/false);
  auto dec_linear = std::make_shared<Linear>(4, 4, gen, Init::TorchDefault, /*bias=*/false);
  enc_linear->weight.value().copy_(T::eye(4));
  dec_linear->weight.value().copy_(T::mul(T::eye(4), T::scalar(0.5f)));
  auto encoder = std::make_shared<Sequential>();
  encoder->add(std::make_shared<Flatten>()).add(enc_linear);
  auto decoder = std::make_shared<Sequential>();
  decoder->add(dec_linear).add(std::make_shared<Unflatten>(1, std::vector<int64_t>{1, 2, 2}));
  Autoencoder model(encoder, decoder, "flat AE");
  EXPECT_EQ(model.encode(two_images()).shape(), (ae::Shape{2, 4}));
  const ReconstructionError e = reconstruction_error(model, two_images(), 1);
  EXPECT_NEAR(e.sse_per_image, 4.75, 1e-6);
  EXPECT_NEAR(e.mse_per_pixel, 1.1875, 1e-6);
}

TEST(NnCodec, BadInputsAndShapesAreErrors) {
  HalvingCodec halving;
  FlatteningCodec flattening;
  EXPECT_THROW(reconstruction_error(halving, T::scalar(1.0f)), Error);
  EXPECT_THROW(reconstruction_error(halving, T::zeros({0, 3})), Error);
  EXPECT_THROW(reconstruction_error(halving, two_images(), 0), Error);
  try {
    reconstruction_error(flattening, two_images());
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("[2, 1, 2, 2]"), std::string::npos) << msg;
    EXPECT_NE(msg.find("[2, 4]"), std::string::npos) << msg;
  }
}
