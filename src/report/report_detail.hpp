#pragma once

// Helpers the two report renderers share; not part of the report's interface.

#include <string_view>
#include <vector>

#include "report/report.hpp"

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

/// How the renderers lay out a list of facts as a table.
struct FactsLayout {
  bool notes = false;   ///< a note column, because at least one fact has a note
  bool figures = true;  ///< values on the right, because every value is a figure
};

/// Figures line up on the right; a list that mixes in words ("latest-quarter", "no") reads
/// better all on the left.
inline FactsLayout facts_layout(const std::vector<Fact>& facts) noexcept {
  FactsLayout layout;
  for (const Fact& fact : facts) {
    layout.notes = layout.notes || !fact.note.empty();
    layout.figures = layout.figures && looks_numeric(fact.value);
  }
  return layout;
}

}  // namespace salespipe::report::detail
