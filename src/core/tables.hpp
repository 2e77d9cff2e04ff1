#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/money.hpp"

namespace salespipe {

/// Many strings in one buffer: string i is bytes[offsets[i], offsets[i + 1]).
/// Far smaller than a std::vector<std::string> for millions of short values.
class StringColumn {
 public:
  StringColumn() { offsets_.push_back(0); }

  std::size_t size() const noexcept { return offsets_.size() - 1; }
  bool empty() const noexcept { return size() == 0; }
  std::string_view operator[](std::size_t i) const noexcept {
    return std::string_view(bytes_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  void push_back(std::string_view value) {
    bytes_.append(value);
    offsets_.push_back(bytes_.size());
  }
  void reserve(std::size_t count, std::size_t bytes) {
    offsets_.reserve(count + 1);
    bytes_.reserve(bytes);
  }
  std::size_t byte_size() const noexcept { return bytes_.size(); }
  /// Where string i's offset and its bytes live, for prefetching before a lookup.
  const void* offset_address(std::size_t i) const noexcept { return offsets_.data() + i; }
  const void* bytes_address(std::size_t i) const noexcept { return bytes_.data() + offsets_[i]; }

 private:
  std::string bytes_;
  std::vector<std::uint64_t> offsets_;
};

/// Dense integer codes for identifiers: code i names names[i]. Codes are assigned in first-seen
/// order, so outputs that list ids by code are deterministic.
struct Dictionary {
  StringColumn names;
  std::size_t size() const noexcept { return names.size(); }
  std::string_view name(std::uint32_t code) const noexcept { return names[code]; }
};

/// A sentiment score; a double is fine here (it is averaged, never summed as money).
using Sentiment = double;

/// Extra input columns carried through as text, in input order.
struct ExtraColumns {
  std::vector<std::string> names;
  std::vector<StringColumn> values;  ///< values[c][row]
};

/// The loaded sales: one row per processed sale, joined with its customer's latest review of the
/// product. This is data_warehouse/processed_sales_data.csv in memory.
struct SalesTable {
  Dictionary products;   ///< shared with the reviews of the same run
  Dictionary customers;  ///< shared with the reviews of the same run
  StringColumn sale_id;
  std::vector<std::uint32_t> product;   ///< code into products
  std::vector<std::uint32_t> customer;  ///< code into customers
  std::vector<Money> sale_price;
  std::vector<std::int64_t> quantity;
  std::vector<Date> sale_date;
  std::vector<Money> total_revenue;      ///< sale_price × quantity
  std::vector<std::uint8_t> has_review;  ///< 1 when the sale joined a latest review
  std::vector<Sentiment> sentiment;      ///< meaningful only where has_review
  std::vector<Date> review_date;         ///< meaningful only where has_review
  std::vector<std::uint64_t> source_line;
  ExtraColumns extra;

  std::size_t size() const noexcept { return product.size(); }
};

/// Every valid review, in file order, with the latest per (product, customer) marked.
struct ReviewTable {
  std::vector<std::uint32_t> product;   ///< code into the sales table's products
  std::vector<std::uint32_t> customer;  ///< code into the sales table's customers
  std::vector<Sentiment> sentiment;
  std::vector<Date> review_date;
  std::vector<std::uint8_t> superseded;  ///< 1 when a later review of the same pair exists
  std::vector<std::uint64_t> source_line;

  std::size_t size() const noexcept { return product.size(); }
};

}  // namespace salespipe
