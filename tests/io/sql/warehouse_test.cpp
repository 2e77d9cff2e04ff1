#include "io/sql/warehouse.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <thread>

#include "core/error.hpp"
#include "test_db.hpp"
#include "testing/synthetic_sales.hpp"
#include "testing/testing.hpp"

namespace salespipe::io::sql {
namespace {
namespace fs = std::filesystem;
using namespace std::string_literals;
using salespipe::testing::TempDir;
using test_db::integer;
using test_db::make_reviews;
using test_db::make_sales;
using test_db::null;
using test_db::query;
using test_db::real;
using test_db::Rows;
using test_db::text;

const std::vector<std::string> kOddExtraNames = {
    "Region", "sale_id", "", "odd \"name\"; DROP TABLE x", "region", "extra_sale_id"};

SalesTable sample_sales() {
  return make_sales(kOddExtraNames,
                    {
                        {.sale_id = "S1",
                         .product = "P1",
                         .customer = "C1",
                         .price_units = 1'505'000,  // 150.50
                         .quantity = 2,
                         .date = "2023-01-15",
                         .sentiment = 4.5,
                         .review_date = "2023-01-20",
                         .line = 2,
                         .extras = {"North", "a", "", "q", "n", "e"}},
                        {.sale_id = "S2",
                         .product = "P2",
                         .customer = "C1",
                         .price_units = 12'345'678,  // 1234.5678: more than two decimals
                         .quantity = 3,
                         .date = "2023-02-01",
                         .line = 3,
                         .extras = {"South", "b", "x", "", "s", ""}},
                        {.sale_id = "S3",
                         .product = "P1",
                         .customer = "C2",
                         .price_units = 50,  // 0.005: rounds half away from zero to 0.01
                         .quantity = 1,
                         .date = "2023-03-31",
                         .sentiment = 1.0,
                         .review_date = "2023-03-31",
                         .line = 5,
                         .extras = {"Éire ☘", "c", "y", "z", "w", "v"}},
                    },
                    {"P9"}, {"C9"});
}

ReviewTable sample_reviews(const SalesTable& sales) {
  return make_reviews(sales, {{"P1", "C1", 3.0, "2023-01-10", true, 2},
                              {"P1", "C1", 4.5, "2023-01-20", false, 3},
                              {"P1", "C2", 1.0, "2023-03-31", false, 4},
                              {"P9", "C9", 5.0, "2023-02-02", false, 6}});
}

std::vector<Reject> sample_rejects() {
  return {{"sales.csv", 4, "sale_price", "12,5", Reason::BadPrice,
           "sale_price: cannot read \"12,5\" as an amount"},
          {"feedback.json", 5, "sentiment_score", "true", Reason::BadSentiment,
           "sentiment_score: true is not a number"}};
}

using salespipe::testing::error_of;

std::size_t files_in(const fs::path& dir) {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) {
    ++count;
  }
  return count;
}

class Warehouse : public ::testing::Test {
 protected:
  void write_sample() {
    const SalesTable sales = sample_sales();
    write_warehouse(path_, sales, sample_reviews(sales), sample_rejects());
  }

