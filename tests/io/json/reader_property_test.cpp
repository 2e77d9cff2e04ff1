// Property tests: random feedback files, written together with the records they must give, read
// with windows of many sizes (so windows split elements, strings, escapes and numbers anywhere);
// and damaged files, which must fail or succeed the same way whatever the window.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "io/json/json_test_support.hpp"
#include "io/json/reader.hpp"

namespace salespipe::io::json {
namespace {

using testing::OwnedRecord;
using testing::OwnedValue;

const std::vector<std::string> kWanted = {"customer_id", "product_id", "sentiment_score",
                                          "review_date", "nested"};

/// A random file of records and, beside it, the records the reader must return.
class FeedbackGenerator {
 public:
  explicit FeedbackGenerator(std::uint32_t seed) : random_(seed) {}

  struct Document {
    std::string text;
    std::vector<OwnedRecord> expected;
    Format format = Format::Array;
  };

  Document document(std::size_t records) {
    Document doc;
    doc.format = chance(50) ? Format::Array : Format::Ndjson;
    pretty_ = chance(50);
    std::string& out = doc.text;
    if (chance(10)) {
      out += "\xEF\xBB\xBF";
    }
    out += space();
    if (doc.format == Format::Array) {
      out += "[";
    }
    for (std::size_t i = 0; i < records; ++i) {
      if (doc.format == Format::Array) {
        out += i == 0 ? space() : space() + "," + space();
      } else if (i > 0) {
        out += chance(20) ? " \n\r\n\t\n" : (chance(50) ? "\n" : "\r\n");
        out += chance(30) ? "  " : "";
      }
      OwnedRecord record;
      record.line = 1 + static_cast<std::uint64_t>(std::count(out.begin(), out.end(), '\n'));
      // NDJSON is detected from its first byte, so its first record is an object.
      const bool object = (doc.format == Format::Ndjson && i == 0) || !chance(10);
      if (object) {
        record = object_record(record.line);
      } else {
        Generated value = scalar_or_array(0);
        record.raw = value.text;
        record.status = value.bad_encoding ? RecordStatus::BadEncoding : RecordStatus::NotAnObject;
        record.values.assign(kWanted.size(), OwnedValue{});
      }
      out += record.raw;
      doc.expected.push_back(std::move(record));
    }
    if (doc.format == Format::Array) {
      out += space() + "]";
    }
    out += chance(50) ? "\n" : space();
    return doc;
  }

 private:
  struct Generated {
    std::string text;
    OwnedValue value;
    bool bad_encoding = false;
  };

  bool chance(int percent) { return std::uniform_int_distribution<int>(0, 99)(random_) < percent; }
  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_);
  }

  std::string space() {
    if (pretty_) {
      return chance(50) ? "\n  " : " ";
    }
    static const std::vector<std::string> kSpaces = {"", "", "", " ", "\t", "\r\n", "\n "};
    return kSpaces[pick(kSpaces.size())];
  }

