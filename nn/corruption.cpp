#include "nn/corruption.hpp"

#include <fmt/format.h>

#include <cmath>

#include "autograd/ops.hpp"
#include "linalg/error.hpp"
#include "tensor/ops.hpp"

namespace ae::nn {

namespace {

std::string level_text(float level) { return fmt::format("{:g}", level); }

// Height and width of the images of a tensor of shape `shape` (see draw_corruption).
std::pair<int64_t, int64_t> image_size(const Shape& shape) {
  if (shape.size() >= 3) return {shape[shape.size() - 2], shape[shape.size() - 1]};
  if (shape.size() == 2) {
    const auto side = static_cast<int64_t>(std::llround(std::sqrt(double(shape[1]))));
    if (side * side == shape[1]) return {side, side};
  }
  throw Error(fmt::format("block corruption: needs images, (n, h, w), (n, c, h, w) or (n, d) with d a "
                          "square number; got shape {}",
                          to_string(shape)));
}

}  // namespace

// ---- Corruption --------------------------------------------------------------------------------

std::string Corruption::name() const {
  switch (kind) {
    case Kind::None: return "none";
    case Kind::Gaussian: return "Gaussian σ = " + level_text(level);
    case Kind::Masking: return "masking v = " + level_text(level);
    case Kind::SaltAndPepper: return "salt & pepper p = " + level_text(level);
    case Kind::Block: return fmt::format("{0}×{0} block", int64_t(level));
  }
  return "?";
}

std::string Corruption::key() const {
  switch (kind) {
    case Kind::None: return "none";
    case Kind::Gaussian: return "gaussian_" + level_text(level);
    case Kind::Masking: return "masking_" + level_text(level);
    case Kind::SaltAndPepper: return "salt_pepper_" + level_text(level);
    case Kind::Block: return fmt::format("block_{}", int64_t(level));
  }
  return "?";
}

void Corruption::check() const {
  switch (kind) {
    case Kind::None: return;
    case Kind::Gaussian:
      if (!(level >= 0.0f) || !std::isfinite(level))
        throw Error(fmt::format("Gaussian noise: stddev must be finite and >= 0, got {}", level));
      return;
    case Kind::Masking:
    case Kind::SaltAndPepper:
      if (!(level >= 0.0f && level <= 1.0f))
        throw Error(fmt::format("{}: {} must lie in [0, 1], got {}",
                                kind == Kind::Masking ? "masking noise" : "salt-and-pepper noise",
                                kind == Kind::Masking ? "v" : "p", level));
      if (kind == Kind::SaltAndPepper && !(low <= high))
        throw Error(fmt::format("salt-and-pepper noise: low = {} must not exceed high = {}", low, high));
      return;
    case Kind::Block:
      if (!(level >= 0.0f) || level != std::floor(level))
        throw Error(fmt::format("block corruption: size must be a whole number >= 0, got {}", level));
      return;
  }
}

// ---- drawing ------------------------------------------------------------------------------------

Tensor CorruptionDraw::apply(const Tensor& x) const {
  Tensor out = keep.defined() ? tensor::mul(x, keep) : x;
  return add.defined() ? tensor::add(out, add) : out;
}

CorruptionDraw draw_corruption(const Shape& shape, const Corruption& c, Generator& gen) {
  c.check();
  CorruptionDraw draw;
  switch (c.kind) {
    case Corruption::Kind::None: break;
    case Corruption::Kind::Gaussian: draw.add = tensor::randn(shape, gen, 0.0f, c.level); break;
    case Corruption::Kind::Masking: draw.keep = tensor::bernoulli(shape, 1.0f - c.level, gen); break;
    case Corruption::Kind::SaltAndPepper: {
      // One uniform u per element: u < p/2 is pepper, p/2 <= u < p salt, the rest untouched.
      draw.keep = tensor::empty(shape);
      draw.add = tensor::empty(shape);
      float* keep = draw.keep.data();
      float* add = draw.add.data();
      const float half = 0.5f * c.level;
      for (int64_t i = 0, n = draw.keep.numel(); i < n; ++i) {
        const float u = gen.uniform();
        keep[i] = u < c.level ? 0.0f : 1.0f;
        add[i] = u < half ? c.low : u < c.level ? c.high : 0.0f;
      }
      break;
    }
    case Corruption::Kind::Block: {
      const auto [h, w] = image_size(shape);
      const auto size = int64_t(c.level);
      if (size > h || size > w)
        throw Error(fmt::format("block corruption: a {0}×{0} block does not fit in {1}×{2} images (shape {3})",
                                size, h, w, to_string(shape)));
      draw.keep = tensor::ones(shape);
      float* keep = draw.keep.data();
      const int64_t n = shape[0], per_sample = numel_of(shape) / std::max<int64_t>(n, 1);
      const int64_t channels = per_sample / (h * w);
      for (int64_t s = 0; s < n; ++s) {
        const auto top = int64_t(gen.below(uint64_t(h - size + 1)));
        const auto left = int64_t(gen.below(uint64_t(w - size + 1)));
        for (int64_t ch = 0; ch < channels; ++ch)
          for (int64_t r = top; r < top + size; ++r)
            for (int64_t col = left; col < left + size; ++col) keep[s * per_sample + (ch * h + r) * w + col] = 0.0f;
      }
      break;
    }
  }
  return draw;
}

Tensor corrupt(const Tensor& x, const Corruption& corruption, Generator& gen) {
  return draw_corruption(x.shape(), corruption, gen).apply(x);
}

Tensor gaussian_noise(const Tensor& x, float stddev, Generator& gen) {
  return corrupt(x, Corruption::gaussian(stddev), gen);
}
Tensor masking_noise(const Tensor& x, float v, Generator& gen) { return corrupt(x, Corruption::masking(v), gen); }
Tensor salt_and_pepper(const Tensor& x, float p, Generator& gen, float low, float high) {
  Corruption c = Corruption::salt_and_pepper(p);
  c.low = low, c.high = high;
  return corrupt(x, c, gen);
}
Tensor random_block(const Tensor& x, int64_t size, Generator& gen) { return corrupt(x, Corruption::block(size), gen); }

Tensor block_mask(int64_t height, int64_t width, int64_t top, int64_t left, int64_t size) {
  if (height < 1 || width < 1 || size < 0 || top < 0 || left < 0 || top + size > height || left + size > width)
    throw Error(fmt::format("block_mask: a {0}×{0} block at row {1}, column {2} does not fit in a {3}×{4} image",
                            size, top, left, height, width));
  Tensor mask = tensor::zeros({height * width});
  float* m = mask.data();
  for (int64_t r = top; r < top + size; ++r)
    for (int64_t c = left; c < left + size; ++c) m[r * width + c] = 1.0f;
  return mask;
}

Tensor fill_masked(const Tensor& x, const Tensor& filled, const Tensor& mask) {
  return tensor::add(tensor::mul(x, tensor::sub(tensor::scalar(1.0f), mask)), tensor::mul(filled, mask));
}

// ---- as a layer ---------------------------------------------------------------------------------

CorruptionLayer::CorruptionLayer(const Corruption& corruption, Generator& gen)
    : corruption_(corruption), gen_(gen.split()) {
  corruption_.check();
}
CorruptionLayer::CorruptionLayer(const Corruption& corruption, uint64_t seed) : corruption_(corruption), gen_(seed) {
  corruption_.check();
}

Variable CorruptionLayer::forward(const Variable& x) {
  if (!is_training() || corruption_.kind == Corruption::Kind::None || corruption_.level == 0.0f) return x;
  const CorruptionDraw d = draw_corruption(x.shape(), corruption_, gen_);
  // x̃ = keep ⊙ x + add: keep and add are constants, so dx̃/dx = keep.
  Variable out = d.keep.defined() ? x * Variable(d.keep) : x;
  return d.add.defined() ? out + Variable(d.add) : out;
}

std::string CorruptionLayer::describe() const {
  const std::string level = level_text(corruption_.level);
  switch (corruption_.kind) {
    case Corruption::Kind::None: return "Identity";
    case Corruption::Kind::Gaussian: return "GaussianNoise(stddev = " + level + ")";
    case Corruption::Kind::Masking: return "MaskingNoise(v = " + level + ")";
    case Corruption::Kind::SaltAndPepper: return "SaltAndPepperNoise(p = " + level + ")";
    case Corruption::Kind::Block: return "BlockMasking(size = " + level + ")";
  }
  return "?";
}

}  // namespace ae::nn
