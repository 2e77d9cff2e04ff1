#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/date.hpp"
#include "core/money.hpp"

// Pure helpers of the XLSX writer: how values become Excel cell values and how wide they show.
// They touch no file, so they are tested on their own.
namespace salespipe::io::xlsx {

/// The Excel serial number (1900 date system) of a date: 1900-01-01 is 1, 1900-03-01 is 61 (Excel
/// counts a 1900-02-29 that never existed), 1970-01-01 is 25569. nullopt before 1900-01-01,
/// where Excel has no dates; the writer then stores the ISO text instead.
std::optional<double> excel_serial(Date date) noexcept;

/// The money amount as the double stored in the cell: the double nearest to units / 10000, so
/// that an amount with at most 15 significant digits reads back exactly ("150.05", not
/// "150.05000000000001").
double money_value(Money amount) noexcept;

/// How many characters `amount` takes in the currency format "$#,##0.00":
/// Money{-12'345'678'900} shows as "-$1,234,567.89", 14 characters.
std::size_t money_display_width(Money amount) noexcept;

/// How many characters an integer takes in Excel's General format (digits and a minus sign).
std::size_t integer_display_width(std::int64_t value) noexcept;

/// How many characters a double takes in Excel's General format: its shortest round-trip form,
/// capped at 11, the most a General cell shows before it rounds.
std::size_t decimal_display_width(double value) noexcept;

/// How many characters text shows as: its UTF-8 code points (continuation bytes not counted).
std::size_t text_display_width(std::string_view text) noexcept;

/// The widest a column is made, in characters; longer values are cut off on screen only.
inline constexpr std::size_t kMaxColumnChars = 60;

/// The Excel column width for a column whose header has header_chars characters and whose widest
/// value has value_chars: room for the bold header and its autofilter button, capped at
/// kMaxColumnChars.
double column_width(std::size_t header_chars, std::size_t value_chars) noexcept;

/// What a formatted Summary cell holds, so numbers are stored as numbers.
enum class SummaryKind {
  Blank,    ///< empty text: no cell
  Text,     ///< anything else, stored as a string (never a formula)
  Number,   ///< a plain decimal: "12", "-3.45"
  Money,    ///< a dollar amount: "$1,234.50", "-$3.00"
  Percent,  ///< a percentage: "35.2%" (value 0.352)
};

/// A parsed Summary cell: kind and, for the numeric kinds, the value stored and the number of
/// digits the text had after its decimal point (so "-12.50" can keep showing two).
struct SummaryCell {
  SummaryKind kind = SummaryKind::Blank;
  double value = 0.0;
  int decimals = 0;
};

/// Reads one formatted Summary value. Numbers are accepted only in the exact shapes above (an
/// optional leading '-', digits, at most one '.', thousands commas only after a '$' and only in
/// groups of three), with at most 15 significant digits so the double holds them exactly;
/// everything else ("new", "P001", "1e5", "+3", "0012345678901234567") is Text.
SummaryCell parse_summary_cell(std::string_view text) noexcept;

}  // namespace salespipe::io::xlsx
