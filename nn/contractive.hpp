#pragma once
// The contractive penalty — the squared Frobenius norm of the encoder's Jacobian (lecture 002;
// Rifai et al., "Contractive auto-encoders: explicit invariance during feature extraction",
// ICML 2011):
//
//   Ω(x) = ||J_f(x)||²_F = Σ_j Σ_i (∂h_j / ∂x_i)²        h = f(x) ∈ R^k,  x ∈ R^d
//
// computed three ways, each returning one value per sample (n):
//
// 1. Closed form, for one sigmoid layer h = σ(W x + b) (W: k x d). ∂h_j/∂x_i = h_j(1-h_j) W_ji,
//    so  Ω(x) = Σ_j (h_j (1 - h_j))² Σ_i W_ji²  — a (n x k) by (k) product, differentiable in
//    W and b like any loss term. This is what a CAE trains with.
// 2. Exact, for any encoder, by reverse mode: row j of J is the vector-Jacobian product
//    e_jᵀ J = ∇_x h_j, one per hidden unit. They are computed in one backward pass by stacking
//    k copies of every sample and seeding copy j with e_j. With create_graph the rows are
//    themselves recorded (double backward), so Ω can be trained on; that costs k times the
//    memory and work of one backward: the reason the closed form exists.
// 3. Hutchinson's estimate: for a probe v ∈ {-1, +1}^k with independent fair signs,
//    E[v vᵀ] = I, so  E_v ||Jᵀ v||² = E_v vᵀ J Jᵀ v = tr(J Jᵀ) = ||J||²_F.  Each probe is one
//    vector-Jacobian product; the mean over m probes is unbiased and its variance is
//    Var_1 / m with  Var_1 = 2 Σ_{a≠b} (J Jᵀ)²_ab  (Rademacher probes: the diagonal of J Jᵀ
//    contributes nothing, since v_a² = 1).
//
// Routes 2 and 3 apply `encoder` to a stack of copies of the samples, so the encoder must
// treat rows independently (no batch statistics), as Linear and element-wise layers do.
#include <cstdint>
#include <functional>

#include "autograd/variable.hpp"
#include "tensor/random.hpp"

namespace ae::nn {

/// An encoder h = f(x) on rows: (n x d) -> (n x k).
using EncoderFn = std::function<Variable(const Variable&)>;

/// Closed form of Ω for h = σ(x Wᵀ + b): given the codes h (n x k) and W (k x d), returns
/// (n) Σ_j (h_j(1-h_j))² Σ_i W_ji², recorded for backward. Throws ae::Error when the shapes
/// disagree (h's columns against W's rows).
Variable contraction_sigmoid(const Variable& h, const Variable& weight);

/// The Jacobians of the encoder at each sample: (n, k, d), by k vector-Jacobian products
/// done as one backward pass (see above). create_graph records it for a second backward.
/// Uses n·k·d floats. Throws ae::Error for an x that is not 2-D or empty.
Variable encoder_jacobian(const EncoderFn& encoder, const Tensor& x, bool create_graph = false);

/// Ω from the exact Jacobian: (n), differentiable when create_graph is set.
Variable contraction_exact(const EncoderFn& encoder, const Tensor& x, bool create_graph = true);

/// Hutchinson's estimate of Ω with `probes` Rademacher probes per sample: (n), the mean of
/// ||Jᵀ v||² over the probes; differentiable when create_graph is set. Throws ae::Error for
/// probes < 1.
Variable contraction_hutchinson(const EncoderFn& encoder, const Tensor& x, int probes, Generator& gen,
                                bool create_graph = true);

/// The single-probe estimates ||Jᵀ v_r||², r = 1..probes, of every sample: (probes, n), values
/// only. Their mean over axis 0 is contraction_hutchinson; their spread is the estimator's.
Tensor hutchinson_samples(const EncoderFn& encoder, const Tensor& x, int probes, Generator& gen);

/// Var_1 = 2 Σ_{a≠b} (J Jᵀ)²_ab: the variance of a single Rademacher probe's ||Jᵀ v||² for
/// one Jacobian J (k x d), in double.
double hutchinson_variance(const Tensor& jacobian);

/// Independent fair signs, -1 or +1.
Tensor rademacher(const Shape& shape, Generator& gen);

}  // namespace ae::nn
