#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace salespipe {

/// A calendar date: days since 1970-01-01, in 32 bits (half of sys_days; columns of tens of
/// millions of dates are common).
using Date = std::chrono::time_point<std::chrono::system_clock,
                                     std::chrono::duration<std::int32_t, std::ratio<86400>>>;

/// The date y-m-d, or nullopt when it does not exist (2023-02-30, month 13, year outside 1..9999).
std::optional<Date> make_date(int year, unsigned month, unsigned day) noexcept;

/// ISO 8601 `yyyy-mm-dd`.
std::string format_date(Date date);
/// Appends format_date(date) to out.
void append_date(std::string& out, Date date);
/// The bytes of format_date: always ten.
inline constexpr std::size_t kDateChars = 10;
/// format_date into raw memory with room for kDateChars; returns the end of what it wrote.
char* write_date(char* out, Date date) noexcept;

/// Parses exactly `yyyy-mm-dd` (the warehouse's own format), nullopt otherwise.
std::optional<Date> parse_iso_date(std::string_view text) noexcept;

}  // namespace salespipe
