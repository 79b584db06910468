#pragma once
// Tensor ops — creation, element-wise math with NumPy broadcasting, reductions, matmul.
//
// All results are new contiguous tensors. Binary ops broadcast their operands by NumPy's
// rules; a non-broadcastable pair throws ae::Error naming the op and both shapes.
#include <cstdint>
#include <vector>

#include "tensor/random.hpp"
#include "tensor/tensor.hpp"

namespace ae::tensor {

// ---- creation ----
Tensor empty(const Shape& shape);  // uninitialised
Tensor zeros(const Shape& shape);
Tensor ones(const Shape& shape);
Tensor full(const Shape& shape, float value);
/// 0-d tensor holding one value.
Tensor scalar(float value);
/// [start, start+step, ...) up to stop (exclusive), 1-D.
Tensor arange(float start, float stop, float step = 1.0f);
Tensor arange(int64_t n);
/// n x n identity.
Tensor eye(int64_t n);
/// Takes the values in row-major order; values.size() must equal the shape's numel.
Tensor from_vector(const std::vector<float>& values, const Shape& shape);
/// Uniform on [low, high).
Tensor rand(const Shape& shape, Generator& gen, float low = 0.0f, float high = 1.0f);
/// Normal with mean and standard deviation.
Tensor randn(const Shape& shape, Generator& gen, float mean = 0.0f, float stddev = 1.0f);
/// 1 with probability p, else 0.
Tensor bernoulli(const Shape& shape, float p, Generator& gen);

// ---- broadcasting ----
/// NumPy's broadcast of two shapes; throws ae::Error("<op>: shapes [..] and [..] ...").
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);
/// Sums `grad` down to `shape` (the reverse of broadcasting `shape` up to grad.shape()).
/// Returns `grad` itself (sharing storage) when the shapes already agree.
Tensor sum_to(const Tensor& grad, const Shape& shape);

// ---- element-wise, binary (broadcasting) ----
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor pow(const Tensor& a, const Tensor& b);
Tensor pow(const Tensor& a, float exponent);
Tensor maximum(const Tensor& a, const Tensor& b);
Tensor minimum(const Tensor& a, const Tensor& b);
// comparisons give 1.0f where true, 0.0f where false
Tensor eq(const Tensor& a, const Tensor& b);
Tensor ne(const Tensor& a, const Tensor& b);
Tensor lt(const Tensor& a, const Tensor& b);
Tensor le(const Tensor& a, const Tensor& b);
Tensor gt(const Tensor& a, const Tensor& b);
Tensor ge(const Tensor& a, const Tensor& b);
/// cond != 0 ? a : b, all three broadcast together.
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b);

// ---- element-wise, unary ----
Tensor neg(const Tensor& x);
Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);
Tensor sqrt(const Tensor& x);
Tensor abs(const Tensor& x);
Tensor sign(const Tensor& x);  // -1, 0, +1
Tensor clamp(const Tensor& x, float low, float high);
Tensor sigmoid(const Tensor& x);   // stable for large |x|
Tensor tanh(const Tensor& x);
Tensor relu(const Tensor& x);
Tensor softplus(const Tensor& x);  // log(1 + e^x), stable: max(x,0) + log1p(e^-|x|)

// ---- activation gradients, fused: one pass each (autograd's rules when not recording) ----
/// grad * (out * (1 - out)), out = sigmoid(x) the forward's output: dL/dx of sigmoid.
Tensor sigmoid_backward(const Tensor& grad, const Tensor& out);
/// grad * (1 - out * out), out = tanh(x): dL/dx of tanh.
Tensor tanh_backward(const Tensor& grad, const Tensor& out);
/// grad * [x > 0], x the forward's input: dL/dx of relu.
Tensor relu_backward(const Tensor& grad, const Tensor& x);

