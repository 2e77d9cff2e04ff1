#include "io/csv/reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/csv/csv_test_support.hpp"
#include "testing/testing.hpp"

namespace salespipe::io::csv {
namespace {

using test::read_bytes;
using test::ReadResult;
using test::Row;
using test::with_block;
using Fields = std::vector<std::string>;

Row ok_row(std::uint64_t line, std::string raw, Fields fields) {
  Row row;
  row.line = line;
  row.field_count = static_cast<std::uint32_t>(fields.size());
  row.raw = std::move(raw);
  row.fields = std::move(fields);
  return row;
}

Row bad_row(std::uint64_t line, Fault fault, std::uint32_t field_count, std::string raw,
            std::uint32_t fault_column) {
  Row row;
  row.line = line;
  row.fault = fault;
  row.field_count = field_count;
  row.raw = std::move(raw);
  row.fault_column = fault_column;
  return row;
}

/// Reads the input with a large block and with tiny ones; all must agree.
ReadResult read_every_way(const std::string& bytes, ReaderOptions options = {}) {
  const ReadResult large = read_bytes(bytes, options);
  for (const std::size_t block : {1u, 2u, 3u, 7u, 64u}) {
    EXPECT_EQ(read_bytes(bytes, with_block(block, options)), large)
        << "block " << block << " on \"" << test::escaped(bytes) << '"';
  }
  return large;
}

std::string error_of(const std::string& bytes, ReaderOptions options = {}) {
  return read_every_way(bytes, options).error;
}

// --- Good input ---------------------------------------------------------------------------

TEST(CsvReader, ReadsHeaderAndRecordsWithLines) {
  const ReadResult result = read_every_way("a,b\n1,2\n3,4\n");
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(result.header, (Fields{"a", "b"}));
  EXPECT_EQ(result.header_line, 1u);
  EXPECT_EQ(result.rows,
            (std::vector<Row>{ok_row(2, "1,2", {"1", "2"}), ok_row(3, "3,4", {"3", "4"})}));
}

TEST(CsvReader, QuotedFieldMayContainDelimiter) {
  const ReadResult result = read_every_way("a,b\n\"x,y\",2\n");
  EXPECT_EQ(result.rows, (std::vector<Row>{ok_row(2, "\"x,y\",2", {"x,y", "2"})}));
}

TEST(CsvReader, DoubledQuoteBecomesOneQuote) {
  const ReadResult result = read_every_way("a,b\n\"say \"\"hi\"\"\",\"\"\"\"\n");
  EXPECT_EQ(result.rows[0].fields, (Fields{"say \"hi\"", "\""}));
}

TEST(CsvReader, QuotedFieldMayContainLineBreaksAndLinesStayPhysical) {
  const ReadResult result = read_every_way("a,b\n\"one\ntwo\",x\n\"three\r\nfour\",y\nz,w\n");
  EXPECT_EQ(result.rows, (std::vector<Row>{ok_row(2, "\"one\ntwo\",x", {"one\ntwo", "x"}),
                                           ok_row(4, "\"three\r\nfour\",y", {"three\r\nfour", "y"}),
                                           ok_row(6, "z,w", {"z", "w"})}));
}

TEST(CsvReader, CrlfLineEndsAreNotPartOfValues) {
  const ReadResult result = read_every_way("a,b\r\n1,2\r\n\"3\",\"4\"\r\n5,\r\n");
  EXPECT_EQ(result.header, (Fields{"a", "b"}));
  EXPECT_EQ(result.rows,
            (std::vector<Row>{ok_row(2, "1,2", {"1", "2"}), ok_row(3, "\"3\",\"4\"", {"3", "4"}),
                              ok_row(4, "5,", {"5", ""})}));
}

TEST(CsvReader, FinalRecordNeedsNoLineEnd) {
  EXPECT_EQ(read_every_way("a,b\n1,2").rows, (std::vector<Row>{ok_row(2, "1,2", {"1", "2"})}));
  EXPECT_EQ(read_every_way("a,b\n1,\"2\"").rows,
            (std::vector<Row>{ok_row(2, "1,\"2\"", {"1", "2"})}));
  EXPECT_EQ(read_every_way("a,b\n1,2\r").rows, (std::vector<Row>{ok_row(2, "1,2", {"1", "2"})}));
  EXPECT_EQ(read_every_way("a,b\n1,\"2\"\r").rows,
            (std::vector<Row>{ok_row(2, "1,\"2\"", {"1", "2"})}));
  EXPECT_EQ(read_every_way("a,b\n1,").rows, (std::vector<Row>{ok_row(2, "1,", {"1", ""})}));
}

TEST(CsvReader, Utf8BomIsStrippedFromHeader) {
  const ReadResult result = read_every_way("\xEF\xBB\xBFid,name\n1,x\n");
  EXPECT_EQ(result.header, (Fields{"id", "name"}));
  EXPECT_EQ(result.rows.size(), 1u);
}

TEST(CsvReader, HeaderKeepsQuotesRemovedButNameAsWritten) {
  const ReadResult result = read_every_way("\" Sale Price \",\"a\"\"b\",Sale-ID\n1,2,3\n");
  EXPECT_EQ(result.header, (Fields{" Sale Price ", "a\"b", "Sale-ID"}));
}

TEST(CsvReader, BlankLinesAreSkippedAndCounted) {
  const ReadResult result = read_every_way("\n\r\na,b\n\n1,2\r\n\r\n\n3,4\n\n\r");
  EXPECT_EQ(result.header_line, 3u);
  EXPECT_EQ(result.rows,
            (std::vector<Row>{ok_row(5, "1,2", {"1", "2"}), ok_row(8, "3,4", {"3", "4"})}));
  EXPECT_EQ(result.blank_lines, 7u);
}

TEST(CsvReader, LineOfSpacesIsARecordNotABlankLine) {
  const ReadResult result = read_every_way("a\n  \n");
  EXPECT_EQ(result.rows, (std::vector<Row>{ok_row(2, "  ", {"  "})}));
  EXPECT_EQ(result.blank_lines, 0u);
}

TEST(CsvReader, QuotedEmptyValueIsARecordInOneColumnFile) {
  const ReadResult result = read_every_way("a\n\"\"\n\nx\n");
  EXPECT_EQ(result.rows, (std::vector<Row>{ok_row(2, "\"\"", {""}), ok_row(4, "x", {"x"})}));
  EXPECT_EQ(result.blank_lines, 1u);
}

TEST(CsvReader, EmptyFieldsAreEmptyViews) {
  EXPECT_EQ(read_every_way("a,b,c\n,,\n").rows[0].fields, (Fields{"", "", ""}));
}

TEST(CsvReader, StrayQuoteInsideUnquotedFieldIsKeptLiterally) {
  const ReadResult result = read_every_way("a,b\nab\"c,x\"\"y\n5\" screen,\"x\"\n");
  EXPECT_EQ(result.rows, (std::vector<Row>{ok_row(2, "ab\"c,x\"\"y", {"ab\"c", "x\"\"y"}),
                                           ok_row(3, "5\" screen,\"x\"", {"5\" screen", "x"})}));
}

TEST(CsvReader, QuoteOpensOnlyAtTheFirstByteOfAField) {
  // The space makes the quote data, so the delimiter after it separates fields.
  const ReadResult result = read_every_way("a,b,c\n1, \"x,y\"\n");
  EXPECT_EQ(result.rows, (std::vector<Row>{ok_row(2, "1, \"x,y\"", {"1", " \"x", "y\""})}));
}

TEST(CsvReader, TabAndValidUtf8AreAccepted) {
  const ReadResult result = read_every_way(
      "a,b\ncaf\xC3\xA9\t\xE2\x82\xAC"
      "12,\xF0\x9F\x98\x80\n");
  EXPECT_EQ(result.rows[0].fields, (Fields{"caf\xC3\xA9\t\xE2\x82\xAC"
                                           "12",
                                           "\xF0\x9F\x98\x80"}));
}

TEST(CsvReader, OtherDelimiters) {
  ReaderOptions semicolon;
  semicolon.delimiter = ';';
  EXPECT_EQ(read_every_way("a;b\n\"1;2\";3,4\n", semicolon).rows[0].fields, (Fields{"1;2", "3,4"}));
  ReaderOptions tab;
  tab.delimiter = '\t';
  EXPECT_EQ(read_every_way("a\tb\n1\t\"x\ty\"\n", tab).rows[0].fields, (Fields{"1", "x\ty"}));
}

TEST(CsvReader, FieldAtTheLimitIsOkAndDoubledQuotesCountOnce) {
  ReaderOptions options;
  options.max_field_bytes = 4;
  const ReadResult result = read_every_way("a,b\nabcd,\"\"\"\"\"\"\"\"\"\"\n", options);
  EXPECT_EQ(result.rows[0].fields, (Fields{"abcd", "\"\"\"\""}));
}

TEST(CsvReader, LongRecordOverManyBlocksIsAssembledWhole) {
  const std::string value(300000, 'v');
  const std::string input = "a,b\n" + value + ",\"" + value + "\"\nx,y\n";
  const ReadResult result = read_bytes(input, with_block(7));
  ASSERT_EQ(result.rows.size(), 2u);
  EXPECT_EQ(result.rows[0].fields, (Fields{value, value}));
  EXPECT_EQ(result.rows[1].line, 3u);
}

TEST(CsvReader, BatchHoldsAtMostBatchRecords) {
  std::string input = "a,b\n";
  for (int i = 0; i < 100; ++i) {
    input += std::to_string(i) + ",x\n";
  }
  ReaderOptions options;
  options.batch_records = 7;
  Reader reader = Reader::from_bytes(input, "in.csv", options);
  Batch batch;
  std::vector<std::size_t> sizes;
  std::uint64_t expected_line = 2;
  while (reader.next_batch(batch)) {
    sizes.push_back(batch.size());
    for (std::size_t r = 0; r < batch.size(); ++r) {
      EXPECT_EQ(batch.line[r], expected_line);
      EXPECT_EQ(batch.field(r, 0), std::to_string(expected_line - 2));
      ++expected_line;
    }
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 2}));
  EXPECT_FALSE(reader.next_batch(batch)) << "the end stays the end";
  EXPECT_EQ(batch.size(), 0u);
}

