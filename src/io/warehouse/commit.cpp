#include "io/warehouse/commit.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "core/error.hpp"
#include "io/warehouse/temp_folders.hpp"

namespace salespipe::io::warehouse {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void fail(const fs::path& path, std::string_view what) {
  throw Error(ErrorKind::Output,
              fmt::format("{}: {}: {}", path.string(), what, std::strerror(errno)));
}

void create_folder(const fs::path& folder) {
  std::error_code error;
  fs::create_directories(folder, error);
  if (error || !fs::is_directory(folder)) {
    throw Error(ErrorKind::Output,
                fmt::format("{}: cannot create the output folder{}", folder.string(),
                            error ? ": " + error.message() : " (a file is in the way)"));
  }
}

void sync_folder(const fs::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    fail(folder, "cannot open folder to sync it");
  }
  const int result = ::fsync(fd);
  ::close(fd);
  if (result != 0) {
    fail(folder, "cannot sync folder");
  }
}

}  // namespace

FolderLock::FolderLock(const fs::path& folder) {
  create_folder(folder);
  const fs::path lock_path = folder / ".salespipe.lock";
  fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    fail(lock_path, "cannot open the lock file");
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int saved = errno;
    ::close(fd_);
    fd_ = -1;
    if (saved == EWOULDBLOCK) {
      throw Error(
          ErrorKind::Output,
          fmt::format("{}: another salespipe run is writing to this folder", folder.string()));
    }
    errno = saved;
    fail(lock_path, "cannot lock");
  }
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) {
    ::close(fd_);  // releases the flock
  }
}

void write_text_file(const fs::path& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    fail(path, "cannot create");
  }
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t written = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      const int saved = errno;
      ::close(fd);
      errno = saved;
      fail(path, "cannot write");
    }
    done += static_cast<std::size_t>(written);
  }
  if (::close(fd) != 0) {
    fail(path, "cannot close");
  }
}

void sync_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    fail(path, "cannot open to sync");
  }
  const int result = ::fsync(fd);
  ::close(fd);
  if (result != 0) {
    fail(path, "cannot sync");
  }
}

StagedOutputs::~StagedOutputs() { remove_temp_folders(); }

void StagedOutputs::remove_temp_folders() noexcept {
  if (temp_folders_.empty()) {
    return;
  }
  detail::TempFolders& registry = detail::TempFolders::instance();
  const std::unique_lock<std::mutex> held = registry.lock();
  for (const auto& temp : temp_folders_) {
    detail::remove_temp_folder(temp.temp.c_str());
    registry.drop(held, temp.temp);
  }
  temp_folders_.clear();
}

fs::path StagedOutputs::temp_folder_in(const fs::path& folder) {
  for (const auto& temp : temp_folders_) {
    if (temp.folder == folder) {
      return temp.temp;
    }
  }
  detail::TempFolders& registry = detail::TempFolders::instance();
  // Listed before it is made, and made under the lock: the interrupt thread either finds it or
  // holds the lock for good, and then this call never returns.
  const std::unique_lock<std::mutex> held = registry.lock();
  const std::string temp =
      (folder / fmt::format("{}{}-{}", kTempMarker, ::getpid(), registry.next_sequence(held)))
          .string();
  temp_folders_.reserve(temp_folders_.size() + 1);
  registry.add(held, temp);
  temp_folders_.push_back({folder, temp});
  if (::mkdir(temp.c_str(), 0700) != 0) {
    // A folder of a dead run that had this process id: nothing in it is in use.
    if (errno != EEXIST || !detail::remove_temp_folder(temp.c_str()) ||
        ::mkdir(temp.c_str(), 0700) != 0) {
      const int saved = errno;
      registry.drop(held, temp);
      temp_folders_.pop_back();
      errno = saved;
      fail(temp, "cannot create the temp folder");
    }
  }
  return temp;
}

fs::path StagedOutputs::stage(const fs::path& final_path) {
  const fs::path folder =
      final_path.parent_path().empty() ? fs::path(".") : final_path.parent_path();
  create_folder(folder);
  fs::path temp = temp_folder_in(folder) / final_path.filename();
  std::error_code ignored;
  fs::remove(temp, ignored);
  entries_.push_back({temp, final_path});
  return temp;
}

void StagedOutputs::commit() {
  for (const auto& entry : entries_) {
    sync_file(entry.temp);
  }
  std::set<fs::path> folders;
  {
    // The interrupt thread waits for the renames, so a signal never ends the run between two
    // of them; a crash can, and leaves each output its previous or its new version.
    detail::TempFolders& registry = detail::TempFolders::instance();
    const std::unique_lock<std::mutex> held = registry.lock();
    for (const auto& entry : entries_) {
      if (::rename(entry.temp.c_str(), entry.final_path.c_str()) != 0) {
        fail(entry.final_path, "cannot put the new version in place");
      }
      folders.insert(entry.final_path.parent_path());
    }
    for (const auto& temp : temp_folders_) {
      detail::remove_temp_folder(temp.temp.c_str());
      registry.drop(held, temp.temp);
    }
    temp_folders_.clear();
  }
  for (const auto& folder : folders) {
    sync_folder(folder.empty() ? fs::path(".") : folder);
  }
}

std::vector<fs::path> StagedOutputs::finals() const {
  std::vector<fs::path> paths;
  for (const auto& entry : entries_) {
    paths.push_back(entry.final_path);
  }
  return paths;
}

std::size_t remove_stale_temps(const fs::path& folder) {
  std::size_t removed = 0;
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    return 0;
  }
  detail::TempFolders& registry = detail::TempFolders::instance();
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    if (name.find(kTempMarker) == std::string::npos) {
      continue;
    }
    std::error_code ignored;
    const fs::file_status status = entry.symlink_status(ignored);
    if (fs::is_directory(status)) {
      if (!registry.contains(entry.path().string())) {
        fs::remove_all(entry.path(), ignored);
        if (!ignored) {
          ++removed;
        }
      }
    } else if (fs::is_regular_file(status) && fs::remove(entry.path(), ignored)) {
      ++removed;  // a loose temp file of a version before the temp folders
    }
  }
  return removed;
}

}  // namespace salespipe::io::warehouse
