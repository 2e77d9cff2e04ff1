#include "analyze/top_products.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <limits>

#include "core/error.hpp"

namespace salespipe::analyze {
namespace {

// Per product code: everything the ranking and the rows need, summed in the one pass.
struct ProductTotals {
  std::int64_t revenue = 0;
  std::int64_t units = 0;
  std::uint64_t orders = 0;
  std::uint64_t reviewed_sales = 0;  // sales of the period that joined a review (lab weighting)
  double reviewed_sentiment_sum = 0;
  std::int64_t previous_revenue = 0;
};

struct ReviewTotals {
  double sentiment_sum = 0;
  std::uint64_t count = 0;
};

[[noreturn]] void internal(std::string message) {
  throw Error(ErrorKind::Internal, std::move(message));
}

void check_shapes(const SalesTable& sales, const ReviewTable& reviews) {
  const std::size_t rows = sales.size();
  if (sales.customer.size() != rows || sales.quantity.size() != rows ||
      sales.sale_date.size() != rows || sales.total_revenue.size() != rows ||
      sales.has_review.size() != rows || sales.sentiment.size() != rows) {
    internal("the sales table's columns differ in length");
  }
  const std::size_t count = reviews.size();
  if (reviews.customer.size() != count || reviews.sentiment.size() != count ||
      reviews.superseded.size() != count) {
    internal("the review table's columns differ in length");
  }
}

[[noreturn, gnu::noinline, gnu::cold]] void too_large(const Period& period) {
  throw Error(
      ErrorKind::Input,
      fmt::format("the revenue or units of {} are too large to add up exactly", period.label));
}

// Inlined into the hot loop; the throw stays out of it.
inline void add_or_fail(std::int64_t& sum, std::int64_t value, const Period& period) {
  if (__builtin_add_overflow(sum, value, &sum)) [[unlikely]] {
    too_large(period);
  }
}

// A double with fixed decimals; a value that rounds to zero is written without a minus sign so
// that tiny negative changes do not print as "-0.00".
void append_fixed(std::string& out, double value, int decimals) {
  const std::size_t start = out.size();
  fmt::format_to(std::back_inserter(out), "{:.{}f}", value, decimals);
  if (out[start] == '-' && out.find_first_not_of("0.", start + 1) == std::string::npos) {
    out.erase(start, 1);
  }
}

void append_csv_text(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(text);
    return;
  }
  out.push_back('"');
  for (const char c : text) {
    if (c == '"') {
      out.push_back('"');
    }
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace

TopProducts top_products(const SalesTable& sales, const ReviewTable& reviews, const Period& period,
                         std::size_t top_n) {
  if (top_n == 0) {
    throw Error(ErrorKind::Usage, "the number of top products must be at least 1");
  }
  check_shapes(sales, reviews);

  TopProducts top;
  top.period = period;
  top.previous = previous_period(period);
  top.top_n = top_n;

  const std::size_t product_count = sales.products.size();
  const std::size_t customer_count = sales.customers.size();
  std::vector<ProductTotals> totals(product_count);
  const Period previous = top.previous.value_or(Period{});
  const bool has_previous = top.previous.has_value();
  double reviewed_sentiment_sum = 0;
  std::uint64_t reviewed_sales = 0;

  // The one pass over the sales: the period and the previous period never overlap. It also finds
  // the data's date range, so the table is read once more only for the shown products' customers.
  Date::rep first_day = std::numeric_limits<Date::rep>::max();
  Date::rep last_day = std::numeric_limits<Date::rep>::min();
  for (std::size_t i = 0; i < sales.size(); ++i) {
    const std::uint32_t product = sales.product[i];
    if (product >= product_count) {
      internal(fmt::format("sale row {} has product code {} but there are {} products", i, product,
                           product_count));
    }
    const Date date = sales.sale_date[i];
    first_day = std::min(first_day, date.time_since_epoch().count());
    last_day = std::max(last_day, date.time_since_epoch().count());
    ProductTotals& t = totals[product];
    if (period.contains(date)) {
      add_or_fail(t.revenue, sales.total_revenue[i].units, period);
      add_or_fail(t.units, sales.quantity[i], period);
      ++t.orders;
      if (sales.has_review[i] != 0) {
        ++t.reviewed_sales;
        t.reviewed_sentiment_sum += sales.sentiment[i];
      }
    } else if (has_previous && previous.contains(date)) {
      add_or_fail(t.previous_revenue, sales.total_revenue[i].units, previous);
      ++top.previous_sales;
    }
  }

  if (sales.size() == 0) {
    throw no_sales_error(period, std::nullopt);
  }
  top.data = SaleDateRange{.first = Date{std::chrono::days{first_day}},
                           .last = Date{std::chrono::days{last_day}}};

  std::vector<std::uint32_t> sold;
  for (std::uint32_t p = 0; p < product_count; ++p) {
    const ProductTotals& t = totals[p];
    if (t.orders > 0) {
      sold.push_back(p);
      add_or_fail(top.period_revenue.units, t.revenue, period);
      top.period_sales += t.orders;
      top.period_sales_without_review += t.orders - t.reviewed_sales;
      reviewed_sales += t.reviewed_sales;
      reviewed_sentiment_sum += t.reviewed_sentiment_sum;
    }
    if (has_previous) {
      add_or_fail(top.previous_revenue.units, t.previous_revenue, previous);
    }
  }
  if (sold.empty()) {
    throw no_sales_error(period, top.data);
  }
  top.products_sold = sold.size();
  if (reviewed_sales > 0) {
    top.lab_weighted_avg_sentiment = reviewed_sentiment_sum / static_cast<double>(reviewed_sales);
  }

  const auto ranks_before = [&](std::uint32_t a, std::uint32_t b) {
    if (totals[a].revenue != totals[b].revenue) {
      return totals[a].revenue > totals[b].revenue;
    }
    return sales.products.name(a) < sales.products.name(b);
  };
  const std::size_t shown = std::min(top_n, sold.size());
  std::partial_sort(sold.begin(), sold.begin() + static_cast<std::ptrdiff_t>(shown), sold.end(),
                    ranks_before);
  sold.resize(shown);

  // Latest reviews: every product's, pooled for the all-product average.
  std::vector<ReviewTotals> review_totals(product_count);
  ReviewTotals all_reviews;
  for (std::size_t i = 0; i < reviews.size(); ++i) {
    if (reviews.superseded[i] != 0) {
      continue;
    }
    const std::uint32_t product = reviews.product[i];
    if (product >= product_count) {
      internal(fmt::format("review row {} has product code {} but there are {} products", i,
                           product, product_count));
    }
    review_totals[product].sentiment_sum += reviews.sentiment[i];
    ++review_totals[product].count;
    all_reviews.sentiment_sum += reviews.sentiment[i];
    ++all_reviews.count;
  }
  top.all_product_review_count = all_reviews.count;
  if (all_reviews.count > 0) {
    top.all_product_avg_sentiment =
        all_reviews.sentiment_sum / static_cast<double>(all_reviews.count);
  }

  // Distinct customers of the shown products only: their period sales' customers bucketed by
  // rank (a counting sort), then counted with one stamp per customer. No hashing, and the work
  // stays linear however many products are shown.
  std::vector<std::uint32_t> rank_of(product_count, 0);  // 1-based, 0 = not shown
  std::vector<std::size_t> bucket_start(shown + 1, 0);
  for (std::size_t r = 0; r < shown; ++r) {
    rank_of[sold[r]] = static_cast<std::uint32_t>(r + 1);
    bucket_start[r + 1] = bucket_start[r] + static_cast<std::size_t>(totals[sold[r]].orders);
  }
  std::vector<std::uint32_t> bucket(bucket_start[shown]);
  std::vector<std::size_t> cursor(bucket_start.begin(), bucket_start.end() - 1);
  for (std::size_t i = 0; i < sales.size(); ++i) {
    const std::uint32_t rank = rank_of[sales.product[i]];
    if (rank == 0 || !period.contains(sales.sale_date[i])) {
      continue;
    }
    const std::uint32_t customer = sales.customer[i];
    if (customer >= customer_count) {
      internal(fmt::format("sale row {} has customer code {} but there are {} customers", i,
                           customer, customer_count));
    }
    bucket[cursor[rank - 1]++] = customer;
  }
  std::vector<std::uint32_t> stamp(customer_count, 0);

  const bool compare = has_previous && top.previous_sales > 0;
  top.rows.reserve(shown);
  for (std::size_t r = 0; r < shown; ++r) {
    const std::uint32_t p = sold[r];
    const ProductTotals& t = totals[p];
    ProductRow row;
    row.rank = r + 1;
    row.product = p;
    row.product_id = std::string(sales.products.name(p));
    row.revenue = Money{t.revenue};
    row.share = top.period_revenue.units > 0
                    ? static_cast<double>(t.revenue) / static_cast<double>(top.period_revenue.units)
                    : 0.0;
    row.units = t.units;
    row.orders = t.orders;
    const auto mark = static_cast<std::uint32_t>(r + 1);
    for (std::size_t k = bucket_start[r]; k < bucket_start[r + 1]; ++k) {
      if (stamp[bucket[k]] != mark) {
        stamp[bucket[k]] = mark;
        ++row.customers;
      }
    }
    row.review_count = review_totals[p].count;
    if (row.review_count > 0) {
      row.avg_sentiment = review_totals[p].sentiment_sum / static_cast<double>(row.review_count);
    }
    if (t.reviewed_sales > 0) {
      row.lab_weighted_sentiment = t.reviewed_sentiment_sum / static_cast<double>(t.reviewed_sales);
    }
    if (compare) {
      RevenueChange change;
      change.previous_revenue = Money{t.previous_revenue};
      // Both sums are non-negative int64, so the difference cannot overflow.
      change.delta = Money{t.revenue - t.previous_revenue};
      if (t.previous_revenue != 0) {
        change.percent = static_cast<double>(change.delta.units) /
                         static_cast<double>(t.previous_revenue) * 100.0;
      }
      row.change = change;
    }
    top.rows.push_back(std::move(row));
  }
  return top;
}

std::string top_products_csv(const TopProducts& top) {
  std::string out =
      "rank,product_id,revenue,share,units,orders,customers,avg_sentiment,review_count,"
      "previous_revenue,change,change_pct\n";
  for (const ProductRow& row : top.rows) {
    fmt::format_to(std::back_inserter(out), "{},", row.rank);
    append_csv_text(out, row.product_id);
    out.push_back(',');
    append_money(out, row.revenue);
    out.push_back(',');
    append_fixed(out, row.share, 4);
    fmt::format_to(std::back_inserter(out), ",{},{},{},", row.units, row.orders, row.customers);
    if (row.avg_sentiment) {
      append_fixed(out, *row.avg_sentiment, 4);
    }
    fmt::format_to(std::back_inserter(out), ",{},", row.review_count);
    if (row.change) {
      append_money(out, row.change->previous_revenue);
      out.push_back(',');
      append_money(out, row.change->delta);
      out.push_back(',');
      if (row.change->percent) {
        append_fixed(out, *row.change->percent, 2);
      } else {
        out.append("new");
      }
    } else {
      out.append(",,");
    }
    out.push_back('\n');
  }
  return out;
}

}  // namespace salespipe::analyze