// ---- reductions over axes (empty axes = all); keepdim keeps reduced axes as size 1 ----
// Sums accumulate in double and round the result to float (a Tensor is float32): use
// sum_double below when the total itself must keep double precision. mean and max of an
// empty axis throw; sum of one is 0. max propagates NaN.
Tensor sum(const Tensor& x, const Axes& axes = {}, bool keepdim = false);
Tensor mean(const Tensor& x, const Axes& axes = {}, bool keepdim = false);
Tensor max(const Tensor& x, const Axes& axes = {}, bool keepdim = false);
/// Index of the first maximum along one axis, as float values.
Tensor argmax(const Tensor& x, int64_t axis, bool keepdim = false);
/// log(sum(exp(x))) over axes, stable (shifted by the max).
Tensor logsumexp(const Tensor& x, const Axes& axes = {}, bool keepdim = false);
/// The column sums of a 2-D (m, n) tensor, shape (n): sum(x, {0}) in one pass over the rows,
/// accumulated in double (a linear layer's bias gradient). Throws unless x is 2-D.
Tensor sum_rows(const Tensor& x);

// ---- whole-tensor numbers, in double ----
/// Σ x_i over every element, accumulated and returned in double.
double sum_double(const Tensor& x);
/// Σ a_i b_i over every element of two tensors of the same shape (vectors, or matrices
/// as the Frobenius inner product), accumulated and returned in double.
double dot(const Tensor& a, const Tensor& b);
/// √(Σ x_i²): the 2-norm of a vector, the Frobenius norm of a matrix; in double.
double norm(const Tensor& x);
/// a bᵀ for 1-D a (m) and b (n): the (m, n) matrix with entries a_i b_j.
Tensor outer(const Tensor& a, const Tensor& b);

// ---- linear algebra (through linalg::gemm) ----
/// 2-D x 2-D: (m,k)·(k,n) -> (m,n). N-D: batched over the leading axes, which broadcast.
/// As in NumPy, a 1-D left operand is a row and a 1-D right operand a column, and that
/// axis is dropped from the result. Any strided view works: transposed views are passed
/// to gemm as transpose flags, without copying; other views (slices with a step,
/// expanded axes) are first copied to a contiguous tensor.
Tensor matmul(const Tensor& a, const Tensor& b);
/// beta * c + alpha * (a · b) for 2-D a, b; c broadcasts to the (m, n) result
/// (a bias row, for example). One gemm: the fused step of a linear layer.
Tensor addmm(const Tensor& c, const Tensor& a, const Tensor& b, float beta = 1.0f,
             float alpha = 1.0f);

// ---- gathering and joining ----
/// Rows (entries along `axis`) at the given indices, in that order; negative indices count
/// from the end.
Tensor index_select(const Tensor& x, int64_t axis, const std::vector<int64_t>& indices);
/// The parts joined along an existing axis; all other axes must agree.
Tensor concat(const std::vector<Tensor>& parts, int64_t axis);
/// The parts (all of one shape) joined along a NEW axis inserted at `axis`: k vectors of
/// length n stacked at axis 0 give a (k, n) matrix, at axis 1 an (n, k) one.
Tensor stack(const std::vector<Tensor>& parts, int64_t axis);

// ---- comparisons for tests ----
/// True when shapes are equal and |a - b| <= atol + rtol * |b| everywhere (NaN never close).
bool allclose(const Tensor& a, const Tensor& b, float rtol = 1e-5f, float atol = 1e-8f);

}  // namespace ae::tensor

namespace ae {
// Operators, found by argument-dependent lookup on ae::Tensor.
Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& x);
Tensor operator+(const Tensor& a, float s);
Tensor operator-(const Tensor& a, float s);
Tensor operator*(const Tensor& a, float s);
Tensor operator/(const Tensor& a, float s);
Tensor operator+(float s, const Tensor& a);
Tensor operator-(float s, const Tensor& a);
Tensor operator*(float s, const Tensor& a);
Tensor operator/(float s, const Tensor& a);
}  // namespace ae
