#include "exercises/common/student_process.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <grp.h>
#include <linux/landlock.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/core.h>

#include "exercises/common/runner_server.hpp"

namespace ae::exercises {

namespace {

constexpr uid_t kNobody = 65534;
using Clock = std::chrono::steady_clock;

// The Landlock system calls have no glibc wrappers, and the system's header may predate
// the ABI the kernel speaks: the newer constants and the full ruleset attribute are
// spelled out here (values from the kernel's uapi/linux/landlock.h).
constexpr uint64_t kAccessFsTruncate = 1ULL << 14;  // ABI 3
constexpr uint64_t kScopeAbstractUnixSocket = 1ULL << 0;  // ABI 6
constexpr uint64_t kScopeSignal = 1ULL << 1;              // ABI 6
struct RulesetAttr {
  uint64_t handled_access_fs = 0;
  uint64_t handled_access_net = 0;  // ABI 4
  uint64_t scoped = 0;              // ABI 6
};

int landlock_create_ruleset(const RulesetAttr* attr, size_t size, uint32_t flags) {
  return static_cast<int>(::syscall(SYS_landlock_create_ruleset, attr, size, flags));
}
int landlock_add_rule(int ruleset, landlock_rule_type type, const void* attr, uint32_t flags) {
  return static_cast<int>(::syscall(SYS_landlock_add_rule, ruleset, type, attr, flags));
}
int landlock_restrict_self(int ruleset, uint32_t flags) {
  return static_cast<int>(::syscall(SYS_landlock_restrict_self, ruleset, flags));
}

constexpr uint64_t kReadRights = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
constexpr uint64_t kFileRights = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE;

uint64_t handled_rights(int abi) {
  uint64_t rights = kReadRights | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |
                    LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR |
                    LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
                    LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |
                    LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM;
  if (abi >= 2) rights |= LANDLOCK_ACCESS_FS_REFER;
  if (abi >= 3) rights |= kAccessFsTruncate;
  return rights;
}

// Adds "may do `rights` beneath path"; a path that does not exist is skipped. Files take
// only file rights. Uses only system calls: it also runs in the forked child.
void allow(int ruleset, const char* path, uint64_t rights) {
  const int fd = ::open(path, O_PATH | O_CLOEXEC);
  if (fd < 0) return;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode)) rights &= kFileRights | kAccessFsTruncate;
  landlock_path_beneath_attr rule{};
  rule.allowed_access = rights;
  rule.parent_fd = fd;
  landlock_add_rule(ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
  ::close(fd);
}

void child_fail(const char* what) {
  const char* reason = std::strerror(errno);
  [[maybe_unused]] ssize_t n = ::write(2, "student runner sandbox: ", 24);
  n = ::write(2, what, std::strlen(what));
  n = ::write(2, ": ", 2);
  n = ::write(2, reason, std::strlen(reason));
  n = ::write(2, "\n", 1);
  ::_exit(126);
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const char* name = sigabbrev_np(WTERMSIG(status));
    return fmt::format("was killed by signal SIG{}", name ? name : std::to_string(WTERMSIG(status)).c_str());
  }
  return "stopped";
}

enum class Io { ok, eof, timeout, error };

// Reads n bytes before the deadline.
Io read_until(int fd, char* buffer, size_t n, Clock::time_point deadline) {
  size_t done = 0;
  while (done < n) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return Io::timeout;
    pollfd p{fd, POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
    if (r < 0 && errno != EINTR) return Io::error;
    if (r <= 0) continue;
    const ssize_t got = ::read(fd, buffer + done, n - done);
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got < 0) return Io::error;
    if (got == 0) return Io::eof;
    done += static_cast<size_t>(got);
  }
  return Io::ok;
}

Io write_until(int fd, const std::string& bytes, Clock::time_point deadline) {
  size_t done = 0;
  while (done < bytes.size()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return Io::timeout;
    pollfd p{fd, POLLOUT, 0};
    const int r = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
    if (r < 0 && errno != EINTR) return Io::error;
    if (r <= 0) continue;
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) return errno == EPIPE ? Io::eof : Io::error;
    done += static_cast<size_t>(n);
  }
  return Io::ok;
}

}  // namespace

int landlock_abi() {
  const int abi = landlock_create_ruleset(nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
  return abi < 0 ? 0 : abi;
}

std::filesystem::path student_runner_path(const char* compiled) {
  const char* env = std::getenv("AELAB_STUDENT_RUNNER");
  return (env != nullptr && *env != '\0') ? std::filesystem::path(env) : std::filesystem::path(compiled);
}

uint64_t hidden_seed(uint64_t fallback) {
  const char* env = std::getenv("AELAB_HIDDEN_SEED");
  if (env == nullptr || *env == '\0') return fallback;
  char* end = nullptr;
  errno = 0;
  const unsigned long long seed = std::strtoull(env, &end, 10);
  if (errno != 0 || *end != '\0')
    throw Error(fmt::format("AELAB_HIDDEN_SEED='{}' is not a whole number", env));
  return seed;
}

StudentProcess::StudentProcess(std::filesystem::path runner, SandboxLimits limits)
    : runner_(std::move(runner)), limits_(limits) {}

StudentProcess::~StudentProcess() {
  stop();
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_.parent_path(), ignored);
  }
}

