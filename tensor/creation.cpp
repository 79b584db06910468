// Creation: new contiguous tensors from sizes, values, ranges and random draws.
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "tensor/ops.hpp"

namespace ae::tensor {

Tensor empty(const Shape& shape) {
  for (int64_t size : shape)
    if (size < 0) throw Error("empty: negative size in shape " + to_string(shape));
  return Tensor(std::make_shared<Storage>(numel_of(shape)), shape, contiguous_strides(shape), 0);
}

Tensor zeros(const Shape& shape) { return full(shape, 0.0f); }
Tensor ones(const Shape& shape) { return full(shape, 1.0f); }

Tensor full(const Shape& shape, float value) {
  Tensor out = empty(shape);
  float* p = out.data();
  const int64_t n = out.numel();
  for (int64_t i = 0; i < n; ++i) p[i] = value;
  return out;
}

Tensor scalar(float value) { return full({}, value); }

Tensor arange(float start, float stop, float step) {
  if (step == 0.0f || !std::isfinite(start) || !std::isfinite(stop) || !std::isfinite(step))
    throw Error("arange: needs finite start, stop and a non-zero step, got start=" +
                std::to_string(start) + ", stop=" + std::to_string(stop) +
                ", step=" + std::to_string(step));
  // In double, so that start + i * step does not drift for long ranges.
  const double count = std::ceil((double(stop) - double(start)) / double(step));
  const int64_t n = count > 0 ? static_cast<int64_t>(count) : 0;
  Tensor out = empty({n});
  float* p = out.data();
  for (int64_t i = 0; i < n; ++i) p[i] = static_cast<float>(double(start) + double(i) * step);
  return out;
}

Tensor arange(int64_t n) {
  if (n < 0) throw Error("arange: negative length " + std::to_string(n));
  Tensor out = empty({n});
  float* p = out.data();
  for (int64_t i = 0; i < n; ++i) p[i] = static_cast<float>(i);
  return out;
}

Tensor eye(int64_t n) {
  if (n < 0) throw Error("eye: negative size " + std::to_string(n));
  Tensor out = zeros({n, n});
  float* p = out.data();
  for (int64_t i = 0; i < n; ++i) p[i * n + i] = 1.0f;
  return out;
}

Tensor from_vector(const std::vector<float>& values, const Shape& shape) {
  Tensor out = empty(shape);
  if (static_cast<int64_t>(values.size()) != out.numel())
    throw Error("from_vector: " + std::to_string(values.size()) + " values for shape " +
                to_string(shape) + " (" + std::to_string(out.numel()) + " elements)");
  std::copy(values.begin(), values.end(), out.data());
  return out;
}

Tensor rand(const Shape& shape, Generator& gen, float low, float high) {
  if (!(low < high) || !std::isfinite(low) || !std::isfinite(high))
    throw Error("rand: needs finite low < high, got low=" + std::to_string(low) +
                ", high=" + std::to_string(high));
  Tensor out = empty(shape);
  float* p = out.data();
  const int64_t n = out.numel();
  const float width = high - low;
  for (int64_t i = 0; i < n; ++i) {
    const float v = low + width * gen.uniform();
    // Rounding can land exactly on high; the interval is half-open.
    p[i] = v < high ? v : std::nextafter(high, low);
  }
  return out;
}

Tensor randn(const Shape& shape, Generator& gen, float mean, float stddev) {
  if (!(stddev >= 0.0f) || !std::isfinite(mean) || !std::isfinite(stddev))
    throw Error("randn: needs a finite mean and stddev >= 0, got mean=" + std::to_string(mean) +
                ", stddev=" + std::to_string(stddev));
  Tensor out = empty(shape);
  float* p = out.data();
  const int64_t n = out.numel();
  for (int64_t i = 0; i < n; ++i) p[i] = mean + stddev * gen.normal();
  return out;
}

Tensor bernoulli(const Shape& shape, float p, Generator& gen) {
  if (!(p >= 0.0f && p <= 1.0f))
    throw Error("bernoulli: probability " + std::to_string(p) + " is not in [0, 1]");
  Tensor out = empty(shape);
  float* q = out.data();
  const int64_t n = out.numel();
  for (int64_t i = 0; i < n; ++i) q[i] = gen.uniform() < p ? 1.0f : 0.0f;
  return out;
}

}  // namespace ae::tensor
