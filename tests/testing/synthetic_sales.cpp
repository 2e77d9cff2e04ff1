#include "testing/synthetic_sales.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <string_view>

#include "core/date.hpp"

namespace salespipe::testing {

SalesTable synthetic_sales(std::size_t count) {
  SalesTable table;
  table.extra.names = {"region", "channel"};
  table.extra.values.resize(2);
  for (std::size_t i = 0; i < kSyntheticProducts; ++i) {
    table.products.names.push_back(fmt::format("PROD{}", 1000 + i));
  }
  for (std::size_t i = 0; i < kSyntheticCustomers; ++i) {
    table.customers.names.push_back(fmt::format("CUST{}", 100'000 + i));
  }
  const Date start = make_date(2023, 1, 1).value();
  constexpr std::string_view kRegions[] = {"North", "South", "East", "West"};
  for (std::size_t i = 0; i < count; ++i) {
    // Not in sorted order, as ids of a real export are not either (7,919 is prime, so every id
    // is different).
    table.sale_id.push_back(fmt::format("S{}", i * 7'919 % count + 1'000'000));
    table.product.push_back(static_cast<std::uint32_t>(i * 7 % kSyntheticProducts));
    table.customer.push_back(static_cast<std::uint32_t>(i * 13 % kSyntheticCustomers));
    const auto price = static_cast<std::int64_t>(10'000 + i % 997 * 12'345);
    const auto quantity = static_cast<std::int64_t>(1 + i % 5);
    table.sale_price.push_back(Money{price});
    table.quantity.push_back(quantity);
    table.sale_date.push_back(start + std::chrono::days(static_cast<int>(i % 90)));
    table.total_revenue.push_back(Money{price * quantity});
    const bool reviewed = i % 3 != 0;
    table.has_review.push_back(reviewed ? 1 : 0);
    table.sentiment.push_back(reviewed ? 1.0 + static_cast<double>(i % 5) : 0.0);
    table.review_date.push_back(start + std::chrono::days(static_cast<int>(i % 90 + 3)));
    table.source_line.push_back(i + 2);
    table.extra.values[0].push_back(kRegions[i % 4]);
    table.extra.values[1].push_back(i % 2 == 0 ? "web" : "store");
  }
  return table;
}

}  // namespace salespipe::testing
