// Block Jacobi in round-robin order: the fast path of eigen_jacobi for large matrices.
//
// The n indices are cut into blocks of width w. A block rotation for the pair of blocks
// (I, J), with P = I u J, is the orthogonal Q that diagonalises the small block
// S = A[P, P] = Q D Q^T (found with single rotations); applying it,
//     A <- Q^T A Q  (rows and columns P),     V <- V Q  (columns P),
// moves all of off(S)^2 onto the diagonal at once, and the updates are matrix products.
//
// Round-robin order: with the blocks seated as in a tournament (block 0 fixed, the others
// moving one seat per round), each round pairs every block with another exactly once, and
// n_blocks - 1 rounds meet every pair: one sweep. The pairs P_1 ... P_m of a round are
// disjoint, so their Q_i commute and the round is one orthogonal transformation:
//     A[P_i, P_j] <- Q_i^T A[P_i, P_j] Q_j   for every i <= j (the rest by symmetry),
//     V^T[P_i, :] <- Q_i^T V^T[P_i, :].
// Every small eigenproblem and every block product of a round is independent of the others,
// which is what the OpenMP threads share out.
#include <algorithm>
#include <cmath>
#include <vector>

#include "linalg/eigen_jacobi_detail.hpp"
#include "linalg/matmul_f64.hpp"

