#include "io/json/reader.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/json/json_test_support.hpp"
#include "testing/testing.hpp"

namespace salespipe::io::json {
namespace {

using testing::error_text;
using testing::fields;
using testing::OwnedValue;
using testing::read_bytes;
using testing::read_error;
using testing::ReadResult;

OwnedValue str(std::string text) { return {ValueKind::String, std::move(text)}; }
OwnedValue num(std::string text) { return {ValueKind::Number, std::move(text)}; }
OwnedValue missing() { return {}; }

const std::vector<std::string> kReviewFields = {"customer_id", "product_id", "sentiment_score",
                                                "review_date"};

// ---------------------------------------------------------------------------------------------
// Formats and lines

TEST(JsonReader, PrettyPrintedArrayGivesEachRecordTheLineOfItsOpeningBrace) {
  const auto path = salespipe::testing::test_data("json/feedback_pretty.json");
  Reader reader = Reader::open(path, fields(kReviewFields));
  const ReadResult result = testing::drain(reader);
  EXPECT_EQ(result.format, Format::Array);
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_EQ(result.records[0].line, 2u);
  EXPECT_EQ(result.records[0].status, RecordStatus::Ok);
  EXPECT_EQ(result.records[0].values,
            (std::vector<OwnedValue>{str("C_001"), str("P101"), num("4.5"), str("2023-01-16")}));
  EXPECT_EQ(result.records[1].line, 8u);
  EXPECT_EQ(result.records[1].status, RecordStatus::Ok);
  EXPECT_EQ(result.records[1].values,
            (std::vector<OwnedValue>{str("C_002"), str("P102"), str("3.0"),
                                     OwnedValue{ValueKind::Null, "null"}}));
  EXPECT_EQ(result.records[2].line, 15u);
  EXPECT_EQ(result.records[2].status, RecordStatus::NotAnObject);
  EXPECT_EQ(result.records[2].detail, "a number");
  EXPECT_EQ(result.records[2].raw, "42");
  EXPECT_EQ(reader.bytes_read(), reader.file_size());
  EXPECT_EQ(reader.file_name(), path.string());
}

TEST(JsonReader, RawTextOfARecordIsTheElementExactlyAsWritten) {
  const ReadResult result = read_bytes("[ {\"a\" : 1 ,\n \"b\":[ 2 ]} ,{}]", fields({"a"}));
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0].raw, "{\"a\" : 1 ,\n \"b\":[ 2 ]}");
  EXPECT_EQ(result.records[1].raw, "{}");
  EXPECT_EQ(result.records[1].values, (std::vector<OwnedValue>{missing()}));
}

TEST(JsonReader, MinifiedArrayPutsEveryRecordOnLineOne) {
  const ReadResult result =
      read_bytes(R"([{"customer_id":"C1"},{"customer_id":"C2"},{"customer_id":"C3"}])",
                 fields({"customer_id"}));
  EXPECT_EQ(result.format, Format::Array);
  ASSERT_EQ(result.records.size(), 3u);
  for (const auto& record : result.records) {
    EXPECT_EQ(record.line, 1u);
  }
  EXPECT_EQ(result.records[2].values, (std::vector<OwnedValue>{str("C3")}));
}

TEST(JsonReader, NdjsonSkipsBlankLinesAndKeepsPhysicalLineNumbers) {
  const auto path = salespipe::testing::test_data("json/feedback.ndjson");
  Reader reader = Reader::open(path, fields(kReviewFields));
  const ReadResult result = testing::drain(reader);
  EXPECT_EQ(result.format, Format::Ndjson);
  ASSERT_EQ(result.records.size(), 5u);
  EXPECT_EQ(result.records[0].line, 1u);
  EXPECT_EQ(result.records[0].status, RecordStatus::Ok);
  EXPECT_EQ(result.records[1].line, 3u);  // after a blank line; this line ends in CRLF
  EXPECT_EQ(result.records[1].values,
            (std::vector<OwnedValue>{str("C_002"), str("P102"), num("3"), str("2023-01-21")}));
  EXPECT_EQ(result.records[2].line, 5u);  // after a line of spaces and a tab
  EXPECT_EQ(result.records[2].status, RecordStatus::NotAnObject);
  EXPECT_EQ(result.records[2].detail, "an array");
  EXPECT_EQ(result.records[3].line, 6u);
  EXPECT_EQ(result.records[3].status, RecordStatus::DuplicateKey);
  EXPECT_EQ(result.records[3].detail, "customer_id");
  EXPECT_EQ(result.records[4].line, 7u);
  EXPECT_EQ(result.records[4].status, RecordStatus::BadEncoding);
  EXPECT_EQ(result.records[4].detail, "invalid UTF-8 at line 7, column 19");
}

TEST(JsonReader, ASingleObjectIsNdjsonWithOneRecord) {
  const ReadResult result = read_bytes(R"({"customer_id":"C1"})", fields({"customer_id"}));
  EXPECT_EQ(result.format, Format::Ndjson);
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0].values, (std::vector<OwnedValue>{str("C1")}));
}

