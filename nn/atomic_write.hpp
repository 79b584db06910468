#pragma once
// Replacing a file so that a reader sees the old content or the new one, never a mix.
//
// Checkpoints, chapter reports and the results page are all written this way: the bytes go
// to a temporary file in the same directory (a rename is atomic only within one file system),
// are forced to disk with fsync, and the temporary is renamed over the target. A crash or a
// full disk part-way leaves the old file as it was.
//
// The temporary is unnamed while the bytes are written (O_TMPFILE), and gets the name
// `<name>.tmp-<pid>` only for the rename, so a writer killed mid-write leaves nothing behind.
// Where O_TMPFILE is missing, the temporary is written by name. Either way, each write first
// removes the `<name>.tmp-<pid>` files of processes that no longer exist, so killed writers
// never leave more than one stale temporary per target.
#include <filesystem>
#include <string_view>

namespace ae::nn {

/// Replaces `path` by `bytes`: removes stale temporaries of dead writers, writes an unnamed
/// temporary beside it (or `<name>.tmp-<pid>`), fsyncs it, links it as `<name>.tmp-<pid>`,
/// renames that over `path` and fsyncs the directory so the rename itself survives a crash.
/// On any failure the temporary is removed, `path` keeps its old content, and an ae::Error
/// names the file, the step that failed and the system's reason.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace ae::nn
