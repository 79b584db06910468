#pragma once
// Writing PNG files (through stb_image_write, from Debian's libstb-dev).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ae::viz {

/// Writes width x height 8-bit RGB pixels (row-major, 3 bytes each) to a PNG file.
/// The file's directory must exist. Throws ae::Error "<who>: cannot write <path>: <why>".
void write_png(const std::filesystem::path& path, int width, int height,
               const std::vector<uint8_t>& rgb, const std::string& who);

}  // namespace ae::viz
