// Loading MNIST-style image sets from IDX files.
#include "nn/data/images.hpp"

#include <algorithm>
#include <array>

#include "linalg/error.hpp"
#include "nn/data/idx.hpp"
#include "tensor/ops.hpp"

namespace ae::data {
namespace fs = std::filesystem;

namespace {

// "images" -> the IDX file's middle part "images-idx3", "labels" -> "labels-idx1".
std::string idx_stem(const std::string& kind) {
  if (kind == "images") return "images-idx3";
  if (kind == "labels") return "labels-idx1";
  throw Error("find_idx_file: kind \"" + kind + "\" is neither \"images\" nor \"labels\"");
}

void check_split(const std::string& split, const char* who) {
  if (split != "train" && split != "t10k") {
    throw Error(std::string(who) + ": split \"" + split + "\" is neither \"train\" nor \"t10k\"");
  }
}

// The spellings we accept, in the order they are tried.
std::vector<std::string> candidate_names(const std::string& split, const std::string& kind) {
  const std::string stem = idx_stem(kind);                               // images-idx3
  const std::string dotted = kind + "." + stem.substr(kind.size() + 1);  // images.idx3
  const std::string dash = split + "-" + stem + "-ubyte";
  const std::string dot = split + "-" + dotted + "-ubyte";
  return {dash, dot, dash + ".gz", dot + ".gz"};
}

}  // namespace

std::optional<fs::path> find_idx_file(const fs::path& dir, const std::string& split,
                                      const std::string& kind) {
  check_split(split, "find_idx_file");
  std::error_code ec;
  for (const auto& name : candidate_names(split, kind)) {
    const fs::path file = dir / name;
    if (fs::is_regular_file(file, ec)) return file;
  }
  return std::nullopt;
}

ImageSet load_images(const fs::path& dir, const std::string& split, int64_t limit) {
  check_split(split, "load_images");
  auto require = [&](const std::string& kind) {
    auto file = find_idx_file(dir, split, kind);
    if (!file) {
      const auto names = candidate_names(split, kind);
      throw Error(dir.string() + ": no " + split + " " + kind + " file: looked for " + names[0] +
                  "[.gz] and " + names[1] + "[.gz]");
    }
    return *file;
  };
  const fs::path image_file = require("images");
  const fs::path label_file = require("labels");

  IdxArray pixels = read_idx(image_file);
  if (pixels.dims.size() != 3) {
    throw Error(image_file.string() + ": expected 3 dimensions (images x rows x cols), the " +
                "header has " + std::to_string(pixels.dims.size()));
  }
  IdxArray labels = read_idx(label_file);
  if (labels.dims.size() != 1) {
    throw Error(label_file.string() + ": expected 1 dimension (one label per image), the " +
                "header has " + std::to_string(labels.dims.size()));
  }
  if (labels.dims[0] != pixels.dims[0]) {
    throw Error(dir.string() + ": " + image_file.filename().string() + " holds " +
                std::to_string(pixels.dims[0]) + " images but " + label_file.filename().string() +
                " holds " + std::to_string(labels.dims[0]) + " labels; they must match");
  }
  // A label indexes a class (names, one-hot rows, confusion matrices): one outside 0..9 is a
  // corrupt file, caught here rather than as an out-of-range index far downstream.
  for (size_t i = 0; i < labels.values.size(); ++i) {
    if (labels.values[i] >= kImageClasses) {
      throw Error(label_file.string() + ": label " + std::to_string(labels.values[i]) +
                  " at index " + std::to_string(i) + " is not a class: MNIST and Fashion-MNIST "
                  "labels are 0 to " + std::to_string(kImageClasses - 1));
    }
  }

  ImageSet set;
  set.rows = pixels.dims[1];
  set.cols = pixels.dims[2];
  set.source = dir.string();
  const int64_t n = limit >= 0 ? std::min(limit, pixels.dims[0]) : pixels.dims[0];
  const int64_t size = set.rows * set.cols;

  // byte / 255 through a table: the same float for a byte everywhere, and no division
  // per pixel.
  std::array<float, 256> scale{};
  for (int b = 0; b < 256; ++b) scale[b] = static_cast<float>(b) / 255.0f;
  set.images = tensor::empty({n, size});
  float* out = set.images.data();
  const uint8_t* in = pixels.values.data();
  for (int64_t i = 0; i < n * size; ++i) out[i] = scale[in[i]];

  set.labels.assign(labels.values.begin(), labels.values.begin() + n);
  return set;
}

std::vector<std::string> class_names(const std::string& dataset) {
  if (dataset == "fashion-mnist") {
    // Zalando Research's label descriptions (Xiao, Rasul, Vollgraf 2017).
    return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  }
  if (dataset == "mnist") return {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  throw Error("class_names: unknown data set \"" + dataset +
              "\"; known: \"fashion-mnist\", \"mnist\"");
}

}  // namespace ae::data
