#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "clean/dates.hpp"
#include "core/reason.hpp"
#include "core/text.hpp"

namespace salespipe::clean {

/// Cleaning policies (DESIGN.md section 3). Flags and the config file set them.
struct CleanOptions {
  DateOrder date_order = DateOrder::Auto;  ///< --date-order auto|dmy|mdy
  std::int64_t default_quantity = 1;       ///< used when quantity is empty or absent
  double sentiment_min = 1.0;
  double sentiment_max = 5.0;

  /// Throws Error{Usage} for a non-positive default quantity or an empty sentiment range.
  void validate() const;
};

/// How the dates of one column were read: counts by resolution step, with a few examples.
struct DateColumnQuality {
  struct Example {
    std::string raw;
    std::string resolved;  ///< ISO date
  };
  std::array<std::uint64_t, kResolutionStepCount> by_step{};
  std::array<std::vector<Example>, kResolutionStepCount> examples;
  std::string min_unambiguous;  ///< ISO, empty when the column had none
  std::string max_unambiguous;
  /// Order evidence (values with a part above 12) per separator: "-", "/", ".", and overall.
  struct Evidence {
    std::string separator;
    std::uint64_t day_first = 0;
    std::uint64_t month_first = 0;
  };
  std::vector<Evidence> evidence;
};

/// One reason's count and the first few examples "line N: raw".
struct ReasonQuality {
  std::uint64_t count = 0;
  std::vector<std::string> examples;
};

/// What the cleaning of the sales file found and did.
struct SalesQuality {
  std::uint64_t read = 0;
  std::uint64_t rejected = 0;
  std::array<ReasonQuality, kReasonCount> by_reason;
  std::array<std::uint64_t, 6> missing{};  ///< empty cells per SalesField, over all records read
  bool quantity_column_present = true;
  std::uint64_t quantity_defaulted = 0;
  std::uint64_t ids_trimmed = 0;
  std::uint64_t ids_upper_cased = 0;
  DateColumnQuality sale_date;
};

/// What the cleaning of the feedback file found and did.
struct ReviewQuality {
  std::uint64_t read = 0;
  std::uint64_t rejected = 0;
  std::array<ReasonQuality, kReasonCount> by_reason;
  std::array<std::uint64_t, 4> missing{};  ///< per ReviewField
  std::uint64_t ids_trimmed = 0;
  std::uint64_t ids_upper_cased = 0;
  std::uint64_t sentiment_from_string = 0;  ///< numeric strings such as "4.5" accepted
  DateColumnQuality review_date;
};

/// The faults of one record, added in canonical column order: the first decides the record's
/// column and reason, and every one joins the message (DESIGN.md section 3, "Rejects").
class RecordFaults {
 public:
  /// `field` is a canonical field name with static storage (the reject keeps a view of it).
  void add(std::string_view field, Reason reason, std::string_view raw, std::string_view what);
  bool any() const noexcept { return !field_.empty(); }
  /// The record's line of rejects.csv; also counts it under its reason in by_reason.
  Reject take_reject(std::string_view source, std::uint64_t line,
                     std::array<ReasonQuality, kReasonCount>& by_reason);

 private:
  std::string_view field_;  ///< a field name with static storage
  Reason reason_{};
  std::string raw_;
  std::string message_;
};

/// Moves a cleaner's rejects to the end of `to` (without a second copy of millions of them when
/// `to` is empty).
void append_rejects(std::vector<Reject>& to, std::vector<Reject>&& from);

/// Counts a reject under its reason, keeping the first few examples.
void count_reject(std::array<ReasonQuality, kReasonCount>& by_reason, Reason reason,
                  std::uint64_t line, std::string_view raw);

/// A record the reader could not use (a bad row shape, bad encoding, not an object, ...): it
/// counts as read and rejected, and the whole record ("*") goes to the rejects. `source` is a
/// lasting_name(). Quality is SalesQuality or ReviewQuality.
template <typename Quality>
void reject_unreadable(Quality& quality, std::vector<Reject>& rejects, std::string_view source,
                       std::uint64_t line, Reason reason, std::string_view raw,
                       std::string message) {
  ++quality.read;
  ++quality.rejected;
  count_reject(quality.by_reason, reason, line, raw);
  rejects.push_back(
      Reject{source, line, "*", printable_raw_value(raw), reason, std::move(message)});
}

}  // namespace salespipe::clean
