// matmul_f64: packing, blocking and the register-tile micro-kernels.
//
// The loops, outermost first (the names follow the BLIS papers):
//   jc  columns of C in chunks of kNc        B chunk packed once per (jc, pc)
//   pc  the k dimension in blocks of kKc     C accumulates one k block at a time
//   ic  rows of C in blocks of kMc           A block packed once per (ic, pc)
//   jr, ir  NR-wide and MR-high panels       the micro-kernel on one MR x NR tile
// Threads each take a slice of C and run these loops on it (see run()).
// Packing copies op(A) and op(B) into the order the micro-kernel reads them (zero-padded
// at the edges), so the kernel never sees a transpose, a leading dimension or a ragged
// edge, and it reads both panels contiguously.
#include "linalg/matmul_f64.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define AE_X86_KERNELS 1
#endif

#include <omp.h>

#include "linalg/error.hpp"
#include "linalg/simd.hpp"

namespace ae::linalg {

namespace {

constexpr int64_t kKc = 128;   // k block: the B micro-panel (kKc x NR) stays in L1
constexpr int64_t kMc = 64;    // rows of C per work item: the packed A block stays in L2
constexpr int64_t kNc = 1024;  // columns of the packed B chunk
constexpr int kMaxTile = 8 * 16;

// A micro-kernel computes the MR x NR tile  c = alpha * sum_p a[p*MR + i] * b[p*NR + j]
// + beta * c: kc rank-1 updates of a tile held in registers, then one pass over c
// (with beta == 0, c is overwritten unread).
using MicroKernel = void (*)(int64_t kc, const double* a, const double* b, double* c, int64_t ldc,
                             double alpha, double beta);

struct Kernel {
  int mr;
  int nr;
  MicroKernel fn;
};

// The portable kernel: plain loops the compiler vectorises with SSE2.
template <int MR, int NR>
void kernel_scalar(int64_t kc, const double* a, const double* b, double* c, int64_t ldc,
                   double alpha, double beta) {
  double t[MR][NR] = {};
  for (int64_t p = 0; p < kc; ++p, a += MR, b += NR)
    for (int i = 0; i < MR; ++i)
      for (int j = 0; j < NR; ++j) t[i][j] += a[i] * b[j];
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NR; ++j)
      c[i * ldc + j] = beta == 0.0 ? alpha * t[i][j] : alpha * t[i][j] + beta * c[i * ldc + j];
}

#ifdef AE_X86_KERNELS
// AVX2: a 6 x 8 tile is 12 ymm accumulators; per step 2 loads of B, 6 broadcasts of A.
[[gnu::target("avx2,fma")]] void kernel_avx2(int64_t kc, const double* a, const double* b,
                                             double* c_out, int64_t ldc, double alpha,
                                             double beta) {
  __m256d c[6][2];
#pragma GCC unroll 6
  for (int i = 0; i < 6; ++i) c[i][0] = c[i][1] = _mm256_setzero_pd();
  for (int64_t p = 0; p < kc; ++p, a += 6, b += 8) {
    const __m256d b0 = _mm256_loadu_pd(b), b1 = _mm256_loadu_pd(b + 4);
#pragma GCC unroll 6
    for (int i = 0; i < 6; ++i) {
      const __m256d ai = _mm256_broadcast_sd(a + i);
      c[i][0] = _mm256_fmadd_pd(ai, b0, c[i][0]);
      c[i][1] = _mm256_fmadd_pd(ai, b1, c[i][1]);
    }
  }
  const __m256d va = _mm256_set1_pd(alpha), vb = _mm256_set1_pd(beta);
#pragma GCC unroll 6
  for (int i = 0; i < 6; ++i) {
    double* row = c_out + i * ldc;
    __m256d r0 = _mm256_mul_pd(va, c[i][0]), r1 = _mm256_mul_pd(va, c[i][1]);
    if (beta != 0.0) {
      r0 = _mm256_fmadd_pd(vb, _mm256_loadu_pd(row), r0);
      r1 = _mm256_fmadd_pd(vb, _mm256_loadu_pd(row + 4), r1);
    }
    _mm256_storeu_pd(row, r0);
    _mm256_storeu_pd(row + 4, r1);
  }
}

// AVX-512: an 8 x 16 tile is 16 zmm accumulators; per step 2 loads of B, 8 broadcasts of A.
[[gnu::target("avx512f")]] void kernel_avx512(int64_t kc, const double* a, const double* b,
                                              double* c_out, int64_t ldc, double alpha,
                                              double beta) {
  __m512d c[8][2];
#pragma GCC unroll 8
  for (int i = 0; i < 8; ++i) c[i][0] = c[i][1] = _mm512_setzero_pd();
  for (int64_t p = 0; p < kc; ++p, a += 8, b += 16) {
    const __m512d b0 = _mm512_loadu_pd(b), b1 = _mm512_loadu_pd(b + 8);
#pragma GCC unroll 8
    for (int i = 0; i < 8; ++i) {
      const __m512d ai = _mm512_set1_pd(a[i]);
      c[i][0] = _mm512_fmadd_pd(ai, b0, c[i][0]);
      c[i][1] = _mm512_fmadd_pd(ai, b1, c[i][1]);
    }
  }
  const __m512d va = _mm512_set1_pd(alpha), vb = _mm512_set1_pd(beta);
#pragma GCC unroll 8
  for (int i = 0; i < 8; ++i) {
    double* row = c_out + i * ldc;
    __m512d r0 = _mm512_mul_pd(va, c[i][0]), r1 = _mm512_mul_pd(va, c[i][1]);
    if (beta != 0.0) {
      r0 = _mm512_fmadd_pd(vb, _mm512_loadu_pd(row), r0);
      r1 = _mm512_fmadd_pd(vb, _mm512_loadu_pd(row + 8), r1);
    }
    _mm512_storeu_pd(row, r0);
    _mm512_storeu_pd(row + 8, r1);
  }
}
#endif

Kernel pick_kernel() {
  switch (simd_level()) {
#ifdef AE_X86_KERNELS
    case SimdLevel::Avx512:
      return {8, 16, kernel_avx512};
    case SimdLevel::Avx2:
      return {6, 8, kernel_avx2};
#endif
    default:
      return {4, 4, kernel_scalar<4, 4>};
  }
}

// Packs rows [i0, i0 + mc) of op(A), k block [p0, p0 + kc), as MR-high panels:
// ap[panel * kc * MR + p * MR + i], zero rows past the block. Both branches read the
// stored matrix along its rows (contiguously).
void pack_a(Trans ta, const double* A, int64_t lda, int64_t i0, int64_t mc, int64_t p0, int64_t kc,
            int mr, double* ap) {
  const int64_t padded = (mc + mr - 1) / mr * mr;
  for (int64_t i = 0; i < padded; ++i) {
    double* dst = ap + i / mr * kc * mr + i % mr;
    if (i >= mc) {
      for (int64_t p = 0; p < kc; ++p) dst[p * mr] = 0.0;
    } else if (ta == Trans::No) {
      const double* src = A + (i0 + i) * lda + p0;
      for (int64_t p = 0; p < kc; ++p) dst[p * mr] = src[p];
    }
  }
  if (ta == Trans::Yes) {
    for (int64_t p = 0; p < kc; ++p) {
      const double* src = A + (p0 + p) * lda + i0;
      for (int64_t i0p = 0; i0p < mc; i0p += mr) {  // one MR-high panel at a time
        double* dst = ap + i0p * kc + p * mr;
        const int64_t rows = std::min<int64_t>(mr, mc - i0p);
        for (int64_t r = 0; r < rows; ++r) dst[r] = src[i0p + r];
      }
    }
  }
}

// Packs columns [j0, j0 + nc) of op(B), k block [p0, p0 + kc), as NR-wide panels:
// bp[panel * kc * NR + p * NR + j], zero columns past n.
void pack_b(Trans tb, const double* B, int64_t ldb, int64_t n, int64_t j0, int64_t nc, int64_t p0,
            int64_t kc, int nr, double* bp) {
  for (int64_t jp = 0; jp * nr < nc; ++jp) {
    double* dst = bp + jp * kc * nr;
    const int64_t col0 = j0 + jp * nr;
    const int width = static_cast<int>(std::min<int64_t>(nr, std::min(n, j0 + nc) - col0));
    if (tb == Trans::No) {
      for (int64_t p = 0; p < kc; ++p) {
        const double* src = B + (p0 + p) * ldb + col0;
        std::copy_n(src, width, dst + p * nr);
        std::fill(dst + p * nr + width, dst + (p + 1) * nr, 0.0);
      }
    } else {
      for (int j = 0; j < nr; ++j) {
        if (j >= width) {
          for (int64_t p = 0; p < kc; ++p) dst[p * nr + j] = 0.0;
          continue;
        }
        const double* src = B + (col0 + j) * ldb + p0;
        for (int64_t p = 0; p < kc; ++p) dst[p * nr + j] = src[p];
      }
    }
  }
}

void scale(int64_t m, int64_t n, double beta, double* C, int64_t ldc) {
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) C[i * ldc + j] = beta == 0.0 ? 0.0 : beta * C[i * ldc + j];
}

