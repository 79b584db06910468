#pragma once
// The size of a PNG figure, read from its header, so chapter tests can check that a figure
// is a real image of a sensible size and not an empty or truncated file.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include <gtest/gtest.h>

namespace aelab_test {

/// Width and height from the PNG's IHDR chunk, or {0, 0} when the file is not a PNG.
inline std::pair<uint32_t, uint32_t> png_size(const std::filesystem::path& file) {
  std::ifstream f(file, std::ios::binary);
  unsigned char h[24] = {};
  f.read(reinterpret_cast<char*>(h), 24);
  const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (!f || !std::equal(signature, signature + 8, h) ||
      std::string(reinterpret_cast<char*>(h + 12), 4) != "IHDR")
    return {0, 0};
  auto be32 = [&](int at) {
    return uint32_t(h[at]) << 24 | uint32_t(h[at + 1]) << 16 | uint32_t(h[at + 2]) << 8 | h[at + 3];
  };
  return {be32(16), be32(20)};
}

/// A figure a reader can look at: a PNG between 300 x 200 and 4000 x 4000 pixels.
inline ::testing::AssertionResult is_sensible_figure(const std::filesystem::path& file) {
  const auto [w, h] = png_size(file);
  if (w >= 300 && h >= 200 && w <= 4000 && h <= 4000) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << file << " is not a PNG of sensible size (" << w << " x " << h << ")";
}

}  // namespace aelab_test
