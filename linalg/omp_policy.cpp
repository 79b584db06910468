#include "linalg/omp_policy.hpp"

#include <unistd.h>

#include <cstdlib>

namespace ae::linalg {

void prefer_passive_omp_wait(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr) return;
  ::setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
  ::execv("/proc/self/exe", argv);  // returns only on failure
}

}  // namespace ae::linalg