TEST(CsvReader, ReusedBatchIsRefilledExactly) {
  Reader reader = Reader::from_bytes("a,b\n1,2\nbad\n3,4\n", "in.csv", with_block(4));
  Batch batch;
  std::size_t records = 0;
  while (reader.next_batch(batch)) {
    EXPECT_EQ(batch.fields.size(), batch.size() * 2);
    EXPECT_EQ(batch.raw.size(), batch.size());
    records += batch.size();
  }
  EXPECT_EQ(records, 3u);
}

// --- Bad records ----------------------------------------------------------------------------

TEST(CsvReader, TooFewFieldsIsBadRowShapeAtTheRecordEnd) {
  EXPECT_EQ(read_every_way("a,b,c\n1,2\n4,5,6\n").rows,
            (std::vector<Row>{bad_row(2, Fault::TooFewFields, 2, "1,2", 4),
                              ok_row(3, "4,5,6", {"4", "5", "6"})}));
}

TEST(CsvReader, TooManyFieldsIsBadRowShapeAtTheExtraDelimiter) {
  EXPECT_EQ(read_every_way("a,b\n1,2,3,4\r\n5,6\n").rows,
            (std::vector<Row>{bad_row(2, Fault::TooManyFields, 4, "1,2,3,4", 4),
                              ok_row(3, "5,6", {"5", "6"})}));
  EXPECT_EQ(read_every_way("a,b\n\"1\",\"2\",\"3\"\n").rows,
            (std::vector<Row>{bad_row(2, Fault::TooManyFields, 3, "\"1\",\"2\",\"3\"", 8)}));
}

