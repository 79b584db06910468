// The data set locator. See locate.hpp for the search order.
#include "nn/data/locate.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "linalg/error.hpp"
#include "nn/data/images.hpp"

namespace ae::data {
namespace fs = std::filesystem;

namespace {

void check_known(const std::string& name) {
  if (name != "fashion-mnist" && name != "mnist" && name != "ml-100k") {
    throw Error("locate_dataset: unknown data set \"" + name +
                "\"; known: \"fashion-mnist\", \"mnist\", \"ml-100k\"");
  }
}

std::string expected_files(const std::string& name) {
  if (name == "ml-100k") return "u.data";
  return "train-images-idx3-ubyte[.gz] or t10k-images-idx3-ubyte[.gz]";
}

// Why dir does not hold the data set, for the list of places in an error message.
std::string why_not(const fs::path& dir, const std::string& name) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return "no such directory";
  if (!fs::is_directory(dir, ec)) return "not a directory";
  return "no " + expected_files(name) + " there";
}

// DIR if it holds the files, else DIR/<name> if that does; nullopt when neither.
std::optional<fs::path> root_rule(const fs::path& dir, const std::string& name) {
  if (holds_dataset(dir, name)) return dir;
  if (holds_dataset(dir / name, name)) return dir / name;
  return std::nullopt;
}

std::string how_to_get(const std::string& name) {
  if (name == "fashion-mnist") {
    return "Install it with: sudo apt-get install dataset-fashion-mnist\n"
           "(or put {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz in ./data/fashion-mnist, "
           "or pass --data DIR)";
  }
  if (name == "mnist") {
    return "Put train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
           "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz in ./data/mnist\n"
           "(or pass --data DIR, or set AELAB_DATA to a directory holding mnist/)";
  }
  return "Put u.data from MovieLens 100K (https://grouplens.org/datasets/movielens/100k/) "
         "in ./data/ml-100k\n(or pass --data DIR, or set AELAB_DATA to a directory holding "
         "ml-100k/)";
}

}  // namespace

bool holds_dataset(const fs::path& dir, const std::string& name) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return false;
  if (name == "ml-100k") return fs::is_regular_file(dir / "u.data", ec);
  return find_idx_file(dir, "train", "images") || find_idx_file(dir, "t10k", "images");
}

DataSearch DataSearch::from_environment(const std::string& name,
                                        const std::optional<fs::path>& data_option) {
  DataSearch search;
  search.data_option = data_option;
  if (const char* env = std::getenv("AELAB_DATA"); env != nullptr && *env != '\0') {
    search.env_data = fs::path(env);
  }
  std::error_code ec;
  search.working_dir = fs::current_path(ec);
  if (name == "fashion-mnist") search.system_dirs.push_back("/usr/share/datasets/fashion-mnist");
  return search;
}

fs::path locate_dataset(const std::string& name, const std::optional<fs::path>& data_option) {
  check_known(name);
  return locate_dataset(name, DataSearch::from_environment(name, data_option));
}

fs::path locate_dataset(const std::string& name, const DataSearch& search) {
  check_known(name);
  if (search.data_option) {
    const fs::path& dir = *search.data_option;
    if (auto found = root_rule(dir, name)) return *found;
    throw Error("--data " + dir.string() + ": found no " + name + " files in " + dir.string() +
                " (" + why_not(dir, name) + ") nor in " + (dir / name).string() + " (" +
                why_not(dir / name, name) + ")");
  }

  std::vector<std::string> looked;
  if (search.env_data) {
    const fs::path& dir = *search.env_data;
    if (auto found = root_rule(dir, name)) return *found;
    looked.push_back("$AELAB_DATA=" + dir.string() + ": " + why_not(dir, name));
    looked.push_back("$AELAB_DATA/" + name + " = " + (dir / name).string() + ": " +
                     why_not(dir / name, name));
  } else {
    looked.push_back("$AELAB_DATA: not set");
  }
  std::vector<fs::path> places = {
      (search.working_dir / "data" / name).lexically_normal(),
      (search.working_dir / ".." / "shared" / "data" / name).lexically_normal()};
  places.insert(places.end(), search.system_dirs.begin(), search.system_dirs.end());
  for (const fs::path& dir : places) {
    if (holds_dataset(dir, name)) return dir;
    looked.push_back(dir.string() + ": " + why_not(dir, name));
  }

  std::string message = "cannot find the " + name + " data set. Looked in:\n";
  for (const auto& line : looked) message += "  " + line + "\n";
  message += how_to_get(name);
  throw Error(message);
}

std::string detect_dataset_name(const fs::path& dir) {
  std::error_code ec;
  fs::path real = fs::weakly_canonical(dir, ec);
  if (ec) real = dir;
  // The innermost directory that names a data set wins: .../fashion-mnist/mnist is MNIST.
  std::vector<std::string> parts;
  for (const auto& part : real) parts.push_back(part.string());
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    std::string lower = *it;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower.find("fashion") != std::string::npos) return "fashion-mnist";
    if (lower.find("mnist") != std::string::npos) return "mnist";
  }
  return "";
}

}  // namespace ae::data
