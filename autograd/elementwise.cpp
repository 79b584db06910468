// Element-wise ops on Variables: each forward beside its backward rule and the derivative.
//
// In the rules, g is dL/dy (ctx.grad), y the op's output (ctx.out). A binary op's operands
// were broadcast to y's shape, so each operand's gradient is summed back to its own shape
// with sum_to (which returns its argument untouched when the shapes already agree).
#include "autograd/ops.hpp"

namespace ae {

namespace {
Variable zeros_like(const Variable& x) { return Variable(tensor::zeros(x.shape())); }
Variable scalar(float value) { return Variable(tensor::scalar(value)); }
}  // namespace

// ---- binary, broadcasting ----

// add:  y = a + b                 dy/da = 1,   dy/db = 1
Variable add(const Variable& a, const Variable& b) {
  return record("add", tensor::add(a.value(), b.value()), {a, b}, [](const Backward& ctx) {
    return ctx.per_input([&] { return sum_to(ctx.grad, ctx.input(0).shape()); },
                         [&] { return sum_to(ctx.grad, ctx.input(1).shape()); });
  });
}

// sub:  y = a - b                 dy/da = 1,   dy/db = -1
Variable sub(const Variable& a, const Variable& b) {
  return record("sub", tensor::sub(a.value(), b.value()), {a, b}, [](const Backward& ctx) {
    return ctx.per_input([&] { return sum_to(ctx.grad, ctx.input(0).shape()); },
                         [&] { return -sum_to(ctx.grad, ctx.input(1).shape()); });
  });
}

// mul:  y = a b                   dy/da = b,   dy/db = a
Variable mul(const Variable& lhs, const Variable& rhs) {
  return record("mul", tensor::mul(lhs.value(), rhs.value()), {lhs, rhs}, [](const Backward& ctx) {
    const Variable &a = ctx.input(0), &b = ctx.input(1);
    return ctx.per_input([&] { return sum_to(ctx.grad * b, a.shape()); },
                         [&] { return sum_to(ctx.grad * a, b.shape()); });
  });
}

// div:  y = a / b                 dy/da = 1 / b,   dy/db = -a / b² = -y / b
Variable div(const Variable& lhs, const Variable& rhs) {
  return record("div", tensor::div(lhs.value(), rhs.value()), {lhs, rhs}, [](const Backward& ctx) {
    const Variable &a = ctx.input(0), &b = ctx.input(1);
    return ctx.per_input([&] { return sum_to(ctx.grad / b, a.shape()); },
                         [&] { return -sum_to(ctx.grad * ctx.out / b, b.shape()); });
  });
}

// pow:  y = a^b                   dy/da = b a^(b-1),   dy/db = a^b log a = y log a
Variable pow(const Variable& lhs, const Variable& rhs) {
  return record("pow", tensor::pow(lhs.value(), rhs.value()), {lhs, rhs}, [](const Backward& ctx) {
    const Variable &a = ctx.input(0), &b = ctx.input(1);
    return ctx.per_input([&] { return sum_to(ctx.grad * b * pow(a, b - 1.0f), a.shape()); },
                         [&] { return sum_to(ctx.grad * ctx.out * log(a), b.shape()); });
  });
}

// maximum:  y = max(a, b)         dy/da = [a > b] + ½[a = b],   dy/db = [b > a] + ½[a = b]
Variable maximum(const Variable& lhs, const Variable& rhs) {
  return record("maximum", tensor::maximum(lhs.value(), rhs.value()), {lhs, rhs},
                [](const Backward& ctx) {
                  const Variable &a = ctx.input(0), &b = ctx.input(1);
                  const Tensor to_a =
                      tensor::gt(a.value(), b.value()) + tensor::eq(a.value(), b.value()) * 0.5f;
                  return ctx.per_input([&] { return sum_to(ctx.grad * to_a, a.shape()); },
                                       [&] { return sum_to(ctx.grad * (1.0f - to_a), b.shape()); });
                });
}

// minimum:  y = min(a, b)         dy/da = [a < b] + ½[a = b],   dy/db = [b < a] + ½[a = b]
Variable minimum(const Variable& lhs, const Variable& rhs) {
  return record("minimum", tensor::minimum(lhs.value(), rhs.value()), {lhs, rhs},
                [](const Backward& ctx) {
                  const Variable &a = ctx.input(0), &b = ctx.input(1);
                  const Tensor to_a =
                      tensor::lt(a.value(), b.value()) + tensor::eq(a.value(), b.value()) * 0.5f;
                  return ctx.per_input([&] { return sum_to(ctx.grad * to_a, a.shape()); },
                                       [&] { return sum_to(ctx.grad * (1.0f - to_a), b.shape()); });
                });
}

// where:  y = cond ? a : b        dy/da = [cond],   dy/db = [not cond]
// (a select, not a product with the mask: an infinite gradient on the unselected side
// must not turn into 0 · inf = NaN)
Variable where(const Tensor& cond, const Variable& a, const Variable& b) {
  return record("where", tensor::where(cond, a.value(), b.value()), {a, b},
                [cond](const Backward& ctx) {
                  const Variable zero = scalar(0.0f);
                  return ctx.per_input(
                      [&] { return sum_to(where(cond, ctx.grad, zero), ctx.input(0).shape()); },
                      [&] { return sum_to(where(cond, zero, ctx.grad), ctx.input(1).shape()); });
                });
}

// ---- with a float ----

// y = a + s, s + a                dy/da = 1
Variable add(const Variable& a, float s) {
  return record("add", a.value() + s, {a}, [](const Backward& ctx) { return Grads{ctx.grad}; });
}
Variable add(float s, const Variable& a) { return add(a, s); }

// y = a - s                       dy/da = 1
Variable sub(const Variable& a, float s) {
  return record("sub", a.value() - s, {a}, [](const Backward& ctx) { return Grads{ctx.grad}; });
}

// y = s - a                       dy/da = -1
Variable sub(float s, const Variable& a) {
  return record("sub", s - a.value(), {a}, [](const Backward& ctx) { return Grads{-ctx.grad}; });
}

// y = a s, s a                    dy/da = s
Variable mul(const Variable& a, float s) {
  return record("mul", a.value() * s, {a},
                [s](const Backward& ctx) { return Grads{ctx.grad * s}; });
}
Variable mul(float s, const Variable& a) { return mul(a, s); }

// y = a / s                       dy/da = 1 / s
Variable div(const Variable& a, float s) {
  return record("div", a.value() / s, {a},
                [s](const Backward& ctx) { return Grads{ctx.grad / s}; });
}

// y = s / a                       dy/da = -s / a² = -y / a
Variable div(float s, const Variable& a) {
  return record("div", s / a.value(), {a},
                [](const Backward& ctx) { return Grads{-(ctx.grad * ctx.out / ctx.input(0))}; });
}

// ---- unary ----

// neg:  y = -x                    dy/dx = -1
Variable neg(const Variable& x) {
  return record("neg", tensor::neg(x.value()), {x},
                [](const Backward& ctx) { return Grads{-ctx.grad}; });
}

// exp:  y = e^x                   dy/dx = e^x = y
Variable exp(const Variable& x) {
  return record("exp", tensor::exp(x.value()), {x},
                [](const Backward& ctx) { return Grads{ctx.grad * ctx.out}; });
}

// log:  y = ln x                  dy/dx = 1 / x
Variable log(const Variable& x) {
  return record("log", tensor::log(x.value()), {x},
                [](const Backward& ctx) { return Grads{ctx.grad / ctx.input(0)}; });
}

// sqrt:  y = √x                   dy/dx = 1 / (2 √x) = 1 / (2 y)
Variable sqrt(const Variable& x) {
  return record("sqrt", tensor::sqrt(x.value()), {x},
                [](const Backward& ctx) { return Grads{ctx.grad / ctx.out * 0.5f}; });
}

// square:  y = x²                 dy/dx = 2 x
Variable square(const Variable& x) {
  return record("square", tensor::pow(x.value(), 2.0f), {x},
                [](const Backward& ctx) { return Grads{ctx.grad * ctx.input(0) * 2.0f}; });
}

// pow:  y = x^p (p a constant)    dy/dx = p x^(p-1)
Variable pow(const Variable& a, float exponent) {
  return record("pow", tensor::pow(a.value(), exponent), {a}, [exponent](const Backward& ctx) {
    if (exponent == 0.0f) return Grads{zeros_like(ctx.input(0))};
    return Grads{ctx.grad * pow(ctx.input(0), exponent - 1.0f) * exponent};
  });
}

// abs:  y = |x|                   dy/dx = sign(x)
Variable abs(const Variable& x) {
  return record("abs", tensor::abs(x.value()), {x}, [](const Backward& ctx) {
    return Grads{ctx.grad * tensor::sign(ctx.input(0).value())};
  });
}

// sign:  y = -1, 0 or +1          dy/dx = 0
Variable sign(const Variable& x) {
  return record("sign", tensor::sign(x.value()), {x},
                [](const Backward& ctx) { return Grads{zeros_like(ctx.input(0))}; });
}

// clamp:  y = min(max(x, low), high)        dy/dx = [low <= x <= high]
Variable clamp(const Variable& x, float low, float high) {
  return record("clamp", tensor::clamp(x.value(), low, high), {x},
                [low, high](const Backward& ctx) {
                  const Tensor& v = ctx.input(0).value();
                  const Tensor inside =
                      tensor::ge(v, tensor::scalar(low)) * tensor::le(v, tensor::scalar(high));
                  return Grads{ctx.grad * inside};
                });
}

// The activations' rules below run as one fused tensor pass (tensor::*_backward) unless the
// backward pass is itself being recorded (create_graph), which needs differentiable ops; the
// two compute the same float operations in the same order (tests/autograd/backward_test.cpp).

// sigmoid:  y = 1 / (1 + e^-x)    dy/dx = y (1 - y)
Variable sigmoid(const Variable& x) {
  return record("sigmoid", tensor::sigmoid(x.value()), {x}, [](const Backward& ctx) {
    if (!grad_enabled())
      return Grads{Variable(tensor::sigmoid_backward(ctx.grad.value(), ctx.out.value()))};
    return Grads{ctx.grad * (ctx.out * (1.0f - ctx.out))};
  });
}

// tanh:  y = tanh x               dy/dx = 1 - y²
Variable tanh(const Variable& x) {
  return record("tanh", tensor::tanh(x.value()), {x},
                [](const Backward& ctx) {
                  if (!grad_enabled())
                    return Grads{Variable(tensor::tanh_backward(ctx.grad.value(), ctx.out.value()))};
                  return Grads{ctx.grad * (1.0f - square(ctx.out))};
                });
}

// relu:  y = max(x, 0)            dy/dx = [x > 0]
Variable relu(const Variable& x) {
  return record("relu", tensor::relu(x.value()), {x}, [](const Backward& ctx) {
    if (!grad_enabled())
      return Grads{Variable(tensor::relu_backward(ctx.grad.value(), ctx.input(0).value()))};
    return Grads{ctx.grad * tensor::gt(ctx.input(0).value(), tensor::scalar(0.0f))};
  });
}

// softplus:  y = log(1 + e^x)     dy/dx = e^x / (1 + e^x) = sigmoid(x)
Variable softplus(const Variable& x) {
  return record("softplus", tensor::softplus(x.value()), {x},
                [](const Backward& ctx) { return Grads{ctx.grad * sigmoid(ctx.input(0))}; });
}

// ---- comparisons (constants) ----

Tensor eq(const Variable& a, const Variable& b) { return tensor::eq(a.value(), b.value()); }
Tensor ne(const Variable& a, const Variable& b) { return tensor::ne(a.value(), b.value()); }
Tensor lt(const Variable& a, const Variable& b) { return tensor::lt(a.value(), b.value()); }
Tensor le(const Variable& a, const Variable& b) { return tensor::le(a.value(), b.value()); }
Tensor gt(const Variable& a, const Variable& b) { return tensor::gt(a.value(), b.value()); }
Tensor ge(const Variable& a, const Variable& b) { return tensor::ge(a.value(), b.value()); }

// ---- operators ----

Variable operator+(const Variable& a, const Variable& b) { return add(a, b); }
Variable operator-(const Variable& a, const Variable& b) { return sub(a, b); }
Variable operator*(const Variable& a, const Variable& b) { return mul(a, b); }
Variable operator/(const Variable& a, const Variable& b) { return div(a, b); }
Variable operator-(const Variable& x) { return neg(x); }
Variable operator+(const Variable& a, float s) { return add(a, s); }
Variable operator-(const Variable& a, float s) { return sub(a, s); }
Variable operator*(const Variable& a, float s) { return mul(a, s); }
Variable operator/(const Variable& a, float s) { return div(a, s); }
Variable operator+(float s, const Variable& a) { return add(s, a); }
Variable operator-(float s, const Variable& a) { return sub(s, a); }
Variable operator*(float s, const Variable& a) { return mul(s, a); }
Variable operator/(float s, const Variable& a) { return div(s, a); }

}  // namespace ae