// The sequential driver. With upper_only, only elements with column + shift >= row are
// written (shift: the global column of local column 0 minus the global row of local row 0),
// and tiles entirely below that line are skipped.
void run_serial(Trans ta, Trans tb, int64_t m, int64_t n, int64_t k, double alpha,
                const double* A, int64_t lda, const double* B, int64_t ldb, double beta,
                double* C, int64_t ldc, bool upper_only, int64_t shift) {
  if (m <= 0 || n <= 0) return;
  if (k == 0 || alpha == 0.0) {
    scale(m, n, beta, C, ldc);
    return;
  }
  const Kernel ker = pick_kernel();
  const int mr = ker.mr, nr = ker.nr;
  std::vector<double> bp, ap(static_cast<size_t>((kMc + mr - 1) / mr * mr * kKc));
  double acc[kMaxTile];
  for (int64_t jc = 0; jc < n; jc += kNc) {
    const int64_t nc = std::min(kNc, n - jc);
    for (int64_t pc = 0; pc < k; pc += kKc) {
      const int64_t kc = std::min(kKc, k - pc);
      bp.resize(static_cast<size_t>((nc + nr - 1) / nr * nr * kc));
      pack_b(tb, B, ldb, n, jc, nc, pc, kc, nr, bp.data());
      const double beta_now = pc == 0 ? beta : 1.0;
      for (int64_t i0 = 0; i0 < m; i0 += kMc) {
        const int64_t mc = std::min(kMc, m - i0);
        if (upper_only && jc + nc - 1 + shift < i0) continue;
        pack_a(ta, A, lda, i0, mc, pc, kc, mr, ap.data());
        for (int64_t jr = 0; jr < nc; jr += nr) {
          const int64_t col0 = jc + jr;
          const int64_t ncols = std::min<int64_t>(nr, nc - jr);
          const double* bpanel = bp.data() + jr / nr * kc * nr;
          for (int64_t ir = 0; ir < mc; ir += mr) {
            const int64_t row0 = i0 + ir;
            const int64_t nrows = std::min<int64_t>(mr, mc - ir);
            if (upper_only && col0 + ncols - 1 + shift < row0) continue;
            const double* apanel = ap.data() + ir / mr * kc * mr;
            const bool diagonal = upper_only && col0 + shift < row0 + nrows;
            if (nrows == mr && ncols == nr && !diagonal) {
              ker.fn(kc, apanel, bpanel, C + row0 * ldc + col0, ldc, alpha, beta_now);
              continue;
            }
            // Edge or diagonal tile: compute it whole into acc, write back only its valid
            // (and, for gram, upper) part.
            ker.fn(kc, apanel, bpanel, acc, nr, 1.0, 0.0);
            for (int64_t i = 0; i < nrows; ++i) {
              double* c = C + (row0 + i) * ldc + col0;
              const double* t = acc + i * nr;
              const int64_t first =
                  upper_only ? std::clamp<int64_t>(row0 + i - col0 - shift, 0, ncols) : 0;
              for (int64_t j = first; j < ncols; ++j)
                c[j] = beta_now == 0.0 ? alpha * t[j] : alpha * t[j] + beta_now * c[j];
            }
          }
        }
      }
    }
  }
}

