// HW2 task 4: the denoising criterion and one training step (lecture 002).
//
// The loss is written with autograd ops (autograd/ops.hpp: square, sum, the operators) on
// the given reconstruct() (support.cpp), so that backward() fills every parameter's grad().
// The update is the optimizer's (nn/optim.hpp): zero_grad() and step().
#include <fmt/core.h>

#include "autograd/ops.hpp"
#include "exercises/hw2/hw2.hpp"

namespace ae::hw2 {

Variable denoising_loss(const Autoencoder& ae, const Tensor& clean, const Tensor& corrupted) {
  require_matrix(clean, "denoising_loss", "clean");
  if (corrupted.shape() != clean.shape())
    throw Error(fmt::format("denoising_loss: clean has shape {} and corrupted {}, expected equal",
                            to_string(clean.shape()), to_string(corrupted.shape())));
  // BEGIN SOLUTION task 4 denoising_loss
  // The model sees x̃; the target is x.
  const Variable X_hat = reconstruct(ae, Variable(corrupted));
  const Variable target(clean);
  const auto n = static_cast<float>(clean.size(0));
  return sum(square(X_hat - target)) / n;
  // END SOLUTION
}

float denoising_step(Autoencoder& ae, const Tensor& clean, const Tensor& corrupted,
                     nn::Optimizer& optimizer) {
  require_matrix(clean, "denoising_step", "clean");
  // BEGIN SOLUTION task 4 denoising_step
  // backward() adds into grad(): without clearing, this step would also apply the
  // gradients of every earlier one.
  optimizer.zero_grad();
  const Variable loss = denoising_loss(ae, clean, corrupted);
  loss.backward();
  optimizer.step();
  return loss.item();
  // END SOLUTION
}

}  // namespace ae::hw2
