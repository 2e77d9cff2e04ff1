#pragma once

// Cell-level cleaning rules of DESIGN.md section 3 for prices, quantities, sentiment scores and
// identifiers. Every parser here is pure, noexcept and allocation-free: it runs once per cell on
// the hot path (10M rows). A value is never rounded, clamped or guessed: what cannot be read
// exactly is Bad, and the caller turns the status into a reason code.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/money.hpp"

namespace salespipe::clean {

/// The outcome of reading one cell. Each field maps it to its own reason code (section 3):
/// Missing -> missing_*, Bad -> bad_*, NonPositive -> nonpositive_price,
/// OutOfRange -> sentiment_out_of_range.
enum class CellStatus : std::uint8_t { Ok, Missing, Bad, NonPositive, OutOfRange };

/// The name of a status as it appears in messages and tests ("ok", "missing", "bad",
/// "nonpositive", "out_of_range").
std::string_view status_name(CellStatus status) noexcept;

/// A price cell read.
struct PriceResult {
  CellStatus status = CellStatus::Missing;
  /// The amount when Ok; the (zero or negative) amount when NonPositive; zero otherwise.
  Money value;
  /// What was wrong, for the reject message (a static string, empty when Ok).
  std::string_view problem;
};

/// Reads a price. Accepted, with spaces and tabs around any part:
///  - a number: digits, optionally grouped by thousands commas in valid groups (the first group
///    1-3 digits not starting with 0, every further group exactly 3 digits: "1,234,567.5"), then
///    optionally '.' and 1 to 4 decimals ("150", "150.5", "1,234.50");
///  - at most one currency marker, before or after the number: '$', '€', '£', or the code USD,
///    EUR or GBP in any letter case ("$150.00", "€12", "USD 12", "12.00 EUR", "12 €");
///  - at most one sign, '-' or '+', directly before the digits ("-5", "$-5", "$ -5") or directly
///    before a leading currency marker ("-$5").
/// Returns Missing for an empty or blank cell. Returns Bad for anything else, in particular a
/// decimal comma ("12,5", "1.234,50"), a comma group that is not exactly 3 digits ("1,23,456"), a
/// first group starting with 0 ("0,150" reads as a decimal comma in Europe), more than 4
/// decimals (even zeros: "1.00000"), ".5" or "5." (a digit is required on both sides of the
/// point), a sign in the wrong place ("5-", "--5", "- 5"), two currency markers, an unknown
/// currency, or an amount whose magnitude does not fit int64 1/10000 units (above
/// 922337203685477.5807). Returns NonPositive for zero or a negative amount ("-5", "$-5",
/// "0.00", "-0"). Never rounds.
PriceResult parse_price(std::string_view text) noexcept;

/// A quantity cell read.
struct QuantityResult {
  CellStatus status = CellStatus::Missing;
  std::int64_t value = 0;  ///< the quantity when Ok, zero otherwise
  std::string_view problem;
};

/// Reads a quantity: digits, optionally followed by '.' and zeros only ("3", " 3 ", "3.0",
/// "3.00", "007"). Returns Missing for an empty or blank cell (the caller applies the default),
/// Bad for a fraction ("3.5"), a sign ("-2", "+3"), zero ("0", "0.0"), a thousands separator
/// ("1,000"), anything non-numeric, or a value above INT64_MAX.
QuantityResult parse_quantity(std::string_view text) noexcept;

/// A sentiment cell read.
struct SentimentResult {
  CellStatus status = CellStatus::Bad;
  /// The number when Ok or OutOfRange (+-infinity for a value too large for a double), 0 when
  /// Bad.
  double value = 0.0;
  std::string_view problem;
};

/// Reads a sentiment score from a JSON number token or from the content of a JSON string,
/// trimmed of spaces and tabs ("4.5", " 4 "). The number must follow the JSON number grammar
/// (-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?), so "+4", "04", ".5", "4." and "0x10" are
/// Bad, as are "", "four", "4.5.1" and "nan". "inf", "infinity" (any case, optionally after a
/// minus) and numbers beyond the range of a double are OutOfRange. A number that underflows a
/// double (1e-400) reads as zero. Returns Ok when min <= value <= max, OutOfRange otherwise. The
/// caller maps JSON true/false/array/object to Bad and null or an absent key to Missing.
SentimentResult parse_sentiment(std::string_view number_text, double min = 1.0,
                                double max = 5.0) noexcept;

/// What normalize_id repaired; each repair is counted in the run report (section 3).
struct IdRepair {
  bool trimmed = false;
  bool upper_cased = false;
};

/// Writes the identifier trimmed of spaces and tabs and ASCII upper-cased into out (replacing
/// its content; reuse one string across rows to avoid allocating). Bytes outside a-z, including
/// UTF-8 sequences, are copied unchanged. An empty out means the id is missing. Returns what
/// was repaired. Throws only std::bad_alloc.
IdRepair normalize_id(std::string_view text, std::string& out);

}  // namespace salespipe::clean
