#include "transform/transform.hpp"

#include <fmt/format.h>

#include <array>

#include "core/background_job.hpp"
#include "core/flat_map.hpp"

namespace salespipe::transform {
namespace {

constexpr std::uint32_t kNone = UINT32_MAX;

/// The join runs on both cores, one partition of the (product, customer) pairs each.
constexpr unsigned kPartitions = 2;
/// How many rows ahead the join loops prefetch their hash table slot.
constexpr std::size_t kLookahead = 16;

unsigned partition_of(std::uint64_t pair) noexcept {
  return static_cast<unsigned>(FlatMap64::mix(pair) >> 63);
}

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

  ReviewTable& table = out.reviews;
  table.product = std::move(reviews.product);
  table.customer = std::move(reviews.customer);
  table.sentiment = std::move(reviews.sentiment);
  table.review_date = std::move(reviews.review_date);
  table.source_line = std::move(reviews.line);
  table.superseded.assign(table.size(), 1);

  // The latest review per (product, customer), one table per partition of the pairs by hash,
  // each built on a core of its own: a pair and all its reviews fall in one partition, so each
  // table holds what a single table would for its pairs. Later dates win, and on equal dates
  // the later record: reviews are in file order, so ">=" lets the later record win a tie.
  std::array<FlatMap64, kPartitions> latest;
  run_parts(kPartitions, [&](unsigned part) {
    FlatMap64& map = latest[part];
    map = FlatMap64(table.size() / kPartitions);
    const auto key_of = [&](std::size_t r) {
      return pair_key(table.product[r], table.customer[r]);
    };
    for (std::uint32_t r = 0; r < table.size(); ++r) {
      if (r + kLookahead < table.size()) {
        const std::uint64_t ahead = key_of(r + kLookahead);
        if (partition_of(ahead) == part) {
          map.prefetch(ahead);
        }
      }
      const std::uint64_t key = key_of(r);
      if (partition_of(key) != part) {
        continue;
      }
      std::uint32_t& best = map.find_or_insert(key, r);
      if (table.review_date[r] >= table.review_date[best]) {
        best = r;
      }
    }
    map.for_each([&](std::uint64_t, std::uint32_t r) { table.superseded[r] = 0; });
  });
  for (const FlatMap64& map : latest) {
    report.latest_reviews += map.size();
  }

  // Left join of the kept sales with the latest reviews, half of the sales on each core.
  // `review_of[i]` is the latest review of kept sale i.
  std::vector<std::uint32_t> review_of(kept_count, kNone);
  std::vector<std::uint8_t> review_sold(table.size(), 0);
  std::array<std::uint64_t, kPartitions> without_review{};
  run_ranges(kept_count, kPartitions, [&](unsigned part, std::size_t begin, std::size_t end) {
    const auto key_of = [&](std::size_t i) {
      const std::uint32_t row = kept_row(i);
      return pair_key(sales.product[row], sales.customer[row]);
    };
    std::uint64_t without = 0;  // counted here, not in without_review: no shared cache line
    for (std::size_t i = begin; i < end; ++i) {
      if (i + kLookahead < end) {
        const std::uint64_t ahead = key_of(i + kLookahead);
        latest[partition_of(ahead)].prefetch(ahead);
      }
      const std::uint64_t key = key_of(i);
      const auto review = latest[partition_of(key)].find(key);
      if (review) {
        review_of[i] = *review;
        review_sold[*review] = 1;
      } else {
        ++without;
      }
    }
    without_review[part] = without;
  });
  for (FlatMap64& map : latest) {
    map = FlatMap64();
  }
  for (const std::uint64_t without : without_review) {
    report.sales_without_review += without;
  }
  for (std::uint32_t r = 0; r < table.size(); ++r) {
    report.reviews_without_sale += (table.superseded[r] == 0 && review_sold[r] == 0) ? 1u : 0u;
  }
  review_sold = {};
  report.superseded_reviews = table.size() - report.latest_reviews;

  // The loaded rows of the cleaned columns, moved and compacted in place rather than copied.
  std::vector<std::uint32_t> rows;  // the rows that load, unless every row does
  if (options.require_feedback) {
    std::vector<std::uint32_t> loaded;  // indexes into kept that load
    for (std::uint32_t i = 0; i < kept_count; ++i) {
      if (review_of[i] != kNone) {
        loaded.push_back(i);
        rows.push_back(kept_row(i));
      }
    }
    report.excluded_no_review = kept_count - loaded.size();
    report.sales_without_review = 0;
    keep_rows(review_of, loaded);
  } else if (!every_row_kept) {
    rows = std::move(kept);
  }
  const bool every_row_loads = !options.require_feedback && every_row_kept;
  kept = {};

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
  run_ranges(n, kPartitions, [&](unsigned, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      // The cleaner rejected every sale whose revenue would overflow.
      result.total_revenue[i] = *checked_multiply(result.sale_price[i], result.quantity[i]);
      const std::uint32_t review = review_of[i];
      result.has_review[i] = review != kNone ? 1 : 0;
      result.sentiment[i] = review != kNone ? table.sentiment[review] : 0.0;
      result.review_date[i] = review != kNone ? table.review_date[review] : Date{};
    }
  });
  return out;
}

}  // namespace salespipe::transform
