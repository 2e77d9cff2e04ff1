#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace salespipe::io::warehouse {

/// One run per output folder at a time: an exclusive flock on <folder>/.salespipe.lock, released
/// when the object goes away or the process dies (so a killed run never leaves a stale lock).
class FolderLock {
 public:
  /// Creates the folder if needed. Throws Error{Output} when the folder cannot be created, is a
  /// file, or another run holds the lock.
  explicit FolderLock(const std::filesystem::path& folder);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_ = -1;
};

/// The commit protocol of DESIGN.md section 11.3: every output is written to a temp file in its
/// final folder; commit() fsyncs them and renames each into place (renames are atomic, so a
/// crash leaves each output its previous or its new version). Uncommitted temps are removed when
/// the object goes away, so an error leaves earlier outputs intact.
class StagedOutputs {
 public:
  StagedOutputs() = default;
  ~StagedOutputs();
  StagedOutputs(const StagedOutputs&) = delete;
  StagedOutputs& operator=(const StagedOutputs&) = delete;

  /// A temp path beside `final_path` (creating its folder) to write the new version to.
  /// Throws Error{Output} when the folder cannot be created.
  std::filesystem::path stage(const std::filesystem::path& final_path);

  /// fsyncs every staged file, renames each into place in staging order, fsyncs the folders.
  /// Throws Error{Output}; files renamed before a failure stay renamed.
  void commit();

  /// The final paths, in staging order.
  std::vector<std::filesystem::path> finals() const;

 private:
  struct Entry {
    std::filesystem::path temp;
    std::filesystem::path final_path;
  };
  std::vector<Entry> entries_;
  bool committed_ = false;
};

/// The marker in salespipe's temp file names; files with it are ours.
inline constexpr std::string_view kTempMarker = ".salespipe-tmp-";

/// Removes temp files of dead runs from a folder (call it while holding the folder's lock).
/// Returns how many were removed.
std::size_t remove_stale_temps(const std::filesystem::path& folder);

/// Writes bytes to a new file (replacing one that exists); Error{Output} on failure.
void write_text_file(const std::filesystem::path& path, std::string_view bytes);

/// fsync of one file; Error{Output} on failure.
void sync_file(const std::filesystem::path& path);

}  // namespace salespipe::io::warehouse
