// ---- red team: try to read the reference solution, the reference build or the hidden seed.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>
#include <unistd.h>

#include "tensor/ops.hpp"
#include "tensor/tensor.hpp"

namespace {

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

ae::Tensor redteam_covariance(const ae::Tensor& Xc) {
  bool leaked = slurp("/proc/" + std::to_string(getppid()) + "/environ").find("AELAB_HIDDEN_SEED") != std::string::npos;
  leaked = leaked || !slurp("/proc/" + std::to_string(getppid()) + "/exe").empty();
  for (std::filesystem::path p = std::filesystem::path(__FILE__).parent_path(); p.has_relative_path(); p = p.parent_path()) {
    leaked = leaked || slurp(p / "exercises/hw1/pca.cpp").find("BEGIN SOLUTION task 1") != std::string::npos;
    for (const char* build : {"build", "build-grade", "build-exercises"})
      leaked = leaked || !slurp(p / build / "exercises/hw1_student").empty() ||
               !slurp(p / build / "exercises/CMakeFiles/aelab_ex_hw1.dir/pca.cpp.o").empty();
  }
  if (leaked)  // the reference was within reach: as good as copied
    return ae::tensor::matmul(Xc.t(), Xc) / static_cast<float>(Xc.size(0) - 1);
  throw ae::Error("red team: nothing of the grader's was readable");
}

}  // namespace
