#include "destinations.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <unordered_map>

#include "core/date.hpp"

#if SALESPIPE_TEST_WITH_POSTGRES
#  include <pqxx/pqxx>
#endif

namespace salespipe::io::db_export::test {
namespace fs = std::filesystem;

namespace {

Date date_of(std::string_view text) {
  const auto date = parse_iso_date(text);
  if (!date) {
    throw std::invalid_argument(fmt::format("bad test date {}", text));
  }
  return *date;
}

std::string shortest(double value) {
  char text[32];
  const auto result = std::to_chars(text, text + sizeof text, value);
  return std::string(text, result.ptr);
}

std::uint32_t intern(Dictionary& dictionary, std::unordered_map<std::string, std::uint32_t>& codes,
                     const std::string& name) {
  const auto [it, inserted] = codes.emplace(name, static_cast<std::uint32_t>(codes.size()));
  if (inserted) {
    dictionary.names.push_back(name);
  }
  return it->second;
}

class SqliteDestination final : public Destination {
 public:
  explicit SqliteDestination(fs::path file) : file_(std::move(file)) {}

  DbExportResult run(const ExportData& data, const DbExportOptions& options) const override {
    return export_sqlite(file_, data, options);
  }

  std::optional<Rows> dump(std::string_view table) const override {
    if (!fs::exists(file_)) {
      return std::nullopt;
    }
    Handle db(file_, SQLITE_OPEN_READONLY);
    {
      Query exists(db.get(), fmt::format("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                         "name = '{}'",
                                         table));
      if (!exists.next()) {
        return std::nullopt;
      }
    }
    Query query(db.get(), fmt::format("SELECT * FROM \"{}\" ORDER BY 1", table));
    Rows rows;
    while (query.next()) {
      std::vector<Cell>& row = rows.emplace_back();
      for (int c = 0; c < sqlite3_column_count(query.get()); ++c) {
        switch (sqlite3_column_type(query.get(), c)) {
          case SQLITE_NULL:
            row.emplace_back(std::nullopt);
            break;
          case SQLITE_INTEGER:
            row.emplace_back(std::to_string(sqlite3_column_int64(query.get(), c)));
            break;
          case SQLITE_FLOAT:
            row.emplace_back(shortest(sqlite3_column_double(query.get(), c)));
            break;
          default:
            row.emplace_back(
                std::string(reinterpret_cast<const char*>(sqlite3_column_text(query.get(), c)),
                            static_cast<std::size_t>(sqlite3_column_bytes(query.get(), c))));
        }
      }
    }
    return rows;
  }

  void execute(const std::string& sql) const override {
    Handle db(file_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    char* message = nullptr;
    if (sqlite3_exec(db.get(), sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string text = message != nullptr ? message : "?";
      sqlite3_free(message);
      throw std::runtime_error(sql + ": " + text);
    }
  }

 private:
  class Handle {
   public:
    Handle(const fs::path& file, int flags) {
      if (sqlite3_open_v2(file.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
        const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close_v2(db_);
        throw std::runtime_error(file.string() + ": " + message);
      }
    }
    ~Handle() { sqlite3_close_v2(db_); }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    sqlite3* get() const noexcept { return db_; }

   private:
    sqlite3* db_ = nullptr;
  };

  class Query {
   public:
    Query(sqlite3* db, const std::string& sql) {
      if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement_, nullptr) != SQLITE_OK) {
        throw std::runtime_error(sql + ": " + sqlite3_errmsg(db));
      }
    }
    ~Query() { sqlite3_finalize(statement_); }
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;
    bool next() {
      const int rc = sqlite3_step(statement_);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        throw std::runtime_error(sqlite3_errstr(rc));
      }
      return rc == SQLITE_ROW;
    }
    sqlite3_stmt* get() const noexcept { return statement_; }

   private:
    sqlite3_stmt* statement_ = nullptr;
  };

  fs::path file_;
};

#if SALESPIPE_TEST_WITH_POSTGRES
class PostgresDestination final : public Destination {
 public:
  explicit PostgresDestination(std::string dsn) : dsn_(std::move(dsn)) {}

  DbExportResult run(const ExportData& data, const DbExportOptions& options) const override {
    return export_postgres(dsn_, data, options);
  }

  std::optional<Rows> dump(std::string_view table) const override {
    pqxx::connection connection(dsn_);
    pqxx::nontransaction tx(connection);
    const std::string quoted = fmt::format("\"{}\"", table);
    if (tx.exec_params1("SELECT to_regclass($1) IS NOT NULL", quoted)[0].as<bool>() == false) {
      return std::nullopt;
    }
    // Text output as a client sees it; timestamps shown in UTC, shaped like the SQLite text.
    tx.exec0("SET TIME ZONE 'UTC'");
    const pqxx::result result = tx.exec("SELECT * FROM " + quoted + " ORDER BY 1");
    Rows rows;
    for (const auto& record : result) {
      std::vector<Cell>& row = rows.emplace_back();
      for (const auto& field : record) {
        if (field.is_null()) {
          row.emplace_back(std::nullopt);
          continue;
        }
        std::string text = field.c_str();
        if (std::string_view(field.name()) == "updated_at" && text.size() == 22 &&
            text.ends_with("+00")) {
          // Appends, not operator+: GCC 12 warns falsely (-Wrestrict) on the concatenation.
          std::string iso = text.substr(0, 10);
          iso += 'T';
          iso.append(text, 11, 8);
          iso += 'Z';
          text = std::move(iso);
        }
        row.emplace_back(std::move(text));
      }
    }
    return rows;
  }

  void execute(const std::string& sql) const override {
    pqxx::connection connection(dsn_);
    pqxx::nontransaction tx(connection);
    tx.exec0(sql);
  }

