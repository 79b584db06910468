// PNG output. stb_image_write's implementation is compiled here, with static linkage, so it
// cannot clash with another copy elsewhere in a program.
#include "nn/viz/png.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "linalg/error.hpp"

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#define STBI_WRITE_NO_STDIO
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wshadow"
#endif
#include <stb/stb_image_write.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace ae::viz {
namespace fs = std::filesystem;

namespace {

void append_bytes(void* context, void* data, int size) {
  auto* out = static_cast<std::vector<uint8_t>*>(context);
  const auto* bytes = static_cast<const uint8_t*>(data);
  out->insert(out->end(), bytes, bytes + size);
}

}  // namespace

void write_png(const fs::path& path, int width, int height, const std::vector<uint8_t>& rgb,
               const std::string& who) {
  const std::string prefix = who + ": cannot write " + path.string() + ": ";
  if (path.empty()) throw Error(who + ": the output path is empty");
  if (width <= 0 || height <= 0 || rgb.size() != size_t(width) * size_t(height) * 3) {
    throw Error(prefix + "bad image size " + std::to_string(width) + "x" + std::to_string(height));
  }
  std::error_code ec;
  const fs::path parent = path.parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec)) {
    throw Error(prefix + "directory " + parent.string() + " does not exist");
  }
  if (fs::is_directory(path, ec)) throw Error(prefix + "it is a directory");

  // Encode in memory first, so a failed encoding never leaves a half-written file.
  std::vector<uint8_t> png;
  if (stbi_write_png_to_func(append_bytes, &png, width, height, 3, rgb.data(), width * 3) == 0) {
    throw Error(prefix + "PNG encoding failed");
  }
  errno = 0;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(prefix + (errno ? std::strerror(errno) : "cannot open the file"));
  out.write(reinterpret_cast<const char*>(png.data()), static_cast<std::streamsize>(png.size()));
  out.close();
  if (!out) throw Error(prefix + (errno ? std::strerror(errno) : "write failed"));
}

}  // namespace ae::viz
