#include "nn/atomic_write.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>

#include "linalg/error.hpp"

namespace ae::nn {

namespace {

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& what, int error) {
  throw Error(file.string() + ": " + what + ": " + std::strerror(error));
}

// Writes all bytes to a new file at `path` and forces them to disk.
void write_durably(const std::filesystem::path& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(path, "cannot create", errno);
  auto close_and_fail = [&](const char* what) {
    const int saved = errno;
    ::close(fd);
    fail(path, what, saved);
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
  if (::close(fd) != 0) fail(path, "close failed", errno);
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes) {
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  // The process id in the name keeps two processes writing one target from sharing a temporary.
  const std::filesystem::path tmp = dir / (path.filename().string() + ".tmp-" + std::to_string(::getpid()));
  try {
    write_durably(tmp, bytes);
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
      fail(path, "cannot rename " + tmp.string() + " over it", errno);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
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
