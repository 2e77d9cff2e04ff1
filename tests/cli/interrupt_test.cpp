// Ctrl-C, kill and kill -9 in the middle of a run, on the real binary (DESIGN.md section 11.3
// and 11.4): SIGINT or SIGTERM removes the run's temp files and ends it by that signal with the
// earlier outputs as they were; SIGKILL at any instant leaves each output its previous or its
// new version, and the next run clears the dead run's temps and takes the lock.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "io/warehouse/commit.hpp"
#include "testing/testing.hpp"

extern char** environ;  // POSIX leaves declaring it to the program

namespace salespipe {
namespace {
namespace fs = std::filesystem;
using testing::read_file;
using testing::run_salespipe;
using testing::TempDir;
using Clock = std::chrono::steady_clock;

/// Polling period while waiting for a temp to appear or a run to end.
constexpr auto kPoll = std::chrono::milliseconds(1);

/// A salespipe run started in the background the way a shell starts a job: the signals at their
/// default disposition and unblocked, whatever this test process has. Killed and reaped if the
/// test leaves it running.
class BackgroundRun {
 public:
  BackgroundRun(const std::vector<std::string>& args, const fs::path& logs)
      : err_(logs / "background.err") {
    std::vector<std::string> words = {testing::salespipe_binary().string()};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& word : words) {
      argv.push_back(word.data());
    }
    argv.push_back(nullptr);

    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    const std::string out = (logs / "background.out").string();
    posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, out.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&files, STDERR_FILENO, err_.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t signals;
    sigemptyset(&signals);
    posix_spawnattr_setsigmask(&attributes, &signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGHUP);
    posix_spawnattr_setsigdefault(&attributes, &signals);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    const int error = posix_spawn(&pid_, argv[0], &files, &attributes, argv.data(), environ);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&files);
    if (error != 0) {
      pid_ = -1;
      ADD_FAILURE() << "cannot start " << argv[0] << ": " << std::strerror(error);
    }
  }
  ~BackgroundRun() {
    if (pid_ > 0 && !status_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  BackgroundRun(const BackgroundRun&) = delete;
  BackgroundRun& operator=(const BackgroundRun&) = delete;

  pid_t pid() const noexcept { return pid_; }
  bool started() const noexcept { return pid_ > 0; }

  /// True once the run has ended (and been reaped).
  bool ended() {
    if (!status_ && pid_ > 0) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        status_ = status;
      }
    }
    return status_.has_value() || pid_ <= 0;
  }
  /// Waits for the end; the wait status.
  int wait() {
    while (!status_ && pid_ > 0) {
      int status = 0;
      if (::waitpid(pid_, &status, 0) == pid_) {
        status_ = status;
      }
    }
    return status_.value_or(-1);
  }
  /// Sends a signal unless the run has been reaped (its pid may belong to another process then).
  void signal(int signal) {
    if (!ended()) {
      ::kill(pid_, signal);
    }
  }
  std::string err() const { return read_file(err_); }

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  fs::path err_;
};

std::string describe(int status) {
  if (WIFSIGNALED(status)) {
    return "killed by signal " + std::to_string(WTERMSIG(status));
  }
  return "exit " + std::to_string(WEXITSTATUS(status));
}

bool has_marker(const fs::path& path) {
  return path.filename().string().find(io::warehouse::kTempMarker) != std::string::npos;
}

/// The temp entries directly in `folder`.
std::vector<fs::path> temps_in(const fs::path& folder) {
  std::vector<fs::path> temps;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    if (has_marker(entry.path())) {
      temps.push_back(entry.path());
    }
  }
  return temps;
}

/// Every file of `before` unchanged, and no new one (names only in the messages: some files are
/// megabytes).
void expect_same_files(const std::map<std::string, std::string>& after,
                       const std::map<std::string, std::string>& before) {
  std::vector<std::string> before_names;
  for (const auto& [name, bytes] : before) {
    before_names.push_back(name);
    const auto found = after.find(name);
    EXPECT_TRUE(found != after.end() && found->second == bytes) << name << " changed";
  }
  std::vector<std::string> after_names;
  for (const auto& [name, bytes] : after) {
    after_names.push_back(name);
  }
  EXPECT_EQ(after_names, before_names);
}

/// Polls until `ready()` or the end of the run; true when ready() came first.
template <typename Ready>
bool wait_until(BackgroundRun& run, Ready ready) {
  while (!run.ended()) {
    if (ready()) {
      return true;
    }
    std::this_thread::sleep_for(kPoll);
  }
  return false;
}

