#include "nn/atomic_write.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>

#include "linalg/error.hpp"

namespace ae::nn {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const fs::path& file, const std::string& what, int error) {
  throw Error(file.string() + ": " + what + ": " + std::strerror(error));
}

// Writes all bytes to fd and forces them to disk; closes fd. `name` is for messages.
void write_and_sync(int fd, const fs::path& name, std::string_view bytes) {
  auto close_and_fail = [&](const char* what) {
    const int saved = errno;
    ::close(fd);
    fail(name, what, saved);
  };
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      close_and_fail("write failed");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) close_and_fail("fsync failed");
}

// Writes all bytes to a new file at `path` and forces them to disk.
void write_durably(const fs::path& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(path, "cannot create", errno);
  write_and_sync(fd, path, bytes);
  if (::close(fd) != 0) fail(path, "close failed", errno);
}

// Writes the bytes into an unnamed file in `dir` (O_TMPFILE), then links it in as `tmp`.
// The file has no name while the bytes go out, so a writer killed then leaves nothing
// behind; only the two system calls between the link and the rename can leave `tmp`.
// Returns false, having created nothing, where the kernel or the file system lacks O_TMPFILE
// or /proc (the caller then writes `tmp` by name); throws for a failed write.
bool write_unnamed_then_link(const fs::path& dir, const fs::path& tmp, const fs::path& target,
                             std::string_view bytes) {
#ifdef O_TMPFILE
  const int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  write_and_sync(fd, target, bytes);
  // linkat(fd, "", ..., AT_EMPTY_PATH) needs CAP_DAC_READ_SEARCH; the /proc link does not.
  const std::string proc = "/proc/self/fd/" + std::to_string(fd);
  ::unlink(tmp.c_str());  // a leftover of an earlier process with our pid
  const bool linked = ::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, tmp.c_str(), AT_SYMLINK_FOLLOW) == 0;
  const int link_error = errno;
  ::close(fd);
  if (!linked && link_error != ENOENT && link_error != EPERM && link_error != EXDEV &&
      link_error != EOPNOTSUPP)
    fail(target, "cannot link the temporary as " + tmp.string(), link_error);
  return linked;
#else
  (void)dir, (void)tmp, (void)target, (void)bytes;
  return false;
#endif
}

// Removes "<name>.tmp-<pid>" files in `dir` whose writer process no longer exists: what a
// writer killed between its link and its rename (or, without O_TMPFILE, at any point) left.
// A temporary of a live process, this one included, is never touched.
void remove_stale_temporaries(const fs::path& dir, const std::string& name) {
  const std::string prefix = name + ".tmp-";
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return;  // the write itself will report the directory
  while (const dirent* e = ::readdir(d)) {
    const std::string entry = e->d_name;
    if (entry.size() <= prefix.size() || entry.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = entry.substr(prefix.size());
    if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const long pid = std::strtol(digits.c_str(), nullptr, 10);
    if (pid <= 0 || pid == ::getpid()) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to judge
    ::unlinkat(::dirfd(d), entry.c_str(), 0);
  }
  ::closedir(d);
}

}  // namespace

void write_file_atomically(const fs::path& path, std::string_view bytes) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : ".";
  // The process id in the name keeps two processes writing one target from sharing a
  // temporary, and tells a later writer whether the one that left it is still running.
  const fs::path tmp = dir / (path.filename().string() + ".tmp-" + std::to_string(::getpid()));
  remove_stale_temporaries(dir, path.filename().string());
  try {
    if (!write_unnamed_then_link(dir, tmp, path, bytes)) write_durably(tmp, bytes);
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
      fail(path, "cannot rename " + tmp.string() + " over it", errno);
  } catch (...) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw;
  }
  // The rename is durable once the directory entry is on disk.
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

}  // namespace ae::nn
