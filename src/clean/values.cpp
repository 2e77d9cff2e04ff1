#include "clean/values.hpp"

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <system_error>

#include "core/text.hpp"

namespace salespipe::clean {
namespace {

constexpr std::int64_t kMaxInt64 = std::numeric_limits<std::int64_t>::max();
// The largest whole part a price may have: 922337203685477 * 10000 + 5807 == INT64_MAX.
constexpr std::uint64_t kMaxWholeUnits = static_cast<std::uint64_t>(kMaxInt64 / Money::kScale);

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }
char ascii_upper(char c) noexcept { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; }

std::size_t skip_blanks(std::string_view s, std::size_t i) noexcept {
  while (i < s.size() && is_blank(s[i])) {
    ++i;
  }
  return i;
}

bool equals_ignoring_case(std::string_view text, std::string_view upper) noexcept {
  if (text.size() != upper.size()) {
    return false;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (ascii_upper(text[i]) != upper[i]) {
      return false;
    }
  }
  return true;
}

/// Length of the currency marker at s[i..], 0 when there is none. Codes need no word boundary
/// here: what follows is checked by the caller's grammar ("USDX" fails there).
std::size_t currency_marker_at(std::string_view s, std::size_t i) noexcept {
  const std::string_view rest = s.substr(i);
  constexpr std::string_view kSymbols[] = {"$", "\xE2\x82\xAC" /* € */, "\xC2\xA3" /* £ */};
  for (const std::string_view symbol : kSymbols) {
    if (rest.starts_with(symbol)) {
      return symbol.size();
    }
  }
  constexpr std::string_view kCodes[] = {"USD", "EUR", "GBP"};
  for (const std::string_view code : kCodes) {
    if (equals_ignoring_case(rest.substr(0, code.size()), code)) {
      return code.size();
    }
  }
  return 0;
}

PriceResult bad_price(std::string_view problem) noexcept {
  return {CellStatus::Bad, Money{}, problem};
}

/// The number part of a price: whole units and fraction in 1/10000, or a problem.
struct Amount {
  std::uint64_t units = 0;  // magnitude in 1/10000 units, valid when problem is empty
  std::size_t end = 0;      // index just past the number
  std::string_view problem;
};

/// Reads digits with optional thousands groups and up to 4 decimals at s[i..]; s[i] is a digit.
Amount read_amount(std::string_view s, std::size_t i) noexcept {
  Amount amount;
  std::uint64_t whole = 0;
  bool overflow = false;
  const auto add_digit = [&](char c) {
    whole = whole * 10 + static_cast<std::uint64_t>(c - '0');
    if (whole > kMaxWholeUnits) {
      overflow = true;
      whole = kMaxWholeUnits + 1;  // saturate: keeps the multiplication above from wrapping
    }
  };
  const std::size_t first = i;
  while (i < s.size() && is_digit(s[i])) {
    add_digit(s[i++]);
  }
  if (i < s.size() && s[i] == ',') {
    // Thousands grouping: the first group is 1-3 digits and not "0..." (which would be a
    // decimal comma such as "0,150"), then groups of exactly 3 digits.
    if (i - first > 3 || s[first] == '0') {
      amount.problem = "decimal comma or misplaced thousands separator";
      return amount;
    }
    while (i < s.size() && s[i] == ',') {
      const std::size_t group = ++i;
      while (i < s.size() && is_digit(s[i])) {
        add_digit(s[i++]);
      }
      if (i - group != 3) {
        amount.problem = "decimal comma or misplaced thousands separator";
        return amount;
      }
    }
  }
  std::uint64_t fraction = 0;
  if (i < s.size() && s[i] == '.') {
    const std::size_t decimals_begin = ++i;
    while (i < s.size() && is_digit(s[i])) {
      if (i - decimals_begin < 4) {
        fraction = fraction * 10 + static_cast<std::uint64_t>(s[i] - '0');
      }
      ++i;
    }
    const std::size_t decimals = i - decimals_begin;
    if (decimals == 0) {
      amount.problem = "a decimal point needs digits after it";
      return amount;
    }
    if (decimals > 4) {
      amount.problem = "more than 4 decimals";
      return amount;
    }
    for (std::size_t pad = decimals; pad < 4; ++pad) {
      fraction *= 10;
    }
    if (i < s.size() && s[i] == ',') {
      amount.problem = "decimal comma or misplaced thousands separator";
      return amount;
    }
  }
  if (overflow) {
    amount.problem = "amount too large";
    return amount;
  }
  const std::uint64_t units = whole * static_cast<std::uint64_t>(Money::kScale) + fraction;
  if (units > static_cast<std::uint64_t>(kMaxInt64)) {
    amount.problem = "amount too large";
    return amount;
  }
  amount.units = units;
  amount.end = i;
  return amount;
}

}  // namespace

