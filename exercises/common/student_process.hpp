#pragma once
// The graded tests' side of the protocol: a StudentProcess spawns the set's student runner
// and calls the student's functions in it, so that the test process (which decides pass or
// fail and writes the report the grader reads) never runs a line of the student's code.
//
// The runner starts in a fresh temporary working directory with a cleared environment
// (only AELAB_DATA, OMP_NUM_THREADS, OMP_WAIT_POLICY, PATH and HOME), no open descriptors
// but its pipes and stderr, and rlimits (CPU seconds, address space, file size, no core
// dumps, processes). Run as root (Gradescope, CI), it drops to the unprivileged uid/gid
// 65534 first. Where the kernel has Landlock, it may then write only inside its working
// directory and read only the system folders, its working directory and the data folders
// it is given, and it cannot signal processes outside its own Landlock domain.
//
// Every failure of the runner — an exit, a crash, a time-out, a malformed reply — throws
// ae::Error with a message saying which call failed and how, and the last lines of the
// runner's stderr; the student's own exception comes back as a StudentError carrying its
// message unchanged (e.g. "HW1 task 1: covariance is not implemented yet").
#include <filesystem>
#include <string>
#include <vector>

#include <sys/types.h>

#include "exercises/common/wire.hpp"

namespace ae::exercises {

/// What the student's code threw, relayed from the runner.
class StudentError : public Error {
 public:
  using Error::Error;
};

struct SandboxLimits {
  double call_seconds = 60;            ///< wall-clock limit of one call
  int64_t cpu_seconds = 900;           ///< RLIMIT_CPU of the runner (all calls together)
  int64_t address_space = int64_t{4} << 30;  ///< RLIMIT_AS, bytes
  int64_t file_size = int64_t{256} << 20;    ///< RLIMIT_FSIZE, bytes
  int64_t processes = 512;             ///< RLIMIT_NPROC (counts the unprivileged uid's processes)
};

/// The runner program: $AELAB_STUDENT_RUNNER when set (the grader sets it), else
/// `compiled` (the build's path, a compile definition of the test executables).
std::filesystem::path student_runner_path(const char* compiled);

/// The seed of the hidden suites' inputs: $AELAB_HIDDEN_SEED (the grader draws one per
/// run and gives it to the test process only), else `fallback` (a fixed seed for CTest).
uint64_t hidden_seed(uint64_t fallback = 20240601);

class StudentProcess {
 public:
  explicit StudentProcess(std::filesystem::path runner, SandboxLimits limits = {});
  ~StudentProcess();
  StudentProcess(const StudentProcess&) = delete;
  StudentProcess& operator=(const StudentProcess&) = delete;

  /// A folder the runner may read (a data set); call before the first call().
  void allow_read(const std::filesystem::path& dir);

  /// Calls `function` in the runner with `inputs`; its outputs, or a throw (see above).
  /// seconds > 0 replaces limits.call_seconds for this call.
  Message call(const std::string& function, const Message& inputs, double seconds = 0);

  /// The runner's working directory (where its files appear); starts the runner.
  const std::filesystem::path& working_dir();

  /// How the runner is confined, e.g. "uid 65534, landlock ABI 7"; starts the runner.
  const std::string& sandbox();

  /// Stops the runner (the next call starts a fresh one in the same working directory).
  void stop();

 private:
  void start();
  std::string failure(const std::string& what);  // stops the runner; what it said on stderr

  std::filesystem::path runner_;
  SandboxLimits limits_;
  std::vector<std::filesystem::path> readable_;
  std::filesystem::path dir_;
  std::string sandbox_;
  pid_t pid_ = -1;
  int to_runner_ = -1;
  int from_runner_ = -1;
};

/// The Landlock ABI version of the running kernel, 0 when it has none.
int landlock_abi();

}  // namespace ae::exercises
