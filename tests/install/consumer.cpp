// One training step of a small autoencoder, built against an installed aelab
// (find_package(aelab) in CMakeLists.txt beside this file). Prints the reconstruction loss on
// one batch before and after one Adam step on that batch.
#include <cstdio>
#include <exception>

#include "nn/autoencoder.hpp"
#include "nn/losses.hpp"
#include "nn/optim.hpp"
#include "tensor/ops.hpp"
#include "tensor/random.hpp"

int main() {
  try {
    ae::Generator gen(7);
    // 64 samples of 16 "pixels" in [0, 1), the range the sigmoid output can reach.
    ae::Variable x(ae::tensor::rand({64, 16}, gen));
    auto model = ae::nn::mlp_autoencoder({16, 8, 3}, gen);
    ae::nn::Adam adam(model->parameters(), {.lr = 1e-2f});

    ae::Variable loss = ae::nn::mse(model->forward(x), x);
    const float before = loss.item();
    adam.zero_grad();
    loss.backward();
    adam.step();
    const float after = ae::nn::mse(model->forward(x), x).item();

    std::printf("loss before: %.6f\nloss after: %.6f\n", before, after);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
