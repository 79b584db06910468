#pragma once
// Corruptions — what a denoising autoencoder is trained to undo (lectures 000, 001, 002, 004).
//
// A denoising autoencoder sees a corrupted copy x̃ ~ q(x̃ | x) of each input and is asked for
// the clean x:   min  E_{x̃ ~ q(x̃|x)} [ ℓ(g(f(x̃)), x) ]   (lecture 001, the expected loss
// over the corruption; every minibatch draws fresh x̃, so training estimates that expectation).
//
// Every corruption here is an element-wise draw of the form
//     x̃ = keep ⊙ x + add
// with keep ∈ {0, 1} and add independent of x:
//   Gaussian        keep = 1,  add ~ N(0, σ²)                      (Vincent et al. 2010, §4.2)
//   masking         keep ~ Bernoulli(1 - v), add = 0                (lecture 002; Vincent 2008)
//   salt and pepper keep = 0 with probability p, and then add = low or high with equal odds
//   block           keep = 0 on one size × size square per image   (in-painting, lecture 004)
// so the corrupted input is differentiable in x (dx̃/dx = keep) and a corruption layer can sit
// anywhere in a network. They come as functions on tensors, with an explicit Generator, and as
// Modules that corrupt in training mode only (the identity in evaluation), so a Sequential can
// hold one in front of an encoder.
//
// Errors are ae::Error naming the corruption, the option and the value (or the shape) at fault.
#include <cstdint>
#include <string>

#include "nn/module.hpp"
#include "tensor/random.hpp"
#include "tensor/tensor.hpp"

namespace ae::nn {

/// Which corruption, and how strong.
struct Corruption {
  enum class Kind { None, Gaussian, Masking, SaltAndPepper, Block };
  Kind kind = Kind::None;
  /// σ (Gaussian), v (masking), p (salt and pepper), or the block's side in pixels (block).
  float level = 0.0f;
  /// Salt and pepper only: the values pepper and salt set (the ends of the input's range).
  float low = 0.0f, high = 1.0f;

  static Corruption gaussian(float stddev) { return {Kind::Gaussian, stddev}; }
  static Corruption masking(float v) { return {Kind::Masking, v}; }
  static Corruption salt_and_pepper(float p) { return {Kind::SaltAndPepper, p}; }
  static Corruption block(int64_t size) { return {Kind::Block, float(size)}; }

