// A 100,000-op chain: neither the topological search, the rules nor the destructors may
// recurse (each test runs on a 512 KiB stack).
#include <gtest/gtest.h>

#include <pthread.h>

#include <exception>
#include <functional>
#include <cmath>
#include <string>
#include <vector>

#include "autograd/ops.hpp"
#include "autograd/record.hpp"
#include "tests/autograd/autograd_testing.hpp"

namespace {

using ae::Error;
using ae::Tensor;
using ae::Variable;
using ae::autograd_testing::grad_of;
using ae::autograd_testing::message_of;
using ae::autograd_testing::vec;
namespace T = ae::tensor;

// ---- a long chain: neither the search, the rules nor the destructors may recurse ----
//
// Each test runs on a thread with a 512 KiB stack: a recursion as deep as the chain would
// need more than that even at 8 bytes a level, so any recursive step overflows it and
// crashes the test.

constexpr int64_t kChain = 100000;

void on_small_stack(const std::function<void()>& f) {
  struct Job {
    const std::function<void()>* f;
    std::exception_ptr error;
  } job{&f, nullptr};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 512 * 1024);
  pthread_t thread;
  const int created = pthread_create(
      &thread, &attr,
      [](void* p) -> void* {
        auto* j = static_cast<Job*>(p);
        try {
          (*j->f)();
        } catch (...) {
          j->error = std::current_exception();
        }
        return nullptr;
      },
      &job);
  pthread_attr_destroy(&attr);
  ASSERT_EQ(created, 0);
  pthread_join(thread, nullptr);
  if (job.error) std::rethrow_exception(job.error);
}

TEST(AutogradLongChain, BackwardThroughAHundredThousandOps) {
  on_small_stack([] {
    Variable x(vec({1.0f, 2.0f}), true);
    Variable y = x;
    for (int64_t i = 0; i < kChain; ++i) y = y * 1.0f;
    ae::sum(y).backward();
    EXPECT_EQ(grad_of(x), (std::vector<float>{1, 1}));
  });
}

TEST(AutogradLongChain, DestroyingAChainThatWasNeverDifferentiated) {
  on_small_stack([] {
    Variable x(vec({1.0f}), true);
    {
      Variable y = x;
      for (int64_t i = 0; i < kChain; ++i) y = y + 1.0f;
      EXPECT_FLOAT_EQ(y.item(), 1.0f + static_cast<float>(kChain));
    }  // the chain is released here
    EXPECT_TRUE(x.is_leaf());
  });
}

TEST(AutogradLongChain, RetainedGraphAndSecondOrderGraphOfAChain) {
  on_small_stack([] {
    // create_graph keeps the chain and records its backward: another chain, in x.grad().
    Variable x(vec({0.5f}), true);
    Variable y = x;
    for (int64_t i = 0; i < kChain / 2; ++i) y = y * 1.0f;
    ae::square(y).backward({}, /*create_graph=*/true);
    EXPECT_FLOAT_EQ(x.grad().item(), 1.0f);  // 2x
    const Variable d2 = ae::grad({x.grad()}, {x})[0];
    EXPECT_FLOAT_EQ(d2.item(), 2.0f);
    x.zero_grad();
  });
}

}  // namespace
