#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace salespipe {

/// Why a record went to the rejects (DESIGN.md sections 3 and 11.2). The names are part of the
/// output contract: rejects.csv spells them exactly as reason_name() returns them.
enum class Reason : std::uint8_t {
  MissingSaleId,
  MissingProductId,
  MissingCustomerId,
  MissingPrice,
  BadPrice,
  NonpositivePrice,
  BadQuantity,
  MissingDate,
  BadDate,
  MissingSentiment,
  BadSentiment,
  SentimentOutOfRange,
  DuplicateSaleId,
  BadRowShape,
  BadEncoding,
  FieldTooLong,
  DuplicateKey,
  NotAnObject,
};

inline constexpr std::size_t kReasonCount = static_cast<std::size_t>(Reason::NotAnObject) + 1;

/// The snake_case code of a reason, e.g. "bad_price".
std::string_view reason_name(Reason reason) noexcept;
/// The reason with that code, nullopt for an unknown code.
std::optional<Reason> reason_from_name(std::string_view name) noexcept;

/// A view of a copy of name that lives as long as the process. Rejects name their input file
/// this way: millions of rejects share a handful of names, and a view of a lasting copy can
/// never dangle. Thread-safe.
std::string_view lasting_name(std::string_view name);

/// One rejected record: a line of rejects.csv.
struct Reject {
  /// Input file name as given on the command line: a string literal or a lasting_name().
  std::string_view source;
  std::uint64_t line = 0;  ///< 1-based physical line where the record starts
  /// Canonical field name, or "*" for the whole record: always a name with static storage.
  std::string_view column;
  std::string raw_value;  ///< the offending text, valid UTF-8, cut at 1024 bytes
  Reason reason{};
  std::string message;  ///< what was wrong, with further faults of the same record
};

/// The order of rejects.csv: by source, then line.
inline bool rejects_file_order(const Reject& a, const Reject& b) noexcept {
  return a.source != b.source ? a.source < b.source : a.line < b.line;
}

}  // namespace salespipe