TEST(JsonReader, AnArrayOfOneObjectIsAnArray) {
  const ReadResult result = read_bytes(R"([{"customer_id":"C1"}])", fields({"customer_id"}));
  EXPECT_EQ(result.format, Format::Array);
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0].values, (std::vector<OwnedValue>{str("C1")}));
}

TEST(JsonReader, APrettyPrintedSingleObjectIsOneNdjsonRecord) {
  const ReadResult result =
      read_bytes("\n\n{\n  \"customer_id\": \"C1\",\n  \"product_id\": \"P1\"\n}\n",
                 fields({"customer_id", "product_id"}));
  EXPECT_EQ(result.format, Format::Ndjson);
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0].line, 3u);
  EXPECT_EQ(result.records[0].values, (std::vector<OwnedValue>{str("C1"), str("P1")}));
}

TEST(JsonReader, NdjsonRecordsMayBeAnyJsonValueAfterTheFirstLine) {
  const ReadResult result =
      read_bytes("{\"a\":1}\n\"text\"\n-2.5\ntrue\nnull\n[1]\n{}\n", fields({"a"}));
  ASSERT_EQ(result.records.size(), 7u);
  const std::vector<std::string> details = {"",     "a string", "a number", "a boolean",
                                            "null", "an array", ""};
  for (std::size_t i = 0; i < details.size(); ++i) {
    EXPECT_EQ(result.records[i].line, i + 1);
    EXPECT_EQ(result.records[i].detail, details[i]) << i;
    EXPECT_EQ(result.records[i].status,
              details[i].empty() ? RecordStatus::Ok : RecordStatus::NotAnObject);
  }
  EXPECT_EQ(result.records[2].raw, "-2.5");
}

TEST(JsonReader, AnEmptyArrayHasNoRecords) {
  const ReadResult result = read_bytes(" [ \n ] \n", fields({"a"}));
  EXPECT_EQ(result.format, Format::Array);
  EXPECT_TRUE(result.records.empty());
}

TEST(JsonReader, AByteOrderMarkIsSkippedButCountsInTheByteColumn) {
  const ReadResult result = read_bytes("\xEF\xBB\xBF[{\"a\":1}]", fields({"a"}));
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0].values, (std::vector<OwnedValue>{num("1")}));
  EXPECT_EQ(error_text("\xEF\xBB\xBF[{\"a\":1}"),
            "f.json:1:12: unexpected end of file: the array opened at line 1, column 4 is not "
            "closed");
}

// ---------------------------------------------------------------------------------------------
// Values

TEST(JsonReader, ValuesKeepTheirKindAndNumbersTheirRawText) {
  const ReadResult result = read_bytes(
      R"([{"n": -0.5e+10, "big": 123456789012345678901234567890, "huge": 1E400, "t": true,)"
      R"( "f": false, "z": null, "arr": [1, {"x": [2]}], "obj": {"k": "v", "n": {}}}])",
      fields({"n", "big", "huge", "t", "f", "z", "arr", "obj", "absent"}));
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(
      result.records[0].values,
      (std::vector<OwnedValue>{
          num("-0.5e+10"), num("123456789012345678901234567890"), num("1E400"),
          OwnedValue{ValueKind::True, "true"}, OwnedValue{ValueKind::False, "false"},
          OwnedValue{ValueKind::Null, "null"}, OwnedValue{ValueKind::Array, R"([1, {"x": [2]}])"},
          OwnedValue{ValueKind::Object, R"({"k": "v", "n": {}})"}, missing()}));
}

TEST(JsonReader, ValuesComeInTheOrderOfTheWantedFieldsNotOfTheKeys) {
  const ReadResult result = read_bytes(R"([{"b": 2, "x": 0, "a": 1}])", fields({"a", "b", "c"}));
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0].values, (std::vector<OwnedValue>{num("1"), num("2"), missing()}));
}

TEST(JsonReader, StringEscapesAreDecodedToUtf8) {
  const ReadResult result =
      read_bytes(R"([{"e": "caf\u00e9", "pair": "smile \ud83d\ude00", "q": "say \"hi\"", )"
                 R"("c": "\\\/\b\f\n\r\t", "raw": "déjà vu", "nul": "a\u0000b"}])",
                 fields({"e", "pair", "q", "c", "raw", "nul"}));
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0].status, RecordStatus::Ok);
  EXPECT_EQ(result.records[0].values,
            (std::vector<OwnedValue>{str("caf\xC3\xA9"), str("smile \xF0\x9F\x98\x80"),
                                     str("say \"hi\""), str("\\/\b\f\n\r\t"),
                                     str("d\xC3\xA9j\xC3\xA0 vu"), str(std::string("a\0b", 3))}));
}

