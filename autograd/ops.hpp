#pragma once
// Differentiable ops on Variables. Same names and semantics as the tensor ops
// (tensor/ops.hpp): binary ops broadcast by NumPy's rules, reductions take a list of axes
// (empty = all) and keepdim, and shape errors throw ae::Error naming the op and the shapes.
//
// Each op records its backward rule (autograd/record.hpp); the rules sit beside the forward
// code in elementwise.cpp, reduce.cpp, linear_algebra.cpp and shape.cpp.
#include <cstdint>
#include <vector>

#include "autograd/record.hpp"
#include "autograd/variable.hpp"
#include "tensor/conv.hpp"
#include "tensor/ops.hpp"

namespace ae {

// ---- element-wise, binary (broadcasting) ----
Variable add(const Variable& a, const Variable& b);
Variable sub(const Variable& a, const Variable& b);
Variable mul(const Variable& a, const Variable& b);
Variable div(const Variable& a, const Variable& b);
/// a^b; the gradient with respect to b is a^b log a, defined for a > 0 only.
Variable pow(const Variable& a, const Variable& b);
Variable pow(const Variable& a, float exponent);
/// Where a == b the gradient is split evenly between them.
Variable maximum(const Variable& a, const Variable& b);
Variable minimum(const Variable& a, const Variable& b);
/// cond != 0 ? a : b, all three broadcast together; the condition is not differentiated.
Variable where(const Tensor& cond, const Variable& a, const Variable& b);

// ---- with a float on either side (no broadcasting work, no gradient for the float) ----
Variable add(const Variable& a, float s);
Variable add(float s, const Variable& a);
Variable sub(const Variable& a, float s);
Variable sub(float s, const Variable& a);
Variable mul(const Variable& a, float s);
Variable mul(float s, const Variable& a);
Variable div(const Variable& a, float s);
Variable div(float s, const Variable& a);

// ---- element-wise, unary ----
Variable neg(const Variable& x);
Variable exp(const Variable& x);
Variable log(const Variable& x);
Variable sqrt(const Variable& x);
Variable square(const Variable& x);
/// Gradient sign(x): 0 at x == 0.
Variable abs(const Variable& x);
/// -1, 0, +1; its gradient is zero everywhere (where it is defined).
Variable sign(const Variable& x);
/// Gradient 1 inside [low, high] (edges included), 0 outside.
Variable clamp(const Variable& x, float low, float high);
Variable sigmoid(const Variable& x);
Variable tanh(const Variable& x);
/// Gradient 1 for x > 0, else 0.
Variable relu(const Variable& x);
Variable softplus(const Variable& x);

// ---- reductions (empty axes = all axes) ----
Variable sum(const Variable& x, const Axes& axes = {}, bool keepdim = false);
Variable mean(const Variable& x, const Axes& axes = {}, bool keepdim = false);
/// Gradient to the maximal elements; ties share it evenly.
Variable max(const Variable& x, const Axes& axes = {}, bool keepdim = false);
Variable logsumexp(const Variable& x, const Axes& axes = {}, bool keepdim = false);

// ---- linear algebra ----
/// 2-D x 2-D, batched N-D (batch axes broadcast) and 1-D operands, as tensor::matmul.
Variable matmul(const Variable& a, const Variable& b);
/// beta * c + alpha * (a · b) for 2-D a and b; c broadcasts to the (m, n) result.
Variable addmm(const Variable& c, const Variable& a, const Variable& b, float beta = 1.0f,
               float alpha = 1.0f);
/// y = x · Wᵀ + b with W stored (out, in) and b (out) optional (pass Variable() for none),
/// as PyTorch's linear: one gemm (tensor::addmm). x is (batch, in) or (..., in).
Variable linear(const Variable& x, const Variable& weight, const Variable& bias = {});

// ---- shapes and views (the forward is a view where the tensor op is) ----
Variable reshape(const Variable& x, const Shape& shape);
Variable transpose(const Variable& x, int64_t axis_a, int64_t axis_b);
Variable permute(const Variable& x, const Axes& order);
Variable slice(const Variable& x, int64_t axis, int64_t start, int64_t stop, int64_t step = 1);
/// Broadcast to a larger shape; the gradient is summed back (sum_to).
Variable expand(const Variable& x, const Shape& shape);
/// Sums x down to `shape` (the reverse of expand); x itself when the shapes are equal.
Variable sum_to(const Variable& x, const Shape& shape);
Variable squeeze(const Variable& x, int64_t axis);
Variable unsqueeze(const Variable& x, int64_t axis);
/// Entries at `indices` along `axis`; repeated indices add their gradients.
Variable index_select(const Variable& x, int64_t axis, const std::vector<int64_t>& indices);
Variable concat(const std::vector<Variable>& parts, int64_t axis);
Variable stack(const std::vector<Variable>& parts, int64_t axis);

// ---- comparisons: 1.0f where true, else 0.0f; constants, not differentiated ----
Tensor eq(const Variable& a, const Variable& b);
Tensor ne(const Variable& a, const Variable& b);
Tensor lt(const Variable& a, const Variable& b);
Tensor le(const Variable& a, const Variable& b);
Tensor gt(const Variable& a, const Variable& b);
Tensor ge(const Variable& a, const Variable& b);

// ---- operators ----
Variable operator+(const Variable& a, const Variable& b);
Variable operator-(const Variable& a, const Variable& b);
Variable operator*(const Variable& a, const Variable& b);
Variable operator/(const Variable& a, const Variable& b);
Variable operator-(const Variable& x);
Variable operator+(const Variable& a, float s);
Variable operator-(const Variable& a, float s);
Variable operator*(const Variable& a, float s);
Variable operator/(const Variable& a, float s);
Variable operator+(float s, const Variable& a);
Variable operator-(float s, const Variable& a);
Variable operator*(float s, const Variable& a);
Variable operator/(float s, const Variable& a);

// ---- convolution, pooling and upsampling on (N, C, H, W) images (autograd/conv.cpp) ----
// Built from unfold (im2col, tensor/conv.hpp) and the gemm of matmul, so that a whole batch
// is one matrix product; the tensor::*_direct loops are their specifications. Shape errors
// throw ae::Error naming the op and the shapes.

/// The windows of x as columns, (C·kh·kw, N·Ho·Wo); padding reads pad_value.
/// Gradient: fold (pixels shared by several windows collect several terms).
Variable unfold(const Variable& x, const tensor::Window2d& window, float pad_value = 0.0f);
/// The adjoint of unfold: columns added back into zeros of image_shape. Gradient: unfold.
Variable fold(const Variable& cols, const Shape& image_shape, const tensor::Window2d& window);
/// y[n, o] = b[o] + Σ_c w[o, c] ⋆ x[n, c] (cross-correlation, as PyTorch's conv2d) for x
/// (N, C, H, W), weight (O, C, kh, kw) and bias (O) or undefined; zero padding on each side.
Variable conv2d(const Variable& x, const Variable& weight, const Variable& bias = {}, int64_t stride = 1,
                int64_t padding = 0);
/// The transposed convolution (conv2d's adjoint in x, as PyTorch's conv_transpose2d): x
/// (N, C, H, W), weight (C, O, kh, kw); output (N, O, (H-1)·s - 2p + kh, (W-1)·s - 2p + kw).
Variable conv_transpose2d(const Variable& x, const Variable& weight, const Variable& bias = {},
                          int64_t stride = 1, int64_t padding = 0);
/// Maximum over kernel x kernel windows (stride 0 means stride = kernel; padding counts as
/// -infinity and is at most kernel / 2). Ties share the gradient evenly, as max does.
Variable max_pool2d(const Variable& x, int64_t kernel, int64_t stride = 0, int64_t padding = 0);
/// Mean over kernel x kernel windows (stride 0 means stride = kernel), zero padding counted in
/// the mean (PyTorch's count_include_pad).
Variable avg_pool2d(const Variable& x, int64_t kernel, int64_t stride = 0, int64_t padding = 0);
/// Nearest-neighbour upsampling by an integer factor: every pixel becomes a scale x scale block.
Variable upsample_nearest(const Variable& x, int64_t scale);

}  // namespace ae
