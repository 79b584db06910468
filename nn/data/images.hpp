#pragma once
// Image data sets in IDX files: MNIST and Fashion-MNIST.
//
// A directory holds up to four files, named as their authors publish them:
//   {train,t10k}-images-idx3-ubyte[.gz]   N x rows x cols bytes, 0 = background
//   {train,t10k}-labels-idx1-ubyte[.gz]   N bytes, the class of each image
// Some copies spell them with a dot ("train-images.idx3-ubyte"); both names are accepted.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tensor/tensor.hpp"

namespace ae::data {

/// MNIST and Fashion-MNIST both have ten classes, labelled 0 .. 9.
inline constexpr int kImageClasses = 10;

struct ImageSet {
  Tensor images;            ///< N x (rows*cols), float32 in [0, 1]: byte / 255
  std::vector<int> labels;  ///< N class indices
  int64_t rows = 0;
  int64_t cols = 0;
  std::string source;  ///< the directory the files came from
};

/// Loads split "train" or "t10k" from dir. limit >= 0 keeps only the first `limit` images
/// (the whole files are still read and checked). The image and label files must agree on
/// the number of images, and every label (not only the first `limit`) must be a class,
/// 0 .. kImageClasses-1. Throws ae::Error naming the directory or file at fault, and for a
/// bad label its index and value.
ImageSet load_images(const std::filesystem::path& dir, const std::string& split,
                     int64_t limit = -1);

/// The file of one split ("train", "t10k") and kind ("images", "labels") in dir, trying
/// the accepted spellings raw first, then gzipped; nullopt when none exists.
std::optional<std::filesystem::path> find_idx_file(const std::filesystem::path& dir,
                                                   const std::string& split,
                                                   const std::string& kind);

/// The names of the classes: "fashion-mnist" -> T-shirt/top, Trouser, ..., Ankle boot;
/// "mnist" -> "0" .. "9". Throws ae::Error for another name.
std::vector<std::string> class_names(const std::string& dataset);

}  // namespace ae::data
