// matmul and addmm on linalg::gemm.
//
// gemm reads a row-major matrix with a leading dimension, optionally transposed. A 2-D
// view with strides {ld, 1} is such a matrix as it stands; a transposed view (strides
// {1, ld}) is the transpose of one, so it goes to gemm as Trans::Yes with no copy. Any
// other layout (a slice with a step along columns, a broadcast) is copied to contiguous.
#include <optional>
#include <string>

#include "linalg/gemm.hpp"
#include "tensor/map.hpp"
#include "tensor/ops.hpp"

namespace ae::tensor {

namespace {

using linalg::Trans;

struct GemmLayout {
  Trans trans;
  int64_t ld;
};

// How gemm can read a rows x cols matrix with strides (s0, s1), if it can. The stride of a
// size-1 axis is never used, so it is taken to be whatever makes the layout fit.
std::optional<GemmLayout> gemm_layout(int64_t rows, int64_t cols, int64_t s0, int64_t s1) {
  if (rows == 0 || cols == 0) return GemmLayout{Trans::No, std::max<int64_t>(cols, 1)};
  const int64_t row_major_s1 = cols == 1 ? 1 : s1;
  const int64_t row_major_s0 = rows == 1 ? std::max<int64_t>(cols, 1) : s0;
  if (row_major_s1 == 1 && row_major_s0 >= std::max<int64_t>(cols, 1))
    return GemmLayout{Trans::No, row_major_s0};
  const int64_t col_major_s0 = rows == 1 ? 1 : s0;
  const int64_t col_major_s1 = cols == 1 ? std::max<int64_t>(rows, 1) : s1;
  if (col_major_s0 == 1 && col_major_s1 >= std::max<int64_t>(rows, 1))
    return GemmLayout{Trans::Yes, col_major_s1};
  return std::nullopt;
}

// x itself when gemm can read its last two axes, else a contiguous copy.
Tensor gemm_readable(const Tensor& x) {
  const int64_t d = x.dim();
  return gemm_layout(x.shape()[d - 2], x.shape()[d - 1], x.strides()[d - 2], x.strides()[d - 1])
             ? x
             : x.contiguous();
}

// C (m x n, row stride ldc) = alpha * a b + beta * C, with a, b 2-D views at the given
// offsets of their storage, both gemm-readable.
void gemm_views(const Tensor& a, const Tensor& b, int64_t a_offset, int64_t b_offset,
                int64_t m, int64_t n, int64_t k, float alpha, float beta, float* c) {
  const int64_t da = a.dim(), db = b.dim();
  const auto la = *gemm_layout(m, k, a.strides()[da - 2], a.strides()[da - 1]);
  const auto lb = *gemm_layout(k, n, b.strides()[db - 2], b.strides()[db - 1]);
  linalg::gemm(la.trans, lb.trans, m, n, k, alpha, a.storage()->data() + a_offset, la.ld,
               b.storage()->data() + b_offset, lb.ld, beta, c, std::max<int64_t>(n, 1));
}

[[noreturn]] void inner_mismatch(const char* op, const Tensor& a, const Tensor& b) {
  throw Error(std::string(op) + ": inner sizes differ: " + to_string(a.shape()) + " x " +
              to_string(b.shape()));
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
  detail::require_defined(a, "matmul");
  detail::require_defined(b, "matmul");
  if (a.dim() == 0 || b.dim() == 0)
    throw Error("matmul: needs at least 1-D operands, got " + to_string(a.shape()) + " x " +
                to_string(b.shape()));
  // As in NumPy, a 1-D left operand is a row vector and a 1-D right operand a column
  // vector; the added axis is removed from the result.
  if (a.dim() == 1 && b.dim() == 1) {
    if (a.shape()[0] != b.shape()[0]) inner_mismatch("matmul", a, b);
    return matmul(a.unsqueeze(0), b.unsqueeze(1)).reshape({});
  }
  if (a.dim() == 1) {
    if (a.shape()[0] != b.shape()[b.dim() - 2]) inner_mismatch("matmul", a, b);
    return matmul(a.unsqueeze(0), b).squeeze(-2);
  }
  if (b.dim() == 1) {
    if (b.shape()[0] != a.shape()[a.dim() - 1]) inner_mismatch("matmul", a, b);
    return matmul(a, b.unsqueeze(1)).squeeze(-1);
  }

  const int64_t m = a.shape()[a.dim() - 2], k = a.shape()[a.dim() - 1];
  const int64_t n = b.shape()[b.dim() - 1];
  if (b.shape()[b.dim() - 2] != k) inner_mismatch("matmul", a, b);

  if (a.dim() == 2 && b.dim() == 2) {
    const Tensor ga = gemm_readable(a), gb = gemm_readable(b);
    Tensor out = empty({m, n});
    gemm_views(ga, gb, ga.offset(), gb.offset(), m, n, k, 1.0f, 0.0f, out.data());
    return out;
  }

  const Shape batch_a(a.shape().begin(), a.shape().end() - 2);
  const Shape batch_b(b.shape().begin(), b.shape().end() - 2);
  Shape batch;
  try {
    batch = broadcast_shapes(batch_a, batch_b, "matmul");
  } catch (const Error&) {
    throw Error("matmul: batch axes of " + to_string(a.shape()) + " and " +
                to_string(b.shape()) + " cannot be broadcast");
  }
  Shape out_shape = batch;
  out_shape.push_back(m);
  out_shape.push_back(n);

  // A batch of rows times one matrix (a linear layer on a 3-D input) is one gemm.
  if (b.dim() == 2) return matmul(a.reshape({numel_of(batch) * m, k}), b).reshape(out_shape);

  Shape a_shape = batch, b_shape = batch;
  a_shape.insert(a_shape.end(), {m, k});
  b_shape.insert(b_shape.end(), {k, n});
  const Tensor ea = gemm_readable(a).expand(a_shape);
  const Tensor eb = gemm_readable(b).expand(b_shape);
  Tensor out = empty(out_shape);
  const int64_t batches = numel_of(batch);
  const int64_t nb = static_cast<int64_t>(batch.size());
  std::vector<int64_t> index(batch.size(), 0);
  int64_t a_offset = ea.offset(), b_offset = eb.offset();
  for (int64_t i = 0; i < batches; ++i) {
    gemm_views(ea, eb, a_offset, b_offset, m, n, k, 1.0f, 0.0f, out.data() + i * m * n);
    // Next batch index, last batch axis fastest.
    for (int64_t d = nb - 1; d >= 0; --d) {
      ++index[d];
      a_offset += ea.strides()[d];
      b_offset += eb.strides()[d];
      if (index[d] < batch[d]) break;
      a_offset -= ea.strides()[d] * batch[d];
      b_offset -= eb.strides()[d] * batch[d];
      index[d] = 0;
    }
  }
  return out;
}

Tensor addmm(const Tensor& c, const Tensor& a, const Tensor& b, float beta, float alpha) {
  detail::require_defined(c, "addmm");
  detail::require_defined(a, "addmm");
  detail::require_defined(b, "addmm");
  if (a.dim() != 2 || b.dim() != 2)
    throw Error("addmm: expects 2-D matrices, got " + to_string(a.shape()) + " x " +
                to_string(b.shape()));
  const int64_t m = a.shape()[0], k = a.shape()[1], n = b.shape()[1];
  if (b.shape()[0] != k) inner_mismatch("addmm", a, b);
  const Shape out_shape{m, n};
  if (broadcast_shapes(c.shape(), out_shape, "addmm") != out_shape)
    throw Error("addmm: c of shape " + to_string(c.shape()) +
                " cannot be broadcast to the product's shape " + to_string(out_shape));
  Tensor out = empty(out_shape);
  // beta * c goes into the output first; gemm then adds alpha * a b on top (beta = 1).
  // With beta == 0, c is not read at all (BLAS convention: NaN in c does not leak).
  float gemm_beta = 0.0f;
  if (beta != 0.0f) {
    out.copy_(c);
    if (beta != 1.0f) out.mul_(beta);
    gemm_beta = 1.0f;
  }
  const Tensor ga = gemm_readable(a), gb = gemm_readable(b);
  gemm_views(ga, gb, ga.offset(), gb.offset(), m, n, k, alpha, gemm_beta, out.data());
  return out;
}

}  // namespace ae::tensor
