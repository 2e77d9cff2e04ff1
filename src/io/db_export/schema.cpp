#include "io/db_export/schema.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <unordered_map>

#include "core/error.hpp"

namespace salespipe::io::db_export {
namespace {

constexpr std::size_t kMaxTableName = 63;  // PostgreSQL's NAMEDATALEN - 1
constexpr std::size_t kMaxQuotedKey = 64;

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

bool is_ascii_letter(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

char ascii_lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool equal_ignoring_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) {
      return false;
    }
  }
  return true;
}

// Digits text[at, at + count) as a number, or -1 when any is not a digit.
int digits(std::string_view text, std::size_t at, std::size_t count) noexcept {
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (!is_digit(text[i])) {
      return -1;
    }
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// yyyy-mm-ddThh:mm:ss[.f{1,6}]Z, a real date and a time of day without leap seconds. Six
// fraction digits at most: PostgreSQL keeps microseconds, so a finer value would be rounded
// there and differ from the text SQLite stores.
bool is_iso_utc(std::string_view text) noexcept {
  constexpr std::size_t kBase = 19;  // yyyy-mm-ddThh:mm:ss
  if (text.size() < kBase + 1 || text.back() != 'Z' || text[4] != '-' || text[7] != '-' ||
      text[10] != 'T' || text[13] != ':' || text[16] != ':') {
    return false;
  }
  const int year = digits(text, 0, 4);
  const int month = digits(text, 5, 2);
  const int day = digits(text, 8, 2);
  const int hour = digits(text, 11, 2);
  const int minute = digits(text, 14, 2);
  const int second = digits(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      second < 0 || second > 59) {
    return false;
  }
  if (!make_date(year, static_cast<unsigned>(month), static_cast<unsigned>(day))) {
    return false;
  }
  const std::string_view rest = text.substr(kBase, text.size() - kBase - 1);
  if (rest.empty()) {
    return true;
  }
  return rest.size() >= 2 && rest.size() <= 7 && rest[0] == '.' &&
         digits(rest, 1, rest.size() - 1) >= 0;
}

std::string quoted_key(std::string_view key) {
  if (key.size() <= kMaxQuotedKey) {
    return fmt::format("\"{}\"", key);
  }
  return fmt::format("\"{}...\" ({} bytes)", key.substr(0, kMaxQuotedKey), key.size());
}

[[noreturn]] void bad_input(std::string_view table, std::string message) {
  throw Error(ErrorKind::Input, fmt::format("{}: {}", table, message));
}

[[noreturn]] void bad_shape(std::string message) {
  throw Error(ErrorKind::Internal, "database export: " + std::move(message));
}

// Keys present and unique; the first duplicate names both rows (1-based, in export order).
void check_keys(const StringColumn& keys, std::string_view table, std::string_view key_name) {
  std::unordered_map<std::string_view, std::size_t> first_row;
  first_row.reserve(keys.size());
  for (std::size_t row = 0; row < keys.size(); ++row) {
    const std::string_view key = keys[row];
    if (key.empty()) {
      bad_input(table, fmt::format("row {}: {} is empty", row + 1, key_name));
    }
    const auto [it, inserted] = first_row.emplace(key, row);
    if (!inserted) {
      bad_input(table, fmt::format("rows {} and {} have the same {} {}; duplicate keys are "
                                   "refused before anything is sent",
                                   it->second + 1, row + 1, key_name, quoted_key(key)));
    }
  }
}

void check_finite(double value, std::string_view table, std::size_t row, std::string_view name) {
  if (!std::isfinite(value)) {
    bad_input(table, fmt::format("row {}: {} is not a finite number ({})", row + 1, name, value));
  }
}

// `where` names the value ("row 3: segment") and is only built when the check fails.
template <class Where>
void check_no_nul(std::string_view value, std::string_view table, const Where& where) {
  if (value.find('\0') != std::string_view::npos) {
    bad_input(table,
              fmt::format("{} contains a NUL byte, which PostgreSQL text cannot hold", where()));
  }
}

auto row_value(std::size_t row, std::string_view name) {
  return [row, name] { return fmt::format("row {}: {}", row + 1, name); };
}

void check_customers(const ExportCustomers& customers, bool text_without_nul) {
  const std::size_t rows = customers.size();
  if (customers.segment.size() != rows || customers.total_purchase_amount.size() != rows ||
      customers.purchase_frequency.size() != rows ||
      customers.avg_transaction_value.size() != rows || customers.recency_days.size() != rows ||
      customers.cluster.size() != rows) {
    bad_shape(fmt::format("the customer columns have different lengths ({} customer ids)", rows));
  }
  check_keys(customers.customer_id, "customers", "customer_id");
  for (std::size_t row = 0; row < rows; ++row) {
    check_finite(customers.avg_transaction_value[row], "customers", row, "avg_transaction_value");
    if (text_without_nul) {
      check_no_nul(customers.customer_id[row], "customers", row_value(row, "customer_id"));
      check_no_nul(customers.segment[row], "customers", row_value(row, "segment"));
    }
  }
}

void check_sales(const ExportData& data, bool text_without_nul) {
  if (data.sales == nullptr) {
    bad_shape("sales are to be exported but none were given");
  }
  const SalesTable& sales = *data.sales;
  const std::size_t rows = sales.size();
  if (sales.sale_id.size() != rows || sales.customer.size() != rows ||
      sales.sale_price.size() != rows || sales.quantity.size() != rows ||
      sales.sale_date.size() != rows || sales.total_revenue.size() != rows ||
      sales.has_review.size() != rows || sales.sentiment.size() != rows ||
      sales.review_date.size() != rows) {
    bad_shape(fmt::format("the sales columns have different lengths ({} rows)", rows));
  }
  if (data.segment_of_customer.size() < sales.customers.size()) {
    bad_shape(fmt::format("{} segments for {} customers of the sales",
                          data.segment_of_customer.size(), sales.customers.size()));
  }
  check_keys(sales.sale_id, "sales", "sale_id");
  for (std::size_t row = 0; row < rows; ++row) {
    if (sales.product[row] >= sales.products.size() ||
        sales.customer[row] >= sales.customers.size()) {
      bad_shape(fmt::format("sale row {} has a product or customer code outside its dictionary",
                            row + 1));
    }
    if (sales.has_review[row] != 0) {
      check_finite(sales.sentiment[row], "sales", row, "sentiment_score");
    }
    if (text_without_nul) {
      check_no_nul(sales.sale_id[row], "sales", row_value(row, "sale_id"));
    }
  }
  if (text_without_nul) {
    // Dictionary entries and segments are shared by many sales: check each once.
    for (std::uint32_t code = 0; code < sales.products.size(); ++code) {
      check_no_nul(sales.products.name(code), "sales", [] { return std::string("a product_id"); });
    }
    for (std::uint32_t code = 0; code < sales.customers.size(); ++code) {
      check_no_nul(sales.customers.name(code), "sales",
                   [] { return std::string("a customer_id"); });
      check_no_nul(data.segment_of_customer[code], "sales", [&] {
        return fmt::format("the segment of customer {}", quoted_key(sales.customers.name(code)));
      });
    }
  }
}

}  // namespace