// The threaded driver: one parallel region, each thread computing its own slice of C with
// the sequential driver. No thread waits for another until the end: on a machine shared with
// other jobs a barrier can cost a whole scheduler time slice. C is cut along its longer side;
// for gram's triangle the column slices are balanced by area, not width.
void run(Trans ta, Trans tb, int64_t m, int64_t n, int64_t k, double alpha, const double* A,
         int64_t lda, const double* B, int64_t ldb, double beta, double* C, int64_t ldc,
         bool upper_only) {
  // Threads only for products worth a millisecond or so.
  const int threads = double(m) * double(n) * double(k) > 2e7 && !omp_in_parallel()
                          ? std::max(1, omp_get_max_threads())
                          : 1;
  const bool by_columns = upper_only || n >= m;
  const int64_t unit = by_columns ? 16 : 8;  // whole register tiles of every kernel
  const int64_t extent = by_columns ? n : m;
  const int parts = static_cast<int>(std::min<int64_t>(threads, (extent + unit - 1) / unit));
  if (parts <= 1) {
    run_serial(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc, upper_only, 0);
    return;
  }
  auto boundary = [&](int t) -> int64_t {
    if (t >= parts) return extent;
    // Column range [0, x) of the upper triangle holds ~x^2 / 2 elements.
    const double f = upper_only ? std::sqrt(double(t) / parts) : double(t) / parts;
    return std::min(extent, static_cast<int64_t>(f * double(extent)) / unit * unit);
  };
#pragma omp parallel num_threads(parts)
  {
    const int t = omp_get_thread_num();
    const int64_t lo = boundary(t), hi = boundary(t + 1);
    if (by_columns) {
      const double* b = tb == Trans::No ? B + lo : B + lo * ldb;
      run_serial(ta, tb, m, hi - lo, k, alpha, A, lda, b, ldb, beta, C + lo, ldc, upper_only,
                 lo);
    } else {
      const double* a = ta == Trans::No ? A + lo * lda : A + lo;
      run_serial(ta, tb, hi - lo, n, k, alpha, a, lda, B, ldb, beta, C + lo * ldc, ldc, false,
                 0);
    }
  }
}

