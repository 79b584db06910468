// The main of every set's student runner: serve the set's bindings on stdin/stdout.
#include "exercises/common/runner_server.hpp"

int main() { return ae::exercises::serve(ae::exercises::student_bindings()); }
