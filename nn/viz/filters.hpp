#pragma once
// Learned filters as images: each row of a weight matrix (units x pixels) scaled so that a
// weight of 0 is mid-gray, the row's largest |w| is black or white, and the sign shows as
// darker / lighter (the way UFLDL's display_network shows autoencoder features). Each filter
// gets its own scale, because what a reader compares is the pattern of a filter, not the
// norms of two filters.
#include "tensor/tensor.hpp"

namespace ae::viz {

/// 0.5 + 0.5 w / max_k |w_k| for each row w of a (units, pixels) matrix; a zero row stays
/// 0.5. With centre_rows, each row's mean is subtracted first (w - mean(w)): a sigmoid
/// layer's filters often share a large offset that would otherwise wash their pattern out.
/// The input is left unchanged. Throws ae::Error naming the shape when weights is not 2-D.
Tensor filters_for_display(const Tensor& weights, bool centre_rows = false);

}  // namespace ae::viz
