#include <gtest/gtest.h>

#include <stdexcept>

#include "core/error.hpp"
#include "io/sql/state_db.hpp"
#include "io/sql/warehouse.hpp"
#include "test_db.hpp"
#include "testing/testing.hpp"

namespace salespipe::io::sql {
namespace {
namespace fs = std::filesystem;
using salespipe::testing::TempDir;
using test_db::integer;
using test_db::null;
using test_db::query;
using test_db::real;
using test_db::Rows;
using test_db::text;

struct Segment {
  std::string customer;
  double amount;
  std::int64_t cluster;
  std::string name;
};

/// A row source over `segments`, written as (customer_id TEXT, amount REAL, cluster INTEGER,
/// segment TEXT).
RowSource segments_source(const std::vector<Segment>& segments) {
  return [&segments, next = std::size_t{0}](std::vector<Value>& row) mutable {
    if (next == segments.size()) {
      return false;
    }
    const Segment& segment = segments[next++];
    row[0] = std::string_view(segment.customer);
    row[1] = segment.amount;
    row[2] = segment.cluster;
    row[3] = std::string_view(segment.name);
    return true;
  };
}

const std::vector<Column> kSegmentColumns = {{"customer_id", Column::Type::Text},
                                             {"amount", Column::Type::Real},
                                             {"cluster", Column::Type::Integer},
                                             {"segment", Column::Type::Text}};

using salespipe::testing::error_of;

class ReplaceTable : public ::testing::Test {
 protected:
  void SetUp() override {
    const SalesTable sales = test_db::make_sales(
        {}, {{.sale_id = "S1", .product = "P1", .customer = "C1", .date = "2023-01-01"}});
    write_warehouse(path_, sales, {}, {});
  }

  void write_segments(const std::vector<Segment>& segments) {
    replace_table(path_, "customer_segments", kSegmentColumns, segments_source(segments));
  }