bool is_valid_table_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > kMaxTableName || is_digit(name[0])) {
    return false;
  }
  for (const char c : name) {
    if (!is_ascii_letter(c) && !is_digit(c) && c != '_') {
      return false;
    }
  }
  return !equal_ignoring_case(name.substr(0, 7), "sqlite_");
}

void DbExportOptions::validate() const {
  for (const auto& [what, name] :
       {std::pair<std::string_view, const std::string&>{"customers table", customers_table},
        std::pair<std::string_view, const std::string&>{"sales table", sales_table}}) {
    if (!is_valid_table_name(name)) {
      throw Error(ErrorKind::Usage,
                  fmt::format("bad {} name {}: use 1 to 63 ASCII letters, digits and underscores, "
                              "not starting with a digit or sqlite_",
                              what, quoted_key(name)));
    }
  }
  // SQLite compares identifiers without regard to case, even quoted ones.
  if (include_sales && equal_ignoring_case(customers_table, sales_table)) {
    throw Error(ErrorKind::Usage,
                fmt::format("the customers and sales tables must differ (both are {})",
                            quoted_key(customers_table)));
  }
  if (!is_iso_utc(now_utc)) {
    throw Error(ErrorKind::Usage,
                fmt::format("bad now_utc {}: expected ISO-8601 UTC like 2024-03-01T12:00:00Z",
                            quoted_key(now_utc)));
  }
}

namespace detail {

void check_export(const ExportData& data, const DbExportOptions& options, bool text_without_nul) {
  options.validate();
  check_customers(data.customers, text_without_nul);
  if (options.include_sales) {
    check_sales(data, text_without_nul);
  }
}

std::string quote(std::string_view name) { return fmt::format("\"{}\"", name); }

void append_money_exact(std::string& out, Money amount) {
  const bool negative = amount.units < 0;
  // Unsigned magnitude: negating INT64_MIN would overflow.
  const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(amount.units)
                                           : static_cast<std::uint64_t>(amount.units);
  constexpr auto kScale = static_cast<std::uint64_t>(Money::kScale);
  fmt::format_to(std::back_inserter(out), "{}{}.{:04}", negative ? "-" : "", magnitude / kScale,
                 magnitude % kScale);
}

void append_double(std::string& out, double value) {
  char text[32];
  const auto result = std::to_chars(text, text + sizeof text, value);
  out.append(text, result.ptr);
}

void append_int(std::string& out, std::int64_t value) {
  char text[24];
  const auto result = std::to_chars(text, text + sizeof text, value);
  out.append(text, result.ptr);
}

}  // namespace detail
}  // namespace salespipe::io::db_export
