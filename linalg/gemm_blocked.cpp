// The BLIS loop nest around a register-tile micro-kernel, and its threads.
//
// Five loops take C = op(A) op(B) apart so that every operand of the innermost product
// comes from the fastest memory that can hold it (Van Zee & van de Geijn, "BLIS: A
// Framework for Rapidly Instantiating BLAS Functionality", ACM TOMS 2015):
//
//   for jc in columns of C, nc at a time          B block kc x nc   -> L3
//     for pc in the depth k, kc at a time           (packed once per (jc, pc))
//       pack op(B)[pc.., jc..]
//       for ic in rows of C, mc at a time          A block mc x kc   -> L2
//         pack op(A)[ic.., pc..]
//         for jr in the block's columns, NR at a time     B panel kc x NR -> L1 / L2
//           for ir in the block's rows, MR at a time        A panel MR x kc streams from L2
//             micro-kernel: C[ir.., jr..] (MR x NR, in registers) += A panel * B panel
//
// Packing copies each block into the order the micro-kernel reads it (see
// gemm_blocked.hpp), which makes every load contiguous, handles the transposes once
// per block instead of in the inner loop, and pads the edges with zeros.
//
// Threads: see gemm_blocked() at the bottom.
#include "linalg/gemm_blocked.hpp"

#include <omp.h>

#include <algorithm>
#include <cstddef>
#include <new>

namespace ae::linalg {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t round_up(int64_t a, int64_t b) { return ceil_div(a, b) * b; }

// Below this many multiply-adds per thread (a few microseconds of work), threads are not
// started. With OpenMP's workers awake (spinning after a previous parallel region) two
// threads already win on small cubes such as 64^3; a worker that has gone to sleep takes
// far longer to wake, which only bigger products repay (bench/gemm/RESULTS.md).
constexpr double kMinWorkPerThread = double(1 << 19);

// Packing buffers, kept per calling thread and grown on demand, so repeated products of
// the same size (a training loop) never allocate. 64-byte aligned: one cache line, and
// the alignment of a zmm load.
class PackBuffer {
 public:
  float* get(int64_t floats) {
    if (floats > capacity_) {
      release();
      const int64_t grown = std::max<int64_t>(floats, capacity_ + capacity_ / 2);
      data_ = static_cast<float*>(
          ::operator new(std::size_t(grown) * sizeof(float), std::align_val_t(64)));
      capacity_ = grown;
    }
    return data_;
  }
  ~PackBuffer() { release(); }

 private:
  void release() {
    if (data_ != nullptr) ::operator delete(data_, std::align_val_t(64));
    data_ = nullptr;
    capacity_ = 0;
  }
  float* data_ = nullptr;
  int64_t capacity_ = 0;
};

// Per thread, so that the threads of a team (or callers on several threads) never share
// a buffer; OpenMP's worker threads live on, so each keeps its buffers between calls.
thread_local PackBuffer a_buffer, b_buffer;

// Splits `total` into blocks of at most `max_block` that are as equal as possible and a
// multiple of `unit`: k = 300 with kc = 256 becomes 150 + 150 rather than 256 + 44,
// so no block is left too thin to amortise its packing and its pass over C.
int64_t balanced_block(int64_t total, int64_t max_block, int64_t unit) {
  const int64_t blocks = ceil_div(total, max_block);
  return std::min(max_block, round_up(ceil_div(total, blocks), unit));
}

}  // namespace

int gemm_threads(int64_t m, int64_t n, int64_t k) {
  if (omp_in_parallel()) return 1;  // one pool only: never nest teams inside a caller's
  if (m == 1 || n == 1) return 1;   // matrix-vector: one pass over memory, on one thread
  const double work = double(m) * double(n) * double(k);
  const int by_work = int(std::min(work / kMinWorkPerThread, 1024.0));
  return std::max(1, std::min(omp_get_max_threads(), by_work));
}