  TempDir dir_;
  fs::path path_ = dir_ / "warehouse.sqlite.tmp";
};

TEST_F(Warehouse, ProcessedSalesHoldsEveryColumnWithItsStorageClass) {
  write_sample();
  const Rows rows = query(path_, "SELECT * FROM processed_sales ORDER BY rowid");
  const Rows expected = {
      {text("S1"), text("P1"), text("C1"), real(150.5), integer(1'505'000), integer(2),
       text("2023-01-15"), real(301.0), integer(3'010'000), real(4.5), text("2023-01-20"),
       integer(2), text("North"), text("a"), text(""), text("q"), text("n"), text("e")},
      {text("S2"), text("P2"), text("C1"), real(1234.57), integer(12'345'678), integer(3),
       text("2023-02-01"), real(3703.7), integer(37'037'034), null(), null(), integer(3),
       text("South"), text("b"), text("x"), text(""), text("s"), text("")},
      {text("S3"), text("P1"), text("C2"), real(0.01), integer(50), integer(1), text("2023-03-31"),
       real(0.01), integer(50), real(1.0), text("2023-03-31"), integer(5), text("Éire ☘"),
       text("c"), text("y"), text("z"), text("w"), text("v")},
  };
  EXPECT_EQ(rows, expected);
}

TEST_F(Warehouse, SalesWithoutReviewHaveNullSentimentAndReviewDate) {
  write_sample();
  EXPECT_EQ(query(path_,
                  "SELECT sale_id FROM processed_sales WHERE sentiment_score IS NULL AND "
                  "review_date IS NULL"),
            (Rows{{text("S2")}}));
}

TEST_F(Warehouse, UnitsColumnsSumExactly) {
  // 0.0001 a thousand times is not 0.1 in binary floating point; the units columns stay exact.
  std::vector<test_db::Sale> sales;
  for (int i = 0; i < 1000; ++i) {
    sales.push_back({.sale_id = fmt::format("S{}", i),
                     .product = "P",
                     .customer = "C",
                     .price_units = 1,
                     .date = "2023-01-01",
                     .line = static_cast<std::uint64_t>(i) + 2});
  }
  const SalesTable table = make_sales({}, sales);
  write_warehouse(path_, table, {}, {});
  EXPECT_EQ(query(path_, "SELECT SUM(total_revenue_units), SUM(sale_price) FROM processed_sales"),
            (Rows{{integer(1000), real(0.0)}}));
}

TEST_F(Warehouse, LargeAmountsKeepEveryUnit) {
  // Above 2^53 a double cannot hold every unit; the INTEGER columns can.
  const SalesTable table = make_sales({}, {{.sale_id = "S",
                                            .product = "P",
                                            .customer = "C",
                                            .price_units = 9'007'199'254'740'993,
                                            .quantity = 1,
                                            .date = "2023-01-01",
                                            .line = 2}});
  write_warehouse(path_, table, {}, {});
  EXPECT_EQ(query(path_, "SELECT sale_price_units, total_revenue_units FROM processed_sales"),
            (Rows{{integer(9'007'199'254'740'993), integer(9'007'199'254'740'993)}}));
}

TEST_F(Warehouse, ExtraColumnsGetCollisionFreeNamesAndAMappingTable) {
  write_sample();
  EXPECT_EQ(
      query(path_, "SELECT * FROM extra_columns ORDER BY position"),
      (Rows{{integer(1), text("Region"), text("Region")},
            {integer(2), text("sale_id"), text("extra_sale_id")},
            {integer(3), text(""), text("extra_3")},
            {integer(4), text("odd \"name\"; DROP TABLE x"), text("odd \"name\"; DROP TABLE x")},
            {integer(5), text("region"), text("extra_region")},
            {integer(6), text("extra_sale_id"), text("extra_extra_sale_id")}}));
  EXPECT_EQ(query(path_,
                  "SELECT sale_id, \"odd \"\"name\"\"; DROP TABLE x\", extra_region "
                  "FROM processed_sales WHERE extra_sale_id = 'b'"),
            (Rows{{text("S2"), text(""), text("s")}}));
}

TEST(ExtraColumnNames, KeepFreeNamesAndRenameClashes) {
  EXPECT_EQ(extra_column_names({"region", "Sale_ID", "ROWID", "", "", "extra_4", "a\0b"s}),
            (std::vector<std::string>{"region", "extra_Sale_ID", "extra_ROWID", "extra_4",
                                      "extra_5", "extra_extra_4", "a_b"}));
}

TEST(ExtraColumnNames, AddNumberSuffixesUntilFree) {
  EXPECT_EQ(extra_column_names({"quantity", "extra_quantity", "QUANTITY", "Quantity"}),
            (std::vector<std::string>{"extra_quantity", "extra_extra_quantity", "extra_QUANTITY_2",
                                      "extra_Quantity_3"}));
}

TEST_F(Warehouse, ReviewsKeepFileOrderAndTheSupersededFlag) {
  write_sample();
  EXPECT_EQ(
      query(path_, "SELECT * FROM reviews ORDER BY rowid"),
      (Rows{{text("P1"), text("C1"), real(3.0), text("2023-01-10"), integer(1), integer(2)},
            {text("P1"), text("C1"), real(4.5), text("2023-01-20"), integer(0), integer(3)},
            {text("P1"), text("C2"), real(1.0), text("2023-03-31"), integer(0), integer(4)},
            {text("P9"), text("C9"), real(5.0), text("2023-02-02"), integer(0), integer(6)}}));
}

TEST_F(Warehouse, RejectsHaveTheRejectsCsvColumns) {
  write_sample();
  EXPECT_EQ(query(path_,
                  "SELECT source, line, \"column\", raw_value, reason, message "
                  "FROM rejects ORDER BY rowid"),
            (Rows{{text("sales.csv"), integer(4), text("sale_price"), text("12,5"),
                   text("bad_price"), text("sale_price: cannot read \"12,5\" as an amount")},
                  {text("feedback.json"), integer(5), text("sentiment_score"), text("true"),
                   text("bad_sentiment"), text("sentiment_score: true is not a number")}}));
}

TEST_F(Warehouse, FileHasHeaderAndLaterStageTablesAndPassesIntegrityCheck) {
  write_sample();
  EXPECT_EQ(query(path_, "PRAGMA integrity_check"), (Rows{{text("ok")}}));
  EXPECT_EQ(query(path_, "PRAGMA application_id"), (Rows{{integer(0x53505748)}}));
  EXPECT_EQ(query(path_, "PRAGMA user_version"), (Rows{{integer(1)}}));
  EXPECT_EQ(query(path_, "PRAGMA page_size"), (Rows{{integer(65536)}}));
  EXPECT_EQ(query(path_, "SELECT type, name FROM sqlite_master ORDER BY name"),
            (Rows{{text("table"), text("customer_segments")},
                  {text("table"), text("extra_columns")},
                  {text("table"), text("processed_sales")},
                  {text("table"), text("rejects")},
                  {text("table"), text("reviews")},
                  {text("table"), text("top_products")}}));
  EXPECT_EQ(query(path_, "SELECT count(*) FROM customer_segments"), (Rows{{integer(0)}}));
  EXPECT_EQ(query(path_, "SELECT count(*) FROM top_products"), (Rows{{integer(0)}}));
  Rows segment_columns;
  for (const Column& column : customer_segments_columns()) {
    segment_columns.push_back({text(column.name)});
  }
  EXPECT_EQ(query(path_, "SELECT name FROM pragma_table_info('customer_segments')"),
            segment_columns);
  // No journal or other side file is left beside the warehouse.
  EXPECT_EQ(files_in(dir_.path()), 1U);
}

TEST_F(Warehouse, OnRequestSaleIdGetsAUniqueIndex) {
  const SalesTable sales = sample_sales();
  write_warehouse(path_, sales, sample_reviews(sales), sample_rejects(), {.index_sale_id = true});
  EXPECT_EQ(query(path_, "SELECT name, \"unique\" FROM pragma_index_list('processed_sales')"),
            (Rows{{text("processed_sales_sale_id"), integer(1)}}));
  EXPECT_EQ(query(path_, "SELECT name FROM pragma_index_info('processed_sales_sale_id')"),
            (Rows{{text("sale_id")}}));
  EXPECT_EQ(query(path_, "PRAGMA integrity_check"), (Rows{{text("ok")}}));
}

TEST_F(Warehouse, EmptyTablesMakeAValidWarehouse) {
  write_warehouse(path_, SalesTable{}, ReviewTable{}, {});
  EXPECT_EQ(query(path_, "PRAGMA integrity_check"), (Rows{{text("ok")}}));
  EXPECT_EQ(query(path_,
                  "SELECT (SELECT count(*) FROM processed_sales), "
                  "(SELECT count(*) FROM reviews), (SELECT count(*) FROM rejects)"),
            (Rows{{integer(0), integer(0), integer(0)}}));
}

TEST_F(Warehouse, SameTablesGiveByteIdenticalFiles) {
  write_sample();
  const fs::path second = dir_ / "second.sqlite";
  const SalesTable sales = sample_sales();
  write_warehouse(second, sales, sample_reviews(sales), sample_rejects());
  EXPECT_EQ(salespipe::testing::read_file(path_), salespipe::testing::read_file(second));
}

TEST_F(Warehouse, TwoThreadsCanWriteWarehousesAtOnce) {
  const SalesTable sales = salespipe::testing::synthetic_sales(20'000);
  const fs::path other = dir_ / "other.sqlite";
  std::exception_ptr failure;
  std::thread writer([&] {
    try {
      write_warehouse(other, sales, {}, {});
    } catch (...) {
      failure = std::current_exception();
    }
  });
  write_warehouse(path_, sales, {}, {});
  writer.join();
  ASSERT_FALSE(failure);
  EXPECT_EQ(query(other, "SELECT count(*), SUM(total_revenue_units) FROM processed_sales"),
            query(path_, "SELECT count(*), SUM(total_revenue_units) FROM processed_sales"));
  EXPECT_EQ(salespipe::testing::read_file(path_), salespipe::testing::read_file(other));
}

TEST_F(Warehouse, RefusesATempPathThatExists) {
  salespipe::testing::write_file(path_, "someone else's file");
  const Error error = error_of([&] { write_sample(); });
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()),
            path_.string() + ": cannot create the warehouse: File exists");
  EXPECT_EQ(salespipe::testing::read_file(path_), "someone else's file");
}

