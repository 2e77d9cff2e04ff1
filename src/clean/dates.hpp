#pragma once

// Dates of DESIGN.md section 3: reading one cell (parse_date), resolving day-first/month-first
// ambiguity over a whole column (DateResolver) and naming the shapes found (for `profile`).
//
// Accepted shapes, with '-', '/' or '.' as separator (the same one twice):
//   yyyy-mm-dd  (year first is always year-month-day)
//   dd-mm-yyyy, mm-dd-yyyy
//   yyyymmdd    (exactly 8 digits, year first)
// Day and month take 1 or 2 digits (1-9-2023, 2023-1-9); the year takes exactly 4. '.' is
// accepted because European exports write dd.mm.yyyy; it is read exactly like '-' and '/' (no
// order is assumed from it: "03.04.2023" is ambiguous like "03-04-2023").
// An optional time part follows the date and is ignored, date as written (a UTC offset does not
// move it to another day): one or more spaces, or a 'T' after a year-first date, then
// h:mm or hh:mm[:ss[.fraction]], then either " AM"/" PM"/"am"/"pm" (hour 1-12) or a zone
// ('Z', +hh, +hhmm, +hh:mm, or with '-'). Anything else is Bad: two-digit years, month names,
// mixed separators (2023-01/15), other time texts, trailing text.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "clean/values.hpp"
#include "core/date.hpp"

namespace salespipe::clean {

/// How ambiguous dates are read: `--date-order auto|dmy|mdy`.
enum class DateOrder : std::uint8_t { Auto, DayFirst, MonthFirst };

/// The order "auto", "dmy" or "mdy" names (exactly these spellings), nullopt otherwise.
std::optional<DateOrder> parse_date_order(std::string_view text) noexcept;

/// Which order an unambiguous value proves: DayFirst or MonthFirst when one of its two leading
/// parts is above 12. Year-first values, yyyymmdd and day == month prove none.
enum class DateEvidence : std::uint8_t { None, DayFirst, MonthFirst };

/// One date cell read.
struct ParsedDate {
  CellStatus status = CellStatus::Missing;  ///< Ok, Missing (empty or blank) or Bad
  /// True when both leading parts are 1..12 and differ: two valid readings, resolve() picks one.
  bool ambiguous = false;
  char separator = 0;  ///< '-', '/', '.', or 0 for yyyymmdd (and when not Ok)
  DateEvidence evidence = DateEvidence::None;
  /// The date when Ok and unambiguous; unspecified (1970-01-01) when ambiguous.
  Date date{};
  /// The two readings when ambiguous; both equal `date` when Ok and unambiguous.
  Date day_first{};
  Date month_first{};
  bool year_first = false;  ///< yyyy-mm-dd or yyyymmdd
  bool has_time = false;    ///< a time part followed the date
  /// What was wrong, for the reject message (a static string, empty when Ok).
  std::string_view problem;
};

/// An Ok date cell kept until its column's evidence is complete, in 8 bytes instead of a
/// ParsedDate's 36: a column keeps one per loaded row. The two readings are equal exactly when
/// the value is unambiguous; the separator rides in the low two bits of the second.
class PendingDate {
 public:
  static PendingDate of(const ParsedDate& parsed) noexcept {
    const Date day_first = parsed.ambiguous ? parsed.day_first : parsed.date;
    const Date month_first = parsed.ambiguous ? parsed.month_first : parsed.date;
    return PendingDate(
        day_first.time_since_epoch().count(),
        month_first.time_since_epoch().count() * 4 + separator_code(parsed.separator));
  }
  /// The ParsedDate that DateResolver::resolve() needs (status Ok).
  ParsedDate parsed() const noexcept {
    ParsedDate value;
    value.status = CellStatus::Ok;
    value.day_first = Date(Date::duration(day_first_));
    value.month_first = Date(Date::duration(month_first_and_separator_ >> 2));
    value.ambiguous = value.day_first != value.month_first;
    value.date = value.day_first;
    value.separator = kSeparators[month_first_and_separator_ & 3];
    return value;
  }

 private:
  static constexpr char kSeparators[4] = {0, '-', '/', '.'};
  static constexpr std::int32_t separator_code(char separator) noexcept {
    return separator == '-' ? 1 : separator == '/' ? 2 : separator == '.' ? 3 : 0;
  }
  PendingDate(std::int32_t day_first, std::int32_t month_first_and_separator) noexcept
      : day_first_(day_first), month_first_and_separator_(month_first_and_separator) {}

