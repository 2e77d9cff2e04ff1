#pragma once

// Helpers the two report renderers share; not part of the report's interface.

#include <string_view>

namespace salespipe::report::detail {

/// True when value is a figure ("1,000", "$5.00", "12.5%", "3.01 / 5") rather than words: it is
/// not empty and holds no ASCII letter. Figures line up on the right in a table.
inline bool looks_numeric(std::string_view value) noexcept {
  if (value.empty()) {
    return false;
  }
  for (const char c : value) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      return false;
    }
  }
  return true;
}

}  // namespace salespipe::report::detail