TEST(CsvReader, TextAfterClosingQuoteIsBadRowShape) {
  EXPECT_EQ(read_every_way("a,b\n\"ab\"c,d\n\"x\" ,y\nok,1\n").rows,
            (std::vector<Row>{bad_row(2, Fault::TextAfterQuote, 2, "\"ab\"c,d", 5),
                              bad_row(3, Fault::TextAfterQuote, 2, "\"x\" ,y", 4),
                              ok_row(4, "ok,1", {"ok", "1"})}));
}

TEST(CsvReader, InvalidUtf8IsBadEncodingAtItsFirstByte) {
  EXPECT_EQ(read_every_way("a,b\nx,caf\xE9\n\xC3(,y\n\xED\xA0\x80,z\nok,1\n").rows,
            (std::vector<Row>{bad_row(2, Fault::InvalidUtf8, 2, "x,caf\xE9", 6),
                              bad_row(3, Fault::InvalidUtf8, 2, "\xC3(,y", 1),
                              bad_row(4, Fault::InvalidUtf8, 2, "\xED\xA0\x80,z", 1),
                              ok_row(5, "ok,1", {"ok", "1"})}));
}

TEST(CsvReader, ControlByteIsBadEncoding) {
  EXPECT_EQ(read_every_way("a,b\nx,\x01y\n\"q\x1Bq\",z\nd\x7F,1\nc\rr,2\nok,1\n").rows,
            (std::vector<Row>{bad_row(2, Fault::ControlByte, 2, "x,\x01y", 3),
                              bad_row(3, Fault::ControlByte, 2, "\"q\x1Bq\",z", 3),
                              bad_row(4, Fault::ControlByte, 2, "d\x7F,1", 2),
                              bad_row(5, Fault::ControlByte, 2, "c\rr,2", 2),
                              ok_row(6, "ok,1", {"ok", "1"})}));
}

