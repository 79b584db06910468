#include "exercises/common/runner_server.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/core.h>

namespace ae::exercises {

void write_all(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error(fmt::format("wire: write failed: {}", std::strerror(errno)));
    done += static_cast<size_t>(n);
  }
}

bool read_exact(int fd, char* buffer, size_t n) {
  size_t done = 0;
  while (done < n) {
    const ssize_t got = ::read(fd, buffer + done, n - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw Error(fmt::format("wire: read failed: {}", std::strerror(errno)));
    if (got == 0) {
      if (done == 0) return false;
      throw Error(fmt::format("wire: end of input after {} of {} bytes", done, n));
    }
    done += static_cast<size_t>(got);
  }
  return true;
}

namespace {

Frame error_frame(const std::string& message) { return Frame{FrameKind::error, message, {}}; }

Frame answer(const Bindings& bindings, const Frame& request) {
  if (request.kind != FrameKind::request) return error_frame("runner: expected a request frame");
  const auto it = bindings.find(request.head);
  if (it == bindings.end()) return error_frame(fmt::format("runner: no function '{}'", request.head));
  Message inputs = request.body;
  inputs.what = "inputs of " + request.head;
  try {
    Frame reply{FrameKind::reply, "", it->second(inputs)};
    return reply;
  } catch (const std::exception& e) {
    return error_frame(e.what());
  } catch (...) {
    return error_frame(fmt::format("{} threw something that is not a std::exception", request.head));
  }
}

}  // namespace

int serve(const Bindings& bindings, int in, int out) {
  // Replies get a descriptor of their own; fd 1 then points at stderr.
  std::fflush(stdout);
  const int reply_fd = ::fcntl(out, F_DUPFD_CLOEXEC, 3);
  if (reply_fd < 0 || ::dup2(2, out) < 0) {
    std::fprintf(stderr, "runner: cannot set up the reply channel: %s\n", std::strerror(errno));
    return 3;
  }
  try {
    for (;;) {
      char head[8];
      if (!read_exact(in, head, sizeof head)) return 0;
      if (std::string_view(head, 4) != kMagic) throw Error("runner: a request without the magic bytes");
      uint32_t length = 0;
      std::memcpy(&length, head + 4, 4);
      if (length > kMaxPayload) throw Error(fmt::format("runner: a request of {} bytes", length));
      std::string payload(length, '\0');
      if (!read_exact(in, payload.data(), length)) throw Error("runner: a request without payload");
      const Frame reply = answer(bindings, decode_payload(payload));
      std::string bytes;
      try {
        bytes = encode_frame(reply);
      } catch (const std::exception& e) {
        bytes = encode_frame(error_frame(e.what()));
      }
      std::fflush(stdout);
      std::fflush(stderr);
      write_all(reply_fd, bytes);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "runner: %s\n", e.what());
    return 2;
  }
}

}  // namespace ae::exercises