// A small C with a long k (the Gram matrix of a tall, thin block: 60 x 60 over 60000 rows)
// has too few tiles to share out. Then the threads split k instead: each accumulates its
// slice of the sum into a private C, and the partial results are added at the end.
bool run_split_k(Trans ta, Trans tb, int64_t m, int64_t n, int64_t k, double alpha, const double* A,
                 int64_t lda, const double* B, int64_t ldb, double beta, double* C, int64_t ldc,
                 bool upper_only) {
  const int threads = omp_in_parallel() ? 1 : omp_get_max_threads();
  const int64_t tiles = (m + 15) / 16 * ((n + 15) / 16);
  if (threads < 2 || tiles >= 4 * threads || k < 4 * kKc * threads ||
      double(m) * double(n) * double(k) < 4e6)
    return false;
  std::vector<std::vector<double>> partial(static_cast<size_t>(threads));
#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num();
    const int64_t chunk = (k + threads - 1) / threads;
    const int64_t p0 = std::min(k, t * chunk), p1 = std::min(k, p0 + chunk);
    std::vector<double>& c = partial[static_cast<size_t>(t)];
    c.assign(static_cast<size_t>(m * n), 0.0);
    if (p1 > p0) {
      const double* a = ta == Trans::No ? A + p0 : A + p0 * lda;
      const double* b = tb == Trans::No ? B + p0 * ldb : B + p0;
      run_serial(ta, tb, m, n, p1 - p0, 1.0, a, lda, b, ldb, 0.0, c.data(), n, upper_only, 0);
    }
  }
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = upper_only ? i : 0; j < n; ++j) {
      double sum = 0.0;
      for (const auto& c : partial) sum += c[static_cast<size_t>(i * n + j)];
      double& out = C[i * ldc + j];
      out = beta == 0.0 ? alpha * sum : alpha * sum + beta * out;
    }
  return true;
}

