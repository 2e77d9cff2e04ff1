#include "segment/features.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace salespipe::segment {

CustomerFeatures compute_features(std::span<const std::uint32_t> customer,
                                  std::span<const Money> revenue, std::span<const Date> sale_date,
                                  std::size_t customer_count, Date as_of) {
  if (revenue.size() != customer.size() || sale_date.size() != customer.size()) {
    throw Error(ErrorKind::Internal,
                fmt::format("sales columns differ in length: {} customers, {} revenues, {} dates",
                            customer.size(), revenue.size(), sale_date.size()));
  }
  std::vector<Money> total(customer_count);
  std::vector<std::int64_t> count(customer_count, 0);
  std::vector<Date> latest(customer_count);
  for (std::size_t i = 0; i < customer.size(); ++i) {
    const std::uint32_t code = customer[i];
    if (code >= customer_count) {
      throw Error(ErrorKind::Internal,
                  fmt::format("sale {} has customer code {}, but there are only {} customers", i,
                              code, customer_count));
    }
    if (sale_date[i] > as_of) {
      throw Error(ErrorKind::Input,
                  fmt::format("a sale of customer code {} is dated {}, after the as-of date {}",
                              code, format_date(sale_date[i]), format_date(as_of)));
    }
    const auto sum = checked_add(total[code], revenue[i]);
    if (!sum) {
      throw Error(ErrorKind::Input,
                  fmt::format("the total purchase amount of customer code {} overflows", code));
    }
    total[code] = *sum;
    if (count[code] == 0 || sale_date[i] > latest[code]) {
      latest[code] = sale_date[i];
    }
    ++count[code];
  }

  CustomerFeatures features;
  for (std::size_t code = 0; code < customer_count; ++code) {
    if (count[code] == 0) {
      continue;
    }
    features.customer.push_back(static_cast<std::uint32_t>(code));
    features.total_purchase_amount.push_back(total[code]);
    features.purchase_frequency.push_back(count[code]);
    features.avg_transaction_value.push_back(to_double(total[code]) /
                                             static_cast<double>(count[code]));
    features.recency_days.push_back((as_of - latest[code]).count());
  }
  return features;
}

CustomerFeatures select_rows(const CustomerFeatures& features, std::span<const std::size_t> rows) {
  CustomerFeatures out;
  for (const std::size_t row : rows) {
    if (row >= features.size()) {
      throw Error(ErrorKind::Internal,
                  fmt::format("row {} selected from {} customers", row, features.size()));
    }
    out.customer.push_back(features.customer[row]);
    out.total_purchase_amount.push_back(features.total_purchase_amount[row]);
    out.purchase_frequency.push_back(features.purchase_frequency[row]);
    out.avg_transaction_value.push_back(features.avg_transaction_value[row]);
    out.recency_days.push_back(features.recency_days[row]);
  }
  return out;
}

}  // namespace salespipe::segment