TEST(CsvReader, NulByteInARecordIsBadEncoding) {
  const ReadResult result = read_every_way(std::string("a,b\n1,\0\n", 8));
  EXPECT_EQ(result.rows,
            (std::vector<Row>{bad_row(2, Fault::ControlByte, 2, std::string("1,\0", 3), 3)}));
}

TEST(CsvReader, EarliestFaultOfARecordIsReported) {
  // The control byte comes before the extra field and the invalid byte after it.
  EXPECT_EQ(read_every_way("a,b\nx\x02,y,\xFF\n").rows,
            (std::vector<Row>{bad_row(2, Fault::ControlByte, 3, "x\x02,y,\xFF", 2)}));
  // A missing field is found at the end, so an encoding fault wins.
  EXPECT_EQ(read_every_way("a,b\n\xFF\n").rows,
            (std::vector<Row>{bad_row(2, Fault::InvalidUtf8, 1, "\xFF", 1)}));
}

TEST(CsvReader, FieldTooLongResynchronisesAtTheNextRecord) {
  ReaderOptions options;
  options.max_field_bytes = 3;
  EXPECT_EQ(
      read_every_way("a,b\n1,abcd\n\"x\ny\",\"long\nvalue, with \"\"quotes\"\"\"\nok,1\n", options)
          .rows,
      (std::vector<Row>{
          bad_row(2, Fault::FieldTooLong, 2, "1,abcd", 3),
          bad_row(3, Fault::FieldTooLong, 2, "\"x\ny\",\"long\nvalue, with \"\"quotes\"\"\"", 7),
          ok_row(6, "ok,1", {"ok", "1"})}));
}