void check(const char* op, int64_t m, int64_t n, int64_t k, int64_t lda, int64_t a_cols,
           int64_t ldb, int64_t b_cols, int64_t ldc) {
  auto fail = [&](const std::string& what) {
    throw Error(std::string(op) + ": " + what + " (m=" + std::to_string(m) + ", n=" +
                std::to_string(n) + ", k=" + std::to_string(k) + ", lda=" + std::to_string(lda) +
                ", ldb=" + std::to_string(ldb) + ", ldc=" + std::to_string(ldc) + ")");
  };
  if (m < 0 || n < 0 || k < 0) fail("negative size");
  if (lda < std::max<int64_t>(1, a_cols)) fail("lda smaller than the columns of A as stored");
  if (ldb < std::max<int64_t>(1, b_cols)) fail("ldb smaller than the columns of B as stored");
  if (ldc < std::max<int64_t>(1, n)) fail("ldc smaller than n");
}

}  // namespace

void matmul_f64(Trans trans_a, Trans trans_b, int64_t m, int64_t n, int64_t k, double alpha,
                const double* A, int64_t lda, const double* B, int64_t ldb, double beta, double* C,
                int64_t ldc) {
  check("matmul_f64", m, n, k, lda, trans_a == Trans::No ? k : m, ldb, trans_b == Trans::No ? n : k,
        ldc);
  if (!run_split_k(trans_a, trans_b, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc, false))
    run(trans_a, trans_b, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc, false);
}

void gram_upper_f64(int64_t k, int64_t n, double alpha, const double* A, int64_t lda, double beta,
                    double* C, int64_t ldc) {
  check("gram_f64", n, n, k, lda, n, lda, n, ldc);
  if (!run_split_k(Trans::Yes, Trans::No, n, n, k, alpha, A, lda, A, lda, beta, C, ldc, true))
    run(Trans::Yes, Trans::No, n, n, k, alpha, A, lda, A, lda, beta, C, ldc, true);
}

void gram_f64(int64_t k, int64_t n, double alpha, const double* A, int64_t lda, double beta,
              double* C, int64_t ldc) {
  gram_upper_f64(k, n, alpha, A, lda, beta, C, ldc);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = i + 1; j < n; ++j) C[j * ldc + i] = C[i * ldc + j];
}

Matrix matmul(ViewD a, ViewD b, Trans trans_a, Trans trans_b) {
  const int64_t m = trans_a == Trans::No ? a.rows : a.cols;
  const int64_t ka = trans_a == Trans::No ? a.cols : a.rows;
  const int64_t kb = trans_b == Trans::No ? b.rows : b.cols;
  const int64_t n = trans_b == Trans::No ? b.cols : b.rows;
  if (ka != kb)
    throw Error("matmul: inner sizes differ: op(A) is " + shape_string(m, ka) + ", op(B) is " +
                shape_string(kb, n));
  Matrix c(m, n);
  matmul_f64(trans_a, trans_b, m, n, ka, 1.0, a.data, std::max<int64_t>(1, a.ld), b.data,
             std::max<int64_t>(1, b.ld), 0.0, c.data.data(), std::max<int64_t>(1, n));
  return c;
}

}  // namespace ae::linalg
