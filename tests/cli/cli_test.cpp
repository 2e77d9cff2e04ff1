// The salespipe binary as a user runs it: exit codes, messages with file:line:col, and outputs
// left intact when a run fails.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "testing/testing.hpp"

namespace salespipe {
namespace {
namespace fs = std::filesystem;
using testing::read_file;
using testing::run_salespipe;
using testing::TempDir;
using testing::write_file;

constexpr std::string_view kSales =
    "sale_id,product_id,customer_id,sale_price,quantity,sale_date\n"
    "1,P1,C1,10,1,2023-01-02\n"
    "2,P2,C2,,1,2023-01-03\n";
constexpr std::string_view kFeedback =
    R"([{"customer_id": "C1", "product_id": "P1", "sentiment_score": 4, "review_date": "2023-01-05"}])";

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(dir_ / "sales.csv", kSales);
    write_file(dir_ / "feedback.json", kFeedback);
  }
  testing::CommandResult etl(const std::string& sales, const std::string& feedback,
                             std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {
        "etl", "--sales", sales, "--feedback", feedback, "--out", (dir_ / "out").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_salespipe(args);
  }
  /// A good run first, then the bad one: the bad one must leave the folder as it was.
  void expect_fatal_input_leaves_outputs(const std::string& sales, const std::string& feedback,
                                         std::string_view message) {
    ASSERT_EQ(etl((dir_ / "sales.csv").string(), (dir_ / "feedback.json").string()).exit_code, 0);
    const auto before = testing::files_under(dir_ / "out");
    const auto result = etl(sales, feedback);
    EXPECT_EQ(result.exit_code, 3) << result.err;
    EXPECT_NE(result.err.find(message), std::string::npos) << result.err;
    EXPECT_EQ(testing::files_under(dir_ / "out"), before);
  }

  TempDir dir_;
};

TEST_F(Cli, HelpAndVersionExitZero) {
  EXPECT_EQ(run_salespipe({"--help"}).exit_code, 0);
  EXPECT_EQ(run_salespipe({"--version"}).exit_code, 0);
  const auto help = run_salespipe({"etl", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--date-order"), std::string::npos);
}

TEST_F(Cli, UnknownFlagOrBadValueIsUsageError) {
  EXPECT_EQ(run_salespipe({"etl", "--frobnicate"}).exit_code, 2);
  const auto bad = etl((dir_ / "sales.csv").string(), (dir_ / "feedback.json").string(),
                       {"--date-order", "ymd"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--date-order"), std::string::npos) << bad.err;
  EXPECT_EQ(etl((dir_ / "sales.csv").string(), (dir_ / "feedback.json").string(),
                {"--max-rejects", "lots"})
                .exit_code,
            2);
}

TEST_F(Cli, EtlWritesTheWarehouseAndSummarisesRejects) {
  const auto result = etl((dir_ / "sales.csv").string(), (dir_ / "feedback.json").string());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("2 read -> 1 loaded, 1 rejected"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("missing_price 1"), std::string::npos) << result.out;
  for (const char* name : {"processed_sales_data.csv", "rejects.csv", "run_manifest.json"}) {
    EXPECT_TRUE(fs::exists(dir_ / "out/data_warehouse" / name)) << name;
  }
  for (const auto& entry : fs::directory_iterator(dir_ / "out/data_warehouse")) {
    EXPECT_EQ(entry.path().filename().string().find(".salespipe-tmp-"), std::string::npos);
  }
}

TEST_F(Cli, JsonSummaryIsTheManifest) {
  const auto result =
      etl((dir_ / "sales.csv").string(), (dir_ / "feedback.json").string(), {"--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.rfind("{\n  \"salespipe_manifest_version\": 1", 0), 0u) << result.out;
  EXPECT_EQ(result.out, read_file(dir_ / "out/data_warehouse/run_manifest.json"));
}

TEST_F(Cli, RunJsonIsTheManifestWithItsSegmentationAndTheReportUsesIt) {
  write_file(dir_ / "six.csv",
             "sale_id,product_id,customer_id,sale_price,quantity,sale_date\n"
             "1,P1,C1,1000,1,2023-01-02\n2,P1,C2,900,1,2023-01-03\n3,P2,C3,10,1,2023-01-04\n"
             "4,P2,C4,12,1,2023-01-05\n5,P2,C5,11,1,2023-01-06\n6,P1,C6,9,1,2023-01-07\n");
  const auto result = run_salespipe({"run", "--sales", (dir_ / "six.csv").string(), "--feedback",
                                     (dir_ / "feedback.json").string(), "--out",
                                     (dir_ / "out").string(), "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, read_file(dir_ / "out/data_warehouse/run_manifest.json"));
  EXPECT_NE(result.out.find("\n  \"segmentation\": {"), std::string::npos) << result.out;
  // The report's data-quality section comes from that manifest.
  const std::string report = read_file(dir_ / "out/reports/report.html");
  EXPECT_EQ(report.find("No run manifest was given"), std::string::npos);
}

TEST_F(Cli, UnreadableSalesPathIsBadInput) {
  expect_fatal_input_leaves_outputs((dir_ / "missing.csv").string(),
                                    (dir_ / "feedback.json").string(), "missing.csv");
  expect_fatal_input_leaves_outputs(dir_.path().string(), (dir_ / "feedback.json").string(),
                                    dir_.path().string());
}

TEST_F(Cli, EmptySalesFileIsBadInput) {
  write_file(dir_ / "empty.csv", "");
  expect_fatal_input_leaves_outputs((dir_ / "empty.csv").string(),
                                    (dir_ / "feedback.json").string(), "empty.csv:1:1: empty file");
}

TEST_F(Cli, HeaderOnlySalesFileIsBadInput) {
  write_file(dir_ / "header.csv", "sale_id,product_id,customer_id,sale_price,quantity,sale_date\n");
  expect_fatal_input_leaves_outputs((dir_ / "header.csv").string(),
                                    (dir_ / "feedback.json").string(),
                                    "header.csv:2:1: no data rows");
}

TEST_F(Cli, UnterminatedQuoteIsBadInputAtItsPosition) {
  write_file(dir_ / "quote.csv",
             "sale_id,product_id,customer_id,sale_price,quantity,sale_date\n"
             "1,P1,C1,10,1,2023-01-02\n"
             "2,P1,\"C1,10,1,2023-01-02\n");
  expect_fatal_input_leaves_outputs((dir_ / "quote.csv").string(),
                                    (dir_ / "feedback.json").string(), "quote.csv:3:6:");
}

TEST_F(Cli, TruncatedJsonIsBadInput) {
  write_file(dir_ / "cut.json", "[\n  {\"customer_id\": \"C1\", \"product_id\": \"P1\",\n");
  expect_fatal_input_leaves_outputs((dir_ / "sales.csv").string(), (dir_ / "cut.json").string(),
                                    "cut.json:");
}

TEST_F(Cli, JsonTopLevelThatIsNotAnArrayIsBadInput) {
  write_file(dir_ / "scalar.json", "42\n");
  expect_fatal_input_leaves_outputs((dir_ / "sales.csv").string(), (dir_ / "scalar.json").string(),
                                    "scalar.json:1:1:");
}

TEST_F(Cli, TooManyRejectsIsBadInputAndWritesNothing) {
  ASSERT_EQ(etl((dir_ / "sales.csv").string(), (dir_ / "feedback.json").string()).exit_code, 0);
  const auto before = testing::files_under(dir_ / "out");
  const auto result = etl((dir_ / "sales.csv").string(), (dir_ / "feedback.json").string(),
                          {"--max-rejects", "10%"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(testing::files_under(dir_ / "out"), before);
  EXPECT_NE(result.err.find("1 of 2 sales rejected, over --max-rejects 10%"), std::string::npos)
      << result.err;
}

TEST_F(Cli, OutputFolderThatIsAFileIsAnOutputFailure) {
  write_file(dir_ / "file", "x");
  const auto result =
      run_salespipe({"etl", "--sales", (dir_ / "sales.csv").string(), "--feedback",
                     (dir_ / "feedback.json").string(), "--out", (dir_ / "file").string()});
  EXPECT_EQ(result.exit_code, 4) << result.err;
}

TEST_F(Cli, FolderLockedByAnotherRunIsAnOutputFailure) {
  fs::create_directories(dir_ / "out");
  const int fd = ::open((dir_ / "out/.salespipe.lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  const auto result = etl((dir_ / "sales.csv").string(), (dir_ / "feedback.json").string());
  ::close(fd);
  EXPECT_EQ(result.exit_code, 4);
  EXPECT_NE(result.err.find("another salespipe run is writing to this folder"), std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace salespipe
