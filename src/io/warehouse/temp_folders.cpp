#include "io/warehouse/temp_folders.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace salespipe::io::warehouse::detail {
namespace {

/// Each writer creates its file once, so a few rounds always suffice; the bound only keeps an
/// unexpected subfolder from looping forever.
constexpr int kMaxRounds = 100;

/// Unlinks every entry of a folder (files only: a subfolder is not ours and stays).
void unlink_entries(const char* folder) noexcept {
  const int fd = ::open(folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    return;
  }
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    ::close(fd);
    return;
  }
  while (const dirent* entry = ::readdir(dir)) {
    if (std::strcmp(entry->d_name, ".") != 0 && std::strcmp(entry->d_name, "..") != 0) {
      ::unlinkat(fd, entry->d_name, 0);
    }
  }
  ::closedir(dir);  // closes fd too
}

}  // namespace

TempFolders& TempFolders::instance() {
  // Never destroyed: the interrupt thread may still take the lock while static objects go away.
  static TempFolders* const folders = new TempFolders();
  return *folders;
}

std::unique_lock<std::mutex> TempFolders::lock() { return std::unique_lock<std::mutex>(mutex_); }

void TempFolders::add(const std::unique_lock<std::mutex>& /*held*/, std::string folder) {
  folders_.push_back(std::move(folder));
}

void TempFolders::drop(const std::unique_lock<std::mutex>& /*held*/, const std::string& folder) {
  const auto found = std::find(folders_.begin(), folders_.end(), folder);
  if (found != folders_.end()) {
    folders_.erase(found);
  }
}

bool TempFolders::contains(const std::string& folder) {
  const std::lock_guard<std::mutex> held(mutex_);
  return std::find(folders_.begin(), folders_.end(), folder) != folders_.end();
}

void TempFolders::remove_all(const std::unique_lock<std::mutex>& /*held*/) noexcept {
  for (const std::string& folder : folders_) {
    remove_temp_folder(folder.c_str());
  }
  folders_.clear();
}

unsigned TempFolders::next_sequence(const std::unique_lock<std::mutex>& /*held*/) noexcept {
  return sequence_++;
}

bool remove_temp_folder(const char* folder) noexcept {
  for (int round = 0; round < kMaxRounds; ++round) {
    unlink_entries(folder);
    if (::rmdir(folder) == 0 || errno == ENOENT) {
      return true;
    }
    if (errno != ENOTEMPTY && errno != EEXIST) {
      return false;
    }
    // A writer created a file between the unlinks and rmdir: go round again.
  }
  return false;
}

}  // namespace salespipe::io::warehouse::detail