namespace ae::linalg::detail {

namespace {

// Sweeps of the small eigenproblem per block rotation. It need not be solved exactly: the
// next sweep revisits the pair. Two sweeps took the fewest operations on the 784 x 784
// Fashion-MNIST covariance (one: 18 outer sweeps; two: 15; to convergence: 14, but with
// four times the inner rotations).
constexpr int kInnerSweeps = 2;

// The indices P = I u J of a block pair: two runs of consecutive indices.
struct Runs {
  int64_t start[2] = {0, 0};
  int64_t len[2] = {0, 0};
  int64_t size() const { return len[0] + len[1]; }
  int64_t at(int64_t x) const { return x < len[0] ? start[0] + x : start[1] + x - len[0]; }
};

struct PairWork {
  Runs index;
  Matrix qt;  // Q^T (rows are the eigenvectors of S)
  Matrix d;   // Q^T S Q, diagonal up to the floor
  bool rotated = false;
};

// out (rows.size() x cols.size()) = A[rows, cols]
void gather(const Matrix& a, const Runs& rows, const Runs& cols, double* out) {
  const int64_t nc = cols.size();
  for (int64_t x = 0; x < rows.size(); ++x, out += nc) {
    const double* src = a.row(rows.at(x));
    std::copy_n(src + cols.start[0], cols.len[0], out);
    std::copy_n(src + cols.start[1], cols.len[1], out + cols.len[0]);
  }
}

// Writes the block to A[rows, cols] and its transpose to A[cols, rows]; the transpose in
// 8 x 8 tiles, so that each tile touches 8 cache lines on either side.
void scatter_symmetric(Matrix& a, const Runs& rows, const Runs& cols, const double* block) {
  const int64_t nr = rows.size(), nc = cols.size();
  for (int64_t x = 0; x < nr; ++x) {
    double* dst = a.row(rows.at(x));
    std::copy_n(block + x * nc, cols.len[0], dst + cols.start[0]);
    std::copy_n(block + x * nc + cols.len[0], cols.len[1], dst + cols.start[1]);
  }
  for (int64_t y0 = 0; y0 < nc; y0 += 8)
    for (int64_t x0 = 0; x0 < nr; x0 += 8)
      for (int64_t y = y0; y < std::min(nc, y0 + 8); ++y) {
        double* dst = a.row(cols.at(y));
        for (int64_t x = x0; x < std::min(nr, x0 + 8); ++x) dst[rows.at(x)] = block[x * nc + y];
      }
}

}  // namespace

SweepStats jacobi_blocked(Matrix& a, Matrix& vt, int64_t block, double floor, double off_target,
                          int max_sweeps) {
  const int64_t n = a.rows;
  const int64_t n_blocks = (n + block - 1) / block;
  // An odd number of blocks gets a phantom block: whoever meets it sits the round out.
  const int64_t seats = n_blocks + n_blocks % 2;
  const int64_t n_pairs = seats / 2;
  std::vector<PairWork> work(static_cast<size_t>(n_pairs));
  SweepStats stats;

  // Threads meet three times a round, (n_blocks - 1) * 3 times a sweep. On a machine shared
  // with other jobs each meeting can cost a scheduler time slice (a mid-sized matrix can
  // take many times longer on two spinning threads than on one; bench/pca/RESULTS.md), so
  // the threads are only worth it for large matrices, where a round holds enough work.
  const bool threaded = n >= 1536;
  auto block_at_seat = [&](int64_t seat, int64_t round) {
    return seat == 0 ? 0 : 1 + (seat - 1 + round) % (seats - 1);
  };

  while (stats.sweeps < max_sweeps) {
    ++stats.sweeps;
    int64_t sweep_rotations = 0;
    for (int64_t round = 0; round + 1 < seats; ++round) {
      // 1. Pair the blocks and diagonalise each small block A[P, P].
      for (int64_t i = 0; i < n_pairs; ++i) {
        PairWork& w = work[static_cast<size_t>(i)];
        int64_t b1 = block_at_seat(i, round), b2 = block_at_seat(seats - 1 - i, round);
        if (b1 > b2) std::swap(b1, b2);
        for (int r = 0; r < 2; ++r) {
          const int64_t b = r == 0 ? b1 : b2;
          w.index.start[r] = std::min(n, b * block);
          w.index.len[r] = std::min(n, (b + 1) * block) - w.index.start[r];
        }
      }
      int64_t round_rotations = 0;
#pragma omp parallel for if (threaded) schedule(dynamic) reduction(+ : round_rotations)
      for (int64_t i = 0; i < n_pairs; ++i) {
        PairWork& w = work[static_cast<size_t>(i)];
        const int64_t s = w.index.size();
        if (w.d.rows != s) w.d = Matrix(s, s);
        gather(a, w.index, w.index, w.d.data.data());
        w.qt = Matrix::identity(s);
        const SweepStats inner = jacobi_single(w.d.data.data(), s, s, w.qt.data.data(), s, s, floor,
                                               0.0, kInnerSweeps, true);
        w.rotated = inner.rotations > 0;
        round_rotations += inner.rotations;
      }
      sweep_rotations += round_rotations;
      if (round_rotations == 0) continue;

      // 2. A[P_i, P_j] <- Q_i^T A[P_i, P_j] Q_j over the block pairs i <= j.
      const int64_t n_items = n_pairs * (n_pairs + 1) / 2;
#pragma omp parallel if (threaded)
      {
        std::vector<double> b, t, out;
#pragma omp for schedule(dynamic)
        for (int64_t item = 0; item < n_items; ++item) {
          // item -> (i, j) with i <= j, row by row of the upper triangle.
          int64_t i = 0, rest = item;
          while (rest >= n_pairs - i) rest -= n_pairs - i++;
          const int64_t j = i + rest;
          const PairWork& wi = work[static_cast<size_t>(i)];
          const PairWork& wj = work[static_cast<size_t>(j)];
          if (i == j) {
            if (wi.rotated) scatter_symmetric(a, wi.index, wi.index, wi.d.data.data());
            continue;
          }
          if (!wi.rotated && !wj.rotated) continue;
          const int64_t si = wi.index.size(), sj = wj.index.size();
          if (si == 0 || sj == 0) continue;
          b.resize(static_cast<size_t>(si * sj));
          t.resize(b.size());
          out.resize(b.size());
          gather(a, wi.index, wj.index, b.data());
          const double* left = b.data();
          if (wi.rotated) {
            matmul_f64(Trans::No, Trans::No, si, sj, si, 1.0, wi.qt.data.data(), si, b.data(), sj,
                       0.0, t.data(), sj);
            left = t.data();
          }
          const double* result = left;
          if (wj.rotated) {
            matmul_f64(Trans::No, Trans::Yes, si, sj, sj, 1.0, left, sj, wj.qt.data.data(), sj, 0.0,
                       out.data(), sj);
            result = out.data();
          }
          scatter_symmetric(a, wi.index, wj.index, result);
        }
      }

      // 3. V^T[P_i, :] <- Q_i^T V^T[P_i, :].
#pragma omp parallel if (threaded)
      {
        std::vector<double> rows, updated;
#pragma omp for schedule(dynamic)
        for (int64_t i = 0; i < n_pairs; ++i) {
          const PairWork& w = work[static_cast<size_t>(i)];
          if (!w.rotated) continue;
          const int64_t s = w.index.size();
          rows.resize(static_cast<size_t>(s * n));
          updated.resize(rows.size());
          for (int64_t x = 0; x < s; ++x)
            std::copy_n(vt.row(w.index.at(x)), n, rows.data() + x * n);
          matmul_f64(Trans::No, Trans::No, s, n, s, 1.0, w.qt.data.data(), s, rows.data(), n, 0.0,
                     updated.data(), n);
          for (int64_t x = 0; x < s; ++x)
            std::copy_n(updated.data() + x * n, n, vt.row(w.index.at(x)));
        }
      }
    }
    stats.rotations += sweep_rotations;
    if (sweep_rotations == 0 || off_diagonal_norm(a.data.data(), n, n) <= off_target) {
      stats.converged = true;
      break;
    }
  }
  return stats;
}

}  // namespace ae::linalg::detail
