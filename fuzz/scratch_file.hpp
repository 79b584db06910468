#pragma once
// The readers under test take a path, so each fuzz input is written to one scratch file per
// process (under $TMPDIR) and read back from there.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace ae::fuzz {

/// The process's scratch directory, removed when the fuzzer exits normally (a crash leaves it,
/// with the input that caused it, for a look).
class ScratchDir {
 public:
  ScratchDir()
      : path_(std::filesystem::temp_directory_path() / ("aelab-fuzz-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline const std::filesystem::path& scratch_dir() {
  static const ScratchDir dir;
  return dir.path();
}

/// Replaces the scratch file `name` by the bytes and returns its path. A write that fails is a
/// problem of the machine, not of the reader: it aborts rather than pass as a finding.
inline std::filesystem::path write_scratch(const std::string& name, const uint8_t* data,
                                           std::size_t size) {
  const std::filesystem::path file = scratch_dir() / name;
  std::FILE* f = std::fopen(file.c_str(), "wb");
  if (f == nullptr) std::abort();
  if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
  if (std::fclose(f) != 0) std::abort();
  return file;
}

}  // namespace ae::fuzz