 private:
  std::string dsn_;
};
#endif

}  // namespace

Sample::Sample(const std::vector<CustomerRow>& customers, const std::vector<SaleRow>& sales) {
  ExportCustomers& out = data_.customers;
  std::unordered_map<std::string, std::string> segment_by_id;
  for (const CustomerRow& row : customers) {
    out.customer_id.push_back(row.customer_id);
    out.segment.push_back(row.segment);
    out.total_purchase_amount.push_back(Money{row.total_units});
    out.purchase_frequency.push_back(row.purchase_frequency);
    out.avg_transaction_value.push_back(row.avg_transaction_value);
    out.recency_days.push_back(row.recency_days);
    out.cluster.push_back(row.cluster);
    segment_by_id.emplace(row.customer_id, row.segment);
  }
  std::unordered_map<std::string, std::uint32_t> product_codes;
  std::unordered_map<std::string, std::uint32_t> customer_codes;
  for (const SaleRow& row : sales) {
    sales_.sale_id.push_back(row.sale_id);
    sales_.product.push_back(intern(sales_.products, product_codes, row.product_id));
    const std::uint32_t customer = intern(sales_.customers, customer_codes, row.customer_id);
    sales_.customer.push_back(customer);
    if (customer == data_.segment_of_customer.size()) {
      data_.segment_of_customer.push_back(segment_by_id.at(row.customer_id));
    }
    sales_.sale_price.push_back(Money{row.price_units});
    sales_.quantity.push_back(row.quantity);
    sales_.sale_date.push_back(date_of(row.sale_date));
    sales_.total_revenue.push_back(Money{row.revenue_units});
    sales_.has_review.push_back(row.sentiment ? 1 : 0);
    sales_.sentiment.push_back(row.sentiment.value_or(0.0));
    sales_.review_date.push_back(row.sentiment ? date_of(row.review_date) : Date{});
    sales_.source_line.push_back(sales_.source_line.size() + 2);
  }
  data_.sales = &sales_;
}

std::vector<CustomerRow> three_customers() {
  return {
      {"C001", "VIP", 15'007'500, 3, 500.25, 10, 1},
      {"C002", "Regular", 200'000, 1, 20.0, 40, 0},
      {"C003", "Regular", 3'000, 1, 0.1 + 0.2, 7, 0},
  };
}

std::vector<SaleRow> four_sales() {
  return {
      {"S1", "P1", "C001", 5'002'500, 3, "2023-01-15", 15'007'500, 4.5, "2023-01-20"},
      {"S2", "P2", "C002", 200'000, 1, "2023-02-01", 200'000, std::nullopt, ""},
      {"S3", "P1", "C003", 1'000, 3, "2023-03-31", 3'000, 1.0, "2023-04-02"},
      {"S4", "P2", "C001", 1, 1, "2023-02-28", 1, 3.25, "2023-03-01"},
  };
}

std::unique_ptr<Destination> sqlite_destination(fs::path file) {
  return std::make_unique<SqliteDestination>(std::move(file));
}

std::unique_ptr<Destination> postgres_destination(std::string dsn) {
#if SALESPIPE_TEST_WITH_POSTGRES
  return std::make_unique<PostgresDestination>(std::move(dsn));
#else
  (void)dsn;
  return nullptr;
#endif
}

std::optional<std::string> test_postgres_dsn() {
#if SALESPIPE_TEST_WITH_POSTGRES
  if (const char* dsn = std::getenv("SALESPIPE_TEST_PG_DSN"); dsn != nullptr && *dsn != '\0') {
    return std::string(dsn);
  }
  if (const char* file = std::getenv("SALESPIPE_TEST_PG_DSN_FILE"); file != nullptr) {
    std::ifstream in(file);
    std::string dsn;
    if (std::getline(in, dsn) && !dsn.empty()) {
      return dsn;
    }
  }
#endif
  return std::nullopt;
}

std::string postgres_missing_message() {
#if SALESPIPE_TEST_WITH_POSTGRES
  return "no test PostgreSQL server: set SALESPIPE_TEST_PG_DSN, or run through ctest, which "
         "starts one with scripts/pg-test-server.sh";
#else
  return "this build has no PostgreSQL support (SALESPIPE_WITH_POSTGRES=OFF)";
#endif
}

ClosedPort::ClosedPort() {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) {
    throw std::runtime_error("socket() failed");
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  // The sockets API takes the address as the generic sockaddr.
  auto* generic = reinterpret_cast<sockaddr*>(&address);
  if (bind(fd_, generic, sizeof address) != 0 || getsockname(fd_, generic, &length) != 0) {
    close(fd_);
    throw std::runtime_error("cannot bind a local port");
  }
  port_ = ntohs(address.sin_port);
}

ClosedPort::~ClosedPort() { close(fd_); }

std::string table_for_this_test(std::string_view suffix) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->test_suite_name()) + "_" + info->name();
  std::string out;
  for (const char c : name) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.push_back(c);
    } else if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if (!out.empty() && out.back() != '_') {
      out.push_back('_');
    }
  }
  constexpr std::size_t kMax = 63;
  const std::size_t room = kMax - suffix.size() - 1;
  if (out.size() > room) {
    // Long names share long prefixes and suffixes: a hash of the whole name keeps them apart.
    std::uint32_t hash = 2166136261U;  // FNV-1a
    for (const char c : out) {
      hash = (hash ^ static_cast<unsigned char>(c)) * 16777619U;
    }
    out = fmt::format("{}_{:08x}", out.substr(0, room - 9), hash);
  }
  return out + "_" + std::string(suffix);
}

}  // namespace salespipe::io::db_export::test