TEST_F(Warehouse, RefusesADirectoryAsTempPath) {
  fs::create_directory(path_);
  const Error error = error_of([&] { write_sample(); });
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()),
            path_.string() + ": cannot create the warehouse: File exists");
  EXPECT_TRUE(fs::is_directory(path_));
}

TEST_F(Warehouse, ReportsAnUnwritableLocation) {
  // CI runs as root, so permissions cannot make a folder unwritable: a regular file as the
  // parent folder can.
  const fs::path not_a_folder = dir_ / "plain-file";
  salespipe::testing::write_file(not_a_folder, "x");
  const fs::path inside = not_a_folder / "warehouse.sqlite.tmp";
  const Error error = error_of([&] {
    const SalesTable sales = sample_sales();
    write_warehouse(inside, sales, {}, {});
  });
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()),
            inside.string() + ": cannot create the warehouse: Not a directory");
  EXPECT_EQ(files_in(dir_.path()), 1U);
}

TEST_F(Warehouse, ASqliteFailureRemovesTheTempFile) {
  SalesTable sales = sample_sales();
  sales.sale_id = StringColumn();
  for (const char* id : {"S1", "S2", "S1"}) {
    sales.sale_id.push_back(id);
  }
  const Error error =
      error_of([&] { write_warehouse(path_, sales, {}, {}, {.index_sale_id = true}); });
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()),
            path_.string() +
                ": cannot index processed_sales by sale_id: UNIQUE constraint "
                "failed: processed_sales.sale_id");
  EXPECT_FALSE(fs::exists(path_));
  EXPECT_EQ(files_in(dir_.path()), 0U);
}