  std::int32_t day_first_;
  std::int32_t month_first_and_separator_;  ///< month-first reading * 4 + separator code
};

/// Reads a date cell in any of the shapes above, after trimming spaces and tabs. Returns
/// Missing for an empty or blank cell, Bad for any other shape and for impossible dates
/// (2023-02-30, month 13, day 0, 31-04-2023, both leading parts above 12, year 0000).
ParsedDate parse_date(std::string_view text) noexcept;

/// The step of DESIGN.md section 3 that gave a value its date, counted per run.
enum class ResolutionStep : std::uint8_t {
  Unambiguous,        ///< the value needed no resolution
  Forced,             ///< step 1: --date-order dmy|mdy
  Range,              ///< step 2: the one reading inside the column's unambiguous range
  SeparatorMajority,  ///< step 3a: more evidence for one order among values with its separator
  ColumnMajority,     ///< step 3b: more evidence for one order in the whole column
  DefaultMonthFirst,  ///< step 3c: no evidence either way
};
inline constexpr std::size_t kResolutionStepCount = 6;

/// The snake_case name of a step for the data-quality report: "unambiguous", "forced", "range",
/// "separator_majority", "column_majority", "default_month_first".
std::string_view step_name(ResolutionStep step) noexcept;

/// Evidence counts: unambiguous values proving each order.
struct EvidenceCounts {
  std::uint64_t day_first = 0;
  std::uint64_t month_first = 0;
  friend constexpr bool operator==(EvidenceCounts, EvidenceCounts) = default;
};

/// Resolves the ambiguous dates of one column. Two passes: observe() every row of the file
/// first (whatever else is wrong with the row, so the evidence does not depend on other
/// columns), then resolve() each value. Ambiguous values are read by, in this order:
///  1. the forced order, when the resolver was built with DayFirst or MonthFirst;
///  2. else the one reading inside [min, max] of the column's unambiguous dates (all separators),
///     when exactly one of the two readings is inside (none inside, both inside, or no
///     unambiguous date at all: go on);
///  3. else the order with more evidence among values with the same separator, then among all
///     values of the column, then month-first.
/// Separator evidence never overrides step 2. Only unambiguous values feed the range and the
/// evidence; resolved values never do, so the result does not depend on row order.
class DateResolver {
 public:
  explicit DateResolver(DateOrder order = DateOrder::Auto) noexcept;

  /// Takes one value's evidence into account; Missing and Bad values are ignored.
  void observe(const ParsedDate& parsed) noexcept;
  /// Adds the observations of another resolver of the same column (a chunk parsed by another
  /// thread), as if every value it observed had been observed here.
  void merge(const DateResolver& other) noexcept;

  struct Resolved {
    Date date;
    ResolutionStep step;
    /// The reading taken: DayFirst or MonthFirst for an ambiguous value, Auto otherwise.
    DateOrder order;
  };
  /// The date of a value and the step that decided it. Precondition: parsed.status is Ok (an
  /// assert in debug builds; otherwise parsed.date is returned as Unambiguous).
  Resolved resolve(const ParsedDate& parsed) const noexcept;

  DateOrder order() const noexcept { return order_; }
  /// Earliest and latest unambiguous date observed, nullopt when there is none.
  std::optional<Date> min_unambiguous() const noexcept;
  std::optional<Date> max_unambiguous() const noexcept;
  /// Evidence among values with this separator ('-', '/', '.'; 0 for yyyymmdd is always zero).
  EvidenceCounts evidence(char separator) const noexcept;
  /// Evidence over the whole column.
  EvidenceCounts evidence() const noexcept;
  std::uint64_t unambiguous_count() const noexcept { return unambiguous_; }
  std::uint64_t ambiguous_count() const noexcept { return ambiguous_; }

 private:
  static constexpr std::size_t kSeparatorSlots = 4;  // '-', '/', '.', none

  DateOrder order_;
  bool has_range_ = false;
  Date min_{};
  Date max_{};
  std::array<EvidenceCounts, kSeparatorSlots> by_separator_{};
  std::uint64_t unambiguous_ = 0;
  std::uint64_t ambiguous_ = 0;
};

/// The layout of a date cell as the profile command names it, with the value's own separator:
/// "yyyy-mm-dd", "yyyymmdd", "dd/mm/yyyy" (a day above 12 proves day-first), "mm.dd.yyyy" (a day
/// above 12 in second place proves month-first), "nn-nn-yyyy" (day-first or month-first not
/// known from the value alone: ambiguous, or day equal to month). Padding and a time part do not
/// change the name. Returns "" for Missing and Bad values.
std::string_view shape_name(const ParsedDate& parsed) noexcept;

/// Counts the shapes of one column's date cells, for the profile command.
class DateShapeCounts {
 public:
  /// Counts one value under shape_name(parsed), or as missing or bad.
  void add(const ParsedDate& parsed) noexcept;
  /// Every shape seen at least once with its count, most frequent first, then by name.
  std::vector<std::pair<std::string_view, std::uint64_t>> shapes() const;
  std::uint64_t count(std::string_view shape) const noexcept;
  std::uint64_t missing() const noexcept { return missing_; }
  std::uint64_t bad() const noexcept { return bad_; }

 private:
  static constexpr std::size_t kShapeCount = 13;
  std::array<std::uint64_t, kShapeCount> counts_{};
  std::uint64_t missing_ = 0;
  std::uint64_t bad_ = 0;
};

}  // namespace salespipe::clean