TEST(JsonReader, KeysAreMatchedByTheirCanonicalName) {
  const ReadResult result =
      read_bytes(R"([{"Customer ID": "C1", " PRODUCT-id ": "P1", "Sentiment  Score": 4, )"
                 R"("review\u005fdate": "2023-01-01"}])",
                 fields({"customer_id", "product_id", "sentiment_score", "Review Date"}));
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0].status, RecordStatus::Ok);
  EXPECT_EQ(result.records[0].values,
            (std::vector<OwnedValue>{str("C1"), str("P1"), num("4"), str("2023-01-01")}));
}

TEST(JsonReader, KeysWithStrayUnderscoresSpacesOrEscapesAreCanonicalised) {
  const std::vector<std::string> keys = {
      "_a_b",  "a_b_",       "a__b",      "__a___b__", "A_B",        "a b",      " a-b ",
      "a\\tb", "a\\u005f_b", "\\u0041_b", "a\\u0020b", "a_\\u005fb", "a\\u002db"};
  for (const auto& key : keys) {
    const ReadResult result =
        read_bytes("[{\"" + key + "\": 1}, {\"" + key + "\": 2, \"a_b\": 3}]", fields({"a_b"}));
    ASSERT_EQ(result.records.size(), 2u) << key;
    EXPECT_EQ(result.records[0].values, (std::vector<OwnedValue>{num("1")})) << key;
    EXPECT_EQ(result.records[1].status, RecordStatus::DuplicateKey) << key;
    EXPECT_EQ(result.records[1].detail, "a_b") << key;
  }
  // Keys that only look alike stay apart.
  const ReadResult apart =
      read_bytes(R"([{"ab": 1, "a_b": 2, "a.b": 3, "a\u00e9b": 4}])", fields({"a_b"}));
  ASSERT_EQ(apart.records.size(), 1u);
  EXPECT_EQ(apart.records[0].status, RecordStatus::Ok);
  EXPECT_EQ(apart.records[0].values, (std::vector<OwnedValue>{num("2")}));
}

TEST(JsonReader, KeysKeepTheirMeaningWhenAFileSpellsThousandsOfThem) {
  // The reader remembers what each spelling of a key means; a file with more spellings than it
  // remembers, and spellings that share its slots, must read the same as a file with few.
  const std::vector<std::string> spellings = {"a_b", "A B", " a-b ", "A_B", "a\\u005fb"};
  std::string input = "[";
  for (int i = 0; i < 3000; ++i) {
    const std::string& key = spellings[static_cast<std::size_t>(i) % spellings.size()];
    input += i ? "," : "";
    input += fmt::format(R"({{"junk_{}": 0, "{}": {}}})", i, key, i);
  }
  // The same name twice under two remembered spellings.
  input += R"(, {"A B": 1, "a_b": 2}, {"a_b": 3, "a-b": 4}])";
  const ReadResult result = read_bytes(input, fields({"a_b"}));
  ASSERT_EQ(result.records.size(), 3002u);
  for (std::size_t i = 0; i < 3000; ++i) {
    ASSERT_EQ(result.records[i].status, RecordStatus::Ok) << i;
    ASSERT_EQ(result.records[i].values, (std::vector<OwnedValue>{num(std::to_string(i))})) << i;
  }
  for (std::size_t i = 3000; i < 3002; ++i) {
    EXPECT_EQ(result.records[i].status, RecordStatus::DuplicateKey) << i;
    EXPECT_EQ(result.records[i].detail, "a_b") << i;
  }
}

TEST(JsonReader, EscapedStringsStayValidAcrossTheWholeBatch) {
  // Unescaped strings live in the reader's own storage, not in the parser's per-record buffer.
  std::string input = "[";
  for (int i = 0; i < 200; ++i) {
    input += i ? "," : "";
    input += R"({"a": "\u00e9)" + std::to_string(i) + "\"}";
  }
  input += "]";
  const ReadResult result = read_bytes(input, fields({"a"}));
  ASSERT_EQ(result.records.size(), 200u);
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(result.records[static_cast<std::size_t>(i)].values[0].text,
              "\xC3\xA9" + std::to_string(i));
  }
}

TEST(JsonReader, WithoutWantedFieldsRecordsStillGetTheirStatus) {
  const ReadResult result = read_bytes(R"([{"a":1}, 2, {"a":1,"a":2}])", ReaderOptions{});
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_EQ(result.records[0].status, RecordStatus::Ok);
  EXPECT_TRUE(result.records[0].values.empty());
  EXPECT_EQ(result.records[1].status, RecordStatus::NotAnObject);
  EXPECT_EQ(result.records[2].status, RecordStatus::DuplicateKey);
}

// ---------------------------------------------------------------------------------------------
// Record statuses

