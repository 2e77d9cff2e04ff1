#include "core/money.hpp"

#include <charconv>
#include <cstdlib>

namespace salespipe {

std::optional<Money> checked_multiply(Money a, std::int64_t quantity) noexcept {
  std::int64_t result = 0;
  if (__builtin_mul_overflow(a.units, quantity, &result)) {
    return std::nullopt;
  }
  return Money{result};
}

std::optional<Money> checked_add(Money a, Money b) noexcept {
  std::int64_t result = 0;
  if (__builtin_add_overflow(a.units, b.units, &result)) {
    return std::nullopt;
  }
  return Money{result};
}

char* write_money(char* out, Money amount) noexcept {
  // Work on the magnitude as unsigned so INT64_MIN has no overflow.
  const bool negative = amount.units < 0;
  const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(amount.units)
                                           : static_cast<std::uint64_t>(amount.units);
  const std::uint64_t cents = magnitude / 100 + (magnitude % 100 >= 50 ? 1 : 0);
  if (negative && cents != 0) {
    *out++ = '-';
  }
  out = std::to_chars(out, out + kMaxMoneyChars, cents / 100).ptr;
  *out++ = '.';
  const auto fraction = static_cast<unsigned>(cents % 100);
  *out++ = static_cast<char>('0' + fraction / 10);
  *out++ = static_cast<char>('0' + fraction % 10);
  return out;
}

void append_money(std::string& out, Money amount) {
  char text[kMaxMoneyChars];
  out.append(text, write_money(text, amount));
}

std::string format_money(Money amount) {
  std::string out;
  append_money(out, amount);
  return out;
}

double to_double(Money amount) noexcept {
  return static_cast<double>(amount.units) / static_cast<double>(Money::kScale);
}

}  // namespace salespipe
