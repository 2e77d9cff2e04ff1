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

/// Keeps the elements of column at the given rows (ascending), in place.
template <typename T>
void keep_rows(std::vector<T>& column, const std::vector<std::uint32_t>& rows) {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    column[i] = column[rows[i]];
  }
  column.resize(rows.size());
  column.shrink_to_fit();
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
  table.superseded.assign(table.size(), 1);
  latest.for_each([&](std::uint64_t, std::uint32_t r) { table.superseded[r] = 0; });
  report.latest_reviews = latest.size();
  report.superseded_reviews = table.size() - latest.size();

  // Duplicates, in file order: the first loaded record of each sale_id stays. Codes are given in
  // first-seen order, so when every row's code is its own index no id repeats (the usual case)
  // and no list of kept rows is needed.
  bool every_row_kept = true;
  for (std::uint32_t row = 0; row < sales.size() && every_row_kept; ++row) {
    every_row_kept = sales.sale_id[row] == row;
  }
  std::vector<std::uint32_t> kept;  // the rows kept, unless every row is
  if (!every_row_kept) {
    std::vector<std::uint32_t> first_loaded(sales.sale_ids.size(), kNone);
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
        const std::string_view id = sales.sale_ids[sales.sale_id[row]];
        rejects.push_back(
            Reject{lasting_name(sales_source), sales.line[row], "sale_id", std::string(id),
                   Reason::DuplicateSaleId,
                   fmt::format("sale_id {} was loaded from line {}; this record "
                               "differs in {}",
                               id, sales.line[first], first_difference(sales, first, row))});
      }
    }
  }
  const std::size_t kept_count = every_row_kept ? sales.size() : kept.size();
  const auto kept_row = [&](std::size_t i) -> std::uint32_t {
    return every_row_kept ? static_cast<std::uint32_t>(i) : kept[i];
  };

  // Left join with the latest reviews. `review_of[i]` is the latest review of kept sale i.
  std::vector<std::uint32_t> review_of(kept_count, kNone);
  std::vector<std::uint8_t> review_sold(table.size(), 0);
  std::vector<std::uint32_t> loaded;  // with require_feedback: indexes into kept that load
  for (std::uint32_t i = 0; i < kept_count; ++i) {
    const std::uint32_t row = kept_row(i);
    const auto review = latest.find(pair_key(sales.product[row], sales.customer[row]));
    if (review) {
      review_of[i] = *review;
      review_sold[*review] = 1;
    } else if (options.require_feedback) {
      ++report.excluded_no_review;
      continue;
    }
    if (options.require_feedback) {
      loaded.push_back(i);
    }
  }
  latest = FlatMap64();
  for (std::uint32_t r = 0; r < table.size(); ++r) {
    report.reviews_without_sale += (table.superseded[r] == 0 && review_sold[r] == 0) ? 1u : 0u;
  }
  review_sold = {};

  // The loaded rows of the cleaned columns, moved and compacted in place rather than copied.
  std::vector<std::uint32_t> rows;  // the rows that load, unless every row does
  if (options.require_feedback) {
    rows.resize(loaded.size());
    for (std::size_t i = 0; i < loaded.size(); ++i) {
      rows[i] = kept_row(loaded[i]);
    }
    keep_rows(review_of, loaded);
  } else if (!every_row_kept) {
    rows = std::move(kept);
  }
  const bool every_row_loads = !options.require_feedback && every_row_kept;
  kept = {};
  loaded = {};

  SalesTable& result = out.sales;
  result.products = products.dictionary();
  result.customers = customers.dictionary();
  // Kept rows carry codes 0, 1, 2, ... in order, so when every one loads the interner's names
  // are the sale_id column as it is.
  if (every_row_loads || rows.size() == sales.sale_ids.size()) {
    result.sale_id = std::move(sales.sale_ids);
  } else {
    for (const std::uint32_t row : rows) {
      result.sale_id.push_back(sales.sale_ids[sales.sale_id[row]]);
    }
  }
  const std::size_t n = every_row_loads ? sales.size() : rows.size();
  sales.sale_id = {};
  const auto take = [&](auto& to, auto& from) {
    to = std::move(from);
    if (!every_row_loads) {
      keep_rows(to, rows);
    }
  };
  take(result.product, sales.product);
  take(result.customer, sales.customer);
  take(result.sale_price, sales.sale_price);
  take(result.quantity, sales.quantity);
  take(result.sale_date, sales.sale_date);
  take(result.source_line, sales.line);
  result.extra.names = sales.extra.names;
  for (auto& column : sales.extra.values) {
    if (every_row_loads) {
      result.extra.values.push_back(std::move(column));
      continue;
    }
    StringColumn& kept_values = result.extra.values.emplace_back();
    for (const std::uint32_t row : rows) {
      kept_values.push_back(column[row]);
    }
  }
  sales.extra.values = {};

  result.total_revenue.resize(n);
  result.has_review.resize(n);
  result.sentiment.resize(n);
  result.review_date.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    // The cleaner rejected every sale whose revenue would overflow.
    result.total_revenue[i] = *checked_multiply(result.sale_price[i], result.quantity[i]);
    const std::uint32_t review = review_of[i];
    result.has_review[i] = review != kNone ? 1 : 0;
    result.sentiment[i] = review != kNone ? table.sentiment[review] : 0.0;
    result.review_date[i] = review != kNone ? table.review_date[review] : Date{};
    report.sales_without_review += review != kNone ? 0u : 1u;
  }
  return out;
}

}  // namespace salespipe::transform