TEST(JsonReader, NonObjectElementsAreNotAnObjectRecordsWithTheirKind) {
  const ReadResult result = read_bytes(
      "[\n1,\n\"s\",\n[{\"a\":1}],\nnull,\ntrue,\nfalse,\n-0,\n{\"a\":1}\n]", fields({"a"}));
  ASSERT_EQ(result.records.size(), 8u);
  const std::vector<std::string> details = {"a number",  "a string",  "an array", "null",
                                            "a boolean", "a boolean", "a number", ""};
  for (std::size_t i = 0; i < details.size(); ++i) {
    EXPECT_EQ(result.records[i].line, i + 2);
    EXPECT_EQ(result.records[i].detail, details[i]) << i;
    EXPECT_EQ(result.records[i].values.size(), 1u);
  }
  EXPECT_EQ(result.records[2].raw, "[{\"a\":1}]");
  EXPECT_EQ(result.records[2].values[0].kind, ValueKind::Missing);
  EXPECT_EQ(result.records[7].status, RecordStatus::Ok);
}

TEST(JsonReader, TheSameKeyTwiceIsADuplicateKeyRecordWithNoValues) {
  const ReadResult result =
      read_bytes(R"([{"a": 1, "b": 2, "a": 3}, {"a": 4}])", fields({"a", "b"}));
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0].status, RecordStatus::DuplicateKey);
  EXPECT_EQ(result.records[0].detail, "a");
  EXPECT_EQ(result.records[0].values, (std::vector<OwnedValue>{missing(), missing()}));
  EXPECT_EQ(result.records[1].status, RecordStatus::Ok);
  EXPECT_EQ(result.records[1].values, (std::vector<OwnedValue>{num("4"), missing()}));
}

TEST(JsonReader, KeysWithTheSameCanonicalNameAreDuplicates) {
  const ReadResult result =
      read_bytes(R"([{"Sentiment Score": 4, "sentiment_score": 5}, {"x-y": 1, "X_Y": 2}])",
                 fields({"sentiment_score"}));
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0].status, RecordStatus::DuplicateKey);
  EXPECT_EQ(result.records[0].detail, "sentiment_score");
  // Unwanted keys are checked too: both would be the same extra column.
  EXPECT_EQ(result.records[1].status, RecordStatus::DuplicateKey);
  EXPECT_EQ(result.records[1].detail, "x_y");
}

TEST(JsonReader, AnEscapedKeyThatSpellsAnEarlierKeyIsADuplicate) {
  const ReadResult result = read_bytes(R"([{"ab": 1, "a\u0062": 2}])", fields({"ab"}));
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0].status, RecordStatus::DuplicateKey);
  EXPECT_EQ(result.records[0].detail, "ab");
}

TEST(JsonReader, KeysWhoseCanonicalNameIsEmptyAreDuplicatesShownAsAnEmptyKey) {
  const ReadResult result = read_bytes(R"([{"": 1, " _ ": 2}, {"": 1}])", fields({"a"}));
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0].status, RecordStatus::DuplicateKey);
  EXPECT_EQ(result.records[0].detail, "\"\"");
  EXPECT_EQ(result.records[1].status, RecordStatus::Ok);
}

TEST(JsonReader, DuplicateKeysInsideNestedObjectsAreLeftInTheRawValue) {
  const ReadResult result = read_bytes(R"([{"a": {"k": 1, "k": 2}}])", fields({"a"}));
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0].status, RecordStatus::Ok);
  EXPECT_EQ(result.records[0].values[0].text, R"({"k": 1, "k": 2})");
}

TEST(JsonReader, DuplicateKeysAreFoundInObjectsWithManyKeys) {
  std::string object = "{";
  for (int i = 0; i < 100; ++i) {
    object += "\"key" + std::to_string(i) + "\": " + std::to_string(i) + ", ";
  }
  const ReadResult clean = read_bytes("[" + object + "\"last\": 0}]", fields({"key99"}));
  ASSERT_EQ(clean.records.size(), 1u);
  EXPECT_EQ(clean.records[0].status, RecordStatus::Ok);
  EXPECT_EQ(clean.records[0].values, (std::vector<OwnedValue>{num("99")}));
  const ReadResult duplicated = read_bytes("[" + object + "\"KEY7\": 0}]", fields({"key99"}));
  ASSERT_EQ(duplicated.records.size(), 1u);
  EXPECT_EQ(duplicated.records[0].status, RecordStatus::DuplicateKey);
  EXPECT_EQ(duplicated.records[0].detail, "key7");
}

TEST(JsonReader, InvalidUtf8InAStringIsABadEncodingRecord) {
  const ReadResult result = read_bytes(
      "[{\"a\": \"ok\"},\n {\"a\": \"C\xC3\x28\"},\n {\"k\xFF\": 1}, \"\xE2\x82\"]", fields({"a"}));
  ASSERT_EQ(result.records.size(), 4u);
  EXPECT_EQ(result.records[0].status, RecordStatus::Ok);
  EXPECT_EQ(result.records[1].status, RecordStatus::BadEncoding);
  EXPECT_EQ(result.records[1].detail, "invalid UTF-8 at line 2, column 10");
  EXPECT_EQ(result.records[1].values, (std::vector<OwnedValue>{missing()}));
  EXPECT_EQ(result.records[2].status, RecordStatus::BadEncoding);  // in a key
  EXPECT_EQ(result.records[2].detail, "invalid UTF-8 at line 3, column 5");
  // A badly encoded non-object is BadEncoding: the encoding is checked first.
  EXPECT_EQ(result.records[3].status, RecordStatus::BadEncoding);
  EXPECT_EQ(result.records[3].detail, "invalid UTF-8 at line 3, column 14");
}

