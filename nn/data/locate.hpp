#pragma once
// Finding a data set on disk.
//
// The places, in order (DESIGN.md, "Data"):
//   1. --data DIR       DIR itself if it holds the files, else DIR/<name>. Given but holding
//                       neither is an error: an explicit choice never silently falls through.
//   2. $AELAB_DATA      the same rule; when it holds neither, the search goes on.
//   3. ./data/<name>    relative to the working directory
//   4. ../shared/data/<name>
//   5. /usr/share/datasets/fashion-mnist   (fashion-mnist only; Debian's dataset-fashion-mnist)
// "Holds the files" means: the train or t10k images (any accepted spelling, see
// images.hpp) for "mnist" and "fashion-mnist", u.data for "ml-100k".
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ae::data {

/// Where to look. from_environment() fills it with the real places; tests build their own.
struct DataSearch {
  std::optional<std::filesystem::path> data_option;  ///< --data
  std::optional<std::filesystem::path> env_data;     ///< $AELAB_DATA
  std::filesystem::path working_dir;                 ///< base of ./data and ../shared/data
  std::vector<std::filesystem::path> system_dirs;    ///< per data set, tried last

  /// --data as given, $AELAB_DATA if set and non-empty, the current directory, and
  /// /usr/share/datasets/fashion-mnist for "fashion-mnist".
  static DataSearch from_environment(const std::string& name,
                                     const std::optional<std::filesystem::path>& data_option);
};

/// The directory holding data set `name` ("fashion-mnist", "mnist", "ml-100k").
/// Throws ae::Error listing every place it looked and how to get the files.
std::filesystem::path locate_dataset(const std::string& name,
                                     const std::optional<std::filesystem::path>& data_option);
std::filesystem::path locate_dataset(const std::string& name, const DataSearch& search);

/// True when dir directly holds the files of data set `name`.
bool holds_dataset(const std::filesystem::path& dir, const std::string& name);

/// "fashion-mnist" or "mnist" from the directory's name (its real path, links resolved);
/// "" when the name does not tell. Best effort, for choosing class names.
std::string detect_dataset_name(const std::filesystem::path& dir);

}  // namespace ae::data