void StudentProcess::allow_read(const std::filesystem::path& dir) {
  if (pid_ > 0) throw Error("StudentProcess::allow_read: the runner is running already");
  readable_.push_back(std::filesystem::absolute(dir));
}

const std::filesystem::path& StudentProcess::working_dir() {
  if (pid_ < 0) start();
  return dir_;
}

const std::string& StudentProcess::sandbox() {
  if (pid_ < 0) start();
  return sandbox_;
}

void StudentProcess::start() {
  if (!std::filesystem::is_regular_file(runner_))
    throw Error(fmt::format("StudentProcess: the student runner {} does not exist (build it, or set "
                            "AELAB_STUDENT_RUNNER)", runner_.string()));
  const bool root = ::geteuid() == 0;
  // base (the test's, 0711): the runner's copy and its stderr; base/work: the runner's own.
  if (dir_.empty()) {
    std::string pattern = (std::filesystem::temp_directory_path() / "aelab-student-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw Error(fmt::format("StudentProcess: cannot make a directory {}: {}", pattern, std::strerror(errno)));
    const std::filesystem::path base = pattern;
    ::chmod(base.c_str(), 0711);
    std::filesystem::create_directory(base / "work");
    if (root && ::chown((base / "work").c_str(), kNobody, kNobody) != 0)
      throw Error(fmt::format("StudentProcess: chown {}: {}", (base / "work").string(), std::strerror(errno)));
    // A copy, so that the runner need not reach into the build tree (which the grader
    // closes to it).
    std::filesystem::copy_file(runner_, base / "runner");
    ::chmod((base / "runner").c_str(), 0555);
    dir_ = base / "work";
  }
  const std::filesystem::path base = dir_.parent_path();
  const std::string binary = (base / "runner").string();
  const std::string work = dir_.string();

  std::vector<std::string> env = {"PATH=/usr/bin:/bin", "HOME=" + work, "LANG=C.UTF-8"};
  for (const char* name : {"AELAB_DATA", "OMP_NUM_THREADS", "OMP_WAIT_POLICY"})
    if (const char* value = std::getenv(name)) env.push_back(fmt::format("{}={}", name, value));
  std::vector<char*> envp;
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string arg0 = runner_.filename().string();
  char* argv[] = {arg0.data(), nullptr};

  const int abi = landlock_abi();
  int ruleset = -1;
  if (abi > 0) {
    RulesetAttr attr;
    attr.handled_access_fs = handled_rights(abi);
    // From ABI 6 on, the runner may not signal (kill) processes outside its domain.
    if (abi >= 6) attr.scoped = kScopeSignal | kScopeAbstractUnixSocket;
    const size_t size = abi >= 6 ? sizeof attr : sizeof attr.handled_access_fs;
    ruleset = landlock_create_ruleset(&attr, size, 0);
    if (ruleset < 0) throw Error(fmt::format("StudentProcess: landlock ruleset: {}", std::strerror(errno)));
    for (const char* system : {"/usr", "/lib", "/lib64", "/bin", "/etc", "/dev", "/sys", "/proc/cpuinfo",
                               "/proc/meminfo", "/proc/stat", "/proc/sys"})
      allow(ruleset, system, kReadRights);
    for (const auto& dir : readable_) allow(ruleset, dir.c_str(), kReadRights);
    if (const char* data = std::getenv("AELAB_DATA")) allow(ruleset, data, kReadRights);
    allow(ruleset, work.c_str(), handled_rights(abi));
    allow(ruleset, binary.c_str(), LANDLOCK_ACCESS_FS_READ_FILE);
  }
  sandbox_ = fmt::format("{}{}", root ? "uid 65534" : fmt::format("uid {} (not root: no drop)", ::geteuid()),
                         abi > 0 ? fmt::format(", landlock ABI {}", abi) : ", no landlock");

  const std::string stderr_path = (base / "stderr.txt").string();
  const int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
  int in[2], out[2];
  if (err < 0 || ::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0)
    throw Error(fmt::format("StudentProcess: pipes: {}", std::strerror(errno)));
  // A runner that dies while the test writes to it must fail the call, not kill the test.
  std::signal(SIGPIPE, SIG_IGN);
  const pid_t parent = ::getpid();
  const SandboxLimits limits = limits_;

  const pid_t pid = ::fork();
  if (pid < 0) throw Error(fmt::format("StudentProcess: fork: {}", std::strerror(errno)));
  if (pid == 0) {
    // The child: system calls only (the test process may have other threads).
    if (::dup2(in[0], 0) < 0 || ::dup2(out[1], 1) < 0 || ::dup2(err, 2) < 0) child_fail("dup2");
    auto limit = [](int resource, int64_t value, const char* name) {
      const rlimit r{static_cast<rlim_t>(value), static_cast<rlim_t>(value)};
      if (::setrlimit(resource, &r) != 0) child_fail(name);
    };
    limit(RLIMIT_CPU, limits.cpu_seconds, "RLIMIT_CPU");
#if !defined(__SANITIZE_ADDRESS__)
    // (AddressSanitizer reserves terabytes of address space for its shadow memory.)
    limit(RLIMIT_AS, limits.address_space, "RLIMIT_AS");
#endif
    limit(RLIMIT_FSIZE, limits.file_size, "RLIMIT_FSIZE");
    limit(RLIMIT_CORE, 0, "RLIMIT_CORE");
    if (root) {
      limit(RLIMIT_NPROC, limits.processes, "RLIMIT_NPROC");
      if (::setgroups(0, nullptr) != 0) child_fail("setgroups");
      if (::setgid(kNobody) != 0) child_fail("setgid");
      if (::setuid(kNobody) != 0) child_fail("setuid");
    }
    // Set after the uid change, which clears it: the runner dies with its test.
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) child_fail("PR_SET_PDEATHSIG");
    if (::getppid() != parent) ::_exit(125);
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) child_fail("PR_SET_NO_NEW_PRIVS");
    if (ruleset >= 0) {
      allow(ruleset, "/proc/self", kReadRights);  // this process's own entries only
      if (landlock_restrict_self(ruleset, 0) != 0) child_fail("landlock_restrict_self");
    }
    if (::syscall(SYS_close_range, 3u, ~0u, 0u) != 0)
      for (int fd = 3; fd < 4096; ++fd) ::close(fd);
    if (::chdir(work.c_str()) != 0) child_fail("chdir");
    ::execve(binary.c_str(), argv, envp.data());
    child_fail("execve");
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err);
  if (ruleset >= 0) ::close(ruleset);
  pid_ = pid;
  to_runner_ = in[1];
  from_runner_ = out[0];
  ::fcntl(to_runner_, F_SETFL, O_NONBLOCK);
  ::fcntl(from_runner_, F_SETFL, O_NONBLOCK);
}