TEST(CsvReader, SkippedRecordKeepsOnlyTheStartOfItsRawBytes) {
  ReaderOptions options;
  options.max_field_bytes = 1000;
  const std::string huge(3u << 20, 'h');
  for (const std::size_t block : {std::size_t{4096}, std::size_t{8} << 20}) {
    const ReadResult result = read_bytes("a,b\n1," + huge + "\n2,3\n", with_block(block, options));
    ASSERT_EQ(result.rows.size(), 2u);
    EXPECT_EQ(result.rows[0].fault, Fault::FieldTooLong);
    EXPECT_EQ(result.rows[0].raw, "1," + huge.substr(0, 64 * 1024 - 2));
    EXPECT_EQ(result.rows[1], ok_row(3, "2,3", {"2", "3"}));
  }
}

TEST(CsvReader, RecordWithEndlessFieldsIsSkippedNotBuffered) {
  std::string many = "1";
  for (int i = 0; i < 200000; ++i) {
    many += ",1";
  }
  const ReadResult result = read_bytes("a,b\n" + many + "\n2,3\n", with_block(1024));
  ASSERT_EQ(result.rows.size(), 2u);
  EXPECT_EQ(result.rows[0].fault, Fault::TooManyFields);
  EXPECT_EQ(result.rows[0].field_count, 200001u);
  EXPECT_EQ(result.rows[0].raw.size(), 64u * 1024);
  EXPECT_EQ(result.rows[1].line, 3u);
}

TEST(CsvReader, DescribesFaultsForRejectMessages) {
  ReaderOptions options;
  options.max_field_bytes = 4;
  Reader reader = Reader::from_bytes("a,b\n1\n1,2,3\n\"a\"b,c\nx\x01,1\n\xFF,1\nabcde,1\nok,1\n",
                                     "in.csv", options);
  Batch batch;
  std::vector<std::string> messages;
  while (reader.next_batch(batch)) {
    for (std::size_t r = 0; r < batch.size(); ++r) {
      messages.push_back(describe_fault(batch, r));
    }
  }
  EXPECT_EQ(messages, (std::vector<std::string>{
                          "expected 2 fields, found 1", "expected 2 fields, found 3",
                          "text after a closing quote at byte 4", "control byte 0x01 at byte 2",
                          "invalid UTF-8 at byte 1",
                          "the field starting at byte 1 is longer than the field size limit", ""}));
}

TEST(CsvReader, StatusNamesAreRejectReasonCodes) {
  EXPECT_EQ(status_name(RecordStatus::Ok), "ok");
  EXPECT_EQ(status_name(RecordStatus::BadRowShape), "bad_row_shape");
  EXPECT_EQ(status_name(RecordStatus::BadEncoding), "bad_encoding");
  EXPECT_EQ(status_name(RecordStatus::FieldTooLong), "field_too_long");
}

// --- Fatal errors ---------------------------------------------------------------------------

TEST(CsvReader, UnterminatedQuoteAtEndOfFileNamesTheOpeningQuote) {
  EXPECT_EQ(error_of("a,b\n1,2\n3,\"four\nfive,6\n"), "in.csv:3:3: unterminated quote");
  EXPECT_EQ(error_of("a,b\n1,\"x\"\"\n"), "in.csv:2:3: unterminated quote");
  EXPECT_EQ(error_of("a,b\n\"\"\"x,"), "in.csv:2:1: unterminated quote");
}

TEST(CsvReader, UnterminatedQuoteInHeader) {
  EXPECT_EQ(error_of("id,\"name\n1,2\n"), "in.csv:1:4: unterminated quote");
  EXPECT_EQ(error_of("\xEF\xBB\xBF\"id"), "in.csv:1:1: unterminated quote")
      << "columns do not count the BOM";
}

TEST(CsvReader, UnterminatedQuoteInsideSkippedRecordIsStillFatal) {
  ReaderOptions options;
  options.max_field_bytes = 2;
  EXPECT_EQ(error_of("a,b\nxyz,\"open\nmore\n", options), "in.csv:2:5: unterminated quote");
}

TEST(CsvReader, EmptyInputIsFatal) {
  EXPECT_EQ(error_of(""), "in.csv:1:1: empty file");
  EXPECT_EQ(error_of("\xEF\xBB\xBF"), "in.csv:1:1: empty file");
  EXPECT_EQ(error_of("\n\r\n\n"), "in.csv:1:1: empty file");
}

