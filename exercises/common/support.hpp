#pragma once
// Given code every set's programs may use: the data fallback (MNIST, else Fashion-MNIST)
// and a class-coloured scatter plot of 2-D codes. The command line is experiment_main.hpp's.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tensor/tensor.hpp"

namespace ae::exercises {

struct FoundImages {
  std::string dataset;  ///< "mnist" or "fashion-mnist" (what the folder holds)
  std::filesystem::path dir;
  bool fell_back = false;  ///< no MNIST was found, so Fashion-MNIST is used
};

/// The MNIST folder: `dir` when given (an error if it holds no images: never a fallback),
/// else $AELAB_DATA, ./data, ../shared/data; Fashion-MNIST when no MNIST is found, said
/// so on stdout.
FoundImages find_images(const std::optional<std::filesystem::path>& dir);

/// A PNG scatter plot of codes (n x 2), one colour per class of `dataset`, with a legend.
/// ae::Error naming `op` when codes is not (n x 2) with n labels.
void write_class_scatter(const std::filesystem::path& file, const Tensor& codes,
                         const std::vector<int>& labels, const std::string& dataset,
                         const std::string& title, const char* op = "write_scatter");

}  // namespace ae::exercises
