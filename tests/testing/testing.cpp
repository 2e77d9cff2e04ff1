#include "testing/testing.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <vector>

namespace salespipe::testing {

Error error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "no salespipe::Error was thrown";
  return Error(ErrorKind::Internal, "nothing was thrown");
}
namespace fs = std::filesystem;

fs::path seed_dir() {
  const fs::path dir = SALESPIPE_SEED_DIR;
  if (fs::exists(dir / "sale_price.csv") && fs::exists(dir / "customer_feedback.json")) {
    return dir;
  }
  return {};
}

std::string seed_missing_message() {
  return std::string("the lab's seed inputs are not at ") + SALESPIPE_SEED_DIR +
         " (../shared/data/seed beside the repository); this test needs them";
}

bool running_in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string_view(ci) == "true";
}

fs::path test_data(std::string_view name) { return fs::path(SALESPIPE_TEST_DATA_DIR) / name; }

fs::path binary_dir() { return SALESPIPE_BINARY_DIR; }

fs::path salespipe_binary() { return binary_dir() / "src/cli/salespipe"; }

TempDir::TempDir() {
  std::random_device random;
  const fs::path base = fs::temp_directory_path();
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path candidate = base / ("salespipe-test-" + std::to_string(random()));
    if (fs::create_directory(candidate)) {
      path_ = candidate;
      return;
    }
  }
  ADD_FAILURE() << "could not create a temp folder under " << base;
}

TempDir::~TempDir() {
  std::error_code ignored;
  if (!path_.empty()) {
    fs::remove_all(path_, ignored);
  }
}

void write_file(const fs::path& path, std::string_view bytes) {
  if (path.has_parent_path()) {
    fs::create_directories(path.parent_path());
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  EXPECT_TRUE(out.good()) << "cannot write " << path;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

namespace {

std::string shell_quote(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  out.push_back('\'');
  return out;
}

}  // namespace

CommandResult run_salespipe(const std::vector<std::string>& args) {
  TempDir streams;
  std::string command = shell_quote(salespipe_binary().string());
  for (const auto& arg : args) {
    command += ' ';
    command += shell_quote(arg);
  }
  command += " >" + shell_quote((streams / "out").string());
  command += " 2>" + shell_quote((streams / "err").string());
  command += " </dev/null";
  const int status = std::system(command.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(streams / "out");
  result.err = read_file(streams / "err");
  return result;
}

std::map<std::string, std::string> files_under(const std::filesystem::path& folder) {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file()) {
      files[std::filesystem::relative(entry.path(), folder).string()] = read_file(entry.path());
    }
  }
  return files;
}

std::vector<std::string> entries_named_with(const std::filesystem::path& folder,
                                            std::string_view part) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
    if (entry.path().filename().string().find(part) != std::string::npos) {
      found.push_back(entry.path().string());
    }
  }
  return found;
}

}  // namespace salespipe::testing
