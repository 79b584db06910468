#pragma once
// The student runner's side of the protocol (wire.hpp). A set's runner program is
// runner_main.cpp + the set's given student_bindings.cpp + the student's files: it reads
// requests on stdin, calls the bound function, and writes the reply on stdout. Graded
// tests never load the student's code; they talk to this program (student_process.hpp).
#include <functional>
#include <map>
#include <string>

#include "exercises/common/wire.hpp"

namespace ae::exercises {

/// A callable function of the runner: the request's inputs to the reply's outputs. What
/// it throws (the stub's "not implemented" ae::Error, say) becomes an error reply.
using Handler = std::function<Message(const Message& inputs)>;
using Bindings = std::map<std::string, Handler>;

/// Defined by each set's student_bindings.cpp (given code, compiled only into the runner).
Bindings student_bindings();

/// Serves requests from fd `in` until end of input; replies go to fd `out`. The process's
/// own stdout is moved to stderr first, so that what the student prints cannot corrupt a
/// reply. Returns the exit status (0 at a clean end of input).
int serve(const Bindings& bindings, int in = 0, int out = 1);

/// Whole-buffer I/O on a file descriptor, retrying on EINTR and short counts. read_exact
/// returns false on end of input before the first byte, and throws ae::Error on end of
/// input in the middle.
void write_all(int fd, const std::string& bytes);
bool read_exact(int fd, char* buffer, size_t n);

}  // namespace ae::exercises
