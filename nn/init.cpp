#include "nn/init.hpp"

#include <cmath>

#include "linalg/error.hpp"

namespace ae::nn {

Fans fans_of(const Shape& s) {
  if (s.size() < 2)
    throw Error("init: a weight needs at least 2 axes (out, in, ...), got " + ae::to_string(s));
  int64_t receptive = 1;
  for (std::size_t d = 2; d < s.size(); ++d) receptive *= s[d];
  return {s[1] * receptive, s[0] * receptive};
}

namespace {

// Draws through a contiguous buffer so a strided view is filled in row-major order too.
template <class Draw>
void fill_with(Tensor& t, Draw draw) {
  if (!t.defined()) throw Error("init: the tensor is undefined");
  Tensor dense = t.is_contiguous() ? t : t.contiguous();
  float* p = dense.data();
  const int64_t n = dense.numel();
  for (int64_t i = 0; i < n; ++i) p[i] = draw();
  if (!t.is_contiguous()) t.copy_(dense);
}

void require_positive_fans(const Fans& f, const Shape& s) {
  if (f.fan_in <= 0 || f.fan_out <= 0)
    throw Error("init: the weight of shape " + ae::to_string(s) + " has no inputs or outputs");
}

}  // namespace

void uniform_(Tensor& t, Generator& gen, float low, float high) {
  fill_with(t, [&] { return low + (high - low) * gen.uniform(); });
}

void normal_(Tensor& t, Generator& gen, float mean, float stddev) {
  fill_with(t, [&] { return mean + stddev * gen.normal(); });
}

void xavier_uniform_(Tensor& w, Generator& gen, float gain) {
  const Fans f = fans_of(w.shape());
  require_positive_fans(f, w.shape());
  const float a = gain * std::sqrt(6.0f / static_cast<float>(f.fan_in + f.fan_out));
  uniform_(w, gen, -a, a);
}

void xavier_normal_(Tensor& w, Generator& gen, float gain) {
  const Fans f = fans_of(w.shape());
  require_positive_fans(f, w.shape());
  normal_(w, gen, 0.0f, gain * std::sqrt(2.0f / static_cast<float>(f.fan_in + f.fan_out)));
}

void he_uniform_(Tensor& w, Generator& gen, float gain) {
  const Fans f = fans_of(w.shape());
  require_positive_fans(f, w.shape());
  const float a = gain * std::sqrt(3.0f / static_cast<float>(f.fan_in));
  uniform_(w, gen, -a, a);
}

void he_normal_(Tensor& w, Generator& gen, float gain) {
  const Fans f = fans_of(w.shape());
  require_positive_fans(f, w.shape());
  normal_(w, gen, 0.0f, gain / std::sqrt(static_cast<float>(f.fan_in)));
}

std::string to_string(Init init) {
  switch (init) {
    case Init::TorchDefault:
      return "torch";
    case Init::XavierUniform:
      return "xavier_uniform";
    case Init::XavierNormal:
      return "xavier_normal";
    case Init::HeUniform:
      return "he_uniform";
    case Init::HeNormal:
      return "he_normal";
  }
  return "?";
}

Init parse_init(const std::string& name) {
  for (Init i : {Init::TorchDefault, Init::XavierUniform, Init::XavierNormal, Init::HeUniform,
                 Init::HeNormal})
    if (to_string(i) == name) return i;
  throw Error("init: unknown initialiser \"" + name +
              "\" (expected torch, xavier_uniform, xavier_normal, he_uniform or he_normal)");
}

void init_layer_(Tensor& weight, Tensor* bias, Init init, Generator& gen) {
  switch (init) {
    case Init::TorchDefault: {
      const Fans f = fans_of(weight.shape());
      require_positive_fans(f, weight.shape());
      const float bound = 1.0f / std::sqrt(static_cast<float>(f.fan_in));
      uniform_(weight, gen, -bound, bound);
      if (bias != nullptr) uniform_(*bias, gen, -bound, bound);
      return;
    }
    case Init::XavierUniform:
      xavier_uniform_(weight, gen);
      break;
    case Init::XavierNormal:
      xavier_normal_(weight, gen);
      break;
    case Init::HeUniform:
      he_uniform_(weight, gen);
      break;
    case Init::HeNormal:
      he_normal_(weight, gen);
      break;
  }
  if (bias != nullptr) bias->fill_(0.0f);
}

}  // namespace ae::nn
