#pragma once

// Helpers shared by the JSON reader tests: read a whole input into owned records, and catch the
// error an input throws.

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/json/reader.hpp"

namespace salespipe::io::json::testing {

/// One value, owned, so it outlives the batch it came from.
struct OwnedValue {
  ValueKind kind = ValueKind::Missing;
  std::string text;
  bool operator==(const OwnedValue&) const = default;
};

/// One record, owned.
struct OwnedRecord {
  std::uint64_t line = 0;
  RecordStatus status = RecordStatus::Ok;
  std::string raw;
  std::string detail;
  std::vector<OwnedValue> values;
  bool operator==(const OwnedRecord&) const = default;
};

inline std::ostream& operator<<(std::ostream& out, const OwnedValue& value) {
  return out << "{kind " << static_cast<int>(value.kind) << ", \"" << value.text << "\"}";
}

inline std::ostream& operator<<(std::ostream& out, const OwnedRecord& record) {
  out << "\n{line " << record.line << ", status " << static_cast<int>(record.status)
      << ", detail \"" << record.detail << "\", raw " << record.raw << ", values";
  for (const auto& value : record.values) {
    out << " " << value;
  }
  return out << "}";
}

/// Everything a reader returned for one input.
struct ReadResult {
  Format format = Format::Array;
  std::vector<OwnedRecord> records;
  std::size_t batches = 0;
  std::size_t largest_batch_bytes = 0;  ///< sum of the raw sizes of the records of one batch
};

/// Copies every record of the reader into owned memory.
inline ReadResult drain(Reader& reader) {
  ReadResult result;
  result.format = reader.format();
  Batch batch;
  while (reader.next_batch(batch)) {
    ++result.batches;
    std::size_t bytes = 0;
    for (std::size_t r = 0; r < batch.size(); ++r) {
      OwnedRecord record;
      record.line = batch.line[r];
      record.status = batch.status[r];
      record.raw = std::string(batch.raw[r]);
      record.detail = batch.detail[r];
      for (std::size_t f = 0; f < batch.fields; ++f) {
        const Value& value = batch.value(r, f);
        record.values.push_back(OwnedValue{value.kind, std::string(value.text)});
      }
      bytes += batch.raw[r].size();
      result.records.push_back(std::move(record));
    }
    result.largest_batch_bytes = std::max(result.largest_batch_bytes, bytes);
  }
  return result;
}

/// Reads bytes in memory as the file "f.json".
inline ReadResult read_bytes(std::string bytes, const ReaderOptions& options) {
  Reader reader = Reader::open_bytes(std::move(bytes), "f.json", options);
  return drain(reader);
}

inline ReaderOptions fields(std::vector<std::string> names, std::size_t window_bytes = 16u << 20) {
  ReaderOptions options;
  options.fields = std::move(names);
  options.window_bytes = window_bytes;
  return options;
}

/// The error reading bytes throws (at open or at any batch), or nullopt when it reads cleanly.
inline std::optional<Error> read_error(std::string bytes, const ReaderOptions& options) {
  try {
    read_bytes(std::move(bytes), options);
  } catch (const Error& error) {
    return error;
  }
  return std::nullopt;
}

/// what() of the error reading bytes throws, or "no error".
inline std::string error_text(std::string bytes, const ReaderOptions& options = {}) {
  const auto error = read_error(std::move(bytes), options);
  return error ? std::string(error->what()) : std::string("no error");
}

}  // namespace salespipe::io::json::testing