TEST_F(Warehouse, TooManyExtraColumnsIsAnOutputErrorWithSqlitesMessage) {
  std::vector<std::string> names;
  std::vector<test_db::Sale> no_sales;
  for (int i = 0; i < 1989; ++i) {
    names.push_back(fmt::format("x{}", i));
  }
  const SalesTable sales = make_sales(names, no_sales);
  const Error error = error_of([&] { write_warehouse(path_, sales, {}, {}); });
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()), path_.string() +
                                           ": cannot create table processed_sales: too many "
                                           "columns on processed_sales");
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(Warehouse, TheMostExtraColumnsThatFitAreWritten) {
  std::vector<std::string> names;
  for (int i = 0; i < 1988; ++i) {
    names.push_back(fmt::format("x{}", i));
  }
  write_warehouse(path_, make_sales(names, {}), {}, {});
  EXPECT_EQ(query(path_, "SELECT count(*) FROM pragma_table_info('processed_sales')"),
            (Rows{{integer(2000)}}));
}

TEST_F(Warehouse, AnIdCodeOutsideItsDictionaryIsAnInternalError) {
  SalesTable sales = sample_sales();
  sales.product[1] = 7;
  const Error error = error_of([&] { write_warehouse(path_, sales, {}, {}); });
  EXPECT_EQ(error.kind(), ErrorKind::Internal);
  EXPECT_EQ(std::string(error.what()),
            "write_warehouse: product row 1 has product code 7, the dictionary has 3");
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(Warehouse, AReviewCodeOutsideTheDictionaryIsAnInternalError) {
  const SalesTable sales = sample_sales();
  ReviewTable reviews = sample_reviews(sales);
  reviews.customer[2] = 99;
  const Error error = error_of([&] { write_warehouse(path_, sales, reviews, {}); });
  EXPECT_EQ(error.kind(), ErrorKind::Internal);
  EXPECT_EQ(std::string(error.what()),
            "write_warehouse: review customer row 2 has review customer code 99, the dictionary "
            "has 3");
  EXPECT_FALSE(fs::exists(path_));
  EXPECT_EQ(files_in(dir_.path()), 0U) << "the reviews are built in a second file: it goes too";
}

TEST_F(Warehouse, TheReviewsBuiltBesideAreCopiedInAndTheirFileRemoved) {
  const SalesTable sales = sample_sales();
  const ReviewTable reviews = sample_reviews(sales);
  write_warehouse(path_, sales, reviews, {});
  EXPECT_EQ(files_in(dir_.path()), 1U);
  EXPECT_EQ(query(path_, "SELECT count(*) FROM reviews"),
            (Rows{{integer(static_cast<std::int64_t>(reviews.size()))}}));
  EXPECT_EQ(query(path_, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid"),
            (Rows{{text("processed_sales")},
                  {text("extra_columns")},
                  {text("reviews")},
                  {text("rejects")},
                  {text("customer_segments")},
                  {text("top_products")}}));
}

TEST_F(Warehouse, ColumnsOfDifferentLengthsAreAnInternalErrorBeforeAnyFileIsMade) {
  SalesTable sales = sample_sales();
  sales.quantity.pop_back();
  const Error error = error_of([&] { write_warehouse(path_, sales, {}, {}); });
  EXPECT_EQ(error.kind(), ErrorKind::Internal);
  EXPECT_EQ(std::string(error.what()), "write_warehouse: sales columns differ in length (3 and 2)");
  EXPECT_FALSE(fs::exists(path_));

  sales = sample_sales();
  sales.extra.values[4].push_back("one too many");
  const Error extra = error_of([&] { write_warehouse(path_, sales, {}, {}); });
  EXPECT_EQ(std::string(extra.what()),
            "write_warehouse: extra column region has 4 values for 3 sales");
  EXPECT_FALSE(fs::exists(path_));
}

}  // namespace
}  // namespace salespipe::io::sql