TEST(CsvReader, HeaderThatIsNotTextIsFatal) {
  EXPECT_EQ(error_of(std::string("id,n\0me\n", 8)),
            "in.csv:1:5: not a text CSV file (NUL byte in the header)");
  EXPECT_EQ(error_of("\x89PNG\r\n\x1A\n"),
            "in.csv:1:1: not a text CSV file (invalid UTF-8 in the header)");
  EXPECT_EQ(error_of("id,\x1B[0m\n"),
            "in.csv:1:4: not a text CSV file (control byte 0x1B in the header)");
  EXPECT_EQ(error_of("\n\nid,na\xC3me\n"),
            "in.csv:3:6: not a text CSV file (invalid UTF-8 in the header)");
}

TEST(CsvReader, OldMacLineEndsAreFatal) {
  EXPECT_EQ(error_of("id,name\r1,x\r"),
            "in.csv:1:8: carriage return without a line feed in the header (line ends must be "
            "LF or CRLF)");
}

TEST(CsvReader, MalformedHeaderFieldsAreFatal) {
  EXPECT_EQ(error_of("\"id\"x,name\n"),
            "in.csv:1:5: text after the closing quote of a header field");
  ReaderOptions options;
  options.max_field_bytes = 4;
  EXPECT_EQ(error_of("id,\"names\"\n1,2\n", options),
            "in.csv:1:4: header field longer than 4 bytes");
  std::string wide = "c";
  for (int i = 0; i < 65536; ++i) {
    wide += ",c";
  }
  EXPECT_EQ(read_bytes(wide + "\n").error,
            "in.csv:1:131072: more than 65536 columns in the header");
}

TEST(CsvReader, BadOptionsAreUsageErrors) {
  for (const char delimiter : {'"', '\n', '\r', '\xE9'}) {
    ReaderOptions options;
    options.delimiter = delimiter;
    try {
      Reader::from_bytes("a\n", "in.csv", options);
      ADD_FAILURE() << "delimiter " << static_cast<int>(delimiter) << " accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::Usage);
    }
  }
  ReaderOptions zero_block;
  zero_block.block_bytes = 0;
  EXPECT_THROW(zero_block.validate(), Error);
  ReaderOptions zero_field;
  zero_field.max_field_bytes = 0;
  EXPECT_THROW(zero_field.validate(), Error);
  ReaderOptions zero_batch;
  zero_batch.batch_records = 0;
  EXPECT_THROW(zero_batch.validate(), Error);
}

// --- Files ----------------------------------------------------------------------------------

std::string open_error(const std::filesystem::path& path) {
  try {
    Reader::open(path);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    return error.what();
  }
  return "no error";
}

TEST(CsvReaderFile, MissingPathIsFatal) {
  testing::TempDir dir;
  const auto path = dir / "missing.csv";
  EXPECT_EQ(open_error(path), path.string() + ": cannot read: No such file or directory");
}

TEST(CsvReaderFile, DirectoryIsFatal) {
  testing::TempDir dir;
  EXPECT_EQ(open_error(dir.path()), dir.path().string() + ": cannot read: Is a directory");
}

TEST(CsvReaderFile, EmptyFileIsFatal) {
  const auto path = testing::test_data("csv/empty.csv");
  EXPECT_EQ(open_error(path), path.string() + ":1:1: empty file");
}

TEST(CsvReaderFile, BinaryFileIsNotText) {
  const auto path = testing::test_data("csv/binary_header.csv");
  EXPECT_EQ(open_error(path),
            path.string() + ":1:1: not a text CSV file (control byte 0x1F in the header)");
}

ReadResult read_file(const std::filesystem::path& path, const ReaderOptions& options = {}) {
  ReadResult result;
  try {
    Reader reader = Reader::open(path, options);
    test::drain(reader, result);
    EXPECT_EQ(reader.bytes_read(), reader.file_size());
    EXPECT_EQ(reader.file_name(), path.string());
  } catch (const Error& error) {
    result = ReadResult{};
    result.error = error.what();
  }
  return result;
}

