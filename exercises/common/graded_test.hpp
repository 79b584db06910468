#pragma once
// What every set's proxy header (tests/<set>_student.hpp) starts from: the path of this test
// process's student runner, the runner itself (started at the first call), and the seed of a
// hidden suite's inputs. Graded test executables are compiled with AELAB_STUDENT_RUNNER
// (exercises/CMakeLists.txt).
#include <cstdint>
#include <filesystem>

#include "exercises/common/student_process.hpp"

#ifndef AELAB_STUDENT_RUNNER
#error "graded tests are compiled with AELAB_STUDENT_RUNNER (see exercises/CMakeLists.txt)"
#endif

namespace ae::exercises {

/// The set's student runner as the grader placed it (else the one built beside the tests).
inline std::filesystem::path runner_path() { return student_runner_path(AELAB_STUDENT_RUNNER); }

/// The runner of this test process, started at the first call and shared by its calls.
inline StudentProcess& student() {
  static StudentProcess process(runner_path());
  return process;
}

/// A seed of a hidden suite's inputs: the grader's per-run seed mixed with `salt`, so that
/// each input of a test differs and none can be known by the runner.
inline uint64_t salted_hidden_seed(uint64_t salt) { return hidden_seed() * 1000003u + salt; }

}  // namespace ae::exercises
