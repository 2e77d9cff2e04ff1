#include "transform/transform.hpp"

#include <fmt/format.h>

#include "core/flat_map.hpp"

namespace salespipe::transform {
namespace {

constexpr std::uint32_t kNone = UINT32_MAX;

std::uint64_t pair_key(std::uint32_t product, std::uint32_t customer) noexcept {
  return (static_cast<std::uint64_t>(product) << 32) | customer;
}

bool same_sale(const CleanSales& sales, std::size_t a, std::size_t b) {
  if (sales.product[a] != sales.product[b] || sales.customer[a] != sales.customer[b] ||
      sales.sale_price[a] != sales.sale_price[b] || sales.quantity[a] != sales.quantity[b] ||
      sales.sale_date[a] != sales.sale_date[b]) {
    return false;
  }
  for (const auto& column : sales.extra.values) {
    if (column[a] != column[b]) {
      return false;
    }
  }
  return true;
}

/// The first field (in output order) where two sales differ, for the reject's message.
std::string first_difference(const CleanSales& sales, std::size_t a, std::size_t b) {
  if (sales.product[a] != sales.product[b])
    return "product_id";
  if (sales.customer[a] != sales.customer[b])
    return "customer_id";
  if (sales.sale_price[a] != sales.sale_price[b])
    return "sale_price";
  if (sales.quantity[a] != sales.quantity[b])
    return "quantity";
  if (sales.sale_date[a] != sales.sale_date[b])
    return "sale_date";
  for (std::size_t c = 0; c < sales.extra.values.size(); ++c) {
    if (sales.extra.values[c][a] != sales.extra.values[c][b])
      return sales.extra.names[c];
  }
  return "nothing";
}

}  // namespace

Transformed transform(CleanSales&& sales, CleanReviews&& reviews, const Interner& products,
                      const Interner& customers, const std::string& sales_source,
                      const TransformOptions& options, std::vector<Reject>& rejects) {
  Transformed out;
  TransformReport& report = out.report;

  // Latest review per (product, customer): later dates win, and on equal dates the later record.
  // Reviews are in file order, so ">=" lets the later record win a tie.
  FlatMap64 latest(reviews.size());
  for (std::uint32_t r = 0; r < reviews.size(); ++r) {
    std::uint32_t& best =
        latest.find_or_insert(pair_key(reviews.product[r], reviews.customer[r]), r);
    if (reviews.review_date[r] >= reviews.review_date[best]) {
      best = r;
    }
  }
  ReviewTable& table = out.reviews;
  table.product = std::move(reviews.product);
  table.customer = std::move(reviews.customer);
  table.sentiment = std::move(reviews.sentiment);
  table.review_date = std::move(reviews.review_date);
  table.source_line = std::move(reviews.line);
  table.superseded.assign(table.product.size(), 1);
  for (std::uint32_t r = 0; r < table.size(); ++r) {
    if (*latest.find(pair_key(table.product[r], table.customer[r])) == r) {
      table.superseded[r] = 0;
      ++report.latest_reviews;
    } else {
      ++report.superseded_reviews;
    }
  }

  // Duplicates, in file order: the first loaded record of each sale_id stays.
  std::vector<std::uint32_t> first_loaded(sales.sale_ids.size(), kNone);
  std::vector<std::uint32_t> kept;
  kept.reserve(sales.size());
  for (std::uint32_t row = 0; row < sales.size(); ++row) {
    std::uint32_t& first = first_loaded[sales.sale_id[row]];
    if (first == kNone) {
      first = row;
      kept.push_back(row);
    } else if (same_sale(sales, first, row)) {
      ++report.exact_duplicates;
    } else {
      ++report.duplicate_sale_ids;
      const std::string_view id = sales.sale_ids.name(sales.sale_id[row]);
      rejects.push_back(
          Reject{sales_source, sales.line[row], "sale_id", std::string(id), Reason::DuplicateSaleId,
                 fmt::format("sale_id {} was loaded from line {}; this record differs "
                             "in {}",
                             id, sales.line[first], first_difference(sales, first, row))});
    }
  }

  // Left join with the latest reviews, then revenue.
  SalesTable& result = out.sales;
  result.products = products.dictionary();
  result.customers = customers.dictionary();
  const std::size_t n = kept.size();
  result.product.reserve(n);
  result.customer.reserve(n);
  result.sale_price.reserve(n);
  result.quantity.reserve(n);
  result.sale_date.reserve(n);
  result.total_revenue.reserve(n);
  result.has_review.reserve(n);
  result.sentiment.reserve(n);
  result.review_date.reserve(n);
  result.source_line.reserve(n);
  result.extra.names = sales.extra.names;
  result.extra.values.resize(sales.extra.values.size());
  FlatMap64 sold(n);
  for (const std::uint32_t row : kept) {
    const auto review = latest.find(pair_key(sales.product[row], sales.customer[row]));
    sold.find_or_insert(pair_key(sales.product[row], sales.customer[row]), row);
    if (!review && options.require_feedback) {
      ++report.excluded_no_review;
      continue;
    }
    result.sale_id.push_back(sales.sale_ids.name(sales.sale_id[row]));
    result.product.push_back(sales.product[row]);
    result.customer.push_back(sales.customer[row]);
    result.sale_price.push_back(sales.sale_price[row]);
    result.quantity.push_back(sales.quantity[row]);
    result.sale_date.push_back(sales.sale_date[row]);
    // The cleaner rejected every sale whose revenue would overflow.
    result.total_revenue.push_back(*checked_multiply(sales.sale_price[row], sales.quantity[row]));
    result.has_review.push_back(review ? 1 : 0);
    result.sentiment.push_back(review ? table.sentiment[*review] : 0.0);
    result.review_date.push_back(review ? table.review_date[*review] : Date{});
    result.source_line.push_back(sales.line[row]);
    for (std::size_t c = 0; c < sales.extra.values.size(); ++c) {
      result.extra.values[c].push_back(sales.extra.values[c][row]);
    }
    report.sales_without_review += review ? 0u : 1u;
  }
  for (std::uint32_t r = 0; r < table.size(); ++r) {
    if (table.superseded[r] == 0 && !sold.find(pair_key(table.product[r], table.customer[r]))) {
      ++report.reviews_without_sale;
    }
  }
  return out;
}

}  // namespace salespipe::transform
