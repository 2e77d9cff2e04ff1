#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace salespipe::testing {

/// The salespipe::Error that action throws. When it throws none the test fails, and an Internal
/// error stands in for the missing one.
Error error_of(const std::function<void()>& action);

/// The folder of the lab's seed inputs, or an empty path when it is absent. Tests that need it
/// call GTEST_SKIP() with seed_missing_message() then; under CI=true the skip is a failure.
std::filesystem::path seed_dir();
std::string seed_missing_message();

/// Skips the current test (or fails it when CI=true) when the seed folder is absent.
#define SALESPIPE_REQUIRE_SEED()                                    \
  do {                                                              \
    if (::salespipe::testing::seed_dir().empty()) {                 \
      if (::salespipe::testing::running_in_ci()) {                  \
        FAIL() << ::salespipe::testing::seed_missing_message();     \
      }                                                             \
      GTEST_SKIP() << ::salespipe::testing::seed_missing_message(); \
    }                                                               \
  } while (false)

bool running_in_ci();

/// tests/data/<name>: small hand-made inputs, one per behaviour.
std::filesystem::path test_data(std::string_view name);

/// The build tree (to find the salespipe binary for CLI tests).
std::filesystem::path binary_dir();

/// The salespipe binary of this build.
std::filesystem::path salespipe_binary();

/// A fresh empty folder removed (with its contents) when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

/// Writes bytes to a file, creating parent folders.
void write_file(const std::filesystem::path& path, std::string_view bytes);
/// The whole file as bytes; fails the test when it cannot be read.
std::string read_file(const std::filesystem::path& path);

/// Every regular file under folder, at any depth: relative path -> bytes. Comparing two
/// snapshots shows that a failed or stopped run changed nothing.
std::map<std::string, std::string> files_under(const std::filesystem::path& folder);
/// Every entry under folder, at any depth, whose file name contains `part` (such as the temp
/// marker), as path strings in directory order.
std::vector<std::string> entries_named_with(const std::filesystem::path& folder,
                                            std::string_view part);

/// Result of running a command: exit status and captured streams.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs the salespipe binary of this build with the given arguments (shell-quoted here).
CommandResult run_salespipe(const std::vector<std::string>& args);

}  // namespace salespipe::testing
