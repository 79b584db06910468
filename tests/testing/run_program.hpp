#pragma once
// Runs a program through the shell and returns its exit code and everything it printed
// (stdout and stderr together), for tests of command lines.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace ae::testing {

struct ProgramResult {
  int code;            ///< the exit status, or -1 when the program did not exit normally
  std::string output;  ///< stdout and stderr
};

inline ProgramResult run_program(const std::string& program, const std::string& args) {
  const std::string command = program + " " + args + " 2>&1";
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  std::array<char, 4096> buffer{};
  size_t got;
  while ((got = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) output.append(buffer.data(), got);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace ae::testing
