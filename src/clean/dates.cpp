#include "clean/dates.hpp"

#include <algorithm>
#include <cassert>
#include <cstddef>

#include "core/text.hpp"

namespace salespipe::clean {
namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }
bool is_separator(char c) noexcept { return c == '-' || c == '/' || c == '.'; }

/// A run of digits: its value (of the first 9 digits, enough for every accepted part) and its
/// full length, so "020230" is seen as 6 digits and rejected rather than cut.
struct Run {
  std::uint32_t value = 0;
  std::size_t length = 0;
};

Run read_run(std::string_view s, std::size_t& i) noexcept {
  Run run;
  while (i < s.size() && is_digit(s[i])) {
    if (run.length < 9) {
      run.value = run.value * 10 + static_cast<std::uint32_t>(s[i] - '0');
    }
    ++run.length;
    ++i;
  }
  return run;
}

bool is_am_pm(std::string_view t) noexcept {
  if (t.size() != 2) {
    return false;
  }
  const char first = static_cast<char>(t[0] | 0x20);  // ASCII lower-case
  const char second = static_cast<char>(t[1] | 0x20);
  return (first == 'a' || first == 'p') && second == 'm';
}

/// True when t is a time we accept (and then ignore): h:mm or hh:mm[:ss[.fraction]] followed by
/// nothing, by AM/PM (optionally after blanks), or by a zone (Z, +hh, +hhmm, +hh:mm, or '-').
bool is_time(std::string_view t) noexcept {
  std::size_t i = 0;
  const Run hour = read_run(t, i);
  if (hour.length < 1 || hour.length > 2 || i >= t.size() || t[i] != ':') {
    return false;
  }
  ++i;
  const Run minute = read_run(t, i);
  if (minute.length != 2 || minute.value > 59) {
    return false;
  }
  if (i < t.size() && t[i] == ':') {
    ++i;
    const Run second = read_run(t, i);
    if (second.length != 2 || second.value > 60) {  // 60: a leap second
      return false;
    }
    if (i < t.size() && t[i] == '.') {
      ++i;
      const Run fraction = read_run(t, i);
      if (fraction.length < 1 || fraction.length > 9) {
        return false;
      }
    }
  }
  if (i == t.size()) {
    return hour.value <= 23;
  }
  std::size_t j = i;
  while (j < t.size() && is_blank(t[j])) {
    ++j;
  }
  if (is_am_pm(t.substr(j))) {
    return hour.value >= 1 && hour.value <= 12;
  }
  if (j != i || hour.value > 23) {
    return false;
  }
  if (t[i] == 'Z') {
    return i + 1 == t.size();
  }
  if (t[i] != '+' && t[i] != '-') {
    return false;
  }
  ++i;
  const Run zone = read_run(t, i);
  if (zone.length == 4) {
    return i == t.size() && zone.value / 100 <= 23 && zone.value % 100 <= 59;
  }
  if (zone.length != 2 || zone.value > 23) {
    return false;
  }
  if (i == t.size()) {
    return true;
  }
  if (t[i] != ':') {
    return false;
  }
  ++i;
  const Run zone_minute = read_run(t, i);
  return zone_minute.length == 2 && zone_minute.value <= 59 && i == t.size();
}

ParsedDate bad_date(std::string_view problem) noexcept {
  ParsedDate parsed;
  parsed.status = CellStatus::Bad;
  parsed.problem = problem;
  return parsed;
}

ParsedDate unambiguous(Date date, char separator, DateEvidence evidence, bool year_first,
                       bool has_time) noexcept {
  ParsedDate parsed;
  parsed.status = CellStatus::Ok;
  parsed.separator = separator;
  parsed.evidence = evidence;
  parsed.date = date;
  parsed.day_first = date;
  parsed.month_first = date;
  parsed.year_first = year_first;
  parsed.has_time = has_time;
  return parsed;
}

constexpr std::string_view kImpossible = "impossible date";

std::size_t separator_slot(char separator) noexcept {
  switch (separator) {
    case '-':
      return 0;
    case '/':
      return 1;
    case '.':
      return 2;
    default:
      return 3;
  }
}

// Shape names: four layouts times three separators, then yyyymmdd. Indexed by shape_index().
constexpr std::size_t kLayouts = 4;  // year first, day first, month first, undetermined
constexpr std::array<std::string_view, 13> kShapeNames = {
    "yyyy-mm-dd", "yyyy/mm/dd", "yyyy.mm.dd", "dd-mm-yyyy", "dd/mm/yyyy",
    "dd.mm.yyyy", "mm-dd-yyyy", "mm/dd/yyyy", "mm.dd.yyyy", "nn-nn-yyyy",
    "nn/nn/yyyy", "nn.nn.yyyy", "yyyymmdd"};
constexpr std::size_t kCompactShape = kLayouts * 3;

