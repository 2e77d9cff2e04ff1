#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace salespipe {

/// An exact amount of money in 1/10000 units: 150.50 is Money{1'505'000}.
/// Never a binary float, so sums over millions of rows do not drift.
struct Money {
  static constexpr std::int64_t kScale = 10'000;
  std::int64_t units = 0;

  friend constexpr bool operator==(Money, Money) = default;
  friend constexpr auto operator<=>(Money, Money) = default;
};

/// a * quantity, or nullopt when the product overflows int64.
std::optional<Money> checked_multiply(Money a, std::int64_t quantity) noexcept;
/// a + b, or nullopt on overflow.
std::optional<Money> checked_add(Money a, Money b) noexcept;

/// Two decimals, rounding half away from zero: Money{1'234'550} -> "123.46", no separators.
std::string format_money(Money amount);
/// Appends format_money(amount) to out without allocating a temporary.
void append_money(std::string& out, Money amount);
/// The most bytes format_money gives ("-92233720368547758.08").
inline constexpr std::size_t kMaxMoneyChars = 24;
/// format_money into raw memory with room for kMaxMoneyChars; returns the end of what it wrote.
char* write_money(char* out, Money amount) noexcept;

/// The amount as a double, for charts and statistics only (never for sums that are printed).
double to_double(Money amount) noexcept;

}  // namespace salespipe
