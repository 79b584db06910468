// A training step of a small MLP autoencoder (forward, MSE, backward, Adam step, zero_grad,
// as nn::fit runs it) takes every buffer it needs from the Storage cache once warm: after
// the second step, no Storage asks operator new for memory. (The first step allocates the
// activations and gradients, the second whatever Adam or the shapes of step one left out.)
#include <gtest/gtest.h>

#include "autograd/ops.hpp"
#include "nn/autoencoder.hpp"
#include "nn/losses.hpp"
#include "nn/optim.hpp"
#include "tensor/ops.hpp"

using ae::Tensor;
using ae::Variable;
namespace T = ae::tensor;

TEST(Allocation, TrainingStepsAllocateNothingAfterTheSecond) {
  if (T::allocation_stats().cap_bytes == 0)
    GTEST_SKIP() << "the Storage cache is off (AELAB_STORAGE_CACHE_MB=0 or ASan)";
  ae::Generator gen(7);
  const auto net = ae::nn::mlp_autoencoder({64, 32, 8}, gen);
  ae::nn::Adam adam(net->parameters(), {.lr = 1e-3f});
  const Tensor data = T::rand({4, 16, 64}, gen);
  for (int step = 0; step < 6; ++step) {
    const T::AllocationStats before = T::allocation_stats();
    {
      const Variable x(data[step % 4]);
      Variable loss = ae::nn::mse(net->forward(x), x);
      (void)loss.value().item();
      loss.backward();
      adam.step();
      adam.zero_grad();
    }
    const T::AllocationStats after = T::allocation_stats();
    EXPECT_GT(after.storages, before.storages) << "step " << step;
    if (step >= 2) {
      EXPECT_EQ(after.fresh, before.fresh)
          << "step " << step << ": " << after.fresh - before.fresh << " new buffers";
    }
  }
}