TEST(JsonReader, OverlongAndSurrogateUtf8AreBadEncoding) {
  const ReadResult result = read_bytes(
      "[{\"a\": \"\xC0\xAF\"}, {\"a\": \"\xED\xA0\x80\"}, {\"a\": \"\xF4\x90\x80\x80\"}]",
      fields({"a"}));
  ASSERT_EQ(result.records.size(), 3u);
  for (const auto& record : result.records) {
    EXPECT_EQ(record.status, RecordStatus::BadEncoding) << record.raw;
  }
}

TEST(JsonReader, ARawControlByteInAStringIsABadEncodingRecord) {
  const ReadResult result = read_bytes(
      "[{\"a\": \"tab\there\"}, {\"a\": \"x\x01\"}, {\"a\": \"t\\there\"}]", fields({"a"}));
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_EQ(result.records[0].status, RecordStatus::BadEncoding);
  EXPECT_EQ(result.records[0].detail, "control byte 0x09 in a string at line 1, column 12");
  EXPECT_EQ(result.records[1].status, RecordStatus::BadEncoding);
  EXPECT_EQ(result.records[1].detail, "control byte 0x01 in a string at line 1, column 29");
  EXPECT_EQ(result.records[2].status, RecordStatus::Ok);  // an escaped tab is fine
  EXPECT_EQ(result.records[2].values[0].text, "t\there");
}

TEST(JsonReader, ARawNewlineInAStringIsBadEncodingAndStillCountsAsALine) {
  const ReadResult result =
      read_bytes("{\"a\": \"one\ntwo\"}\n{\"a\": \"three\"}\n", fields({"a"}));
  EXPECT_EQ(result.format, Format::Ndjson);
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0].status, RecordStatus::BadEncoding);
  EXPECT_EQ(result.records[0].detail, "control byte 0x0A in a string at line 1, column 11");
  EXPECT_EQ(result.records[1].line, 3u);
  EXPECT_EQ(result.records[1].values, (std::vector<OwnedValue>{str("three")}));
}

TEST(JsonReader, AnUnpairedSurrogateEscapeIsABadEncodingRecord) {
  const ReadResult result = read_bytes(
      R"([{"a": "\ud800"}, {"a": "\udc00x"}, {"a": "\ud800\u0041"}, {"a": "\ud800\ud800\udc00"}])",
      fields({"a"}));
  ASSERT_EQ(result.records.size(), 4u);
  EXPECT_EQ(result.records[0].status, RecordStatus::BadEncoding);
  EXPECT_EQ(result.records[0].detail, "unpaired surrogate escape in a string at line 1, column 9");
  EXPECT_EQ(result.records[1].status, RecordStatus::BadEncoding);
  EXPECT_EQ(result.records[2].status, RecordStatus::BadEncoding);
  EXPECT_EQ(result.records[3].status, RecordStatus::BadEncoding);
}

// ---------------------------------------------------------------------------------------------
// Fatal errors: the message and its position

TEST(JsonReader, AMissingFileIsAnInputError) {
  salespipe::testing::TempDir dir;
  const auto path = dir / "absent.json";
  try {
    Reader::open(path, {});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_EQ(std::string(error.what()),
              path.string() + ": cannot open: No such file or directory");
  }
}

TEST(JsonReader, ADirectoryIsAnInputError) {
  salespipe::testing::TempDir dir;
  try {
    Reader::open(dir.path(), {});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_EQ(std::string(error.what()), dir.path().string() + ": cannot read: it is a directory");
  }
}

TEST(JsonReader, AnEmptyFileIsAnInputError) {
  salespipe::testing::TempDir dir;
  salespipe::testing::write_file(dir / "empty.json", "");
  try {
    Reader::open(dir / "empty.json", {});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_EQ(std::string(error.what()), (dir / "empty.json").string() + ":1:1: empty file");
  }
}

TEST(JsonReader, AFileOfOnlyWhitespaceIsEmpty) {
  EXPECT_EQ(error_text(" \n\t\r\n  "), "f.json:3:3: empty file: only whitespace, no JSON value");
}

TEST(JsonReader, AFileThatIsNotJsonIsAnInputError) {
  EXPECT_EQ(error_text("sale_id,product_id\n1,P1\n"),
            "f.json:1:1: not JSON: expected '[' or '{', found 's'");
  EXPECT_EQ(error_text("\n  <xml/>"), "f.json:2:3: not JSON: expected '[' or '{', found '<'");
  EXPECT_EQ(error_text("\xFF\xFE[]"), "f.json:1:1: not JSON: expected '[' or '{', found byte 0xFF");
  const auto error = read_error("x", {});
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->kind(), ErrorKind::Input);
  EXPECT_EQ(error->location().line, 1u);
  EXPECT_EQ(error->location().column, 1u);
}

