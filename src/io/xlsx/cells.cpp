#include "io/xlsx/cells.hpp"

#include <algorithm>
#include <charconv>
#include <string>

namespace salespipe::io::xlsx {
namespace {

using namespace std::chrono;

/// Days from 1970-01-01 to 1900-03-01 (-25508); from there on serial = days + 25569.
constexpr sys_days kFirstMarch1900 = sys_days(year(1900) / March / 1);
constexpr sys_days kFirstJanuary1900 = sys_days(year(1900) / January / 1);

/// Number of characters of the decimal digits of magnitude.
std::size_t digit_count(std::uint64_t magnitude) noexcept {
  std::size_t digits = 1;
  while (magnitude >= 10) {
    magnitude /= 10;
    ++digits;
  }
  return digits;
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

/// The shape of a number after an optional '-' and '$': digits (with comma groups when allowed),
/// then an optional '.' and digits. Returns the digits without commas, or nullopt.
std::optional<std::string> plain_digits(std::string_view text, bool allow_commas) {
  std::string digits;
  std::size_t i = 0;
  std::size_t group = 0;  // digits since the last comma
  bool saw_comma = false;
  while (i < text.size() && (is_digit(text[i]) || (allow_commas && text[i] == ','))) {
    if (text[i] == ',') {
      // A comma needs 1-3 digits before the first one and exactly 3 between the others.
      if (group == 0 || group > 3 || (saw_comma && group != 3)) {
        return std::nullopt;
      }
      saw_comma = true;
      group = 0;
    } else {
      digits.push_back(text[i]);
      ++group;
    }
    ++i;
  }
  if (digits.empty() || (saw_comma && group != 3)) {
    return std::nullopt;
  }
  // "007" is an identifier, not seven.
  if (digits.size() > 1 && digits[0] == '0') {
    return std::nullopt;
  }
  if (i < text.size()) {
    if (text[i] != '.' || i + 1 == text.size()) {
      return std::nullopt;
    }
    digits.push_back('.');
    for (++i; i < text.size(); ++i) {
      if (!is_digit(text[i])) {
        return std::nullopt;
      }
      digits.push_back(text[i]);
    }
  }
  return digits;
}

/// At most 15 significant digits, the most a double (and Excel) keeps exactly.
bool fits_in_double(std::string_view digits) noexcept {
  std::size_t significant = 0;
  bool leading = true;
  for (const char c : digits) {
    if (c == '.') {
      continue;
    }
    if (leading && c == '0') {
      continue;
    }
    leading = false;
    ++significant;
  }
  return significant <= 15;
}

std::optional<double> to_number(std::string_view digits, bool negative) noexcept {
  double value = 0.0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size()) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

}  // namespace

std::optional<double> excel_serial(Date date) noexcept {
  if (date < kFirstJanuary1900) {
    return std::nullopt;
  }
  const auto days = static_cast<double>(date.time_since_epoch().count());
  // Excel's serial 60 is 1900-02-29, a day that never was: dates before it are one lower.
  return date < kFirstMarch1900 ? days + 25568.0 : days + 25569.0;
}

double money_value(Money amount) noexcept {
  // One correctly rounded division gives the double nearest to the exact decimal value.
  return static_cast<double>(amount.units) / static_cast<double>(Money::kScale);
}

std::size_t money_display_width(Money amount) noexcept {
  const bool negative = amount.units < 0;
  const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(amount.units)
                                           : static_cast<std::uint64_t>(amount.units);
  // Whole dollars after rounding to cents, as the format shows them.
  const std::uint64_t cents = magnitude / 100 + (magnitude % 100 >= 50 ? 1 : 0);
  const std::size_t digits = digit_count(cents / 100);
  const std::size_t commas = (digits - 1) / 3;
  return (negative && cents != 0 ? 1 : 0) + 1 + digits + commas + 3;
}

std::size_t integer_display_width(std::int64_t value) noexcept {
  const bool negative = value < 0;
  const std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  return (negative ? 1 : 0) + digit_count(magnitude);
}

std::size_t decimal_display_width(double value) noexcept {
  char text[32];
  const auto [end, ec] = std::to_chars(text, text + sizeof text, value);
  if (ec != std::errc()) {
    return 11;
  }
  return std::min<std::size_t>(static_cast<std::size_t>(end - text), 11);
}

std::size_t text_display_width(std::string_view text) noexcept {
  std::size_t chars = 0;
  for (const char c : text) {
    // Count every byte that is not a UTF-8 continuation byte (10xxxxxx).
    if ((static_cast<unsigned char>(c) & 0xC0u) != 0x80u) {
      ++chars;
    }
  }
  return chars;
}

double column_width(std::size_t header_chars, std::size_t value_chars) noexcept {
  // Bold header text is about a tenth wider; the autofilter button takes about three characters.
  const double header = static_cast<double>(header_chars) * 1.1 + 3.0;
  const double values = static_cast<double>(value_chars) + 2.0;
  return std::min(std::max({header, values, 8.43}), static_cast<double>(kMaxColumnChars));
}

SummaryCell parse_summary_cell(std::string_view text) noexcept {
  if (text.empty()) {
    return {};
  }
  const SummaryCell as_text{SummaryKind::Text, 0.0, 0};
  std::string_view rest = text;
  const bool negative = rest.front() == '-';
  if (negative) {
    rest.remove_prefix(1);
  }
  SummaryKind kind = SummaryKind::Number;
  if (!rest.empty() && rest.front() == '$') {
    kind = SummaryKind::Money;
    rest.remove_prefix(1);
  } else if (!rest.empty() && rest.back() == '%') {
    kind = SummaryKind::Percent;
    rest.remove_suffix(1);
  }
  try {
    const auto digits = plain_digits(rest, kind == SummaryKind::Money);
    if (!digits || !fits_in_double(*digits)) {
      return as_text;
    }
    // "35.2%" is read as 35.2e-2, so the stored double is the one nearest to 0.352.
    const auto value =
        to_number(kind == SummaryKind::Percent ? *digits + "e-2" : *digits, negative);
    if (!value) {
      return as_text;
    }
    const std::size_t point = digits->find('.');
    const int decimals =
        point == std::string::npos ? 0 : static_cast<int>(digits->size() - point - 1);
    return {kind, *value, decimals};
  } catch (...) {
    // Only std::bad_alloc can get here; a value we cannot parse stays text.
    return as_text;
  }
}

}  // namespace salespipe::io::xlsx
