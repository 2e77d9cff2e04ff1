#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/date.hpp"
#include "core/error.hpp"
#include "core/tables.hpp"

namespace salespipe::analyze {

/// The forms of `--period` (DESIGN.md section 5).
enum class PeriodKind {
  LatestQuarter,  ///< only in a PeriodSpec: resolved against the data to a Quarter
  Quarter,
  Year,
  Range,
  All,
};

/// A period as written, before it is resolved against the loaded sales. Parsing it alone lets the
/// command line refuse a bad `--period` before any input is read.
struct PeriodSpec {
  PeriodKind kind = PeriodKind::LatestQuarter;
  int year = 0;          ///< Quarter and Year
  unsigned quarter = 0;  ///< Quarter: 1 to 4
  Date first{};          ///< Range
  Date last{};           ///< Range, inclusive
};

/// A resolved analysis period: every sale dated first..last (inclusive) belongs to it.
struct Period {
  PeriodKind kind = PeriodKind::All;  ///< never LatestQuarter
  Date first{};
  Date last{};
  std::string label;  ///< "2023 Q1", "2023", "2023-01-01..2023-02-15" or "all time"
  /// The latest loaded sale date when the loaded sales end inside the period (before its last
  /// day), so the period is partial; absent otherwise.
  std::optional<Date> data_until;

  bool is_partial() const noexcept { return data_until.has_value(); }
  bool contains(Date date) const noexcept { return first <= date && date <= last; }
  /// Days in the period, first and last included.
  long days() const noexcept { return (last - first).count() + 1; }
};

/// The forms `--period` accepts, for hints in messages and in `--help`.
inline constexpr std::string_view kPeriodForms =
    "latest-quarter (the default; alias last-quarter), YYYYQn such as 2023Q1, YYYY such as 2023, "
    "YYYY-MM-DD..YYYY-MM-DD (both days included) or all";

/// The period written in text (surrounding spaces ignored, letters in any case). Throws
/// Error{Usage} naming the text, what is wrong with it and the accepted forms.
PeriodSpec parse_period_spec(std::string_view text);

/// The period of spec over the loaded sales: latest-quarter becomes the calendar quarter holding
/// the latest sale date, all becomes the first..last sale date; data_until is set when the period
/// is partial. Throws Error{Input} when no loaded sale is dated in the period (the message names
/// the period and the data's date range).
Period resolve_period(const PeriodSpec& spec, const SalesTable& sales);

/// resolve_period(parse_period_spec(text), sales). Throws Error{Usage} for bad text and
/// Error{Input} for a period without loaded sales.
Period parse_period(std::string_view text, const SalesTable& sales);

/// The period before: the previous quarter or year, or for a range the same number of days
/// immediately before it. Absent for all time, and when it would start before year 1.
std::optional<Period> previous_period(const Period& period);

/// The label, followed by " (partial: data up to 2023-03-20)" when the period is partial.
std::string describe(const Period& period);

/// The calendar quarter (1 to 4) of year, labelled "2023 Q1". Throws Error{Usage} for a quarter
/// outside 1..4 or a year outside 1..9999.
Period quarter_period(int year, unsigned quarter);
/// The calendar year, labelled "2023". Throws Error{Usage} for a year outside 1..9999.
Period year_period(int year);
/// The days first..last, labelled "2023-01-01..2023-02-15". Throws Error{Usage} when last is
/// before first.
Period range_period(Date first, Date last);

/// The first and last loaded sale date.
struct SaleDateRange {
  Date first{};
  Date last{};
};
/// The dates of the earliest and latest loaded sale; absent for an empty table.
std::optional<SaleDateRange> sale_date_range(const SalesTable& sales) noexcept;

/// The Error{Input} for a period without loaded sales: "no loaded sales in 2024 Q1
/// (2024-01-01..2024-03-31); the loaded sales run from 2023-01-01 to 2023-03-31" (data absent: the
/// table is empty).
Error no_sales_error(const Period& period, const std::optional<SaleDateRange>& data);

/// Throws Error{Input} when no loaded sale is dated in period: "no loaded sales in 2024 Q1
/// (2024-01-01..2024-03-31); the loaded sales run from 2023-01-01 to 2023-03-31".
void require_sales_in(const Period& period, const SalesTable& sales);

}  // namespace salespipe::analyze