TEST(CsvReaderFile, QuotedFileWithBomAndCrlf) {
  const auto path = testing::test_data("csv/quoted.csv");
  const ReadResult result = read_file(path);
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(result.header, (Fields{"sale_id", "Product ID", "note"}));
  EXPECT_EQ(result.rows,
            (std::vector<Row>{ok_row(2, "1,P101,\"plain\"", {"1", "P101", "plain"}),
                              ok_row(3, "2,P102,\"has, comma\"", {"2", "P102", "has, comma"}),
                              ok_row(4, "3,P103,\"say \"\"hi\"\"\"", {"3", "P103", "say \"hi\""}),
                              ok_row(5, "4,P104,\"two\r\nlines\"", {"4", "P104", "two\r\nlines"}),
                              ok_row(7, "5,P105,\"lf\nonly\"", {"5", "P105", "lf\nonly"}),
                              ok_row(9, "6,P106,", {"6", "P106", ""})}));
  EXPECT_EQ(read_file(path, with_block(5)), result);
}

TEST(CsvReaderFile, EveryBadRowShapeIsReportedAndGoodRowsSurvive) {
  const ReadResult result = read_file(testing::test_data("csv/bad_rows.csv"), with_block(16));
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(result.rows,
            (std::vector<Row>{bad_row(2, Fault::TooFewFields, 2, "1,short", 8),
                              ok_row(3, "2,ok,1.00", {"2", "ok", "1.00"}),
                              bad_row(4, Fault::TooManyFields, 4, "3,too,many,fields", 11),
                              ok_row(5, "4,ok,2.00", {"4", "ok", "2.00"}),
                              bad_row(6, Fault::ControlByte, 3,
                                      "5,ctrl\x01"
                                      "byte,3.00",
                                      7),
                              bad_row(7, Fault::InvalidUtf8, 3, "6,caf\xE9,4.00", 6),
                              bad_row(8, Fault::TextAfterQuote, 3, "7,\"quoted\"tail,5.00", 11),
                              ok_row(9, "8,ab\"c,6.00", {"8", "ab\"c", "6.00"})}));
}

TEST(CsvReaderFile, UnterminatedQuoteFile) {
  const auto path = testing::test_data("csv/unterminated_quote.csv");
  EXPECT_EQ(read_file(path).error, path.string() + ":3:3: unterminated quote");
}

TEST(CsvReaderFile, BlankLinesFile) {
  const ReadResult result = read_file(testing::test_data("csv/blank_lines.csv"), with_block(3));
  EXPECT_EQ(result.header_line, 3u);
  EXPECT_EQ(result.rows,
            (std::vector<Row>{ok_row(5, "1,a", {"1", "a"}), ok_row(8, "2,b", {"2", "b"})}));
  EXPECT_EQ(result.blank_lines, 6u);
}

TEST(CsvReaderFile, SeedSalesFileReadsWhole) {
  SALESPIPE_REQUIRE_SEED();
  const auto path = testing::seed_dir() / "sale_price.csv";
  const ReadResult result = read_file(path);
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(result.header, (Fields{"sale_id", "product_id", "customer_id", "sale_price", "quantity",
                                   "sale_date"}));
  ASSERT_EQ(result.rows.size(), 1000u);
  EXPECT_EQ(result.rows.front().line, 2u);
  EXPECT_EQ(result.rows.back().line, 1001u);
  for (const Row& row : result.rows) {
    EXPECT_EQ(row.fault, Fault::None) << row.line;
    EXPECT_EQ(row.fields.size(), 6u);
  }
  EXPECT_EQ(result.rows.front().fields,
            (Fields{"1001", "P101", "C_001", "$150.00", "2", "15-01-2023"}));
  EXPECT_EQ(read_file(path, with_block(61)), result);
}

}  // namespace
}  // namespace salespipe::io::csv
