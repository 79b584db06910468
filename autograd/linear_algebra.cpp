// Matrix products on Variables: matmul, addmm and the fused linear layer.
//
// For Y = A B and an incoming gradient G = dL/dY, dL/dA = G Bᵀ and dL/dB = Aᵀ G. The
// transposes are views, which tensor::matmul hands to gemm as transpose flags: no copies.
#include <string>

#include "autograd/ops.hpp"

namespace ae {

namespace {

Variable scaled(const Variable& v, float s) { return s == 1.0f ? v : v * s; }

Variable matrix_transpose(const Variable& m) { return transpose(m, -1, -2); }

}  // namespace

// matmul:  Y = A B                dL/dA = G Bᵀ,   dL/dB = Aᵀ G
// Broadcast batch axes are summed back. A 1-D left operand is a row vector and a 1-D right
// operand a column vector (NumPy), so G gets back the axis the product dropped.
Variable matmul(const Variable& lhs, const Variable& rhs) {
  return record(
      "matmul", tensor::matmul(lhs.value(), rhs.value()), {lhs, rhs}, [](const Backward& ctx) {
        const Variable &a = ctx.input(0), &b = ctx.input(1);
        const Variable A = a.dim() == 1 ? unsqueeze(a, 0) : a;
        const Variable B = b.dim() == 1 ? unsqueeze(b, 1) : b;
        Variable G = ctx.grad;
        if (b.dim() == 1) G = unsqueeze(G, -1);
        if (a.dim() == 1) G = unsqueeze(G, -2);
        return ctx.per_input(
            [&] { return reshape(sum_to(matmul(G, matrix_transpose(B)), A.shape()), a.shape()); },
            [&] {
              if (A.dim() > 2 && B.dim() == 2) {
                // One matrix for a whole batch: dL/dB = Σ_batch Aᵀ G is one product of the
                // batch flattened into rows.
                const int64_t k = A.shape().back(), n = G.shape().back();
                return reshape(matmul(transpose(reshape(A, {-1, k}), 0, 1), reshape(G, {-1, n})),
                               b.shape());
              }
              return reshape(sum_to(matmul(matrix_transpose(A), G), B.shape()), b.shape());
            });
      });
}

// addmm:  Y = β C + α A B         dL/dC = β G (summed to C's shape),
//                                 dL/dA = α G Bᵀ,   dL/dB = α Aᵀ G
Variable addmm(const Variable& c, const Variable& a, const Variable& b, float beta, float alpha) {
  return record("addmm", tensor::addmm(c.value(), a.value(), b.value(), beta, alpha), {c, a, b},
                [beta, alpha](const Backward& ctx) {
                  const Variable &C = ctx.input(0), &A = ctx.input(1), &B = ctx.input(2);
                  return ctx.per_input(
                      [&] { return scaled(sum_to(ctx.grad, C.shape()), beta); },
                      [&] { return scaled(matmul(ctx.grad, transpose(B, 0, 1)), alpha); },
                      [&] { return scaled(matmul(transpose(A, 0, 1), ctx.grad), alpha); });
                });
}

// linear:  Y = X Wᵀ + b           dL/dX = G W,   dL/dW = Gᵀ X,   dL/db = Σ_rows G
// W is stored (out, in) as in PyTorch; the forward is one gemm with the bias as its C.
Variable linear(const Variable& x, const Variable& weight, const Variable& bias) {
  if (weight.dim() != 2)
    throw Error("linear: weight must be 2-D (out, in), got shape " + to_string(weight.shape()));
  const int64_t out = weight.shape()[0], in = weight.shape()[1];
  if (x.dim() == 0 || x.shape().back() != in)
    throw Error("linear: input of shape " + to_string(x.shape()) + " does not fit weight " +
                to_string(weight.shape()) + " (the input's last axis must be " +
                std::to_string(in) + ")");
  if (bias.defined() && bias.shape() != Shape{out})
    throw Error("linear: bias of shape " + to_string(bias.shape()) + " does not fit weight " +
                to_string(weight.shape()) + " (expected [" + std::to_string(out) + "])");
  if (x.dim() != 2) {
    // (..., in) -> rows -> (..., out)
    Shape shape = x.shape();
    shape.back() = out;
    return reshape(linear(reshape(x, {-1, in}), weight, bias), shape);
  }
  const Tensor wt = weight.value().t();
  Tensor y =
      bias.defined() ? tensor::addmm(bias.value(), x.value(), wt) : tensor::matmul(x.value(), wt);
  return record("linear", std::move(y), {x, weight, bias}, [](const Backward& ctx) {
    const Variable &X = ctx.input(0), &W = ctx.input(1);
    return ctx.per_input([&] { return matmul(ctx.grad, W); },
                         [&] { return matmul(transpose(ctx.grad, 0, 1), X); },
                         [&] {
                           // Σ_rows G: one pass over G (tensor::sum_rows) unless recording.
                           if (!grad_enabled()) return Variable(tensor::sum_rows(ctx.grad.value()));
                           return sum(ctx.grad, {0});
                         });
  });
}

}  // namespace ae