  const std::vector<Segment> first_ = {{"C1", 10.5, 1, "VIP"}, {"C2", 2.25, 0, "Regular"}};
  TempDir dir_;
  fs::path path_ = dir_ / "warehouse.sqlite";
};

TEST_F(ReplaceTable, WritesTheStreamedRowsWithTheirTypes) {
  write_segments(first_);
  EXPECT_EQ(query(path_, "SELECT * FROM customer_segments ORDER BY rowid"),
            (Rows{{text("C1"), real(10.5), integer(1), text("VIP")},
                  {text("C2"), real(2.25), integer(0), text("Regular")}}));
  EXPECT_EQ(query(path_, "SELECT name, type FROM pragma_table_info('customer_segments')"),
            (Rows{{text("customer_id"), text("TEXT")},
                  {text("amount"), text("REAL")},
                  {text("cluster"), text("INTEGER")},
                  {text("segment"), text("TEXT")}}));
  EXPECT_EQ(query(path_, "PRAGMA integrity_check"), (Rows{{text("ok")}}));
}

TEST_F(ReplaceTable, ReplacingTwiceKeepsOnlyTheLatestTableAndLeavesOthersAlone) {
  write_segments(first_);
  const std::vector<Column> columns = {{"product_id", Column::Type::Text},
                                       {"revenue", Column::Type::Real}};
  const std::vector<std::pair<std::string, double>> products = {{"P7", 99.5}};
  std::size_t next = 0;
  replace_table(path_, "customer_segments", columns, [&](std::vector<Value>& row) {
    if (next == products.size()) {
      return false;
    }
    row[0] = std::string_view(products[next].first);
    row[1] = products[next].second;
    ++next;
    return true;
  });
  EXPECT_EQ(query(path_, "SELECT * FROM customer_segments"), (Rows{{text("P7"), real(99.5)}}));
  EXPECT_EQ(query(path_, "SELECT name FROM pragma_table_info('customer_segments')"),
            (Rows{{text("product_id")}, {text("revenue")}}));
  EXPECT_EQ(query(path_, "SELECT sale_id FROM processed_sales"), (Rows{{text("S1")}}));
  EXPECT_EQ(query(path_, "SELECT count(*) FROM top_products"), (Rows{{integer(0)}}));
  EXPECT_EQ(query(path_, "PRAGMA integrity_check"), (Rows{{text("ok")}}));
}

TEST_F(ReplaceTable, AcceptsNullsIntegersInRealColumnsAndEmptyText) {
  const std::vector<Column> columns = {
      {"a", Column::Type::Integer}, {"b", Column::Type::Real}, {"c", Column::Type::Text}};
  int calls = 0;
  replace_table(path_, "mixed", columns, [&](std::vector<Value>& row) {
    ++calls;
    if (calls == 1) {
      row = {std::monostate{}, std::int64_t{3}, std::string_view()};
      return true;
    }
    if (calls == 2) {
      row = {std::int64_t{-5}, std::monostate{}, std::monostate{}};
      return true;
    }
    return false;
  });
  EXPECT_EQ(query(path_, "SELECT a, b, c FROM mixed ORDER BY rowid"),
            (Rows{{null(), real(3.0), text("")}, {integer(-5), null(), null()}}));
}

TEST_F(ReplaceTable, CreatesANewTableWithAnOddName) {
  const std::vector<Column> columns = {{"weird \"col\"", Column::Type::Text}};
  bool done = false;
  replace_table(path_, "top \"products\" 2023", columns, [&](std::vector<Value>& row) {
    if (done) {
      return false;
    }
    row[0] = std::string_view("x");
    done = true;
    return true;
  });
  EXPECT_EQ(query(path_, "SELECT \"weird \"\"col\"\"\" FROM \"top \"\"products\"\" 2023\""),
            (Rows{{text("x")}}));
}

TEST_F(ReplaceTable, ATypeMismatchIsAnInternalErrorAndKeepsTheOldTable) {
  write_segments(first_);
  int calls = 0;
  const Error error = error_of([&] {
    replace_table(path_, "customer_segments", kSegmentColumns, [&](std::vector<Value>& row) {
      ++calls;
      if (calls == 1) {
        row = {std::string_view("C3"), 1.0, std::int64_t{2}, std::string_view("VIP")};
        return true;
      }
      if (calls == 2) {
        row = {std::string_view("C4"), 1.0, std::string_view("two"), std::string_view("VIP")};
        return true;
      }
      return false;
    });
  });
  EXPECT_EQ(error.kind(), ErrorKind::Internal);
  EXPECT_EQ(std::string(error.what()),
            "replace_table: row 2 of customer_segments, column cluster is INTEGER but got text");
  EXPECT_EQ(query(path_, "SELECT customer_id FROM customer_segments ORDER BY rowid"),
            (Rows{{text("C1")}, {text("C2")}}));
  EXPECT_FALSE(fs::exists(path_.string() + "-journal"));
}

TEST_F(ReplaceTable, ARealInAnIntegerColumnIsRefused) {
  const Error error = error_of([&] {
    replace_table(path_, "t", {{"n", Column::Type::Integer}}, [](std::vector<Value>& row) {
      row[0] = 1.5;
      return true;
    });
  });
  EXPECT_EQ(std::string(error.what()),
            "replace_table: row 1 of t, column n is INTEGER but got real");
  EXPECT_TRUE(query(path_, "SELECT name FROM sqlite_master WHERE name = 't'").empty());
}

TEST_F(ReplaceTable, ARowThatChangesSizeIsAnInternalError) {
  const Error error = error_of([&] {
    replace_table(path_, "customer_segments", kSegmentColumns, [](std::vector<Value>& row) {
      row.pop_back();
      return true;
    });
  });
  EXPECT_EQ(error.kind(), ErrorKind::Internal);
  EXPECT_EQ(std::string(error.what()),
            "replace_table: row 1 of customer_segments has 3 values for 4 columns");
  // The empty table write_warehouse made is still there.
  EXPECT_EQ(query(path_, "SELECT count(*) FROM pragma_table_info('customer_segments')"),
            (Rows{{integer(static_cast<std::int64_t>(customer_segments_columns().size()))}}));
}

TEST_F(ReplaceTable, AnExceptionFromTheRowSourcePassesThroughAndRollsBack) {
  write_segments(first_);
  int calls = 0;
  EXPECT_THROW(
      replace_table(path_, "customer_segments", kSegmentColumns,
                    [&](std::vector<Value>& row) -> bool {
                      if (++calls == 3) {
                        throw std::runtime_error("segmentation went wrong");
                      }
                      row = {std::string_view("C9"), 1.0, std::int64_t{0}, std::string_view("x")};
                      return true;
                    }),
      std::runtime_error);
  EXPECT_EQ(query(path_, "SELECT customer_id FROM customer_segments ORDER BY rowid"),
            (Rows{{text("C1")}, {text("C2")}}));
}

TEST_F(ReplaceTable, NoColumnsIsAnInternalError) {
  const Error error = error_of(
      [&] { replace_table(path_, "empty", {}, [](std::vector<Value>&) { return false; }); });
  EXPECT_EQ(error.kind(), ErrorKind::Internal);
  EXPECT_EQ(std::string(error.what()), "replace_table: table empty needs at least one column");
}

TEST_F(ReplaceTable, AMissingFileIsAnOutputErrorAndIsNotCreated) {
  const fs::path missing = dir_ / "missing.sqlite";
  const Error error =
      error_of([&] { replace_table(missing, "t", kSegmentColumns, segments_source(first_)); });
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()),
            missing.string() + ": cannot open the database: unable to open database file");
  EXPECT_FALSE(fs::exists(missing));
}

TEST_F(ReplaceTable, RefusesAFileThatIsNotAWarehouse) {
  const fs::path state = dir_ / "state.sqlite";
  StateDb::open(state);
  const Error error =
      error_of([&] { replace_table(state, "runs", kSegmentColumns, segments_source(first_)); });
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()),
            state.string() +
                ": not a salespipe warehouse: application_id is 0x53505354, expected 0x53505748");

  const fs::path text_file = dir_ / "notes.txt";
  salespipe::testing::write_file(text_file, "this is not a database, just some words in a file");
  const Error garbage =
      error_of([&] { replace_table(text_file, "t", kSegmentColumns, segments_source(first_)); });
  EXPECT_EQ(garbage.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(garbage.what()),
            text_file.string() + ": cannot configure the warehouse: file is not a database");
}

}  // namespace
}  // namespace salespipe::io::sql
