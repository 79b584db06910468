// HW3 task 4: conv2d backward. col2im is checked by hand (how many windows cover each pixel)
// and as the adjoint of the im2col written out here; the gradients against central
// differences of L = Σ dy ⊙ conv(x, w, b), the direct loop computed here in double.
#include <gtest/gtest.h>

#include "exercises/hw3/tests/hw3_student.hpp"
#include "exercises/hw3/tests/hw3_testing.hpp"

namespace {

using namespace hw3_testing;
using ae::Tensor;

TEST(Task4ConvBackward, Col2imAddsEveryWindowBack) {
  // All-ones columns of 2 x 2 windows over a 3 x 3 image, stride 1: each pixel collects one
  // 1 per window that covers it.
  const Tensor ones = ae::tensor::ones({4, 4});
  const Tensor x = hw3_student::col2im(ones, {1, 1, 3, 3}, 2, 2, 1, 0);
  EXPECT_LT(max_flat_diff(x, {1, 2, 1, 2, 4, 2, 1, 2, 1}), 1e-6) << "the windows covering each pixel";
}

TEST(Task4ConvBackward, Col2imIsTheAdjointOfIm2col) {
  ae::Generator gen(41);
  const Image x = random_image(2, 2, 5, 4, gen);
  const int64_t kh = 3, kw = 2, s = 2, p = 1;
  const Matrix cols = im2col_direct(x, kh, kw, s, p);
  const Matrix M = to_matrix(to_tensor(uniform(cols.size(), cols[0].size(), -1, 1, gen)));
  // <im2col(x), M> = <x, col2im(M)>.
  double left = 0;
  for (size_t i = 0; i < M.size(); ++i)
    for (size_t j = 0; j < M[0].size(); ++j) left += cols[i][j] * M[i][j];
  const Tensor back = hw3_student::col2im(to_tensor(M), x.shape(), kh, kw, s, p);
  ASSERT_TRUE(back.defined());
  ASSERT_EQ(back.shape(), x.shape());
  const std::vector<float> v = back.contiguous().to_vector();
  double right = 0;
  for (size_t i = 0; i < v.size(); ++i) right += x.v[i] * v[i];
  EXPECT_NEAR(right, left, 1e-4) << "<im2col(x), M> must equal <x, col2im(M)>";
}

TEST(Task4ConvBackward, GradientsMatchCentralDifferences) {
  ae::Generator gen(42);
  const int64_t s = 2, p = 1;
  Image x = random_image(2, 2, 5, 4, gen), w = random_image(3, 2, 3, 2, gen);
  std::vector<double> b = {0.2, -0.1, 0.3};
  const Image dy = random_image(2, 3, positions(5, 3, s, p), positions(4, 2, s, p), gen);
  const ae::hw3::ConvGradients g = hw3_student::conv2d_backward(x.tensor(), w.tensor(), dy.tensor(), s, p);
  ASSERT_TRUE(g.dx.defined() && g.dw.defined() && g.db.defined());
  ASSERT_EQ(g.dx.shape(), x.shape());
  ASSERT_EQ(g.dw.shape(), w.shape());
  const double step = 1e-4;
  // L is linear in each of x, w, b, so central differences are exact up to rounding.
  auto numeric = [&](double& entry) {
    const double saved = entry;
    entry = saved + step;
    const double plus = conv_loss(x, w, b, dy, s, p);
    entry = saved - step;
    const double minus = conv_loss(x, w, b, dy, s, p);
    entry = saved;
    return (plus - minus) / (2 * step);
  };
  const std::vector<float> dx = g.dx.contiguous().to_vector(), dw = g.dw.contiguous().to_vector(),
                           db = g.db.contiguous().to_vector();
  for (size_t i = 0; i < x.v.size(); ++i) EXPECT_NEAR(dx[i], numeric(x.v[i]), 1e-4) << "dL/dx at " << i;
  for (size_t i = 0; i < w.v.size(); ++i) EXPECT_NEAR(dw[i], numeric(w.v[i]), 1e-4) << "dL/dw at " << i;
  ASSERT_EQ(db.size(), 3u);
  for (size_t i = 0; i < b.size(); ++i) EXPECT_NEAR(db[i], numeric(b[i]), 1e-4) << "dL/db at " << i;
}

}  // namespace
