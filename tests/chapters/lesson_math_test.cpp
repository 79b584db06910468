// Formulas in report strings: $TeX$ for out/index.html (MathJax), plain text for the console and
// results.json. The expected strings are what the chapters printed before formulas became TeX.
#include <gtest/gtest.h>

#include "chapters/lesson_report.hpp"

using ae::chapters::report::plain_math;

TEST(PlainMath, TextWithoutFormulasIsUnchanged) {
  EXPECT_EQ(plain_math("test MSE per pixel"), "test MSE per pixel");
  EXPECT_EQ(plain_math("costs $5"), "costs $5");  // a lone dollar is text
}

TEST(PlainMath, TheChaptersFormulas) {
  EXPECT_EQ(plain_math(R"($\lVert X_c - X_k\rVert^2$)"), "||X_c - X_k||²");
  EXPECT_EQ(plain_math(R"($\sum_{i>k} \sigma_i^2$)"), "Σ_{i>k} σ_i²");
  EXPECT_EQ(plain_math(R"(energy lost, $\lVert x - \hat x\rVert^2 / \lVert x\rVert^2$)"),
            "energy lost, ||x - x\u0302||² / ||x||²");
  EXPECT_EQ(plain_math(R"(mean $\lVert J\rVert_F^2$)"), "mean ||J||_F²");
}

TEST(PlainMath, MacrosDoNotRunIntoLongerOnes) {
  // \le must not eat the start of \lVert or \lambda.
  // As in TeX, a macro made of letters takes the spaces after it.
  EXPECT_EQ(plain_math(R"($\lambda_1 \le\lVert W\rVert$)"), "λ_1 ≤||W||");
  EXPECT_EQ(plain_math(R"($W^\top W$)"), "Wᵀ W");
  EXPECT_EQ(plain_math(R"($x^{n+1}$)"), "x^{n+1}");
}

TEST(PlainMath, SeveralFormulasInOneString) {
  EXPECT_EQ(plain_math(R"(between $\rho$ and $\beta$)"), "between ρ and β");
}