TEST(JsonReader, AScalarTopLevelIsNeitherAnArrayNorNdjson) {
  EXPECT_EQ(error_text("42"),
            "f.json:1:1: top level is a number: expected an array of objects or NDJSON objects");
  EXPECT_EQ(error_text("  \"text\""),
            "f.json:1:3: top level is a string: expected an array of objects or NDJSON objects");
  EXPECT_EQ(error_text("\ntrue"),
            "f.json:2:1: top level is a boolean: expected an array of objects or NDJSON objects");
  EXPECT_EQ(error_text("null\n"),
            "f.json:1:1: top level is null: expected an array of objects or NDJSON objects");
}

TEST(JsonReader, AMissingCommaBetweenElementsIsFatal) {
  EXPECT_EQ(error_text("[\n  {\"a\": 1}\n  {\"a\": 2}\n]"),
            "f.json:3:3: expected ',' or ']' after an array element, found '{'");
}

TEST(JsonReader, AMissingCommaInsideAnObjectIsFatal) {
  EXPECT_EQ(error_text(R"([{"a": 1 "b": 2}])"),
            "f.json:1:10: expected ',' or '}' after an object member, found '\"'");
}

TEST(JsonReader, AFaultInsideAValueNobodyAskedForIsStillFatal) {
  // simdjson's on-demand parser would skip this value unread; the scanner validates it.
  EXPECT_EQ(error_text(R"([{"a": 1, "tags": [1 2]}])", fields({"a"})),
            "f.json:1:22: expected ',' or ']' after an array value, found '2'");
  EXPECT_EQ(error_text(R"([{"a": 1, "meta": {"x": tru}}])", fields({"a"})),
            "f.json:1:25: invalid literal: expected true");
}

TEST(JsonReader, AnUnterminatedStringAtTheEndIsFatalAtTheEnd) {
  const auto path = salespipe::testing::test_data("json/truncated.json");
  try {
    Reader reader = Reader::open(path, fields({"customer_id"}));
    testing::drain(reader);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_EQ(std::string(error.what()),
              path.string() +
                  ":3:45: unexpected end of file inside the string that starts at line 3, "
                  "column 42");
  }
}

TEST(JsonReader, ATruncatedFileIsFatalAtTheEnd) {
  EXPECT_EQ(error_text("[\n  {\"a\": 1},\n"),
            "f.json:3:1: unexpected end of file: the array opened at line 1, column 1 is not "
            "closed");
  EXPECT_EQ(error_text("[{\"a\": 1}"),
            "f.json:1:10: unexpected end of file: the array opened at line 1, column 1 is not "
            "closed");
  EXPECT_EQ(error_text("[{\"a\": [1, {\"b\": 2"),
            "f.json:1:19: unexpected end of file: the object opened at line 1, column 12 is not "
            "closed");
  EXPECT_EQ(error_text("{\"a\": 1}\n{\"a\":"),
            "f.json:2:6: unexpected end of file: the object opened at line 2, column 1 is not "
            "closed");
  EXPECT_EQ(error_text("[\n {\n  \"a\": [\n   1,\n"),
            "f.json:5:1: unexpected end of file: the array opened at line 3, column 8 is not "
            "closed");
  EXPECT_EQ(error_text("[\n {\n  \"a\": [\n   1,\n", fields({"a"}, 3)),
            "f.json:5:1: unexpected end of file: the array opened at line 3, column 8 is not "
            "closed");
  EXPECT_EQ(error_text("[{\"a\": fals"), "f.json:1:8: invalid literal: expected false");
  EXPECT_EQ(error_text("[{\"a\": -"), "f.json:1:9: invalid number: expected a digit after '-'");
  EXPECT_EQ(error_text("[{\"a\": \"x\\"),
            "f.json:1:11: unexpected end of file inside the string that starts at line 1, column "
            "8");
  EXPECT_EQ(error_text("[{\"a\": \"\\u00"),
            "f.json:1:13: unexpected end of file inside the string that starts at line 1, column "
            "8");
}

TEST(JsonReader, TrailingCommasAreFatal) {
  EXPECT_EQ(error_text("[{\"a\": 1},\n]"),
            "f.json:2:1: expected an array element after ',', found ']' (a trailing comma)");
  EXPECT_EQ(error_text("[{\"a\": 1,}]"),
            "f.json:1:10: expected a key after ',', found '}' (a trailing comma)");
  EXPECT_EQ(error_text("[{\"a\": [1,]}]"),
            "f.json:1:11: expected a value after ',', found ']' (a trailing comma)");
  EXPECT_EQ(error_text("[,{}]"), "f.json:1:2: expected a JSON value, found ','");
}

TEST(JsonReader, ContentAfterTheArrayIsFatal) {
  EXPECT_EQ(error_text("[{\"a\": 1}]\n]"),
            "f.json:2:1: unexpected content after the top-level array, found ']'");
  // An NDJSON file whose first line is an array is read as an array, so its second line is
  // content after it.
  EXPECT_EQ(error_text("[1, 2]\n{\"a\": 1}\n"),
            "f.json:2:1: unexpected content after the top-level array, found '{'");
}

