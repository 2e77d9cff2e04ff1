#pragma once

// Helpers shared by the CSV reader tests: read a whole input into plain values that compare and
// print well.

#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "io/csv/reader.hpp"

namespace salespipe::io::csv::test {

/// Bytes with everything that is not printable ASCII escaped, for failure messages.
inline std::string escaped(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (byte < 0x20 || byte >= 0x7F) {
      out += "\\x";
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 15]);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

/// One record as plain values.
struct Row {
  std::uint64_t line = 0;
  Fault fault = Fault::None;
  std::uint32_t field_count = 0;
  std::string raw;
  std::uint32_t fault_column = 0;
  std::vector<std::string> fields;  ///< empty unless the record is Ok

  bool operator==(const Row&) const = default;
};

inline void PrintTo(const Row& row, std::ostream* out) {
  *out << "{line " << row.line << ", fault " << static_cast<int>(row.fault) << " at "
       << row.fault_column << ", " << row.field_count << " fields, raw \"" << escaped(row.raw)
       << "\", [";
  for (std::size_t i = 0; i < row.fields.size(); ++i) {
    *out << (i > 0 ? ", " : "") << '"' << escaped(row.fields[i]) << '"';
  }
  *out << "]}";
}

/// Everything a reader produced from one input, or the message it threw.
struct ReadResult {
  std::string error;  ///< what() of the Error thrown, empty when none
  std::vector<std::string> header;
  std::uint64_t header_line = 0;
  std::vector<Row> rows;
  std::uint64_t blank_lines = 0;

  bool operator==(const ReadResult&) const = default;
};

inline void PrintTo(const ReadResult& result, std::ostream* out) {
  *out << "\n  error: " << escaped(result.error) << "\n  header (line " << result.header_line
       << "):";
  for (const auto& name : result.header) {
    *out << " \"" << escaped(name) << '"';
  }
  *out << "\n  blank lines: " << result.blank_lines << '\n';
  for (const auto& row : result.rows) {
    *out << "  ";
    PrintTo(row, out);
    *out << '\n';
  }
}

/// Drains a reader, checking the batch invariants on the way.
inline void drain(Reader& reader, ReadResult& result) {
  result.header = reader.header();
  result.header_line = reader.header_line();
  Batch batch;
  while (reader.next_batch(batch)) {
    EXPECT_GT(batch.size(), 0u);
    EXPECT_EQ(batch.columns, reader.header().size());
    EXPECT_EQ(batch.fields.size(), batch.size() * batch.columns);
    EXPECT_EQ(batch.status.size(), batch.size());
    EXPECT_EQ(batch.fault.size(), batch.size());
    EXPECT_EQ(batch.field_count.size(), batch.size());
    EXPECT_EQ(batch.raw.size(), batch.size());
    EXPECT_EQ(batch.fault_column.size(), batch.size());
    for (std::size_t r = 0; r < batch.size(); ++r) {
      Row row;
      row.line = batch.line[r];
      row.fault = batch.fault[r];
      EXPECT_EQ(batch.status[r], status_of(batch.fault[r]));
      row.field_count = batch.field_count[r];
      row.raw = std::string(batch.raw[r]);
      row.fault_column = batch.fault_column[r];
      for (std::size_t c = 0; c < batch.columns; ++c) {
        if (batch.status[r] == RecordStatus::Ok) {
          row.fields.emplace_back(batch.field(r, c));
        } else {
          EXPECT_TRUE(batch.field(r, c).empty());
        }
      }
      result.rows.push_back(std::move(row));
    }
  }
  result.blank_lines = reader.blank_lines();
}

/// Reads bytes held in memory with the given options.
inline ReadResult read_bytes(const std::string& bytes, const ReaderOptions& options = {},
                             const std::string& name = "in.csv") {
  ReadResult result;
  try {
    Reader reader = Reader::from_bytes(bytes, name, options);
    drain(reader, result);
  } catch (const Error& error) {
    // What came before the error depends on the block size; only the error is compared.
    result = ReadResult{};
    result.error = error.what();
  }
  return result;
}

/// Reads with a tiny block size so that records cross block boundaries.
inline ReaderOptions with_block(std::size_t block_bytes, ReaderOptions options = {}) {
  options.block_bytes = block_bytes;
  return options;
}

}  // namespace salespipe::io::csv::test
