// Chapter 7 (stacked autoencoders), run as a student runs it: `aelab run 7 --quick`.
//
// The bounds state the chapter's claims, loosened for a run of a few seconds (2000 images,
// 784-100-100-10, 40 L-BFGS iterations per stage):
//  - fine-tuning starts from the softmax stage's optimum with the same cost J (softmax
//    cross-entropy + (λ/2)||W_softmax||², λ = 1e-4) and L-BFGS only accepts steps that lower
//    J, so the fine-tuned training cost is at most the softmax stage's;
//  - the KL penalty with β = 3 pulls each unit's mean activation towards ρ = 0.1 from the
//    1/2 that sigmoid units start near; after 40 iterations it is well below 1/2;
//  - pre-trained features are far better than chance (10 classes: 10%): UFLDL's 87.7% on
//    MNIST is for the full protocol; after 30 iterations per stage on 1000 Fashion-MNIST
//    images, at least three times chance before fine-tuning and five times after;
//  - fine-tuning raises the test accuracy (lecture 000's last picture; UFLDL: 87.7 -> 97.6%);
//  - the confusion matrix's diagonal gives back the accuracy (it is the same predictions);
//  - with 100 labels a network starting from the pre-trained W beats one starting at random
//    (lectures 000 and 002: the W are "smartly selected", the unlabelled images are used);
//  - the small SdA after early stopping classifies well above chance.
#include <gtest/gtest.h>

#include <string>

#include "chapters/chapters.hpp"
#include "tests/chapters/png_info.hpp"
#include "tests/chapters/run_chapter.hpp"

using aelab_test::metric;

TEST(Chapter7StackedAe, QuickRun) {
  const auto run = aelab_test::run_chapter(7);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  SCOPED_TRACE("chapter 7 output:\n" + run.output);
  aelab_test::expect_steps_point_at_their_code(run, ae::chapters::chapter_info(7).file);
  for (const char* s : {"Chapter 7", "Step 1.", "Pre-train autoencoder 1", "Freeze AE 1", "softmax",
                        "Fine-tune the whole stack", "87.7%", "97.6%", "check: ", "Figures written"})
    EXPECT_NE(run.output.find(s), std::string::npos) << "missing '" << s << "'";

  EXPECT_LE(metric(run, "finetune_train_cost"), metric(run, "softmax_train_cost") * (1 + 1e-6));
  EXPECT_LT(metric(run, "ae1_mean_activation"), 0.3);
  EXPECT_GT(metric(run, "ae1_mean_activation"), 0.0);
  EXPECT_LT(metric(run, "ae2_mean_activation"), 0.3);

  const double before = metric(run, "accuracy_before_finetuning");
  const double after = metric(run, "accuracy_after_finetuning");
  EXPECT_GT(before, 0.3);
  EXPECT_GT(after, 0.5);
  EXPECT_GT(after, before);
  EXPECT_LE(after, 1.0);
  EXPECT_NEAR(metric(run, "confusion_accuracy"), after, 1e-12);
  EXPECT_EQ(metric(run, "check_finetuning_helps"), after > before ? 1.0 : 0.0);

  const double pre100 = metric(run, "few_labels_100_pretrained"), rnd100 = metric(run, "few_labels_100_random");
  EXPECT_GT(pre100, rnd100);
  EXPECT_GT(pre100, 0.2);
  EXPECT_GT(metric(run, "few_labels_1000_pretrained"), 0.2);
  EXPECT_EQ(metric(run, "check_pretraining_helps_100"), 1.0);

  EXPECT_LT(metric(run, "sda_test_error"), 0.5);
  EXPECT_GE(metric(run, "sda_validation_error"), 0.0);

  for (const char* f : {"features_layer1.png", "features_layer2.png", "confusion.png", "few_labels.png"})
    EXPECT_TRUE(aelab_test::is_sensible_figure(run.dir / f)) << f;
}

TEST(Chapter7StackedAe, RejectsAnUnknownProtocol) {
  setenv("AELAB_CH7_PROTOCOL", "ufldl-ish", 1);
  const auto run = aelab_test::run_chapter(7, "", "bad-protocol");
  unsetenv("AELAB_CH7_PROTOCOL");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.output.find("AELAB_CH7_PROTOCOL must be ufldl, sda or all"), std::string::npos) << run.output;
}
