#pragma once

#include <cstdint>
#include <memory>
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

  /// A date column holds a few thousand distinct values millions of times: the last readable
  /// value of each slot is kept with its parse, so a repeat costs a hash and a compare. A repeat
  /// also changes no example (its first sighting did all that could be done).
  struct Remembered {
    std::uint8_t size = 0;  ///< 0: the slot is free
    char text[23] = {};
    ParsedDate parsed;
  };
  static constexpr std::size_t kRememberedSlots = 4096;

  DateResolver resolver_;
  std::unique_ptr<Remembered[]> remembered_ = std::make_unique<Remembered[]>(kRememberedSlots);
  // Distinct ambiguous raw values seen (capped): resolution depends only on the value, so these
  // are enough to show examples of every step that fired.
  std::unordered_map<std::string, ParsedDate> ambiguous_examples_;
  std::vector<std::string> unambiguous_examples_;
};

}  // namespace salespipe::clean
