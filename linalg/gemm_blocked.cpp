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
//         for jr in the block's columns, NR at a time     B panel kc x NR -> L1
//           for ir in the block's rows, MR at a time        A panel MR x kc streams from L2
//             micro-kernel: C[ir.., jr..] (MR x NR, in registers) += A panel * B panel
//
// Packing copies each block into the order the micro-kernel reads it (see
// gemm_blocked.hpp), which makes every load contiguous, handles the transposes once
// per block instead of in the inner loop, and pads the edges with zeros.
//
// Threads: every thread runs the same loop nest; each takes its share of the panels to
// pack and of the (jr, ir) tiles of the macro-kernel, and barriers keep a block from
// being repacked while another thread still reads it.
// The packed blocks are shared: the A block is read by both cores from their own L2 after
// the first pass, and each thread mostly packs the B panels it then multiplies.
#include "linalg/gemm_blocked.hpp"

#include <omp.h>

#include <algorithm>
#include <cstddef>
#include <new>

namespace ae::linalg {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t round_up(int64_t a, int64_t b) { return ceil_div(a, b) * b; }

// Below this many multiply-adds per thread, starting threads costs more than it saves:
// a fork/join is a few microseconds, and 2^21 multiply-adds take about 20 us on one core.
constexpr double kMinWorkPerThread = double(1 << 21);

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

// Splits `total` into blocks of at most `max_block` that are as equal as possible and a
// multiple of `unit`: k = 300 with kc = 256 becomes 152 + 148 rather than 256 + 44,
// so no block is left too thin to amortise its packing and its pass over C.
int64_t balanced_block(int64_t total, int64_t max_block, int64_t unit) {
  const int64_t blocks = ceil_div(total, max_block);
  return std::min(max_block, round_up(ceil_div(total, blocks), unit));
}


// A thread's place in the team that runs the loop nest. Work is split explicitly (not with
// `omp for`), so the same code runs unchanged on a team of one, even when the caller is
// itself inside an OpenMP parallel region.
struct Team {
  int id = 0, size = 1;

  struct Range {
    int64_t first, last;
    struct Iter {
      int64_t i;
      int64_t operator*() const { return i; }
      Iter& operator++() { ++i; return *this; }
      bool operator!=(const Iter& o) const { return i != o.i; }
    };
    Iter begin() const { return {first}; }
    Iter end() const { return {last}; }
  };

  // This thread's contiguous share of `count` items: the first count % size threads
  // take one item more.
  Range share(int64_t count) const {
    const int64_t base = count / size, extra = count % size;
    const int64_t first = id * base + std::min<int64_t>(id, extra);
    return {first, first + base + (id < extra ? 1 : 0)};
  }

  void barrier() const {
    if (size > 1) {
#pragma omp barrier
    }
  }
};
}  // namespace

int gemm_threads(int64_t m, int64_t n, int64_t k) {
  if (omp_in_parallel()) return 1;  // one pool only: never nest teams inside a caller's
  const double work = double(m) * double(n) * double(k);
  const int by_work = int(std::min(work / kMinWorkPerThread, 1024.0));
  return std::max(1, std::min(omp_get_max_threads(), by_work));
}

namespace detail {

void gemm_blocked(const BlockedKernel& kern, Trans ta, Trans tb, int64_t m, int64_t n,
                  int64_t k, float alpha, const float* A, int64_t lda, const float* B,
                  int64_t ldb, float beta, float* C, int64_t ldc) {
  const int64_t MR = kern.mr, NR = kern.nr;
  const int64_t kc = balanced_block(k, kern.kc, 1);
  const int64_t mc = balanced_block(m, kern.mc, MR);
  const int64_t nc = balanced_block(n, kern.nc, NR);

  thread_local PackBuffer a_buffer, b_buffer;
  float* const a_pack = a_buffer.get(mc * kc);
  float* const b_pack = b_buffer.get(kc * nc);

  // The whole loop nest, run by every thread of the team.
  auto loop_nest = [&](const Team& team) {
    for (int64_t jc = 0; jc < n; jc += nc) {
      const int64_t n_block = std::min(nc, n - jc);
      const int64_t b_panels = ceil_div(n_block, NR);
      for (int64_t pc = 0; pc < k; pc += kc) {
        const int64_t depth = std::min(kc, k - pc);
        // C is scaled by the caller's beta once, on the first pass over the depth; later
        // passes accumulate onto it.
        const float beta_pass = pc == 0 ? beta : 1.0f;

        // Every thread has finished reading the previous B block (barrier at the end of
        // the ic loop), so it may be overwritten.
        for (int64_t s : team.share(b_panels))
          kern.pack_b(tb, B, ldb, pc, jc + s * NR, depth, std::min(NR, n_block - s * NR),
                      b_pack + s * NR * depth);

        for (int64_t ic = 0; ic < m; ic += mc) {
          const int64_t m_block = std::min(mc, m - ic);
          const int64_t a_panels = ceil_div(m_block, MR);

          for (int64_t r : team.share(a_panels))
            kern.pack_a(ta, A, lda, ic + r * MR, pc, std::min(MR, m_block - r * MR), depth,
                        a_pack + r * MR * depth);
          team.barrier();  // both blocks are packed

          // The macro-kernel. Tiles are numbered B panel first, so a thread's contiguous
          // share of them keeps one B panel in its L1 while the A panels stream past, and
          // its B panels are mostly the ones it packed itself.
          for (int64_t tile : team.share(b_panels * a_panels)) {
            const int64_t s = tile / a_panels, r = tile % a_panels;
            kern.micro_kernel(depth, a_pack + r * MR * depth, b_pack + s * NR * depth,
                              C + (ic + r * MR) * ldc + jc + s * NR, ldc,
                              std::min(MR, m_block - r * MR), std::min(NR, n_block - s * NR),
                              alpha, beta_pass);
          }
          team.barrier();  // nobody reads the A block any more
        }
      }
    }
  };

  const int threads = gemm_threads(m, n, k);
  if (threads == 1) {
    loop_nest(Team{0, 1});
  } else {
#pragma omp parallel num_threads(threads)
    loop_nest(Team{omp_get_thread_num(), omp_get_num_threads()});
  }
}

}  // namespace detail

}  // namespace ae::linalg