  Generated string_value() {
    struct Piece {
      std::string json;
      std::string decoded;
    };
    static const std::vector<Piece> kPieces = {
        {"C_001", "C_001"},
        {"P10", "P10"},
        {"2023-01-16", "2023-01-16"},
        {" ", " "},
        {"\\\"", "\""},
        {"\\\\", "\\"},
        {"\\/", "/"},
        {"\\n", "\n"},
        {"\\t", "\t"},
        {"\\u00e9", "\xC3\xA9"},
        {"\\u20AC", "\xE2\x82\xAC"},
        {"\\ud83d\\ude00", "\xF0\x9F\x98\x80"},
        {"d\xC3\xA9j\xC3\xA0", "d\xC3\xA9j\xC3\xA0"},
        {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"},
        {"[{,:}]", "[{,:}]"},
        {"0123456789abcdef", "0123456789abcdef"},
    };
    Generated out;
    out.text = "\"";
    const std::size_t count = pick(6);
    for (std::size_t i = 0; i < count; ++i) {
      const Piece& piece = kPieces[pick(kPieces.size())];
      out.text += piece.json;
      out.value.text += piece.decoded;
    }
    if (chance(3)) {
      out.text += chance(50) ? "\xC3(" : "\x01";  // invalid UTF-8, or a raw control byte
      out.bad_encoding = true;
    } else if (chance(2)) {
      out.text += "\\udc00";  // a lone low surrogate
      out.bad_encoding = true;
    }
    out.text += "\"";
    out.value.kind = ValueKind::String;
    return out;
  }

  Generated scalar_or_array(int depth) {
    static const std::vector<std::string> kNumbers = {
        "0", "-1", "3.5", "4", "1e10", "-0.0E-5", "123456789012345678901234567890", "2.50"};
    switch (pick(depth < 3 ? 6 : 5)) {
      case 0:
        return string_value();
      case 1: {
        const std::string& number = kNumbers[pick(kNumbers.size())];
        return Generated{number, OwnedValue{ValueKind::Number, number}};
      }
      case 2:
        return chance(50) ? Generated{"true", OwnedValue{ValueKind::True, "true"}}
                          : Generated{"false", OwnedValue{ValueKind::False, "false"}};
      case 3:
        return Generated{"null", OwnedValue{ValueKind::Null, "null"}};
      case 4:
        return string_value();
      default: {
        Generated out;
        out.text = "[";
        const std::size_t count = pick(4);
        for (std::size_t i = 0; i < count; ++i) {
          const Generated item = chance(30) ? nested_object(depth + 1) : scalar_or_array(depth + 1);
          out.text += (i ? "," : "") + space() + item.text;
          out.bad_encoding = out.bad_encoding || item.bad_encoding;
        }
        out.text += space() + "]";
        out.value = OwnedValue{ValueKind::Array, out.text};
        return out;
      }
    }
  }

  /// An object used as a value (its duplicate keys are not checked).
  Generated nested_object(int depth) {
    Generated out;
    out.text = "{";
    const std::size_t count = pick(3);
    for (std::size_t i = 0; i < count; ++i) {
      const Generated item =
          depth < 3 && chance(30) ? nested_object(depth + 1) : scalar_or_array(depth + 1);
      out.text +=
          (i ? "," : "") + space() + "\"k" + std::to_string(pick(2)) + "\":" + space() + item.text;
      out.bad_encoding = out.bad_encoding || item.bad_encoding;
    }
    out.text += space() + "}";
    out.value = OwnedValue{ValueKind::Object, out.text};
    return out;
  }

  OwnedRecord object_record(std::uint64_t line) {
    static const std::vector<std::string> kKeys = {
        "customer_id",     "Customer ID", "product_id",        "Product-Id", "sentiment_score",
        "SENTIMENT SCORE", "review_date", "review\\u005fdate", "comment",    "nested"};
    OwnedRecord record;
    record.line = line;
    record.values.assign(kWanted.size(), OwnedValue{});
    std::vector<std::string> seen;
    bool bad_encoding = false;
    std::string duplicate;
    record.raw = "{";
    const std::size_t count = pick(6);
    for (std::size_t i = 0; i < count; ++i) {
      const std::string& key = kKeys[pick(kKeys.size())];
      const std::string canonical =
          canonical_name(key == "review\\u005fdate" ? std::string("review_date") : key);
      const Generated value = key == "nested" && chance(70) ? nested_object(1) : scalar_or_array(1);
      record.raw +=
          (i ? "," : "") + space() + "\"" + key + "\"" + space() + ":" + space() + value.text;
      bad_encoding = bad_encoding || value.bad_encoding;
      if (duplicate.empty() && std::find(seen.begin(), seen.end(), canonical) != seen.end()) {
        duplicate = canonical;
      }
      seen.push_back(canonical);
      for (std::size_t f = 0; f < kWanted.size(); ++f) {
        if (kWanted[f] == canonical && record.values[f].kind == ValueKind::Missing) {
          record.values[f] = value.value;
        }
      }
    }
    record.raw += space() + "}";
    if (bad_encoding) {
      record.status = RecordStatus::BadEncoding;
    } else if (!duplicate.empty()) {
      record.status = RecordStatus::DuplicateKey;
      record.detail = duplicate;
    }
    if (record.status != RecordStatus::Ok) {
      record.values.assign(kWanted.size(), OwnedValue{});
    }
    return record;
  }

  std::mt19937 random_;
  bool pretty_ = false;
};

/// Records with their details dropped where the generator cannot predict them.
std::vector<OwnedRecord> comparable(std::vector<OwnedRecord> records) {
  for (auto& record : records) {
    if (record.status == RecordStatus::BadEncoding || record.status == RecordStatus::NotAnObject) {
      record.detail.clear();
    }
  }
  return records;
}

TEST(JsonReaderProperty, EveryWindowSizeGivesTheGeneratedRecordsAndLines) {
  const std::vector<std::size_t> windows = {1, 2, 3, 5, 8, 13, 64, 100, 4096, 16u << 20};
  std::size_t statuses[4] = {};
  for (std::uint32_t seed = 1; seed <= 60; ++seed) {
    FeedbackGenerator generator(seed);
    const auto doc = generator.document(1 + seed % 25);
    for (const auto& record : doc.expected) {
      ++statuses[static_cast<std::size_t>(record.status)];
    }
    for (const std::size_t window : windows) {
      SCOPED_TRACE("seed " + std::to_string(seed) + ", window " + std::to_string(window) +
                   ", input:\n" + doc.text);
      testing::ReadResult result;
      ASSERT_NO_THROW(result = testing::read_bytes(doc.text, testing::fields(kWanted, window)));
      EXPECT_EQ(result.format, doc.format);
      ASSERT_EQ(result.records.size(), doc.expected.size());
      EXPECT_EQ(comparable(result.records), doc.expected);
    }
  }
  // The generator must have exercised every status, or this test proves less than it claims.
  for (const std::size_t count : statuses) {
    EXPECT_GT(count, 5u);
  }
}

/// The outcome of reading: the error message, or the records.
std::string outcome(const std::string& text, std::size_t window) {
  try {
    const auto result = testing::read_bytes(text, testing::fields(kWanted, window));
    std::string summary = "ok";
    for (const auto& record : result.records) {
      summary += fmt::format("|{}:{}:{}:{}", record.line, static_cast<int>(record.status),
                             record.raw, record.detail);
      for (const auto& value : record.values) {
        summary += fmt::format(":{}={}", static_cast<int>(value.kind), value.text);
      }
    }
    return summary;
  } catch (const Error& error) {
    return error.what();
  }
}

TEST(JsonReaderProperty, ACutOrDamagedFileFailsTheSameWayWhateverTheWindow) {
  const std::vector<char> damage = {'"', ',', '\n', '\\', '}', ']', '{', 'x', '\0', '\xFF'};
  std::size_t errors = 0;
  std::size_t clean = 0;
  for (std::uint32_t seed = 100; seed < 112; ++seed) {
    FeedbackGenerator generator(seed);
    const std::string text = generator.document(3).text;
    for (std::size_t cut = 0; cut <= text.size(); ++cut) {
      const std::string prefix = text.substr(0, cut);
      const std::string whole = outcome(prefix, 16u << 20);
      EXPECT_EQ(outcome(prefix, 1), whole) << "seed " << seed << ", cut at " << cut;
      EXPECT_EQ(outcome(prefix, 7), whole) << "seed " << seed << ", cut at " << cut;
      (whole.rfind("ok", 0) == 0 ? clean : errors) += 1;
    }
    for (std::size_t at = 0; at < text.size(); at += 3) {
      std::string damaged = text;
      damaged[at] = damage[at % damage.size()];
      const std::string whole = outcome(damaged, 16u << 20);
      EXPECT_EQ(outcome(damaged, 1), whole) << "seed " << seed << ", damaged at " << at;
      (whole.rfind("ok", 0) == 0 ? clean : errors) += 1;
    }
  }
  EXPECT_GT(errors, 100u);
  EXPECT_GT(clean, 10u);
}

TEST(JsonReaderProperty, ErrorPositionsPointIntoTheFile) {
  // Every fatal error of a damaged file names a line and column that exist in it (or the position
  // just after its last byte, for a file cut short).
  for (std::uint32_t seed = 200; seed < 215; ++seed) {
    FeedbackGenerator generator(seed);
    const std::string text = generator.document(4).text;
    for (std::size_t at = 0; at < text.size(); at += 2) {
      std::string damaged = text;
      damaged[at] = at % 2 == 0 ? ',' : '"';
      const auto error = testing::read_error(damaged, testing::fields(kWanted));
      if (!error || error->location().line == 0) {
        continue;
      }
      std::vector<std::size_t> line_lengths = {0};
      for (const char c : damaged) {
        if (c == '\n') {
          line_lengths.push_back(0);
        } else {
          ++line_lengths.back();
        }
      }
      const auto& where = error->location();
      ASSERT_LE(where.line, line_lengths.size()) << error->what();
      EXPECT_GE(where.column, 1u) << error->what();
      EXPECT_LE(where.column, line_lengths[where.line - 1] + 1) << error->what();
    }
  }
}

}  // namespace
}  // namespace salespipe::io::json
