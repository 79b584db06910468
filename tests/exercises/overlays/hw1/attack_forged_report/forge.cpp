
// ---- red team: forge the GoogleTest report from a static initialiser.
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool forge_from(const std::string& cmdline_file) {
  const std::string cmdline = read_all(cmdline_file);
  std::string report, filter;
  std::stringstream args(cmdline);
  for (std::string arg; std::getline(args, arg, '\0');) {
    if (arg.rfind("--gtest_output=json:", 0) == 0) report = arg.substr(20);
    if (arg.rfind("--gtest_filter=", 0) == 0) filter = arg.substr(15);
  }
  if (report.empty() || filter.empty()) return false;
  const std::string suite = filter.substr(0, filter.find('.'));
  const std::string test = filter.substr(filter.find('.') + 1);
  std::ofstream out(report);
  out << R"({"testsuites": [{"name": ")" << suite << R"(", "testsuite": [{"name": ")" << test
      << R"(", "status": "RUN", "result": "COMPLETED"}]}]})";
  return static_cast<bool>(out);
}

const bool forged = [] {
  const bool done = forge_from("/proc/self/cmdline") ||
                    forge_from("/proc/" + std::to_string(getppid()) + "/cmdline");
  if (done) _exit(0);
  return false;
}();

}  // namespace
