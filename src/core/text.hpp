#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace salespipe {

/// a == b, inline for the short ids and keys a hash table compares millions of times (where
/// a call to memcmp costs more than the comparison).
inline bool equal_bytes(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) {
    return false;
  }
  const auto load = [](const char* at, auto word) {
    std::memcpy(&word, at, sizeof word);
    return word;
  };
  if (n >= 8 && n <= 16) {
    // Two overlapping words cover every byte.
    const std::uint64_t head = load(a.data(), std::uint64_t{}) ^ load(b.data(), std::uint64_t{});
    const std::uint64_t tail =
        load(a.data() + n - 8, std::uint64_t{}) ^ load(b.data() + n - 8, std::uint64_t{});
    return (head | tail) == 0;
  }
  if (n >= 4 && n < 8) {
    const std::uint32_t head = load(a.data(), std::uint32_t{}) ^ load(b.data(), std::uint32_t{});
    const std::uint32_t tail =
        load(a.data() + n - 4, std::uint32_t{}) ^ load(b.data() + n - 4, std::uint32_t{});
    return (head | tail) == 0;
  }
  return a == b;
}

/// Leading and trailing ASCII spaces and tabs removed.
std::string_view trim(std::string_view text) noexcept;

/// A header or key name in canonical form: trimmed, lower-cased, with spaces, hyphens and
/// underscores alike (runs folded into one `_`), so "Sale Price" and "sale-price" are "sale_price".
std::string canonical_name(std::string_view name);

/// True when text is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;

/// True when text holds an ASCII control byte other than tab, CR and LF.
bool has_control_byte(std::string_view text) noexcept;

/// The byte offset of the first invalid UTF-8 sequence, or text.size() when there is none.
std::size_t first_invalid_utf8(std::string_view text) noexcept;

/// Text made valid UTF-8 (each invalid byte becomes U+FFFD) and cut at max_bytes on a character
/// boundary, followed by "…[truncated]" when it was cut. This is how rejects show raw values.
std::string printable_raw_value(std::string_view text, std::size_t max_bytes = 1024);

/// Text as a spreadsheet shows it as text: a leading '=', '+', '-' or '@' gets a quote prefix
/// (DESIGN.md section 11.5).
std::string spreadsheet_safe(std::string_view text);

}  // namespace salespipe
