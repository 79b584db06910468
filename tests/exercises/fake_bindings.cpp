// The bindings of a stand-in student runner for the protocol tests: functions that answer,
// throw, exit, crash, hang, print garbage on the reply channel, and probe the sandbox.
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <thread>

#include <unistd.h>

#include "exercises/common/runner_server.hpp"
#include "tensor/ops.hpp"

namespace ae::exercises {

Bindings student_bindings() {
  Bindings b;
  b["echo"] = [](const Message& in) {
    Message out = in;
    out.what = "echo";
    return out;
  };
  b["twice"] = [](const Message& in) { return Message{{"y", in.tensor("x") * 2.0f}}; };
  b["throws"] = [](const Message&) -> Message { throw Error("TOY task 1: answer is not implemented yet"); };
  b["exits"] = [](const Message&) -> Message { std::exit(0); };
  b["crashes"] = [](const Message&) -> Message {
    std::fprintf(stderr, "about to crash\n");
    std::raise(SIGSEGV);
    return {};
  };
  b["hangs"] = [](const Message&) -> Message {
    for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
  };
  // Garbage straight onto the reply channel (the descriptor serve() keeps for replies).
  b["garbage"] = [](const Message&) -> Message {
    for (int fd = 3; fd < 16; ++fd) [[maybe_unused]] ssize_t n = ::write(fd, "PASSED!!PASSED!!", 16);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    return {};
  };
  b["prints"] = [](const Message&) {
    std::printf("AEX1 this is not a reply\n");
    std::fflush(stdout);
    return Message{{"ok", int64_t{1}}};
  };
  // What the sandbox allows: the uid, and whether a path can be written / read, and
  // whether the parent can be signalled.
  b["probe"] = [](const Message& in) {
    std::ofstream w(in.text("write"));
    std::ifstream r(in.text("read"));
    return Message{{"uid", static_cast<int64_t>(::getuid())},
                   {"wrote", int64_t{static_cast<bool>(w << "x")}},
                   {"read", int64_t{r.good() && r.peek() != EOF}},
                   {"signal_parent", int64_t{::kill(::getppid(), 0) == 0}},
                   {"seed_in_env", int64_t{std::getenv("AELAB_HIDDEN_SEED") != nullptr}}};
  };
  return b;
}

}  // namespace ae::exercises
