#pragma once

#include <filesystem>
#include <string>
#include <string_view>
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

/// The commit protocol of DESIGN.md section 11.3: every output is written to a temp file in a
/// temp folder of this run inside its final folder (same file system); commit() fsyncs them and
/// renames each into place (renames are atomic, so a crash leaves each output its previous or
/// its new version). Uncommitted temps are removed with their folder when the object goes away,
/// so an error leaves earlier outputs intact, and by the interrupt thread on Ctrl-C or kill
/// (interrupt.hpp). A folder rather than loose files, because once it is removed no writer
/// thread can create a temp in it any more.
class StagedOutputs {
 public:
  StagedOutputs() = default;
  ~StagedOutputs();
  StagedOutputs(const StagedOutputs&) = delete;
  StagedOutputs& operator=(const StagedOutputs&) = delete;

  /// A temp path for the new version of `final_path`, in this run's temp folder beside it
  /// (creating both folders; the file itself is left to the writer). Throws Error{Output} when a
  /// folder cannot be created.
  std::filesystem::path stage(const std::filesystem::path& final_path);

  /// fsyncs every staged file, renames each into place in staging order, removes the temp
  /// folders, fsyncs the final folders. The renames hold off the interrupt thread, so a signal
  /// meanwhile ends the run after them. Throws Error{Output}; files renamed before a failure
  /// stay renamed.
  void commit();

  /// The final paths, in staging order.
  std::vector<std::filesystem::path> finals() const;

 private:
  struct Entry {
    std::filesystem::path temp;
    std::filesystem::path final_path;
  };
  struct TempFolder {
    std::filesystem::path folder;  ///< the final folder
    std::string temp;              ///< this run's temp folder in it
  };
  /// This run's temp folder in `folder`, made (and listed for the interrupt thread) on first use.
  std::filesystem::path temp_folder_in(const std::filesystem::path& folder);
  void remove_temp_folders() noexcept;

  std::vector<Entry> entries_;
  std::vector<TempFolder> temp_folders_;
};

/// The marker in salespipe's temp folder and file names (`.salespipe-tmp-<pid>-<n>/`); entries
/// with it are ours.
inline constexpr std::string_view kTempMarker = ".salespipe-tmp-";

/// Removes temp folders (and temp files of older versions) of dead runs from a folder; call it
/// while holding the folder's lock. Temp folders of this process that are still in use stay.
/// Returns how many entries were removed.
std::size_t remove_stale_temps(const std::filesystem::path& folder);

/// Writes bytes to a new file (replacing one that exists); Error{Output} on failure.
void write_text_file(const std::filesystem::path& path, std::string_view bytes);

/// fsync of one file; Error{Output} on failure.
void sync_file(const std::filesystem::path& path);

}  // namespace salespipe::io::warehouse
