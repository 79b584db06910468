#pragma once
// Convolution kernels on (N, C, H, W) images: unfold (im2col) and its adjoint fold (col2im),
// the pieces autograd's conv2d, conv_transpose2d and pooling are built from, and the direct
// loops that specify what those ops compute.
//
// A window of kh x kw pixels slides over the zero-padded image (padding p on every side) in
// steps of `stride` s. Along an axis of size H there are
//     Ho = (H + 2p - kh) / s + 1      window positions (integer division),
// and window (oh, ow) covers rows oh·s - p ... oh·s - p + kh - 1 and the matching columns.
//
// unfold lays every window out as a column of one matrix for the whole batch:
//     cols[(c·kh + i)·kw + j,  (n·Ho + oh)·Wo + ow] = x[n, c, oh·s - p + i, ow·s - p + j]
// (pad_value where the index falls outside the image). A convolution with a weight W of
// shape (O, C, kh, kw) is then one matrix product W.reshape(O, C·kh·kw) · cols for all N
// images at once — the gemm students have already read does all the arithmetic.
//
// fold is the adjoint (transpose) of unfold, taken with pad_value 0: it adds each entry of
// cols back onto the pixel it was copied from, so pixels that several windows share collect
// several terms, and the padding's entries are dropped. <unfold(x), c> = <x, fold(c)>.
#include <cstdint>

#include "tensor/tensor.hpp"

namespace ae::tensor {

/// A kh x kw window with one stride and one zero padding for both axes.
struct Window2d {
  int64_t kh = 1, kw = 1;
  int64_t stride = 1;
  int64_t padding = 0;
};

/// Number of window positions along an axis of `size` pixels: (size + 2p - k) / s + 1.
/// Throws ae::Error naming `op` when the window does not fit the padded axis.
int64_t window_positions(int64_t size, int64_t k, int64_t stride, int64_t padding, const char* op);

/// x (N, C, H, W) -> cols (C·kh·kw, N·Ho·Wo) as above. Throws ae::Error naming `op` and x's
/// shape for a tensor that is not 4-D, a kernel or stride below 1, a negative padding, or a
/// window larger than the padded image.
Tensor unfold(const Tensor& x, const Window2d& window, float pad_value = 0.0f, const char* op = "unfold");

/// The adjoint of unfold: cols (C·kh·kw, N·Ho·Wo) summed back into zeros of `image_shape`
/// (N, C, H, W). Throws ae::Error naming `op` when cols does not have the shape unfold gives.
Tensor fold(const Tensor& cols, const Shape& image_shape, const Window2d& window, const char* op = "fold");

// ---- the specifications: direct loops, one output element at a time ----
// Each is the definition of its op written out. They are slow and only for tests.

/// y[n, o, oh, ow] = b[o] + Σ_{c,i,j} w[o, c, i, j] · x[n, c, oh·s - p + i, ow·s - p + j]
/// (x outside the image is 0). w is (O, C, kh, kw); b (O) or undefined.
Tensor conv2d_direct(const Tensor& x, const Tensor& w, const Tensor& b, int64_t stride, int64_t padding);

/// The transposed convolution (the adjoint of conv2d in x): every input pixel x[n, c, h, v]
/// adds x · w[c, o, i, j] to y[n, o, h·s - p + i, v·s - p + j], then b[o] is added.
/// w is (C, O, kh, kw); the output is (H - 1)·s - 2p + kh high and likewise wide.
Tensor conv_transpose2d_direct(const Tensor& x, const Tensor& w, const Tensor& b, int64_t stride,
                               int64_t padding);

/// y[n, c, oh, ow] = max over the window of x (padding counts as -infinity).
Tensor max_pool2d_direct(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding);

/// y[n, c, oh, ow] = mean over the k² window entries of x, padding counted as zeros.
Tensor avg_pool2d_direct(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding);

/// y[n, c, h, v] = x[n, c, h / scale, v / scale] (nearest neighbour, integer scale).
Tensor upsample_nearest_direct(const Tensor& x, int64_t scale);

}  // namespace ae::tensor
