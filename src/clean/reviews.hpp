#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clean/date_column.hpp"
#include "clean/pending_ids.hpp"
#include "clean/quality.hpp"
#include "core/clean_tables.hpp"
#include "core/interner.hpp"
#include "core/reason.hpp"

namespace salespipe::clean {

/// The review fields in canonical column order (DESIGN.md section 3).
enum class ReviewField : std::uint8_t { CustomerId, ProductId, SentimentScore, ReviewDate };
inline constexpr std::size_t kReviewFieldCount = 4;
std::string_view review_field_name(ReviewField field) noexcept;

/// The key of each field in the feedback input, for files that name them otherwise.
struct ReviewFieldNames {
  std::array<std::string, kReviewFieldCount> names = {"customer_id", "product_id",
                                                      "sentiment_score", "review_date"};
};

/// A JSON value as the cleaner sees it (the reader's kinds, without depending on the reader).
enum class CellKind : std::uint8_t { Missing, Null, String, Number, True, False, Array, Object };
struct Cell {
  CellKind kind = CellKind::Missing;
  std::string_view text;  ///< string contents, number token, or raw JSON of arrays and objects
};

/// Turns feedback records into typed reviews by the cleaning contract; bad ones become rejects.
class ReviewCleaner {
 public:
  ReviewCleaner(std::string source, const CleanOptions& options, Interner& products,
                Interner& customers);

  /// One record: its cells in ReviewField order.
  void add(std::uint64_t line, std::span<const Cell, kReviewFieldCount> cells);
  /// A record the reader already found unusable (not an object, duplicate key, bad encoding).
  void add_unreadable(std::uint64_t line, Reason reason, std::string_view raw, std::string message);

  CleanReviews finish(std::vector<Reject>& rejects, ReviewQuality& quality);

  /// Makes room for about this many valid records (an estimate: more or fewer are fine), so the
  /// columns do not grow by doubling, copying themselves and touching new memory each time.
  void reserve(std::size_t records);

 private:
  void intern_pending();

  std::string_view source_;  ///< a lasting_name(), shared by every reject
  CleanOptions options_;
  Interner& products_;
  Interner& customers_;
  DateColumn dates_;
  CleanReviews rows_;
  std::vector<PendingDate> pending_dates_;
  std::vector<Reject> rejects_;
  ReviewQuality quality_;
  std::string id_buffers_[2];
  PendingIds pending_customers_;
  PendingIds pending_products_;
};

}  // namespace salespipe::clean
