// The commit protocol's temp folders (DESIGN.md section 11.3): where temps go, what removes
// them, and the Ctrl-C cleanup in a forked child (the signal tests on the real binary are in
// tests/cli/interrupt_test.cpp).
#include "io/warehouse/commit.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "io/warehouse/interrupt.hpp"
#include "io/warehouse/temp_folders.hpp"
#include "testing/testing.hpp"

namespace salespipe::io::warehouse {
namespace {
namespace fs = std::filesystem;
using salespipe::testing::read_file;
using salespipe::testing::TempDir;
using salespipe::testing::write_file;

TEST(StagedOutputs, StagesIntoATempFolderOfThisRunInsideTheFinalFolder) {
  TempDir dir;
  StagedOutputs outputs;
  const fs::path a = outputs.stage(dir / "out/a.csv");
  const fs::path b = outputs.stage(dir / "out/b.csv");
  const fs::path c = outputs.stage(dir / "out/images/c.png");
  EXPECT_EQ(a.filename(), "a.csv");
  EXPECT_EQ(a.parent_path(), b.parent_path()) << "one temp folder per final folder";
  EXPECT_EQ(a.parent_path().parent_path(), dir / "out");
  EXPECT_EQ(c.parent_path().parent_path(), dir / "out/images");
  const std::string name = a.parent_path().filename().string();
  EXPECT_EQ(name.rfind(std::string(kTempMarker) + std::to_string(::getpid()) + "-", 0), 0u) << name;
  EXPECT_TRUE(fs::is_directory(a.parent_path()));
  EXPECT_FALSE(fs::exists(a)) << "the writer creates the file";
}

TEST(StagedOutputs, CommitPutsEachFileInPlaceAndRemovesTheTempFolders) {
  TempDir dir;
  write_file(dir / "out/a.csv", "old a");
  {
    StagedOutputs outputs;
    write_text_file(outputs.stage(dir / "out/a.csv"), "new a");
    write_text_file(outputs.stage(dir / "out/images/c.png"), "new c");
    outputs.commit();
    EXPECT_EQ(outputs.finals(),
              (std::vector<fs::path>{dir / "out/a.csv", dir / "out/images/c.png"}));
  }
  EXPECT_EQ(read_file(dir / "out/a.csv"), "new a");
  EXPECT_EQ(read_file(dir / "out/images/c.png"), "new c");
  EXPECT_EQ(testing::entries_named_with(dir.path(), kTempMarker), std::vector<std::string>{});
}

TEST(StagedOutputs, UncommittedTempsGoWithTheirFolderAndOutputsStay) {
  TempDir dir;
  write_file(dir / "out/a.csv", "old a");
  {
    StagedOutputs outputs;
    write_text_file(outputs.stage(dir / "out/a.csv"), "new a");
    // A file the writer library made beside its output (libxlsxwriter, SQLite) goes too.
    write_text_file(outputs.stage(dir / "out/b.csv").parent_path() / "b.csv-journal", "x");
  }
  EXPECT_EQ(read_file(dir / "out/a.csv"), "old a");
  EXPECT_FALSE(fs::exists(dir / "out/b.csv"));
  EXPECT_EQ(testing::entries_named_with(dir.path(), kTempMarker), std::vector<std::string>{});
}

TEST(StagedOutputs, FailedRenameKeepsEarlierRenamesAndRemovesTheRest) {
  TempDir dir;
  write_file(dir / "out/a.csv", "old a");
  write_file(dir / "out/b/in_the_way.txt", "a folder where b should go");
  write_file(dir / "out/c.csv", "old c");
  {
    StagedOutputs outputs;
    write_text_file(outputs.stage(dir / "out/a.csv"), "new a");
    write_text_file(outputs.stage(dir / "out/b"), "new b");
    write_text_file(outputs.stage(dir / "out/c.csv"), "new c");
    EXPECT_THROW(outputs.commit(), Error);
  }
  EXPECT_EQ(read_file(dir / "out/a.csv"), "new a");
  EXPECT_TRUE(fs::is_directory(dir / "out/b"));
  EXPECT_EQ(read_file(dir / "out/c.csv"), "old c");
  EXPECT_EQ(testing::entries_named_with(dir.path(), kTempMarker), std::vector<std::string>{});
}

TEST(RemoveStaleTemps, RemovesTempsOfDeadRunsButNotTheLiveOnesOfThisProcess) {
  TempDir dir;
  write_file(dir / "out/.salespipe-tmp-999999999-0/processed_sales_data.csv", "torn");
  write_file(dir / "out/.rejects.csv.salespipe-tmp-999999999", "torn, older naming");
  write_file(dir / "out/rejects.csv", "an output");
  StagedOutputs outputs;
  const fs::path live = outputs.stage(dir / "out/a.csv");
  write_text_file(live, "being written");
  EXPECT_EQ(remove_stale_temps(dir / "out"), 2u);
  EXPECT_EQ(read_file(live), "being written");
  EXPECT_EQ(read_file(dir / "out/rejects.csv"), "an output");
  EXPECT_EQ(testing::entries_named_with(dir / "out", kTempMarker),
            std::vector<std::string>{live.parent_path().string()});
}

TEST(StagedOutputs, ReusesAFolderOfADeadRunWithTheSameName) {
  TempDir dir;
  // The next temp folder name of this process, made by a dead run that had its process id.
  std::string next;
  {
    StagedOutputs probe;
    next = probe.stage(dir / "probe/x").parent_path().filename().string();
  }
  const auto dash = next.rfind('-');
  const std::string stale =
      next.substr(0, dash + 1) + std::to_string(std::stoul(next.substr(dash + 1)) + 1);
  write_file(dir / "out" / stale / "a.csv", "torn");
  StagedOutputs outputs;
  const fs::path temp = outputs.stage(dir / "out/a.csv");
  ASSERT_EQ(temp.parent_path().filename().string(), stale);
  EXPECT_FALSE(fs::exists(temp));
}

TEST(TempFolders, RemoveTempFolderRemovesItsFiles) {
  TempDir dir;
  write_file(dir / "t/a", "1");
  write_file(dir / "t/b", "2");
  EXPECT_TRUE(detail::remove_temp_folder((dir / "t").c_str()));
  EXPECT_FALSE(fs::exists(dir / "t"));
  EXPECT_TRUE(detail::remove_temp_folder((dir / "t").c_str())) << "already gone is fine";
}

TEST(TempFolders, StagingWaitsWhileTheInterruptCleanupHoldsTheList) {
  TempDir dir;
  auto held = detail::TempFolders::instance().lock();
  std::promise<fs::path> staged;
  std::thread writer([&] {
    StagedOutputs outputs;
    staged.set_value(outputs.stage(dir / "out/a.csv"));
  });
  auto future = staged.get_future();
  EXPECT_EQ(future.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);
  EXPECT_EQ(testing::entries_named_with(dir.path(), kTempMarker), std::vector<std::string>{})
      << "no folder made meanwhile";
  held.unlock();
  EXPECT_EQ(future.get().filename(), "a.csv");
  writer.join();
}

// The cleanup in a forked child: the signal ends the child, its temps are gone.
TEST(InterruptCleanupDeathTest, SignalRemovesTempFoldersThenEndsTheProcessByIt) {
  TempDir dir;
  write_file(dir / "out/a.csv", "old a");
  for (const int signal : {SIGINT, SIGTERM}) {
    EXPECT_EXIT(
        {
          std::signal(signal, SIG_DFL);  // as a shell starts a job, whatever the test runner has
          install_interrupt_cleanup({.on_signal = [](int caught) {
            std::fprintf(stderr, "cleaned up on signal %d\n", caught);
          }});
          StagedOutputs outputs;
          write_text_file(outputs.stage(dir / "out/a.csv"), "new a");
          write_text_file(outputs.stage(dir / "out/b.csv"), "new b");
          ::kill(::getpid(), signal);
          for (;;) {
            ::pause();
          }
        },
        ::testing::KilledBySignal(signal), "cleaned up on signal " + std::to_string(signal));
    EXPECT_EQ(read_file(dir / "out/a.csv"), "old a");
    EXPECT_FALSE(fs::exists(dir / "out/b.csv"));
    EXPECT_EQ(testing::entries_named_with(dir.path(), kTempMarker), std::vector<std::string>{});
  }
}

TEST(InterruptCleanupDeathTest, IgnoredSignalStaysIgnored) {
  // nohup, or a background job of a script: SIGINT ignored before the call stays ignored.
  EXPECT_EXIT(
      {
        std::signal(SIGINT, SIG_IGN);
        install_interrupt_cleanup();
        ::kill(::getpid(), SIGINT);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace salespipe::io::warehouse
