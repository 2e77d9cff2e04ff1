#include "test_db.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string_view>

#include "core/date.hpp"

namespace salespipe::io::sql::test_db {

std::ostream& operator<<(std::ostream& out, const Cell& cell) {
  switch (cell.index()) {
    case 0:
      return out << "NULL";
    case 1:
      return out << std::get<std::int64_t>(cell) << " (integer)";
    case 2:
      return out << std::get<double>(cell) << " (real)";
    default:
      return out << '"' << std::get<std::string>(cell) << "\" (text)";
  }
}

namespace {

Rows run(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  Rows rows;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return rows;
  }
  const char* tail = sql.c_str();
  while (*tail != '\0') {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, tail, -1, &statement, &tail) != SQLITE_OK) {
      ADD_FAILURE() << "cannot prepare " << sql << ": " << sqlite3_errmsg(db);
      break;
    }
    if (statement == nullptr) {
      continue;  // trailing whitespace or a comment
    }
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
      std::vector<Cell> row;
      for (int c = 0; c < sqlite3_column_count(statement); ++c) {
        switch (sqlite3_column_type(statement, c)) {
          case SQLITE_NULL:
            row.emplace_back(Null{});
            break;
          case SQLITE_INTEGER:
            row.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(statement, c)));
            break;
          case SQLITE_FLOAT:
            row.emplace_back(sqlite3_column_double(statement, c));
            break;
          default: {
            const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement, c));
            const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, c));
            row.emplace_back(bytes == nullptr ? std::string() : std::string(bytes, size));
            break;
          }
        }
      }
      rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) {
      ADD_FAILURE() << "cannot run " << sql << ": " << sqlite3_errmsg(db);
    }
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return rows;
}

}  // namespace

Rows query(const std::filesystem::path& path, const std::string& sql) { return run(path, sql); }

void execute(const std::filesystem::path& path, const std::string& sql) { run(path, sql); }

namespace {

Date date(const std::string& text) {
  const auto parsed = parse_iso_date(text);
  EXPECT_TRUE(parsed.has_value()) << "bad test date " << text;
  return parsed.value_or(Date{});
}

std::uint32_t intern(Dictionary& dictionary, std::string_view name) {
  for (std::uint32_t code = 0; code < dictionary.size(); ++code) {
    if (dictionary.name(code) == name) {
      return code;
    }
  }
  dictionary.names.push_back(name);
  return static_cast<std::uint32_t>(dictionary.size() - 1);
}

std::uint32_t find(const Dictionary& dictionary, std::string_view name) {
  for (std::uint32_t code = 0; code < dictionary.size(); ++code) {
    if (dictionary.name(code) == name) {
      return code;
    }
  }
  ADD_FAILURE() << "no id " << name << " in the sales dictionaries";
  return 0;
}

}  // namespace

SalesTable make_sales(const std::vector<std::string>& extra_names, const std::vector<Sale>& sales,
                      const std::vector<std::string>& more_products,
                      const std::vector<std::string>& more_customers) {
  SalesTable table;
  table.extra.names = extra_names;
  table.extra.values.resize(extra_names.size());
  for (const Sale& sale : sales) {
    table.sale_id.push_back(sale.sale_id);
    table.product.push_back(intern(table.products, sale.product));
    table.customer.push_back(intern(table.customers, sale.customer));
    table.sale_price.push_back(Money{sale.price_units});
    table.quantity.push_back(sale.quantity);
    table.sale_date.push_back(date(sale.date));
    table.total_revenue.push_back(Money{sale.price_units * sale.quantity});
    table.has_review.push_back(sale.sentiment.has_value() ? 1 : 0);
    table.sentiment.push_back(sale.sentiment.value_or(0.0));
    table.review_date.push_back(sale.sentiment.has_value() ? date(sale.review_date) : Date{});
    table.source_line.push_back(sale.line);
    EXPECT_EQ(sale.extras.size(), extra_names.size()) << "sale " << sale.sale_id;
    for (std::size_t c = 0; c < extra_names.size() && c < sale.extras.size(); ++c) {
      table.extra.values[c].push_back(sale.extras[c]);
    }
  }
  for (const std::string& product : more_products) {
    intern(table.products, product);
  }
  for (const std::string& customer : more_customers) {
    intern(table.customers, customer);
  }
  return table;
}

ReviewTable make_reviews(const SalesTable& sales, const std::vector<Review>& reviews) {
  ReviewTable table;
  for (const Review& review : reviews) {
    table.product.push_back(find(sales.products, review.product));
    table.customer.push_back(find(sales.customers, review.customer));
    table.sentiment.push_back(review.sentiment);
    table.review_date.push_back(date(review.date));
    table.superseded.push_back(review.superseded ? 1 : 0);
    table.source_line.push_back(review.line);
  }
  return table;
}

}  // namespace salespipe::io::sql::test_db