std::string_view status_name(CellStatus status) noexcept {
  switch (status) {
    case CellStatus::Ok:
      return "ok";
    case CellStatus::Missing:
      return "missing";
    case CellStatus::Bad:
      return "bad";
    case CellStatus::NonPositive:
      return "nonpositive";
    case CellStatus::OutOfRange:
      return "out_of_range";
  }
  return "unknown";
}

PriceResult parse_price(std::string_view text) noexcept {
  const std::string_view s = trim(text);
  if (s.empty()) {
    return {CellStatus::Missing, Money{}, "empty"};
  }
  std::size_t i = 0;
  bool negative = false;
  bool signed_already = false;
  const auto take_sign = [&]() {
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
      negative = s[i] == '-';
      signed_already = true;
      ++i;
    }
  };
  // "-$5": a sign before a leading currency marker.
  if (s[0] == '-' || s[0] == '+') {
    const std::size_t marker = currency_marker_at(s, 1);
    if (marker > 0) {
      take_sign();
    }
  }
  bool has_marker = false;
  if (const std::size_t marker = currency_marker_at(s, i); marker > 0) {
    has_marker = true;
    i = skip_blanks(s, i + marker);
  }
  if (!signed_already) {
    take_sign();
  } else if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
    return bad_price("sign in the wrong place");
  }
  if (i >= s.size() || !is_digit(s[i])) {
    if (i < s.size() && (s[i] == '-' || s[i] == '+' || is_blank(s[i]))) {
      return bad_price("sign in the wrong place");
    }
    return bad_price("not a number");
  }
  const Amount amount = read_amount(s, i);
  if (!amount.problem.empty()) {
    return bad_price(amount.problem);
  }
  i = skip_blanks(s, amount.end);
  if (i < s.size()) {
    const std::size_t marker = currency_marker_at(s, i);
    if (marker == 0) {
      if (s[i] == '-' || s[i] == '+') {
        return bad_price("sign in the wrong place");
      }
      return bad_price("not a number");
    }
    if (has_marker) {
      return bad_price("more than one currency marker");
    }
    if (i + marker != s.size()) {
      return bad_price("not a number");
    }
  }
  const auto units = static_cast<std::int64_t>(amount.units);
  if (units == 0) {
    return {CellStatus::NonPositive, Money{0}, "zero"};
  }
  if (negative) {
    return {CellStatus::NonPositive, Money{-units}, "negative"};
  }
  return {CellStatus::Ok, Money{units}, {}};
}

QuantityResult parse_quantity(std::string_view text) noexcept {
  const std::string_view s = trim(text);
  if (s.empty()) {
    return {CellStatus::Missing, 0, "empty"};
  }
  if (s[0] == '-') {
    return {CellStatus::Bad, 0, "negative"};
  }
  std::size_t i = 0;
  std::uint64_t value = 0;
  bool overflow = false;
  while (i < s.size() && is_digit(s[i])) {
    // Stop accumulating at the first overflow so the value never wraps; keep scanning so the
    // rest of the grammar is still checked.
    if (!overflow) {
      const auto digit = static_cast<std::uint64_t>(s[i] - '0');
      overflow = value > (static_cast<std::uint64_t>(kMaxInt64) - digit) / 10;
      value = overflow ? value : value * 10 + digit;
    }
    ++i;
  }
  if (i == 0) {
    return {CellStatus::Bad, 0, "not a number"};
  }
  if (i < s.size() && s[i] == '.') {
    const std::size_t decimals_begin = ++i;
    while (i < s.size() && s[i] == '0') {
      ++i;
    }
    if (i < s.size() && is_digit(s[i])) {
      return {CellStatus::Bad, 0, "not a whole number"};
    }
    if (i == decimals_begin) {
      return {CellStatus::Bad, 0, "not a number"};
    }
  }
  if (i != s.size()) {
    return {CellStatus::Bad, 0, "not a number"};
  }
  if (overflow) {
    return {CellStatus::Bad, 0, "quantity too large"};
  }
  if (value == 0) {
    return {CellStatus::Bad, 0, "zero"};
  }
  return {CellStatus::Ok, static_cast<std::int64_t>(value), {}};
}