/// Sends `signal` to the run once a temp of ours appears in `folder`, and checks that the run
/// ended by that signal. Callers stop on a fatal failure (ASSERT_NO_FATAL_FAILURE).
void stop_once_a_temp_appears(BackgroundRun& run, const fs::path& folder, int signal) {
  ASSERT_TRUE(run.started());
  ASSERT_TRUE(wait_until(run, [&] { return !temps_in(folder).empty(); }))
      << "the run ended (" << describe(run.wait()) << ") before a temp appeared: " << run.err();
  run.signal(signal);
  const int status = run.wait();
  ASSERT_TRUE(WIFSIGNALED(status)) << describe(status) << ": " << run.err();
  EXPECT_EQ(WTERMSIG(status), signal);
}

/// The manifest records how long each stage took; two runs of the same inputs differ there only.
std::string without_timings(std::string manifest) {
  const auto start = manifest.find("\"timings_seconds\"");
  if (start != std::string::npos) {
    const auto end = manifest.find('}', start);
    manifest.erase(start, end == std::string::npos ? end : end - start);
  }
  return manifest;
}

class Interrupt : public ::testing::Test {
 protected:
  /// Generated inputs: a small one for the earlier good run, a larger one for the run that is
  /// stopped (large enough that writing its outputs takes a while).
  void SetUp() override {
    generate("small", 5000, 1);
    generate("large", 150000, 2);
  }
  void generate(const std::string& name, int rows, int seed) {
    const auto result =
        run_salespipe({"generate", "--rows", std::to_string(rows), "--seed", std::to_string(seed),
                       "--out", (dir_ / name).string(), "--quiet"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
  std::vector<std::string> args(const std::string& command, const std::string& input,
                                const fs::path& out) const {
    return {command,
            "--sales",
            (dir_ / input / "sale_price.csv").string(),
            "--feedback",
            (dir_ / input / "customer_feedback.json").string(),
            "--out",
            out.string()};
  }

  /// A good run, then a run stopped by `signal` once its first temp appears: the stopped run
  /// ends by that signal, with no temp left and the good run's outputs byte for byte.
  void expect_signal_leaves_earlier_outputs(int signal, const std::string& command) {
    const fs::path out = dir_ / "out";
    const auto good = run_salespipe(args(command, "small", out));
    ASSERT_EQ(good.exit_code, 0) << good.err;
    const auto before = testing::files_under(out);

    BackgroundRun run(args(command, "large", out), dir_.path());
    ASSERT_NO_FATAL_FAILURE(stop_once_a_temp_appears(run, out / "data_warehouse", signal));
    EXPECT_NE(run.err().find("stopped by SIG"), std::string::npos) << run.err();
    EXPECT_EQ(testing::entries_named_with(out, io::warehouse::kTempMarker),
              std::vector<std::string>{});
    expect_same_files(testing::files_under(out), before);
  }

  TempDir dir_;
};

TEST_F(Interrupt, CtrlCRemovesTheTempsAndLeavesTheEarlierOutputs) {
  expect_signal_leaves_earlier_outputs(SIGINT, "etl");
}

TEST_F(Interrupt, SigtermRemovesTheTempsAndLeavesTheEarlierOutputs) {
  expect_signal_leaves_earlier_outputs(SIGTERM, "run");
}

TEST_F(Interrupt, CtrlCDuringGenerateLeavesTheEarlierFiles) {
  const fs::path out = dir_ / "small";
  const auto before = testing::files_under(out);
  BackgroundRun run({"generate", "--rows", "3000000", "--seed", "3", "--out", out.string()},
                    dir_.path());
  ASSERT_NO_FATAL_FAILURE(stop_once_a_temp_appears(run, out, SIGINT));
  EXPECT_EQ(testing::entries_named_with(out, io::warehouse::kTempMarker),
            std::vector<std::string>{});
  expect_same_files(testing::files_under(out), before);
}

TEST_F(Interrupt, CtrlCDuringAFirstSqliteExportLeavesNoDatabase) {
  // A new database is built under a temp name and renamed into place when complete: a stopped
  // export leaves no file that would pass for an export.
  const fs::path out = dir_ / "out";
  const auto good = run_salespipe(args("run", "large", out));
  ASSERT_EQ(good.exit_code, 0) << good.err;
  const fs::path crm = dir_ / "crm";
  fs::create_directories(crm);
  BackgroundRun run(
      {"export", "--to", "sqlite", "--db", (crm / "crm.sqlite").string(), "--out", out.string()},
      dir_.path());
  ASSERT_NO_FATAL_FAILURE(stop_once_a_temp_appears(run, crm, SIGINT));
  EXPECT_EQ(testing::files_under(crm), (std::map<std::string, std::string>{}));
}

TEST_F(Interrupt, SigkillAtAnyInstantLeavesEachOutputItsPreviousOrItsNewVersion) {
  const std::vector<std::string> outputs = {"processed_sales_data.csv", "rejects.csv",
                                            "warehouse.sqlite", "run_manifest.json"};
  const fs::path out = dir_ / "out";
  const fs::path warehouse = out / "data_warehouse";
  const auto file_map = [&](const fs::path& folder) {
    std::map<std::string, std::string> files;
    for (const auto& name : outputs) {
      files[name] = read_file(folder / name);
    }
    return files;
  };

  // The previous version (a completed run of the small input) and the new one (the large
  // input, written elsewhere), and how long the large run spends writing.
  const auto previous_run = run_salespipe(args("etl", "small", out));
  ASSERT_EQ(previous_run.exit_code, 0) << previous_run.err;
  const auto previous = file_map(warehouse);
  auto writing = std::chrono::duration<double>(0.2);
  {
    BackgroundRun reference(args("etl", "large", dir_ / "reference"), dir_.path());
    const auto start = Clock::now();
    const bool seen =
        wait_until(reference, [&] { return !temps_in(dir_ / "reference/data_warehouse").empty(); });
    const auto seen_at = Clock::now();
    ASSERT_EQ(reference.wait(), 0) << reference.err();
    writing = Clock::now() - (seen ? seen_at : start);
  }
  const auto next = file_map(dir_ / "reference/data_warehouse");

  // Kills at spread instants of the writing, then one as the manifest temp appears (the
  // manifest is written last, just before the renames).
  constexpr int kKills = 8;
  for (int attempt = 0; attempt < kKills; ++attempt) {
    SCOPED_TRACE("kill " + std::to_string(attempt));
    BackgroundRun run(args("etl", "large", out), dir_.path());
    ASSERT_TRUE(run.started());
    const std::string own = std::string(io::warehouse::kTempMarker) + std::to_string(run.pid());
    const auto own_temp_made = [&] {
      for (const auto& temp : temps_in(warehouse)) {
        if (temp.filename().string().rfind(own + "-", 0) == 0) {
          return true;
        }
      }
      return false;
    };
    if (wait_until(run, own_temp_made)) {
      // The dead run's temp folder went before this run made its own (and the lock it held
      // died with it, or this run would have stopped).
      for (const auto& temp : temps_in(warehouse)) {
        EXPECT_EQ(temp.filename().string().rfind(own + "-", 0), 0u) << temp;
      }
      if (attempt + 1 < kKills) {
        std::this_thread::sleep_for(writing * attempt / (kKills - 2));
      } else {
        wait_until(run, [&] {
          for (const auto& temp : temps_in(warehouse)) {
            if (fs::exists(temp / "run_manifest.json")) {
              return true;
            }
          }
          return false;
        });
      }
    }
    run.signal(SIGKILL);
    const int status = run.wait();
    // Killed, or finished first (then the outputs are the new version).
    EXPECT_TRUE((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) ||
                (WIFEXITED(status) && WEXITSTATUS(status) == 0))
        << describe(status) << ": " << run.err();
    for (const auto& name : outputs) {
      ASSERT_TRUE(fs::exists(warehouse / name)) << name << " is missing";
      const std::string bytes = read_file(warehouse / name);
      const bool is_previous = bytes == previous.at(name);
      const bool is_next = name == "run_manifest.json"
                               ? without_timings(bytes) == without_timings(next.at(name))
                               : bytes == next.at(name);
      EXPECT_TRUE(is_previous || is_next)
          << name << " is neither version (" << bytes.size() << " bytes)";
    }
  }

  // The next run starts fine and finishes with the new version and no temp left.
  const auto last = run_salespipe(args("etl", "large", out));
  ASSERT_EQ(last.exit_code, 0) << last.err;
  EXPECT_EQ(testing::entries_named_with(out, io::warehouse::kTempMarker),
            std::vector<std::string>{});
  for (const auto& name : outputs) {
    if (name != "run_manifest.json") {
      EXPECT_TRUE(read_file(warehouse / name) == next.at(name)) << name;
    }
  }
}

}  // namespace
}  // namespace salespipe
