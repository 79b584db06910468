#pragma once
// The peers run their best kernel for this CPU. OPENBLAS_CORETYPE (and OPENBLAS_L2_SIZE) force
// OpenBLAS onto another kernel — on an AVX-512 machine with OPENBLAS_CORETYPE=Haswell, its AVX2
// one — which would make every ratio against it flattering. A benchmark therefore removes them
// before OpenBLAS loads: it says so on stderr and re-executes itself without them (the peers
// NumPy and PyTorch are child processes and inherit the cleaned environment). aelab does not
// read these variables, so its own side is unchanged; tests and CI leave them alone.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace ae::bench {

inline void give_peers_their_best_kernel(char** argv) {
  bool forced = false;
  for (const char* name : {"OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"}) {
    if (const char* value = std::getenv(name)) {
      std::fprintf(stderr, "bench: %s=%s would force OpenBLAS off its best kernel for this CPU; "
                           "unset for the peer\n", name, value);
      ::unsetenv(name);
      forced = true;
    }
  }
  if (forced) ::execv("/proc/self/exe", argv);  // returns only on failure: then run as we are
}

}  // namespace ae::bench
