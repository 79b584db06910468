#pragma once
// Filters — the weights of a first layer seen as images: what each hidden unit responds to.
//
// Vincent et al. (2008) compare them by eye: a denoising autoencoder's units become stroke
// and edge detectors, smooth over neighbouring pixels, while a plain one's stay noise-like.
// filter_roughness puts a number on that: how much neighbouring weights differ, relative to
// how much the weights vary at all.
#include <cstdint>
#include <vector>

#include "tensor/tensor.hpp"

namespace ae::nn {

/// (To draw filters as images: viz::filters_for_display in nn/viz/filters.hpp.)

/// For each row of a (units, height * width) tensor, read as a height × width image:
///     R = Σ_{p~q} (w_p - w_q)² / (2 P Var(w))
/// over the P pairs p ~ q of horizontally or vertically neighbouring pixels, with Var the
/// variance of the row's entries. Independent noise gives E R = 1 (E (w_p - w_q)² = 2 Var);
/// a smooth filter gives R well below 1; a checkerboard gives 2. A constant row gives 0.
/// Throws ae::Error when the rows are not height * width long.
std::vector<double> filter_roughness(const Tensor& filters, int64_t height, int64_t width);

}  // namespace ae::nn
