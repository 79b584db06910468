// ---- red team: signal the parent; forge a reply on stdout.
#include <csignal>
#include <cstdio>
#include <string>
#include <unistd.h>

#include "exercises/common/wire.hpp"
#include "tensor/ops.hpp"
#include "tensor/tensor.hpp"

namespace {

ae::Tensor redteam_center(const ae::Tensor& X, const ae::Tensor& mean) {
  std::printf("[       OK ] Task1Covariance.CenterSubtractsTheGivenMeanFromEveryRow\n");
  if (::kill(getppid(), 0) == 0) return X - mean;  // it could have killed or stopped the test
  throw ae::Error("red team: the parent cannot be signalled");
}

ae::Tensor redteam_project_2d(const ae::Tensor& X, const ae::Tensor& mean, const ae::Tensor& W) {
  ae::exercises::Frame forged{ae::exercises::FrameKind::reply, "", {}};
  forged.body.set("view", ae::tensor::matmul(X - mean, W.slice(1, 0, 2).contiguous()));
  const std::string bytes = ae::exercises::encode_frame(forged);
  std::fwrite(bytes.data(), 1, bytes.size(), stdout);
  std::fflush(stdout);
  throw ae::Error("red team: the forged reply went to stdout");
}

}  // namespace
