#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "clean/dates.hpp"
#include "clean/quality.hpp"

namespace salespipe::clean {

/// One date column of one file: parses each value, gathers the column's evidence from every row,
/// then resolves the valid rows' ambiguous values and reports how (DESIGN.md section 3).
class DateColumn {
 public:
  explicit DateColumn(DateOrder order) : resolver_(order) {}

  /// Parses text and counts it as evidence, whatever else is wrong with its record.
  ParsedDate observe(std::string_view text);

  /// Resolves the dates of the rows that loaded and fills quality.
  std::vector<Date> resolve(const std::vector<PendingDate>& pending, DateColumnQuality& quality);

 private:
  static constexpr std::size_t kMaxTrackedAmbiguous = 4096;
  static constexpr std::size_t kExamplesPerStep = 3;

  DateResolver resolver_;
  // Distinct ambiguous raw values seen (capped): resolution depends only on the value, so these
  // are enough to show examples of every step that fired.
  std::unordered_map<std::string, ParsedDate> ambiguous_examples_;
  std::vector<std::string> unambiguous_examples_;
};

}  // namespace salespipe::clean
