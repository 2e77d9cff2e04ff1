#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace salespipe::pipeline {

/// What `salespipe profile FILE` finds in one column (or JSON key) of a raw input.
struct ColumnProfile {
  std::string name;          ///< as written in the input
  std::string canonical;     ///< canonical_name(name)
  std::string guessed_type;  ///< "integer", "price", "number", "date", "id", "text" or "empty"
  std::uint64_t present = 0;
  std::uint64_t missing = 0;   ///< empty, blank, null or absent
  std::uint64_t distinct = 0;  ///< exact up to kDistinctCap, then the cap
  bool distinct_capped = false;
  std::uint64_t fitting = 0;              ///< present values that read as guessed_type
  std::vector<std::string> bad_examples;  ///< "line N: value" of values that do not fit
  /// For date columns: shapes found ("dd-mm-yyyy", "nn/nn/yyyy" for ambiguous, ...) with counts.
  std::vector<std::pair<std::string, std::uint64_t>> date_shapes;
  /// For date columns: order evidence per separator ("-", "/", ".", "all").
  struct Evidence {
    std::string separator;
    std::uint64_t day_first = 0;
    std::uint64_t month_first = 0;
  };
  std::vector<Evidence> date_evidence;
  /// For JSON keys: how many values of each JSON kind ("string", "number", ...).
  std::vector<std::pair<std::string, std::uint64_t>> json_kinds;
};

struct FileProfile {
  std::string file;
  std::string format;  ///< "csv", "json array" or "ndjson"
  std::uint64_t size = 0;
  std::uint64_t records = 0;
  std::uint64_t blank_lines = 0;
  std::uint64_t unreadable_records = 0;  ///< wrong shape, bad encoding, not an object, ...
  std::vector<std::string> unreadable_examples;
  std::vector<ColumnProfile> columns;
};

inline constexpr std::uint64_t kDistinctCap = 1'000'000;

/// Reads a raw sales CSV or feedback JSON (by its first non-blank byte: '[' or '{' is JSON) and
/// profiles every column. Writes nothing. Throws Error{Input} for a fatal input as `etl` would.
FileProfile profile_file(const std::filesystem::path& path);

/// The profile for people (one block per column) and for scripts.
std::string profile_text(const FileProfile& profile);
std::string profile_json(const FileProfile& profile);

}  // namespace salespipe::pipeline
