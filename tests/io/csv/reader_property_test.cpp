// Property tests: for many generated inputs, the streaming reader must give the same answer
// with any block size, and the answer a plain whole-input parser (the oracle below, written
// for clarity rather than speed) gives under the rules documented on Reader.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "io/csv/csv_test_support.hpp"
#include "io/csv/reader.hpp"
#include "io/csv/writer.hpp"

namespace salespipe::io::csv {
namespace {

using test::read_bytes;
using test::ReadResult;
using test::Row;
using test::with_block;

constexpr std::size_t kOracleMaxColumns = 65536;

bool is_control(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return (byte < 0x20 && c != '\t') || byte == 0x7F;
}

/// Whole-input reference parser.
ReadResult oracle(const std::string& in, const ReaderOptions& options,
                  const std::string& name = "in.csv") {
  ReadResult out;
  const std::size_t n = in.size();
  const char delim = options.delimiter;
  const std::size_t bom = in.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  const auto line_of = [&](std::size_t pos) -> std::uint64_t {
    return 1 + static_cast<std::uint64_t>(
                   std::count(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
  };
  const auto column_of = [&](std::size_t pos) -> std::uint64_t {
    const std::size_t newline = pos == 0 ? std::string::npos : in.rfind('\n', pos - 1);
    const std::size_t start = newline == std::string::npos ? bom : newline + 1;
    return pos - start + 1;
  };
  const auto fail = [&](std::size_t pos, const std::string& message) {
    out = ReadResult{};
    out.error = name + ":" + std::to_string(line_of(pos)) + ":" + std::to_string(column_of(pos)) +
                ": " + message;
    return out;
  };
  if (n == 0) {
    out.error = name + ":1:1: empty file";
    return out;
  }
  bool have_header = false;
  std::size_t columns = kOracleMaxColumns;
  std::size_t i = bom;
  for (;;) {
    if (i == n) {
      break;
    }
    if (in[i] == '\n') {
      ++out.blank_lines;
      ++i;
      continue;
    }
    if (in[i] == '\r' && (i + 1 == n || in[i + 1] == '\n')) {
      ++out.blank_lines;
      i += i + 1 == n ? 1 : 2;
      continue;
    }
    const std::size_t record = i;
    Fault fault = Fault::None;
    std::size_t fault_pos = std::string::npos;
    const auto add = [&](Fault kind, std::size_t pos) {
      if (pos < fault_pos) {
        fault = kind;
        fault_pos = pos;
      }
    };
    std::vector<std::string> fields;
    std::size_t raw_end = 0;
    for (;;) {  // one field per turn
      const std::size_t fs = i;
      std::size_t k = i;  // where unquoted scanning starts
      if (i < n && in[i] == '"') {
        std::string value;
        std::size_t j = i + 1;
        for (;;) {
          if (j == n) {
            return fail(fs, "unterminated quote");
          }
          const char c = in[j];
          if (c == '"') {
            if (j + 1 < n && in[j + 1] == '"') {
              value += '"';
              j += 2;
              continue;
            }
            break;
          }
          if (is_control(c) && c != '\n' && c != '\r' && c != delim) {
            add(Fault::ControlByte, j);
          }
          value += c;
          ++j;
        }
        const std::size_t a = j + 1;
        const bool ends = a == n || in[a] == delim || in[a] == '\n' ||
                          (in[a] == '\r' && (a + 1 == n || in[a + 1] == '\n'));
        if (ends) {
          if (value.size() > options.max_field_bytes) {
            add(Fault::FieldTooLong, fs);
          }
          fields.push_back(value);
          if (a < n && in[a] == delim) {
            if (fields.size() == columns) {
              add(Fault::TooManyFields, a);
            }
            i = a + 1;
            continue;
          }
          raw_end = a;
          i = a == n ? n : (in[a] == '\n' ? a + 1 : std::min(a + 2, n));
          break;
        }
        add(Fault::TextAfterQuote, a);
        k = a;  // the rest of the field reads as unquoted text
      }
      std::size_t fe = 0;
      bool at_delimiter = false;
      for (;;) {
        if (k == n) {
          fe = in[n - 1] == '\r' ? n - 1 : n;
          raw_end = fe;
          i = n;
          break;
        }
        const char c = in[k];
        if (c == delim) {
          fe = k;
          at_delimiter = true;
          i = k + 1;
          break;
        }
        if (c == '\n') {
          fe = in[k - 1] == '\r' ? k - 1 : k;
          raw_end = fe;
          i = k + 1;
          break;
        }
        if (c == '\r') {
          if (k + 1 < n && in[k + 1] != '\n') {
            add(Fault::ControlByte, k);
          }
        } else if (is_control(c)) {
          add(Fault::ControlByte, k);
        }
        ++k;
      }
      if (fe - fs > options.max_field_bytes) {
        add(Fault::FieldTooLong, fs);
      }
      fields.push_back(in.substr(fs, fe - fs));
      if (at_delimiter) {
        if (fields.size() == columns) {
          add(Fault::TooManyFields, fe);
        }
        continue;
      }
      break;
    }
    const std::string raw = in.substr(record, raw_end - record);
    if (have_header && fields.size() < columns) {
      add(Fault::TooFewFields, raw_end);
    }
    const std::size_t bad = first_invalid_utf8(raw);
    if (bad < raw.size()) {
      add(Fault::InvalidUtf8, record + bad);
    }
    if (!have_header) {
      switch (fault) {
        case Fault::None:
          break;
        case Fault::ControlByte:
          if (in[fault_pos] == '\0') {
            return fail(fault_pos, "not a text CSV file (NUL byte in the header)");
          }
          if (in[fault_pos] == '\r') {
            return fail(fault_pos,
                        "carriage return without a line feed in the header (line ends must be "
                        "LF or CRLF)");
          }
          return fail(fault_pos,
                      fmt::format("not a text CSV file (control byte 0x{:02X} in the header)",
                                  static_cast<unsigned char>(in[fault_pos])));
        case Fault::InvalidUtf8:
          return fail(fault_pos, "not a text CSV file (invalid UTF-8 in the header)");
        case Fault::TextAfterQuote:
          return fail(fault_pos, "text after the closing quote of a header field");
        case Fault::TooManyFields:
          return fail(fault_pos, "more than 65536 columns in the header");
        case Fault::FieldTooLong:
          return fail(fault_pos, "header field longer than " +
                                     std::to_string(options.max_field_bytes) + " bytes");
        case Fault::TooFewFields:
          break;
      }
      out.header = fields;
      out.header_line = line_of(record);
      columns = fields.size();
      have_header = true;
      continue;
    }
    Row row;
    row.line = line_of(record);
    row.fault = fault;
    row.field_count = static_cast<std::uint32_t>(fields.size());
    row.raw = raw;
    row.fault_column =
        fault == Fault::None ? 0 : static_cast<std::uint32_t>(fault_pos - record + 1);
    if (fault == Fault::None) {
      row.fields = fields;
    }
    out.rows.push_back(row);
  }
  if (!have_header) {
    out = ReadResult{};
    out.error = name + ":1:1: empty file";
  }
  return out;
}

/// Inputs that hit the interesting cases often: a few columns, quoted fields with every kind of
/// content, CR/LF mixes, blank lines, a sprinkle of bad bytes, or plain byte soup.
class Generator {
 public:
  explicit Generator(std::uint32_t seed) : rng_(seed) {}

  std::string input(char delimiter) {
    if (chance(15)) {
      return soup(delimiter);
    }
    std::string out;
    if (chance(10)) {
      out += "\xEF\xBB\xBF";
    }
    const int columns = between(1, 4);
    const int rows = between(0, 8);
    for (int r = 0; r <= rows; ++r) {
      if (chance(10)) {
        out += chance(50) ? "\n" : "\r\n";
      }
      int fields = columns;
      if (chance(10)) {
        fields += chance(50) ? 1 : -1;
      }
      fields = std::max(fields, 1);
      for (int f = 0; f < fields; ++f) {
        if (f > 0) {
          out.push_back(delimiter);
        }
        out += field(delimiter);
      }
      if (r < rows || chance(70)) {
        out += chance(60) ? "\n" : "\r\n";
      }
    }
    return out;
  }

  std::size_t max_field() {
    static constexpr std::size_t kChoices[] = {1, 2, 3, 5, 8, 1u << 20, 1u << 20};
    return kChoices[between(0, 6)];
  }

  int between(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }
  bool chance(int percent) { return between(1, 100) <= percent; }

 private:
  std::string plain() {
    static const char* const kPieces[] = {
        "a", "b7", "xyz", "12.5", " ", "\t", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"};
    std::string out;
    const int pieces = between(0, 3);
    for (int i = 0; i < pieces; ++i) {
      out += kPieces[between(0, 8)];
    }
    return out;
  }

  std::string noise(char delimiter) {
    static const char* const kNoise[] = {"\"", "\x01", "\x7F", "\xFF", "\xC3",
                                         "\r", "\r\n", "\n",   "\"\""};
    const int pick = between(0, 10);
    if (pick == 10) {
      return std::string(1, delimiter);
    }
    if (pick == 9) {
      return std::string(1, '\0');
    }
    return kNoise[pick];
  }

  std::string field(char delimiter) {
    std::string out;
    if (chance(35)) {
      out += '"';
      const int pieces = between(0, 4);
      for (int i = 0; i < pieces; ++i) {
        const int kind = between(0, 5);
        if (kind == 0) {
          out += "\"\"";
        } else if (kind == 1) {
          out.push_back(delimiter);
        } else if (kind == 2) {
          out += chance(50) ? "\n" : "\r\n";
        } else {
          out += plain();
        }
      }
      if (!chance(3)) {
        out += '"';
      }
    } else {
      out += plain();
    }
    if (chance(8)) {
      out.insert(static_cast<std::size_t>(between(0, static_cast<int>(out.size()))),
                 noise(delimiter));
    }
    return out;
  }

  std::string soup(char delimiter) {
    static const char kBytes[] = {'a',    'b',    ' ',    '"',    '\n',   '\r',   '\t',   '\x01',
                                  '\x7F', '\xC3', '\xA9', '\xFF', '\xE2', '\x82', '\xAC', '\0'};
    std::string out;
    const int size = between(0, 120);
    for (int i = 0; i < size; ++i) {
      out.push_back(chance(20) ? delimiter : kBytes[between(0, 15)]);
    }
    return out;
  }

  std::mt19937 rng_;
};

TEST(CsvReaderProperty, AnyBlockSizeGivesTheOracleAnswer) {
  Generator generator(20240601);
  static constexpr char kDelimiters[] = {',', ',', ',', ';', '\t'};
  int errors = 0;
  int bad_rows = 0;
  for (int round = 0; round < 3000; ++round) {
    ReaderOptions options;
    options.delimiter = kDelimiters[generator.between(0, 4)];
    options.max_field_bytes = generator.max_field();
    const std::string input = generator.input(options.delimiter);
    const ReadResult expected = oracle(input, options);
    errors += expected.error.empty() ? 0 : 1;
    for (const Row& row : expected.rows) {
      bad_rows += row.fault == Fault::None ? 0 : 1;
    }
    // Block sizes, and records per batch: a batch may end in the middle of a block.
    static constexpr std::size_t kWays[][2] = {{1, 16384},   {2, 16384},      {3, 1},
                                               {7, 16384},   {64, 2},         {65, 16384},
                                               {1 << 16, 1}, {1 << 16, 16384}};
    for (const auto& way : kWays) {
      ReaderOptions variant = with_block(way[0], options);
      variant.batch_records = way[1];
      const ReadResult got = read_bytes(input, variant);
      ASSERT_EQ(got, expected) << "round " << round << ", block " << way[0] << ", batch " << way[1]
                               << ", delimiter " << static_cast<int>(options.delimiter)
                               << ", max field " << options.max_field_bytes << ", input \""
                               << test::escaped(input) << '"';
    }
  }
  // The generator must really reach the bad cases, or the comparison proves little.
  EXPECT_GT(errors, 100);
  EXPECT_GT(bad_rows, 500);
}

TEST(CsvReaderProperty, OkRecordsSurviveWriteThenRead) {
  Generator generator(7);
  for (int round = 0; round < 2000; ++round) {
    ReaderOptions options;
    options.delimiter = generator.chance(80) ? ',' : ';';
    const ReadResult first = read_bytes(generator.input(options.delimiter), options);
    if (!first.error.empty()) {
      continue;
    }
    std::string written;
    std::vector<std::string_view> views(first.header.begin(), first.header.end());
    append_row(written, views, options.delimiter);
    std::vector<std::vector<std::string>> kept;
    for (const Row& row : first.rows) {
      if (row.fault == Fault::None) {
        views.assign(row.fields.begin(), row.fields.end());
        append_row(written, views, options.delimiter);
        kept.push_back(row.fields);
      }
    }
    const ReadResult second = read_bytes(written, with_block(5, options));
    ASSERT_EQ(second.error, "") << test::escaped(written);
    EXPECT_EQ(second.header, first.header);
    ASSERT_EQ(second.rows.size(), kept.size()) << test::escaped(written);
    for (std::size_t r = 0; r < kept.size(); ++r) {
      EXPECT_EQ(second.rows[r].fields, kept[r]) << test::escaped(written);
    }
  }
}

}  // namespace
}  // namespace salespipe::io::csv
