#include "exercises/common/support.hpp"

#include <fmt/core.h>

#include "nn/data/images.hpp"
#include "nn/data/locate.hpp"
#include "nn/viz/plots.hpp"

namespace ae::exercises {

FoundImages find_images(const std::optional<std::filesystem::path>& dir) {
  FoundImages found;
  try {
    found.dir = data::locate_dataset("mnist", dir);
    const std::string detected = data::detect_dataset_name(found.dir);
    found.dataset = detected.empty() ? "mnist" : detected;
  } catch (const Error&) {
    // An explicit folder that holds no images is the user's error, never a fallback.
    if (dir) throw;
    found.dir = data::locate_dataset("fashion-mnist", std::nullopt);
    found.dataset = "fashion-mnist";
    found.fell_back = true;
    fmt::print("data: no MNIST found, so this run uses Fashion-MNIST from {} instead.\n"
               "      (get MNIST, or point --data at it, for the digits of the lecture)\n",
               found.dir.string());
  }
  return found;
}

void write_class_scatter(const std::filesystem::path& file, const Tensor& codes,
                         const std::vector<int>& labels, const std::string& dataset,
                         const std::string& title, const char* op) {
  if (!codes.defined() || codes.dim() != 2 || codes.size(1) != 2 ||
      static_cast<size_t>(codes.size(0)) != labels.size())
    throw Error(fmt::format("{}: codes has shape {} and there are {} labels, expected [n, 2] and n", op,
                            codes.defined() ? to_string(codes.shape()) : "undefined", labels.size()));
  const std::vector<float> x = codes.slice(1, 0, 1).contiguous().to_vector();
  const std::vector<float> y = codes.slice(1, 1, 2).contiguous().to_vector();
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  viz::scatter_plot(file, x, y, labels, data::class_names(dataset), title, "direction 1", "direction 2");
}

}  // namespace ae::exercises