  /// For tables and legends: "Gaussian σ = 0.3", "masking v = 0.5", "salt & pepper p = 0.2",
  /// "12×12 block", "none".
  std::string name() const;
  /// For metric keys: "gaussian_0.3", "masking_0.5", "salt_pepper_0.2", "block_12", "none".
  std::string key() const;
  /// Throws ae::Error when the level is out of range for the kind (σ finite and >= 0; v and p
  /// in [0, 1]; a block side a whole number >= 0; low <= high).
  void check() const;
};

/// One draw of a corruption for a tensor of a given shape: x̃ = keep ⊙ x + add. An undefined
/// keep means all ones, an undefined add all zeros.
struct CorruptionDraw {
  Tensor keep;
  Tensor add;
  /// keep ⊙ x + add, for x of the shape the draw was made for.
  Tensor apply(const Tensor& x) const;
};

/// Draws the corruption for a tensor of shape `shape`. A block needs images: shape (n, h, w)
/// or (n, c, h, w) (the block is the same square in every channel), or (n, d) with d a square
/// number (d = 784: 28 × 28); its side must fit in the image.
CorruptionDraw draw_corruption(const Shape& shape, const Corruption& corruption, Generator& gen);

/// x corrupted once: draw_corruption(x.shape(), corruption, gen).apply(x).
Tensor corrupt(const Tensor& x, const Corruption& corruption, Generator& gen);

/// x̃_i = x_i + ε_i, ε_i ~ N(0, stddev²) independent; no clipping, so E x̃ = x and Var x̃_i = σ².
Tensor gaussian_noise(const Tensor& x, float stddev, Generator& gen);
/// x̃_i = 0 with probability v, x_i otherwise, with no rescaling: E x̃ = (1 - v) x.
Tensor masking_noise(const Tensor& x, float v, Generator& gen);
/// x̃_i = low with probability p/2, high with probability p/2, x_i otherwise.
Tensor salt_and_pepper(const Tensor& x, float p, Generator& gen, float low = 0.0f, float high = 1.0f);
/// Each image gets one size × size square of zeros, its top-left corner uniform over the
/// (h - size + 1)(w - size + 1) positions where it fits.
Tensor random_block(const Tensor& x, int64_t size, Generator& gen);

/// A (height * width) tensor: 1 on the square rows [top, top + size) × columns
/// [left, left + size), 0 elsewhere — the hole of an in-painting task (x ⊙ (1 - mask) is the
/// image with the hole, and the mask selects the pixels to score). Throws ae::Error when the
/// square does not fit.
Tensor block_mask(int64_t height, int64_t width, int64_t top, int64_t left, int64_t size);

/// An in-painted image: x where mask is 0, filled where mask is 1 — x ⊙ (1 - mask) +
/// filled ⊙ mask, so a model's guess replaces only the missing pixels. mask broadcasts
/// against x (a (d) mask from block_mask serves a batch (n, d)).
Tensor fill_masked(const Tensor& x, const Tensor& filled, const Tensor& mask);

/// A corruption as a layer: in training mode forward(x) = keep ⊙ x + add with a fresh draw
/// per call (so gradients flow to x through keep); in evaluation mode the identity. Its draws
/// come from its own generator, split from the one given (or seeded).
class CorruptionLayer : public Module {
 public:
  CorruptionLayer(const Corruption& corruption, Generator& gen);
  CorruptionLayer(const Corruption& corruption, uint64_t seed);
  Variable forward(const Variable& x) override;
  /// "GaussianNoise(stddev = 0.5)", "MaskingNoise(v = 0.25)", "SaltAndPepperNoise(p = 0.1)",
  /// "BlockMasking(size = 12)".
  std::string describe() const override;
  const Corruption& corruption() const { return corruption_; }

 private:
  Corruption corruption_;
  Generator gen_;
};

/// Additive isotropic Gaussian noise x + N(0, stddev²) in training (Vincent et al., 2010,
/// section 4.2); the identity in evaluation.
class GaussianNoise : public CorruptionLayer {
 public:
  GaussianNoise(float stddev, Generator& gen) : CorruptionLayer(Corruption::gaussian(stddev), gen) {}
  GaussianNoise(float stddev, uint64_t seed) : CorruptionLayer(Corruption::gaussian(stddev), seed) {}
  float stddev() const { return corruption().level; }
};

/// Masking noise (Vincent et al., 2008): in training each input is set to 0 with
/// probability v, with no rescaling — the denoising autoencoder must fill the holes in;
/// the identity in evaluation.
class MaskingNoise : public CorruptionLayer {
 public:
  MaskingNoise(float v, Generator& gen) : CorruptionLayer(Corruption::masking(v), gen) {}
  MaskingNoise(float v, uint64_t seed) : CorruptionLayer(Corruption::masking(v), seed) {}
  float v() const { return corruption().level; }
};

/// Salt-and-pepper noise (Vincent et al., 2010, section 4.2): in training each input is set
/// to low or high (0 or 1 by default) with probability p/2 each; the identity in evaluation.
class SaltAndPepperNoise : public CorruptionLayer {
 public:
  SaltAndPepperNoise(float p, Generator& gen) : CorruptionLayer(Corruption::salt_and_pepper(p), gen) {}
  SaltAndPepperNoise(float p, uint64_t seed) : CorruptionLayer(Corruption::salt_and_pepper(p), seed) {}
  float p() const { return corruption().level; }
};

/// In training, one size × size square of zeros at a random place in each image (an
/// in-painting task); the identity in evaluation.
class BlockMasking : public CorruptionLayer {
 public:
  BlockMasking(int64_t size, Generator& gen) : CorruptionLayer(Corruption::block(size), gen) {}
  BlockMasking(int64_t size, uint64_t seed) : CorruptionLayer(Corruption::block(size), seed) {}
  int64_t size() const { return int64_t(corruption().level); }
};

}  // namespace ae::nn
