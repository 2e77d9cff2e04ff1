#include "analyze/period.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "core/error.hpp"
#include "core/text.hpp"

namespace salespipe::analyze {
namespace {
namespace chrono = std::chrono;

// How much of a bad period is echoed back: enough to recognise it, never a whole pasted file.
constexpr std::size_t kEchoBytes = 64;

[[noreturn]] void bad_period(std::string_view text, std::string_view reason) {
  const std::string shown = printable_raw_value(text, kEchoBytes);
  if (reason.empty()) {
    throw Error(ErrorKind::Usage,
                fmt::format("bad period \"{}\"; the forms are: {}", shown, kPeriodForms));
  }
  throw Error(ErrorKind::Usage,
              fmt::format("bad period \"{}\": {}; the forms are: {}", shown, reason, kPeriodForms));
}

bool is_digits(std::string_view text) noexcept {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int four_digit_year(std::string_view digits) noexcept {
  int year = 0;
  for (const char c : digits) {
    year = year * 10 + (c - '0');
  }
  return year;
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

int year_of(Date date) noexcept { return static_cast<int>(chrono::year_month_day{date}.year()); }

unsigned month_of(Date date) noexcept {
  return static_cast<unsigned>(chrono::year_month_day{date}.month());
}

}  // namespace

PeriodSpec parse_period_spec(std::string_view text) {
  const std::string lowered = lower_ascii(trim(text));
  const std::string_view t = lowered;
  if (t.empty()) {
    bad_period(text, "it is empty");
  }
  if (t == "latest-quarter" || t == "last-quarter") {
    return PeriodSpec{.kind = PeriodKind::LatestQuarter};
  }
  if (t == "all") {
    return PeriodSpec{.kind = PeriodKind::All};
  }
  if (const std::size_t dots = t.find(".."); dots != std::string_view::npos) {
    const std::string_view first_text = t.substr(0, dots);
    const std::string_view last_text = t.substr(dots + 2);
    const std::optional<Date> first = parse_iso_date(first_text);
    if (!first) {
      bad_period(text, fmt::format("\"{}\" is not a calendar date written YYYY-MM-DD",
                                   printable_raw_value(first_text, kEchoBytes)));
    }
    const std::optional<Date> last = parse_iso_date(last_text);
    if (!last) {
      bad_period(text, fmt::format("\"{}\" is not a calendar date written YYYY-MM-DD",
                                   printable_raw_value(last_text, kEchoBytes)));
    }
    if (*last < *first) {
      bad_period(text, "the range ends before it starts");
    }
    return PeriodSpec{.kind = PeriodKind::Range, .first = *first, .last = *last};
  }
  if (t.size() == 4 && is_digits(t)) {
    const int year = four_digit_year(t);
    if (year < 1) {
      bad_period(text, "the year must be 0001 to 9999");
    }
    return PeriodSpec{.kind = PeriodKind::Year, .year = year};
  }
  if (t.size() == 6 && is_digits(t.substr(0, 4)) && t[4] == 'q' && is_digits(t.substr(5))) {
    const int year = four_digit_year(t.substr(0, 4));
    const auto quarter = static_cast<unsigned>(t[5] - '0');
    if (year < 1) {
      bad_period(text, "the year must be 0001 to 9999");
    }
    if (quarter < 1 || quarter > 4) {
      bad_period(text, "the quarter must be Q1, Q2, Q3 or Q4");
    }
    return PeriodSpec{.kind = PeriodKind::Quarter, .year = year, .quarter = quarter};
  }
  bad_period(text, "");
}

Period quarter_period(int year, unsigned quarter) {
  if (quarter < 1 || quarter > 4 || year < 1 || year > 9999) {
    throw Error(ErrorKind::Usage, fmt::format("there is no quarter {} of year {}", quarter, year));
  }
  const chrono::year y{year};
  const chrono::month first_month{3 * quarter - 2};
  const chrono::month last_month{3 * quarter};
  return Period{.kind = PeriodKind::Quarter,
                .first = Date{chrono::sys_days{y / first_month / 1}},
                .last = Date{chrono::sys_days{y / last_month / chrono::last}},
                .label = fmt::format("{:04} Q{}", year, quarter),
                .data_until = std::nullopt};
}

Period year_period(int year) {
  if (year < 1 || year > 9999) {
    throw Error(ErrorKind::Usage, fmt::format("there is no year {} (years are 1 to 9999)", year));
  }
  const chrono::year y{year};
  return Period{.kind = PeriodKind::Year,
                .first = Date{chrono::sys_days{y / chrono::January / 1}},
                .last = Date{chrono::sys_days{y / chrono::December / 31}},
                .label = fmt::format("{:04}", year),
                .data_until = std::nullopt};
}

Period range_period(Date first, Date last) {
  if (last < first) {
    throw Error(ErrorKind::Usage, fmt::format("the range {}..{} ends before it starts",
                                              format_date(first), format_date(last)));
  }
  return Period{.kind = PeriodKind::Range,
                .first = first,
                .last = last,
                .label = format_date(first) + ".." + format_date(last),
                .data_until = std::nullopt};
}

std::optional<SaleDateRange> sale_date_range(const SalesTable& sales) noexcept {
  if (sales.sale_date.empty()) {
    return std::nullopt;
  }
  // A plain min/max loop over the day counts vectorises; std::minmax_element does not.
  Date::rep low = sales.sale_date.front().time_since_epoch().count();
  Date::rep high = low;
  for (const Date date : sales.sale_date) {
    const Date::rep days = date.time_since_epoch().count();
    low = std::min(low, days);
    high = std::max(high, days);
  }
  return SaleDateRange{.first = Date{std::chrono::days{low}},
                       .last = Date{std::chrono::days{high}}};
}

Error no_sales_error(const Period& period, const std::optional<SaleDateRange>& data) {
  const std::string span = format_date(period.first) + ".." + format_date(period.last);
  const std::string name = period.label == span ? span : period.label + " (" + span + ")";
  if (!data) {
    return Error(ErrorKind::Input,
                 fmt::format("no loaded sales in {}: there are no loaded sales at all", name));
  }
  return Error(ErrorKind::Input,
               fmt::format("no loaded sales in {}; the loaded sales run from {} to {}", name,
                           format_date(data->first), format_date(data->last)));
}

void require_sales_in(const Period& period, const SalesTable& sales) {
  const bool any = std::any_of(sales.sale_date.begin(), sales.sale_date.end(),
                               [&](Date date) { return period.contains(date); });
  if (!any) {
    throw no_sales_error(period, sale_date_range(sales));
  }
}

Period resolve_period(const PeriodSpec& spec, const SalesTable& sales) {
  const std::optional<SaleDateRange> range = sale_date_range(sales);
  Period period;
  switch (spec.kind) {
    case PeriodKind::LatestQuarter:
    case PeriodKind::All:
      if (!range) {
        throw Error(ErrorKind::Input, "there are no loaded sales to analyze");
      }
      if (spec.kind == PeriodKind::All) {
        period = Period{.kind = PeriodKind::All,
                        .first = range->first,
                        .last = range->last,
                        .label = "all time",
                        .data_until = std::nullopt};
      } else {
        period = quarter_period(year_of(range->last), (month_of(range->last) - 1) / 3 + 1);
      }
      break;
    case PeriodKind::Quarter:
      period = quarter_period(spec.year, spec.quarter);
      break;
    case PeriodKind::Year:
      period = year_period(spec.year);
      break;
    case PeriodKind::Range:
      period = range_period(spec.first, spec.last);
      break;
  }
  require_sales_in(period, sales);
  // require_sales_in found a sale, so the table is not empty.
  if (period.first <= range->last && range->last < period.last) {
    period.data_until = range->last;
  }
  return period;
}

Period parse_period(std::string_view text, const SalesTable& sales) {
  return resolve_period(parse_period_spec(text), sales);
}

std::optional<Period> previous_period(const Period& period) {
  switch (period.kind) {
    case PeriodKind::Quarter: {
      const int year = year_of(period.first);
      const unsigned quarter = (month_of(period.first) - 1) / 3 + 1;
      if (quarter > 1) {
        return quarter_period(year, quarter - 1);
      }
      if (year <= 1) {
        return std::nullopt;
      }
      return quarter_period(year - 1, 4);
    }
    case PeriodKind::Year: {
      const int year = year_of(period.first);
      if (year <= 1) {
        return std::nullopt;
      }
      return year_period(year - 1);
    }
    case PeriodKind::Range: {
      const chrono::days length{period.days()};
      const Date first = period.first - length;
      if (year_of(first) < 1) {
        return std::nullopt;
      }
      return range_period(first, period.first - chrono::days{1});
    }
    case PeriodKind::LatestQuarter:
    case PeriodKind::All:
      break;
  }
  return std::nullopt;
}

std::string describe(const Period& period) {
  if (!period.data_until) {
    return period.label;
  }
  return fmt::format("{} (partial: data up to {})", period.label, format_date(*period.data_until));
}

}  // namespace salespipe::analyze
