// Fuzzes parse_date and DateResolver and checks their contracts; a violated contract aborts so
// libFuzzer and the replay report it. The input is also split at newlines into a column that
// goes through the resolver.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "clean/dates.hpp"
#include "core/date.hpp"

namespace {

using salespipe::Date;
using salespipe::clean::CellStatus;
using salespipe::clean::DateEvidence;
using salespipe::clean::DateOrder;
using salespipe::clean::DateResolver;
using salespipe::clean::ParsedDate;
using salespipe::clean::ResolutionStep;

[[noreturn]] void fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "date_fuzz: %s for input of %zu bytes\n", what, input.size());
  std::abort();
}

void check(bool condition, const char* what, std::string_view input) {
  if (!condition) {
    fail(what, input);
  }
}

/// The date written in the value's own layout, zero-padded: it must read back the same day.
std::string reformat(const ParsedDate& parsed, Date date, bool day_first) {
  const std::chrono::year_month_day ymd{date};
  const auto two = [](unsigned value) {
    return std::string{static_cast<char>('0' + value / 10), static_cast<char>('0' + value % 10)};
  };
  const std::string year = salespipe::format_date(date).substr(0, 4);
  const std::string month = two(static_cast<unsigned>(ymd.month()));
  const std::string day = two(static_cast<unsigned>(ymd.day()));
  const char sep = parsed.separator;
  if (sep == 0) {
    return year + month + day;
  }
  if (parsed.year_first) {
    return year + sep + month + sep + day;
  }
  return day_first ? day + sep + month + sep + year : month + sep + day + sep + year;
}

void check_one(std::string_view text) {
  const ParsedDate parsed = salespipe::clean::parse_date(text);
  const bool blank = text.find_first_not_of(" \t") == std::string_view::npos;
  check((parsed.status == CellStatus::Missing) == blank, "Missing iff blank", text);
  check(parsed.status == CellStatus::Ok || parsed.status == CellStatus::Missing ||
            parsed.status == CellStatus::Bad,
        "date status", text);
  if (parsed.status != CellStatus::Ok) {
    check(!parsed.problem.empty(), "rejected date without a problem", text);
    check(salespipe::clean::shape_name(parsed).empty(), "shape of a rejected date", text);
    return;
  }
  check(parsed.problem.empty(), "Ok date with a problem", text);
  check(!salespipe::clean::shape_name(parsed).empty(), "Ok date without a shape", text);
  check(parsed.separator == 0 || parsed.separator == '-' || parsed.separator == '/' ||
            parsed.separator == '.',
        "separator", text);
  if (parsed.ambiguous) {
    check(!parsed.year_first && parsed.evidence == DateEvidence::None, "ambiguous shape", text);
    check(parsed.day_first != parsed.month_first, "ambiguous readings equal", text);
    // Both readings, written back in their own order, parse to the same two readings.
    const ParsedDate again = salespipe::clean::parse_date(reformat(parsed, parsed.day_first, true));
    check(again.status == CellStatus::Ok && again.ambiguous &&
              again.day_first == parsed.day_first && again.month_first == parsed.month_first,
          "ambiguous date does not round-trip", text);
  } else {
    check(parsed.day_first == parsed.date && parsed.month_first == parsed.date,
          "unambiguous readings", text);
    const bool day_first = parsed.evidence == DateEvidence::DayFirst;
    const ParsedDate again = salespipe::clean::parse_date(reformat(parsed, parsed.date, day_first));
    check(again.status == CellStatus::Ok && !again.ambiguous && again.date == parsed.date &&
              again.evidence == parsed.evidence,
          "date does not round-trip", text);
    // The ISO form of the day reads back to the same day.
    const ParsedDate iso = salespipe::clean::parse_date(salespipe::format_date(parsed.date));
    check(iso.status == CellStatus::Ok && iso.date == parsed.date, "ISO form", text);
  }
}

void check_column(std::string_view text) {
  std::vector<ParsedDate> column;
  std::size_t begin = 0;
  while (begin <= text.size() && column.size() < 256) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    column.push_back(salespipe::clean::parse_date(text.substr(begin, end - begin)));
    begin = end + 1;
  }
  DateResolver automatic;
  DateResolver forced(DateOrder::DayFirst);
  for (const ParsedDate& parsed : column) {
    automatic.observe(parsed);
    forced.observe(parsed);
  }
  const auto min = automatic.min_unambiguous();
  const auto max = automatic.max_unambiguous();
  check(min.has_value() == max.has_value() && (!min || *min <= *max), "range", text);
  for (const ParsedDate& parsed : column) {
    if (parsed.status != CellStatus::Ok) {
      continue;
    }
    const DateResolver::Resolved resolved = automatic.resolve(parsed);
    check(resolved.date == parsed.day_first || resolved.date == parsed.month_first,
          "resolved to neither reading", text);
    check((resolved.step == ResolutionStep::Unambiguous) == !parsed.ambiguous, "step", text);
    check(resolved.step != ResolutionStep::Forced, "forced without an order", text);
    if (resolved.step == ResolutionStep::Range) {
      check(*min <= resolved.date && resolved.date <= *max, "range reading outside", text);
    }
    if (!parsed.ambiguous) {
      check(*min <= parsed.date && parsed.date <= *max, "unambiguous outside range", text);
    }
    const DateResolver::Resolved by_force = forced.resolve(parsed);
    check(!parsed.ambiguous ||
              (by_force.date == parsed.day_first && by_force.step == ResolutionStep::Forced),
          "forced order ignored", text);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_one(text);
  check_column(text);
  return 0;
}