TEST(JsonReader, TwoNdjsonRecordsOnOneLineAreFatal) {
  EXPECT_EQ(error_text("{\"a\": 1}\n{\"a\": 2} {\"a\": 3}\n"),
            "f.json:2:10: expected a newline after the record, found '{' (NDJSON holds one "
            "record per line)");
  EXPECT_EQ(error_text("{\"a\": 1},\n{\"a\": 2}\n"),
            "f.json:1:9: expected a newline after the record, found ',' (NDJSON holds one "
            "record per line)");
}

TEST(JsonReader, InvalidLiteralsAreFatalAtTheirFirstByte) {
  EXPECT_EQ(error_text("[{\"a\": nul}]"), "f.json:1:8: invalid literal: expected null");
  EXPECT_EQ(error_text("[{\"a\": True}]"), "f.json:1:8: expected a JSON value, found 'T'");
  EXPECT_EQ(error_text("[{\"a\": undefined}]"), "f.json:1:8: expected a JSON value, found 'u'");
  EXPECT_EQ(error_text("[{\"a\": truex}]"),
            "f.json:1:12: expected ',' or '}' after an object member, found 'x'");
}

TEST(JsonReader, InvalidNumbersAreFatalAtTheFault) {
  EXPECT_EQ(error_text("[{\"a\": 01}]"),
            "f.json:1:9: invalid number: a leading zero must not be followed by a digit");
  EXPECT_EQ(error_text("[{\"a\": -x}]"), "f.json:1:9: invalid number: expected a digit after '-'");
  EXPECT_EQ(error_text("[{\"a\": 1.}]"),
            "f.json:1:10: invalid number: expected a digit after the decimal point");
  EXPECT_EQ(error_text("[{\"a\": 1e+}]"),
            "f.json:1:11: invalid number: expected a digit in the exponent");
  EXPECT_EQ(error_text("[{\"a\": .5}]"), "f.json:1:8: expected a JSON value, found '.'");
  EXPECT_EQ(error_text("[{\"a\": +1}]"), "f.json:1:8: expected a JSON value, found '+'");
  EXPECT_EQ(error_text("[{\"a\": 1_000}]"),
            "f.json:1:9: expected ',' or '}' after an object member, found '_'");
}

TEST(JsonReader, InvalidEscapesAreFatalAtTheBackslash) {
  EXPECT_EQ(error_text(R"([{"a": "x\q"}])"),
            "f.json:1:10: invalid escape in a string: '\\' followed by 'q'");
  EXPECT_EQ(error_text(R"([{"a": "\u12G4"}])"),
            "f.json:1:9: invalid \\u escape in a string: expected four hex digits");
  EXPECT_EQ(error_text(R"([{"a": "\ud800\uZZZZ"}])"),
            "f.json:1:15: invalid \\u escape in a string: expected four hex digits");
}

TEST(JsonReader, ObjectKeysMustBeStringsFollowedByAColon) {
  EXPECT_EQ(error_text(R"([{a: 1}])"), "f.json:1:3: expected a string key or '}', found 'a'");
  EXPECT_EQ(error_text(R"([{"a" 1}])"), "f.json:1:7: expected ':' after an object key, found '1'");
  EXPECT_EQ(error_text(R"([{"a": 1, 2: 3}])"), "f.json:1:11: expected a string key, found '2'");
  EXPECT_EQ(error_text(R"([{"a": }])"), "f.json:1:8: expected a JSON value, found '}'");
}

TEST(JsonReader, ABadByteOutsideStringsIsFatalNotBadEncoding) {
  EXPECT_EQ(error_text("[{\"a\": 1}\xFF]"),
            "f.json:1:10: expected ',' or ']' after an array element, found byte 0xFF");
  EXPECT_EQ(error_text(std::string("[{\"a\": 1,\0 \"b\": 2}]", 19)),
            "f.json:1:10: expected a string key, found byte 0x00");
}

TEST(JsonReader, NestingPastTheLimitIsFatalAtTheOpeningBracket) {
  ReaderOptions options;
  options.max_depth = 3;
  EXPECT_EQ(error_text(R"([{"a": [[1]]}])", options), "no error");
  EXPECT_EQ(error_text(R"([{"a": [[[1]]]}])", options),
            "f.json:1:10: nesting deeper than 3 levels");
  // Depth counts from the record, so NDJSON accepts what the array accepts.
  EXPECT_EQ(error_text("{\"a\": [[1]]}\n", options), "no error");
  EXPECT_EQ(error_text("{\"a\": [[[1]]]}\n", options), "f.json:1:9: nesting deeper than 3 levels");
}

TEST(JsonReader, DeepNestingIsFatalWithTheDefaultLimit) {
  const std::string deep = "[{\"a\": " + std::string(64, '[') + std::string(64, ']') + "}]";
  EXPECT_EQ(error_text(deep), "f.json:1:71: nesting deeper than 64 levels");
  const std::string allowed = "[{\"a\": " + std::string(63, '[') + std::string(63, ']') + "}]";
  EXPECT_EQ(error_text(allowed), "no error");
}

