#include "io/csv/writer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/csv/csv_test_support.hpp"
#include "io/csv/reader.hpp"
#include "testing/testing.hpp"

namespace salespipe::io::csv {
namespace {

std::string field(std::string_view value, char delimiter = ',') {
  std::string out;
  append_field(out, value, delimiter);
  return out;
}

TEST(CsvWriter, PlainValuesAreWrittenAsIs) {
  EXPECT_EQ(field("P101"), "P101");
  EXPECT_EQ(field(""), "");
  EXPECT_EQ(field("caf\xC3\xA9 au lait"), "caf\xC3\xA9 au lait");
  EXPECT_EQ(field("a;b"), "a;b") << "only the delimiter in use needs quotes";
}

TEST(CsvWriter, ValuesThatNeedQuotesGetThem) {
  EXPECT_EQ(field("a,b"), "\"a,b\"");
  EXPECT_EQ(field("a;b", ';'), "\"a;b\"");
  EXPECT_EQ(field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(field("\""), "\"\"\"\"");
  EXPECT_EQ(field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(field("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(field(" lead"), "\" lead\"");
  EXPECT_EQ(field("trail "), "\"trail \"");
  EXPECT_EQ(field("\ttab"), "\"\ttab\"");
  EXPECT_EQ(field("\xEF\xBB\xBF"
                  "bom"),
            "\"\xEF\xBB\xBF"
            "bom\"");
}

TEST(CsvWriter, RowOfOneEmptyFieldIsNotABlankLine) {
  std::string out;
  const std::vector<std::string_view> one_empty{""};
  append_row(out, one_empty);
  const std::vector<std::string_view> two{"", ""};
  append_row(out, two);
  EXPECT_EQ(out, "\"\"\n,\n");
}

TEST(CsvWriter, TrickyValuesRoundTripThroughTheReader) {
  const std::vector<std::string> values = {"",
                                           "plain",
                                           "a,b",
                                           "\"",
                                           "\"\"",
                                           "say \"hi\"",
                                           "x\ny",
                                           "x\r\ny",
                                           "\r",
                                           "\n",
                                           " spaced ",
                                           "\t",
                                           "caf\xC3\xA9",
                                           "\xE2\x82\xAC"
                                           "5",
                                           "ab\"c",
                                           "\"ab\"c",
                                           ",",
                                           ",,\"",
                                           "end\"",
                                           "=1+2",
                                           "-5",
                                           "\"\n\""};
  testing::TempDir dir;
  const auto path = dir / "out.csv";
  Writer writer = Writer::open(path);
  writer.write_row({"\xEF\xBB\xBFkey", "value"});
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string key = std::to_string(i);
    writer.write_row({key, values[i]});
  }
  writer.close();
  for (const std::size_t block : {std::size_t{3}, std::size_t{1} << 20}) {
    Reader reader = Reader::open(path, test::with_block(block));
    EXPECT_EQ(reader.header(), (std::vector<std::string>{"\xEF\xBB\xBFkey", "value"}))
        << "a value that starts with a BOM keeps it";
    Batch batch;
    std::vector<std::string> read;
    while (reader.next_batch(batch)) {
      for (std::size_t r = 0; r < batch.size(); ++r) {
        ASSERT_EQ(batch.status[r], RecordStatus::Ok) << test::escaped(batch.raw[r]);
        EXPECT_EQ(batch.field(r, 0), std::to_string(read.size()));
        read.emplace_back(batch.field(r, 1));
      }
    }
    EXPECT_EQ(read, values);
  }
}

TEST(CsvWriter, RawBufferAccessAndFlushingInChunks) {
  testing::TempDir dir;
  const auto path = dir / "big.csv";
  WriterOptions options;
  options.buffer_bytes = 64;
  Writer writer = Writer::open(path, options);
  std::string expected;
  for (int i = 0; i < 100; ++i) {
    writer.buffer() += std::to_string(i);
    writer.buffer() += ",x\n";
    writer.maybe_flush();
    expected += std::to_string(i) + ",x\n";
    EXPECT_LT(writer.buffer().size(), 64u);
  }
  EXPECT_GT(writer.bytes_written(), 0u);
  writer.close();
  writer.close();  // a second close does nothing
  EXPECT_EQ(writer.bytes_written(), expected.size());
  EXPECT_EQ(testing::read_file(path), expected);
}

TEST(CsvWriter, UnwritablePathIsAnOutputError) {
  testing::TempDir dir;
  try {
    Writer::open(dir / "no" / "such" / "folder.csv");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Output);
    EXPECT_EQ(error.what(), (dir / "no" / "such" / "folder.csv").string() +
                                ": cannot write: No such file or directory");
  }
  try {
    Writer::open(dir.path());
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Output);
    EXPECT_EQ(error.what(), dir.path().string() + ": cannot write: Is a directory");
  }
}

TEST(CsvWriter, FullDeviceIsAnOutputError) {
  if (!std::filesystem::exists("/dev/full")) {
    GTEST_SKIP() << "no /dev/full on this system";
  }
  Writer writer = Writer::open("/dev/full", WriterOptions{.sync_on_close = false});
  writer.write_row({"a", "b"});
  try {
    writer.close();
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Output);
    EXPECT_EQ(std::string(error.what()), "/dev/full: cannot write: No space left on device");
  }
}

TEST(CsvWriter, DroppedWriterLeavesBufferedRowsUnwritten) {
  testing::TempDir dir;
  const auto path = dir / "partial.csv";
  {
    Writer writer = Writer::open(path);
    writer.write_row({"a", "b"});
  }
  EXPECT_EQ(testing::read_file(path), "");
}

}  // namespace
}  // namespace salespipe::io::csv
