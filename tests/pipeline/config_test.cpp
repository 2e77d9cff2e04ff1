// salespipe.toml: every section read, unknown keys refused with their position, and renamed
// input columns working end to end.
#include "pipeline/config.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "testing/testing.hpp"

namespace salespipe::pipeline {
namespace {
using testing::read_file;
using testing::TempDir;
using testing::write_file;

class Config : public ::testing::Test {
 protected:
  RunConfig load(std::string_view toml) {
    write_file(dir_ / "salespipe.toml", toml);
    RunConfig config;
    load_config(dir_ / "salespipe.toml", config);
    return config;
  }
  std::string error_of(std::string_view toml) {
    try {
      load(toml);
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::Usage);
      return error.what();
    }
    return "no error";
  }

  TempDir dir_;
};

TEST_F(Config, ReadsEverySection) {
  const RunConfig config = load(R"(
[inputs]
sales = "raw/sales.csv"
feedback = "/abs/feedback.json"
out = "results"

[columns.sales]
sale_id = "order_id"
quantity = "qty"

[columns.feedback]
sentiment_score = "rating"

[cleaning]
date_order = "dmy"
default_quantity = 2
require_feedback = true
max_rejects = "5%"

[analysis]
period = "2023Q1"
top = 3

[segment]
k = 3
seed = 7
tier_names = ["Gold", "Silver", "Bronze"]
features = "spend+recency"

[export]
destinations = ["xlsx", "sqlite"]

[export.sqlite]
path = "crm.sqlite"

[export.http]
url = "http://127.0.0.1:8080/contacts"
batch = 100
)");
  EXPECT_EQ(config.etl.sales, dir_ / "raw/sales.csv");  // relative to the config file
  EXPECT_EQ(config.etl.feedback, "/abs/feedback.json");
  EXPECT_EQ(config.etl.out, dir_ / "results");
  EXPECT_EQ(config.etl.sales_names.names[0], "order_id");
  EXPECT_EQ(config.etl.sales_names.names[1], "product_id");
  EXPECT_EQ(config.etl.sales_names.names[4], "qty");
  EXPECT_EQ(config.etl.review_names.names[2], "rating");
  EXPECT_EQ(config.etl.clean.date_order, clean::DateOrder::DayFirst);
  EXPECT_EQ(config.etl.clean.default_quantity, 2);
  EXPECT_TRUE(config.etl.require_feedback);
  ASSERT_TRUE(config.etl.max_rejects);
  EXPECT_EQ(config.etl.max_rejects->describe(), "5%");
  EXPECT_EQ(config.analysis.period, "2023Q1");
  EXPECT_EQ(config.analysis.top, 3u);
  EXPECT_EQ(config.segment.segment.k, 3);
  EXPECT_EQ(config.segment.segment.seed, 7u);
  EXPECT_TRUE(config.segment.segment.use_recency);
  EXPECT_EQ(config.segment.segment.tier_names.size(), 3u);
  EXPECT_EQ(config.exports.destinations, (std::vector<std::string>{"xlsx", "sqlite"}));
  EXPECT_EQ(config.exports.sqlite_path, dir_ / "crm.sqlite");
  EXPECT_EQ(config.exports.http_batch, 100u);
}

TEST_F(Config, UnknownKeysAndSectionsAreRefusedWithTheirPosition) {
  EXPECT_NE(error_of("[inputs]\nsales = \"a.csv\"\nsalse = \"b.csv\"\n")
                .find("salespipe.toml:3:1: unknown key inputs.salse"),
            std::string::npos);
  EXPECT_NE(
      error_of("[input]\nsales = \"a.csv\"\n").find("salespipe.toml:1:2: unknown section [input]"),
      std::string::npos);
}

TEST_F(Config, WrongTypesAndRangesAreRefused) {
  EXPECT_NE(error_of("[segment]\nk = \"two\"\n")
                .find("salespipe.toml:2:5: segment.k must be a whole number"),
            std::string::npos);
  EXPECT_NE(error_of("[segment]\nk = 1\n").find("segment.k must be between 2 and 100, not 1"),
            std::string::npos);
  EXPECT_NE(error_of("[cleaning]\ndate_order = \"ymd\"\n")
                .find("cleaning.date_order must be one of auto, dmy, mdy, not \"ymd\""),
            std::string::npos);
  EXPECT_NE(error_of("[export]\ndestinations = [\"fax\"]\n").find("unknown destination \"fax\""),
            std::string::npos);
}

TEST_F(Config, SyntaxErrorsPointAtTheirPosition) {
  EXPECT_NE(error_of("[inputs]\nsales = \n").find("salespipe.toml:2:"), std::string::npos);
}

TEST_F(Config, RenamedColumnsLoadThroughTheEtl) {
  write_file(dir_ / "orders.csv",
             "order_id,item,client,price,qty,date\n"
             "A1,p1,c1,$10.00,2,2023-01-02\n");
  write_file(dir_ / "ratings.ndjson",
             R"({"client": "C1", "item": "P1", "rating": 4.5, "when": "2023-01-03"})"
             "\n");
  RunConfig config = load(R"(
[inputs]
sales = "orders.csv"
feedback = "ratings.ndjson"
out = "out"
[columns.sales]
sale_id = "order_id"
product_id = "item"
customer_id = "client"
sale_price = "price"
quantity = "qty"
sale_date = "date"
[columns.feedback]
customer_id = "client"
product_id = "item"
sentiment_score = "rating"
review_date = "when"
)");
  config.etl.now_utc = [] { return std::string("2026-01-01T00:00:00Z"); };
  const EtlResult result = run_etl(config.etl);
  EXPECT_EQ(result.counts.sales_loaded, 1u);
  EXPECT_EQ(result.counts.reviews_valid, 1u);
  EXPECT_EQ(read_file(warehouse_dir(dir_ / "out") / "processed_sales_data.csv"),
            "sale_id,product_id,customer_id,sale_price,quantity,sale_date,total_revenue,"
            "sentiment_score,review_date\n"
            "A1,P1,C1,10.00,2,2023-01-02,20.00,4.5,2023-01-03\n");
}

}  // namespace
}  // namespace salespipe::pipeline