namespace detail {

namespace {

// The loop nest on one thread: C (m x n) = alpha * op(A) op(B) + beta * C.
void blocked_one_thread(const BlockedKernel& kern, Trans ta, Trans tb, int64_t m, int64_t n,
                        int64_t k, float alpha, const float* A, int64_t lda, const float* B,
                        int64_t ldb, float beta, float* C, int64_t ldc) {
  const int64_t MR = kern.mr, NR = kern.nr;
  const int64_t kc = balanced_block(k, kern.kc, 1);
  const int64_t mc = balanced_block(m, kern.mc, MR);
  const int64_t nc = balanced_block(n, kern.nc, NR);

  float* const a_pack = a_buffer.get(mc * kc);
  float* const b_pack = b_buffer.get(kc * nc);

  for (int64_t jc = 0; jc < n; jc += nc) {
    const int64_t n_block = std::min(nc, n - jc);
    const int64_t b_panels = ceil_div(n_block, NR);
    for (int64_t pc = 0; pc < k; pc += kc) {
      const int64_t depth = std::min(kc, k - pc);
      // C is scaled by the caller's beta on the first pass over the depth; later passes
      // accumulate onto it.
      const float beta_pass = pc == 0 ? beta : 1.0f;
      for (int64_t s = 0; s < b_panels; ++s)
        kern.pack_b(tb, B, ldb, pc, jc + s * NR, depth, std::min(NR, n_block - s * NR),
                    b_pack + s * NR * depth);

      for (int64_t ic = 0; ic < m; ic += mc) {
        const int64_t m_block = std::min(mc, m - ic);
        const int64_t a_panels = ceil_div(m_block, MR);
        for (int64_t r = 0; r < a_panels; ++r)
          kern.pack_a(ta, A, lda, ic + r * MR, pc, std::min(MR, m_block - r * MR), depth,
                      a_pack + r * MR * depth);

        // The macro-kernel: one B panel stays near the core while every A panel of the
        // block passes it.
        for (int64_t s = 0; s < b_panels; ++s)
          for (int64_t r = 0; r < a_panels; ++r)
            kern.micro_kernel(depth, a_pack + r * MR * depth, b_pack + s * NR * depth,
                              C + (ic + r * MR) * ldc + jc + s * NR, ldc,
                              std::min(MR, m_block - r * MR), std::min(NR, n_block - s * NR),
                              alpha, beta_pass);
      }
    }
  }
}

// m = 1 or n = 1: C is one row or one column, y = M x with M = op(B)^T or op(A) read in
// place (see gemm_vector_avx2.cpp), then C = alpha y + beta C.
void matrix_vector(const BlockedKernel& kern, Trans ta, Trans tb, int64_t m, int64_t n,
                   int64_t k, float alpha, const float* A, int64_t lda, const float* B,
                   int64_t ldb, float beta, float* C, int64_t ldc) {
  const bool row = m == 1;
  // x: the row of op(A) (m = 1) or the column of op(B) (n = 1), gathered if strided.
  const bool x_strided = row ? ta == Trans::Yes : tb == Trans::No;
  const float* x = row ? A : B;
  const int64_t x_stride = row ? lda : ldb;
  if (x_strided && k > 1) {
    float* gathered = a_buffer.get(k);
    for (int64_t p = 0; p < k; ++p) gathered[p] = x[p * x_stride];
    x = gathered;
  }
  // M's rows are contiguous when it is op(B)^T with B transposed, or op(A) with A not.
  const int64_t count = row ? n : m;
  const float* M = row ? B : A;
  const int64_t ldm = row ? ldb : lda;
  const bool rows_contiguous = row ? tb == Trans::Yes : ta == Trans::No;
  float* y = b_buffer.get(count);
  (rows_contiguous ? kern.dot_rows : kern.axpy_rows)(count, k, M, ldm, x, y);

  const int64_t c_stride = row ? 1 : ldc;
  for (int64_t i = 0; i < count; ++i) {
    float& c = C[i * c_stride];
    c = beta == 0.0f ? alpha * y[i] : alpha * y[i] + beta * c;  // beta == 0: C is not read
  }
}

}  // namespace

void gemm_blocked(const BlockedKernel& kern, Trans ta, Trans tb, int64_t m, int64_t n,
                  int64_t k, float alpha, const float* A, int64_t lda, const float* B,
                  int64_t ldb, float beta, float* C, int64_t ldc) {
  if (m == 1 || n == 1) {
    matrix_vector(kern, ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
    return;
  }
  const int threads = gemm_threads(m, n, k);
  if (threads == 1) {
    blocked_one_thread(kern, ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
    return;
  }
  // C is cut along its longer side into one slab per thread, on register-tile boundaries,
  // and each thread multiplies its slab alone: rows i0..i1 of C need only rows i0..i1 of
  // op(A) but all of op(B), columns need all of op(A). Each thread packs the operand
  // they share for itself: that costs about 8 * threads / max(m, n) of the time (a model
  // of the extra packing, not a measurement), and buys threads that never wait for each other inside a product,
  // which matters on a machine shared with other work, where a barrier waits for a thread
  // that is not running. Slabs start on tile boundaries, so every element of C is computed
  // by the same instructions as on one thread: the result does not depend on the thread
  // count.
  const bool split_rows = m >= n;
  const int64_t unit = split_rows ? kern.mr : kern.nr;
  const int64_t extent = split_rows ? m : n;
  const int64_t panels = ceil_div(extent, unit);
#pragma omp parallel num_threads(threads)
  {
    const int64_t t = omp_get_thread_num(), team = omp_get_num_threads();
    const int64_t first = std::min(extent, panels * t / team * unit);
    const int64_t last = std::min(extent, panels * (t + 1) / team * unit);
    if (first < last) {
      if (split_rows) {
        const float* a_rows = ta == Trans::No ? A + first * lda : A + first;
        blocked_one_thread(kern, ta, tb, last - first, n, k, alpha, a_rows, lda, B, ldb, beta,
                           C + first * ldc, ldc);
      } else {
        const float* b_cols = tb == Trans::No ? B + first : B + first * ldb;
        blocked_one_thread(kern, ta, tb, m, last - first, k, alpha, A, lda, b_cols, ldb, beta,
                           C + first, ldc);
      }
    }
  }
}

}  // namespace detail

}  // namespace ae::linalg