void StudentProcess::stop() {
  if (pid_ < 0) return;
  ::close(to_runner_);  // end of input: a well-behaved runner exits
  ::close(from_runner_);
  int status = 0;
  for (int i = 0; i < 20; ++i) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string StudentProcess::failure(const std::string& what) {
  // How the runner ended: give an exiting runner a moment, then stop it.
  std::string how;
  int status = 0;
  for (int i = 0; i < 50 && how.empty(); ++i) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) how = describe_status(status);
    else std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (how.empty()) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
    how = "was stopped";
  }
  ::close(to_runner_);
  ::close(from_runner_);
  pid_ = -1;
  std::ifstream in(dir_.parent_path() / "stderr.txt", std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  std::string tail = text.str();
  if (tail.size() > 1500) tail = "..." + tail.substr(tail.size() - 1500);
  return fmt::format("{}; the runner {}{}", what, how,
                     tail.empty() ? "" : fmt::format(". Its stderr ends:\n{}", tail));
}

Message StudentProcess::call(const std::string& function, const Message& inputs, double seconds) {
  if (pid_ < 0) start();
  const double limit = seconds > 0 ? seconds : limits_.call_seconds;
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(limit));
  const std::string who = fmt::format("student runner, call {}", function);
  auto fail = [&](const std::string& what) { throw Error(fmt::format("{}: {}", who, failure(what))); };
  auto io_fail = [&](Io io, const char* stage) {
    if (io == Io::timeout) fail(fmt::format("no answer within the time limit of {:g} s ({})", limit, stage));
    if (io == Io::eof) fail(fmt::format("the runner closed its pipe ({})", stage));
    fail(fmt::format("pipe error ({}): {}", stage, std::strerror(errno)));
  };

  const std::string request = encode_frame(Frame{FrameKind::request, function, inputs});
  if (Io io = write_until(to_runner_, request, deadline); io != Io::ok) io_fail(io, "sending the request");
  char head[8];
  if (Io io = read_until(from_runner_, head, sizeof head, deadline); io != Io::ok)
    io_fail(io, "waiting for the reply");
  if (std::string_view(head, 4) != kMagic)
    {
    std::string bytes;
    for (char c : head) bytes += fmt::format("{:02x}", static_cast<unsigned char>(c));
    fail(fmt::format("a malformed reply (its first bytes are 0x{}, not the protocol's magic)", bytes));
  }
  uint32_t length = 0;
  std::memcpy(&length, head + 4, 4);
  if (length > kMaxPayload) fail(fmt::format("a malformed reply (a payload of {} bytes)", length));
  std::string payload(length, '\0');
  if (Io io = read_until(from_runner_, payload.data(), length, deadline); io != Io::ok)
    io_fail(io, "reading the reply");
  Frame reply;
  try {
    reply = decode_payload(payload);
  } catch (const Error& e) {
    fail(fmt::format("a malformed reply ({})", e.what()));
  }
  if (reply.kind == FrameKind::error) throw StudentError(reply.head);
  if (reply.kind != FrameKind::reply) fail("a malformed reply (a request frame)");
  reply.body.what = fmt::format("the reply of {}", function);
  return reply.body;
}

}  // namespace ae::exercises