SentimentResult parse_sentiment(std::string_view number_text, double min, double max) noexcept {
  const std::string_view s = trim(number_text);
  if (s.empty()) {
    return {CellStatus::Bad, 0.0, "empty"};
  }
  // An infinity is a number, just not one in any range: OutOfRange, not Bad.
  {
    const bool minus = s[0] == '-';
    const std::string_view word = minus ? s.substr(1) : s;
    if (equals_ignoring_case(word, "INF") || equals_ignoring_case(word, "INFINITY")) {
      const double infinity = std::numeric_limits<double>::infinity();
      return {CellStatus::OutOfRange, minus ? -infinity : infinity, "out of range"};
    }
  }
  // The JSON number grammar, checked by hand: from_chars alone would accept "04", "4." or
  // "1e5x" prefixes and stop early.
  std::size_t i = 0;
  const bool minus = s[0] == '-';
  if (minus) {
    ++i;
  }
  const std::size_t whole_begin = i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else {
    while (i < s.size() && is_digit(s[i])) {
      ++i;
    }
  }
  const std::size_t whole_end = i;
  if (whole_end == whole_begin) {
    return {CellStatus::Bad, 0.0, "not a number"};
  }
  std::size_t fraction_begin = i;
  std::size_t fraction_end = i;
  if (i < s.size() && s[i] == '.') {
    fraction_begin = ++i;
    while (i < s.size() && is_digit(s[i])) {
      ++i;
    }
    fraction_end = i;
    if (fraction_end == fraction_begin) {
      return {CellStatus::Bad, 0.0, "not a number"};
    }
  }
  long exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool exponent_negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
      exponent_negative = s[i] == '-';
      ++i;
    }
    const std::size_t exponent_begin = i;
    while (i < s.size() && is_digit(s[i])) {
      if (exponent < 1'000'000'000L) {  // saturate: only the sign of the magnitude matters
        exponent = exponent * 10 + (s[i] - '0');
      }
      ++i;
    }
    if (i == exponent_begin) {
      return {CellStatus::Bad, 0.0, "not a number"};
    }
    if (exponent_negative) {
      exponent = -exponent;
    }
  }
  if (i != s.size()) {
    return {CellStatus::Bad, 0.0, "not a number"};
  }
  // Most scores are a few digits without an exponent: their digits as an integer below 2^53,
  // divided by an exact power of ten, is the correctly rounded value from_chars would give
  // (IEEE division rounds correctly), at a fraction of the cost.
  constexpr std::size_t kExactDigits = 15;
  const std::size_t fraction_digits = fraction_end - fraction_begin;
  if (i == fraction_end && (whole_end - whole_begin) + fraction_digits <= kExactDigits) {
    std::uint64_t digits = 0;
    for (std::size_t k = whole_begin; k < fraction_end; ++k) {
      if (k != whole_end) {
        digits = digits * 10 + static_cast<std::uint64_t>(s[k] - '0');
      }
    }
    constexpr std::array<double, kExactDigits + 1> kPowers = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const double magnitude = static_cast<double>(digits) / kPowers[fraction_digits];
    const double value = minus ? -magnitude : magnitude;
    if (!(value >= min && value <= max)) {
      return {CellStatus::OutOfRange, value, "out of range"};
    }
    return {CellStatus::Ok, value, {}};
  }
  double value = 0.0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec == std::errc::result_out_of_range) {
    // Decide between overflow and underflow from the decimal magnitude of the first
    // significant digit: positive means the number is huge.
    long magnitude = 0;
    std::size_t k = whole_begin;
    while (k < whole_end && s[k] == '0') {
      ++k;
    }
    if (k < whole_end) {
      magnitude = static_cast<long>(whole_end - k);
    } else {
      std::size_t f = fraction_begin;
      while (f < fraction_end && s[f] == '0') {
        ++f;
      }
      magnitude = -static_cast<long>(f - fraction_begin);
    }
    const bool huge = magnitude + exponent > 0;
    if (huge) {
      const double infinity = std::numeric_limits<double>::infinity();
      return {CellStatus::OutOfRange, minus ? -infinity : infinity, "out of range"};
    }
    value = minus ? -0.0 : 0.0;
  } else if (ec != std::errc{} || ptr != s.data() + s.size()) {
    return {CellStatus::Bad, 0.0, "not a number"};
  }
  if (!(value >= min && value <= max)) {
    return {CellStatus::OutOfRange, value, "out of range"};
  }
  return {CellStatus::Ok, value, {}};
}

IdRepair normalize_id(std::string_view text, std::string& out) {
  const std::string_view trimmed = trim(text);
  IdRepair repair;
  repair.trimmed = trimmed.size() != text.size();
  out.assign(trimmed);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
      repair.upper_cased = true;
    }
  }
  return repair;
}

}  // namespace salespipe::clean
