#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clean/date_column.hpp"
#include "clean/dates.hpp"
#include "clean/pending_ids.hpp"
#include "clean/quality.hpp"
#include "core/clean_tables.hpp"
#include "core/interner.hpp"
#include "core/reason.hpp"
#include "core/tables.hpp"

namespace salespipe::clean {

/// The sales fields in canonical column order: a record's reason is its first failing field in
/// this order (DESIGN.md section 3).
enum class SalesField : std::uint8_t {
  SaleId,
  ProductId,
  CustomerId,
  SalePrice,
  Quantity,
  SaleDate
};
inline constexpr std::size_t kSalesFieldCount = 6;
std::string_view sales_field_name(SalesField field) noexcept;

/// The input column name of each field, for files whose columns are named otherwise
/// (`order_id` for sale_id, ...). Compared after canonical_name().
struct SalesFieldNames {
  std::array<std::string, kSalesFieldCount> names = {"sale_id",    "product_id", "customer_id",
                                                     "sale_price", "quantity",   "sale_date"};
};

/// Where each field sits in the input; every other column rides along as an extra.
struct SalesLayout {
  std::array<std::optional<std::size_t>, kSalesFieldCount> column;  ///< quantity may be absent
  std::vector<std::size_t> extra_columns;
  std::vector<std::string> extra_names;  ///< as written in the header
  std::size_t input_columns = 0;
};

/// Maps a header to the fields. Throws Error{Input, file:1:col} when a required column is missing
/// or a column name appears twice (after canonical_name()).
SalesLayout map_sales_header(const std::vector<std::string>& header, const std::string& file,
                             const SalesFieldNames& names = {});

/// Turns raw sales records into typed values by the cleaning contract (DESIGN.md section 3).
/// Records that cannot be made valid become rejects; every repair and default is counted.
class SalesCleaner {
 public:
  SalesCleaner(std::string source, SalesLayout layout, const CleanOptions& options,
               Interner& products, Interner& customers);

  /// One record of the input: its fields in input column order.
  void add(std::uint64_t line, std::span<const std::string_view> fields);
  /// A record the reader already found unusable (bad shape, encoding, field too long).
  void add_unreadable(std::uint64_t line, Reason reason, std::string_view raw, std::string message);

  /// Resolves ambiguous dates over the whole column and hands over the valid records.
  /// Rejects are appended to `rejects` (unsorted) and counted in `quality`.
  CleanSales finish(std::vector<Reject>& rejects, SalesQuality& quality);

  /// Makes room for about this many valid records (an estimate: more or fewer are fine), so the
  /// columns do not grow by doubling, copying themselves and touching new memory each time.
  void reserve(std::size_t records);

 private:
  void intern_pending();

  std::string_view source_;  ///< a lasting_name(), shared by every reject
  SalesLayout layout_;
  CleanOptions options_;
  Interner& products_;
  Interner& customers_;
  DateColumn dates_;
  CleanSales rows_;
  std::vector<PendingDate> pending_dates_;  ///< per valid row, resolved in finish()
  std::vector<Reject> rejects_;
  SalesQuality quality_;
  std::string id_buffers_[2];
  Interner sale_ids_;
  PendingIds pending_sale_ids_;
  PendingIds pending_products_;
  PendingIds pending_customers_;
};

}  // namespace salespipe::clean