TEST(JsonReader, AnErrorLaterInTheFileComesFromALaterBatchAndRepeats) {
  std::string input = "[\n";
  for (int i = 0; i < 100; ++i) {
    input += "{\"a\": " + std::to_string(i) + "},\n";
  }
  input += "{\"a\": 1 2}]";
  Reader reader = Reader::open_bytes(input, "f.json", fields({"a"}, 64));
  Batch batch;
  std::size_t records = 0;
  std::string message;
  try {
    while (reader.next_batch(batch)) {
      records += batch.size();
    }
  } catch (const Error& error) {
    message = error.what();
  }
  EXPECT_EQ(message, "f.json:102:9: expected ',' or '}' after an object member, found '2'");
  EXPECT_GT(records, 90u);
  EXPECT_THROW(reader.next_batch(batch), Error);
  EXPECT_EQ(batch.size(), 0u);
}

TEST(JsonReader, BadOptionsAreUsageErrors) {
  ReaderOptions twice = fields({"customer_id", "Customer ID"});
  try {
    Reader::open_bytes("[]", "f.json", twice);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Usage);
    EXPECT_EQ(std::string(error.what()), "JSON reader: the field \"customer_id\" is wanted twice");
  }
  ReaderOptions no_window;
  no_window.window_bytes = 0;
  EXPECT_THROW(Reader::open_bytes("[]", "f.json", no_window), Error);
  ReaderOptions no_depth;
  no_depth.max_depth = 0;
  EXPECT_THROW(Reader::open_bytes("[]", "f.json", no_depth), Error);
}

// ---------------------------------------------------------------------------------------------
// Windows

TEST(JsonReader, AWindowSmallerThanOneElementStillReadsEveryRecord) {
  const std::string input = "[\n {\"customer_id\": \"C_001\", \"note\": \"" +
                            std::string(5000, 'x') + "\"},\n {\"customer_id\": \"caf\\u00e9\"}\n]";
  const ReadResult small = read_bytes(input, fields({"customer_id", "note"}, 16));
  const ReadResult large = read_bytes(input, fields({"customer_id", "note"}));
  ASSERT_EQ(small.records.size(), 2u);
  EXPECT_EQ(small.records, large.records);
  EXPECT_EQ(small.records[1].line, 3u);
  EXPECT_EQ(small.records[1].values[0].text, "caf\xC3\xA9");
  EXPECT_EQ(small.batches, 2u);
}

TEST(JsonReader, BatchesHoldAboutOneWindowOfElements) {
  std::string input = "[";
  for (int i = 0; i < 1000; ++i) {
    input += i ? ",\n" : "\n";
    input += R"({"a": )" + std::to_string(i % 10) + "}";
  }
  input += "\n]\n";
  const ReadResult result = read_bytes(input, fields({"a"}, 1000));
  EXPECT_EQ(result.records.size(), 1000u);
  EXPECT_GE(result.batches, 10u);
  EXPECT_LE(result.largest_batch_bytes, 1000u);
}

TEST(JsonReader, ReportsProgressInBytes) {
  std::string input = "[";
  for (int i = 0; i < 100; ++i) {
    input += i ? "," : "";
    input += R"({"a": 1})";
  }
  input += "]";
  Reader reader = Reader::open_bytes(input, "f.json", fields({"a"}, 100));
  EXPECT_EQ(reader.file_size(), input.size());
  EXPECT_LT(reader.bytes_read(), input.size());
  Batch batch;
  std::uint64_t previous = 0;
  while (reader.next_batch(batch)) {
    EXPECT_GE(reader.bytes_read(), previous);
    previous = reader.bytes_read();
  }
  EXPECT_EQ(reader.bytes_read(), input.size());
  EXPECT_FALSE(reader.next_batch(batch));
}

// ---------------------------------------------------------------------------------------------
// The lab's seed

TEST(JsonReader, ReadsTheLabsSeedFeedback) {
  SALESPIPE_REQUIRE_SEED();
  Reader reader = Reader::open(salespipe::testing::seed_dir() / "customer_feedback.json",
                               fields(kReviewFields));
  const ReadResult result = testing::drain(reader);
  EXPECT_EQ(result.format, Format::Array);
  ASSERT_EQ(result.records.size(), 1000u);
  for (const auto& record : result.records) {
    EXPECT_EQ(record.status, RecordStatus::Ok) << record.line;
    EXPECT_EQ(record.values[0].kind, ValueKind::String) << record.line;
  }
  EXPECT_EQ(result.records.front().line, 2u);
  EXPECT_EQ(result.records.back().line, 5996u);
  EXPECT_EQ(result.records.front().values,
            (std::vector<OwnedValue>{str("C_001"), str("P101"), num("4.5"), str("2023-01-16")}));
}

}  // namespace
}  // namespace salespipe::io::json