/// Index into kShapeNames, or kShapeNames.size() for Missing and Bad values.
std::size_t shape_index(const ParsedDate& parsed) noexcept {
  if (parsed.status != CellStatus::Ok) {
    return kShapeNames.size();
  }
  if (parsed.separator == 0) {
    return kCompactShape;
  }
  std::size_t layout = 3;
  if (parsed.year_first) {
    layout = 0;
  } else if (parsed.evidence == DateEvidence::DayFirst) {
    layout = 1;
  } else if (parsed.evidence == DateEvidence::MonthFirst) {
    layout = 2;
  }
  return layout * 3 + separator_slot(parsed.separator);
}

}  // namespace

std::optional<DateOrder> parse_date_order(std::string_view text) noexcept {
  if (text == "auto") {
    return DateOrder::Auto;
  }
  if (text == "dmy") {
    return DateOrder::DayFirst;
  }
  if (text == "mdy") {
    return DateOrder::MonthFirst;
  }
  return std::nullopt;
}

ParsedDate parse_date(std::string_view text) noexcept {
  const std::string_view s = trim(text);
  if (s.empty()) {
    ParsedDate parsed;
    parsed.status = CellStatus::Missing;
    parsed.problem = "empty";
    return parsed;
  }
  std::size_t i = 0;
  const Run first = read_run(s, i);
  if (first.length == 0) {
    return bad_date("not a date");
  }
  char separator = 0;
  Run second;
  Run third;
  bool year_first = false;
  if (i < s.size() && is_separator(s[i])) {
    separator = s[i++];
    second = read_run(s, i);
    if (second.length == 0) {
      return bad_date("not a date");
    }
    if (i >= s.size() || s[i] != separator) {
      return bad_date(i < s.size() && is_separator(s[i]) ? "mixed separators" : "not a date");
    }
    ++i;
    third = read_run(s, i);
    const auto day_or_month = [](const Run& run) { return run.length >= 1 && run.length <= 2; };
    if (first.length == 4 && day_or_month(second) && day_or_month(third)) {
      year_first = true;
    } else if (day_or_month(first) && day_or_month(second) && third.length == 4) {
      year_first = false;
    } else if (day_or_month(first) && day_or_month(second) && third.length == 2) {
      return bad_date("two-digit year");
    } else {
      return bad_date("not a date");
    }
  } else if (first.length == 8) {
    year_first = true;
  } else {
    return bad_date("not a date");
  }

  bool has_time = false;
  if (i < s.size()) {
    if (is_blank(s[i])) {
      while (i < s.size() && is_blank(s[i])) {
        ++i;
      }
    } else if (s[i] == 'T' && year_first) {
      ++i;
    } else {
      return bad_date("not a date");
    }
    if (!is_time(s.substr(i))) {
      return bad_date("unrecognised time part");
    }
    has_time = true;
  }

  if (separator == 0) {
    const auto year = static_cast<int>(first.value / 10'000);
    const std::optional<Date> date = make_date(year, first.value / 100 % 100, first.value % 100);
    if (!date) {
      return bad_date(kImpossible);
    }
    return unambiguous(*date, 0, DateEvidence::None, true, has_time);
  }
  if (year_first) {
    const std::optional<Date> date =
        make_date(static_cast<int>(first.value), second.value, third.value);
    if (!date) {
      return bad_date(kImpossible);
    }
    return unambiguous(*date, separator, DateEvidence::None, true, has_time);
  }

  const auto year = static_cast<int>(third.value);
  const std::uint32_t a = first.value;
  const std::uint32_t b = second.value;
  if (a > 12 && b > 12) {
    return bad_date("day and month both above 12");
  }
  if (a > 12 || b > 12) {
    // One reading only: the part above 12 is the day, and it proves the column's order.
    const bool day_first = a > 12;
    const std::optional<Date> date = day_first ? make_date(year, b, a) : make_date(year, a, b);
    if (!date) {
      return bad_date(kImpossible);
    }
    return unambiguous(*date, separator,
                       day_first ? DateEvidence::DayFirst : DateEvidence::MonthFirst, false,
                       has_time);
  }
  if (a == b) {
    const std::optional<Date> date = make_date(year, a, a);
    if (!date) {
      return bad_date(kImpossible);
    }
    return unambiguous(*date, separator, DateEvidence::None, false, has_time);
  }
  // Both parts are 1..12 (or 0), so both readings exist unless a part is 0.
  const std::optional<Date> day_first = make_date(year, b, a);
  const std::optional<Date> month_first = make_date(year, a, b);
  if (!day_first || !month_first) {
    return bad_date(kImpossible);
  }
  ParsedDate parsed;
  parsed.status = CellStatus::Ok;
  parsed.ambiguous = true;
  parsed.separator = separator;
  parsed.day_first = *day_first;
  parsed.month_first = *month_first;
  parsed.has_time = has_time;
  return parsed;
}

std::string_view step_name(ResolutionStep step) noexcept {
  switch (step) {
    case ResolutionStep::Unambiguous:
      return "unambiguous";
    case ResolutionStep::Forced:
      return "forced";
    case ResolutionStep::Range:
      return "range";
    case ResolutionStep::SeparatorMajority:
      return "separator_majority";
    case ResolutionStep::ColumnMajority:
      return "column_majority";
    case ResolutionStep::DefaultMonthFirst:
      return "default_month_first";
  }
  return "unknown";
}

DateResolver::DateResolver(DateOrder order) noexcept : order_(order) {}

void DateResolver::observe(const ParsedDate& parsed) noexcept {
  if (parsed.status != CellStatus::Ok) {
    return;
  }
  if (parsed.ambiguous) {
    ++ambiguous_;
    return;
  }
  ++unambiguous_;
  if (!has_range_) {
    min_ = parsed.date;
    max_ = parsed.date;
    has_range_ = true;
  } else {
    min_ = std::min(min_, parsed.date);
    max_ = std::max(max_, parsed.date);
  }
  EvidenceCounts& counts = by_separator_[separator_slot(parsed.separator)];
  if (parsed.evidence == DateEvidence::DayFirst) {
    ++counts.day_first;
  } else if (parsed.evidence == DateEvidence::MonthFirst) {
    ++counts.month_first;
  }
}

void DateResolver::merge(const DateResolver& other) noexcept {
  if (other.has_range_) {
    min_ = has_range_ ? std::min(min_, other.min_) : other.min_;
    max_ = has_range_ ? std::max(max_, other.max_) : other.max_;
    has_range_ = true;
  }
  for (std::size_t slot = 0; slot < kSeparatorSlots; ++slot) {
    by_separator_[slot].day_first += other.by_separator_[slot].day_first;
    by_separator_[slot].month_first += other.by_separator_[slot].month_first;
  }
  unambiguous_ += other.unambiguous_;
  ambiguous_ += other.ambiguous_;
}

DateResolver::Resolved DateResolver::resolve(const ParsedDate& parsed) const noexcept {
  assert(parsed.status == CellStatus::Ok);
  if (!parsed.ambiguous) {
    return {parsed.date, ResolutionStep::Unambiguous, DateOrder::Auto};
  }
  const auto pick = [&](bool day_first, ResolutionStep step) -> Resolved {
    return day_first ? Resolved{parsed.day_first, step, DateOrder::DayFirst}
                     : Resolved{parsed.month_first, step, DateOrder::MonthFirst};
  };
  // Step 1: the user's order.
  if (order_ != DateOrder::Auto) {
    return pick(order_ == DateOrder::DayFirst, ResolutionStep::Forced);
  }
  // Step 2: exactly one reading inside the range of the unambiguous dates.
  if (has_range_) {
    const bool day_first_inside = min_ <= parsed.day_first && parsed.day_first <= max_;
    const bool month_first_inside = min_ <= parsed.month_first && parsed.month_first <= max_;
    if (day_first_inside != month_first_inside) {
      return pick(day_first_inside, ResolutionStep::Range);
    }
  }
  // Step 3: evidence of the same separator, then of the whole column, then month-first.
  const EvidenceCounts local = evidence(parsed.separator);
  if (local.day_first != local.month_first) {
    return pick(local.day_first > local.month_first, ResolutionStep::SeparatorMajority);
  }
  const EvidenceCounts column = evidence();
  if (column.day_first != column.month_first) {
    return pick(column.day_first > column.month_first, ResolutionStep::ColumnMajority);
  }
  return pick(false, ResolutionStep::DefaultMonthFirst);
}

std::optional<Date> DateResolver::min_unambiguous() const noexcept {
  return has_range_ ? std::optional<Date>(min_) : std::nullopt;
}

std::optional<Date> DateResolver::max_unambiguous() const noexcept {
  return has_range_ ? std::optional<Date>(max_) : std::nullopt;
}

EvidenceCounts DateResolver::evidence(char separator) const noexcept {
  return by_separator_[separator_slot(separator)];
}

EvidenceCounts DateResolver::evidence() const noexcept {
  EvidenceCounts total;
  for (const EvidenceCounts& counts : by_separator_) {
    total.day_first += counts.day_first;
    total.month_first += counts.month_first;
  }
  return total;
}

std::string_view shape_name(const ParsedDate& parsed) noexcept {
  const std::size_t index = shape_index(parsed);
  return index < kShapeNames.size() ? kShapeNames[index] : std::string_view{};
}

void DateShapeCounts::add(const ParsedDate& parsed) noexcept {
  static_assert(kShapeCount == kShapeNames.size());
  if (parsed.status == CellStatus::Missing) {
    ++missing_;
  } else if (parsed.status != CellStatus::Ok) {
    ++bad_;
  } else {
    ++counts_[shape_index(parsed)];
  }
}

std::vector<std::pair<std::string_view, std::uint64_t>> DateShapeCounts::shapes() const {
  std::vector<std::pair<std::string_view, std::uint64_t>> found;
  for (std::size_t index = 0; index < kShapeCount; ++index) {
    if (counts_[index] > 0) {
      found.emplace_back(kShapeNames[index], counts_[index]);
    }
  }
  std::sort(found.begin(), found.end(), [](const auto& x, const auto& y) {
    return x.second != y.second ? x.second > y.second : x.first < y.first;
  });
  return found;
}

std::uint64_t DateShapeCounts::count(std::string_view shape) const noexcept {
  for (std::size_t index = 0; index < kShapeCount; ++index) {
    if (kShapeNames[index] == shape) {
      return counts_[index];
    }
  }
  return 0;
}

}  // namespace salespipe::clean
