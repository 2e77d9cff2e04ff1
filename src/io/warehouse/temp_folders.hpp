#pragma once
// The temp folders of this process's staged outputs, for StagedOutputs (commit.hpp) and the
// interrupt thread (interrupt.hpp). Not for other callers.

#include <mutex>
#include <string>
#include <vector>

namespace salespipe::io::warehouse::detail {

/// The temp folders this process has made and not yet removed. Signals reach the whole process,
/// so this list is process-wide (the one exception to "no global state": the interrupt thread
/// has no other way to find the temps of every StagedOutputs).
///
/// Every change holds the lock, and the folder is made or removed under it. The interrupt thread
/// takes the lock and keeps it until the process ends: after it has removed the folders, no new
/// temp folder can be made and no staged output renamed, so the run ends with each output its
/// previous or its new version and no temp of ours left.
class TempFolders {
 public:
  /// The process's list (made on first use, never destroyed, so the interrupt thread may use it
  /// while the process exits).
  static TempFolders& instance();

  TempFolders(const TempFolders&) = delete;
  TempFolders& operator=(const TempFolders&) = delete;

  /// Blocks while another thread changes the list; forever once the interrupt thread has it.
  [[nodiscard]] std::unique_lock<std::mutex> lock();

  /// Adds or drops a folder; the caller holds lock().
  void add(const std::unique_lock<std::mutex>& held, std::string folder);
  void drop(const std::unique_lock<std::mutex>& held, const std::string& folder);

  /// Whether the folder is a live temp folder of this process.
  bool contains(const std::string& folder);

  /// Removes every listed folder with the files in it and empties the list; the caller holds
  /// lock().
  void remove_all(const std::unique_lock<std::mutex>& held) noexcept;

  /// A number not handed out before in this process, for a unique folder name.
  unsigned next_sequence(const std::unique_lock<std::mutex>& held) noexcept;

 private:
  TempFolders() = default;

  std::mutex mutex_;
  std::vector<std::string> folders_;
  unsigned sequence_ = 0;
};

/// Removes a temp folder and the files in it. A writer thread may still create a file in it
/// until the folder is gone, so it unlinks and retries rmdir until the folder no longer exists;
/// once it is gone no file can appear in it. True when the folder is gone.
bool remove_temp_folder(const char* folder) noexcept;

}  // namespace salespipe::io::warehouse::detail
