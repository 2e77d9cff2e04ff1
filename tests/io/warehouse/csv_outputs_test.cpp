// processed_sales_data.csv as written by the raw-pointer formatter: every field in the form the
// readers and the lab expect, quoting where a value needs it, and a round trip.
#include "io/warehouse/csv_outputs.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <charconv>
#include <cmath>
#include <csignal>
#include <optional>
#include <random>
#include <string>

#include "core/error.hpp"
#include "core/interner.hpp"
#include "testing/testing.hpp"

namespace salespipe::io::warehouse {
namespace {
using salespipe::testing::read_file;
using salespipe::testing::TempDir;

/// What append_sentiment must give: the shortest form of the double, with ".0" when it has no
/// decimal point or exponent.
std::string shortest_form(double value) {
  char text[64];
  std::string out(text, std::to_chars(text, text + sizeof text, value).ptr);
  if (out.find_first_of(".eE") == std::string::npos) {
    out += ".0";
  }
  return out;
}

std::string sentiment_text(double value) {
  std::string out;
  append_sentiment(out, value);
  return out;
}

TEST(CsvOutputs, SentimentIsTheShortestFormWithADecimalPoint) {
  EXPECT_EQ(sentiment_text(4.0), "4.0");
  EXPECT_EQ(sentiment_text(4.5), "4.5");
  EXPECT_EQ(sentiment_text(0.1), "0.1");
  EXPECT_EQ(sentiment_text(3.25), "3.25");
  EXPECT_EQ(sentiment_text(100000.0), "1e+05");
  EXPECT_EQ(sentiment_text(-0.0), "-0.0");
  EXPECT_EQ(sentiment_text(0.1 + 0.2), "0.30000000000000004");
  // Every tenth and its neighbouring doubles, where a shortcut for one-decimal values could
  // differ from to_chars.
  for (int tenths = -20; tenths <= 200'000; ++tenths) {
    const double value = tenths / 10.0;
    for (const double near : {value, std::nextafter(value, -1e9), std::nextafter(value, 1e9)}) {
      ASSERT_EQ(sentiment_text(near), shortest_form(near)) << tenths;
    }
  }
  std::mt19937_64 random(5);
  std::uniform_real_distribution<double> any(-10.0, 20'000.0);
  for (int i = 0; i < 200'000; ++i) {
    const double value = any(random);
    ASSERT_EQ(sentiment_text(value), shortest_form(value));
  }
}

TEST(CsvOutputs, ProcessedSalesQuoteWhatNeedsItAndReadBack) {
  Interner products;
  Interner customers;
  SalesTable sales;
  const auto add = [&](std::string_view id, std::string_view product, std::string_view customer,
                       std::int64_t price_units, std::int64_t quantity, bool reviewed) {
    sales.sale_id.push_back(id);
    sales.product.push_back(products.intern(product));
    sales.customer.push_back(customers.intern(customer));
    sales.sale_price.push_back(Money{price_units});
    sales.quantity.push_back(quantity);
    sales.sale_date.push_back(Date{Date::duration{19'400}});
    sales.total_revenue.push_back(Money{price_units * quantity});
    sales.has_review.push_back(reviewed ? 1 : 0);
    sales.sentiment.push_back(reviewed ? 4.5 : 0.0);
    sales.review_date.push_back(reviewed ? Date{Date::duration{19'410}} : Date{});
    sales.source_line.push_back(sales.size() + 1);
  };
  add("S1", "P1", "C1", 1'505'000, 2, true);
  add("S,2", "P \"big\"", " C2", 10'000, 1, false);
  add("S3", "P1", "C1", 999'999'990'000, 3, true);
  sales.products = products.dictionary();
  sales.customers = customers.dictionary();
  sales.extra.names = {"region"};
  sales.extra.values.resize(1);
  for (const char* region : {"north", "south\neast", ""}) {
    sales.extra.values[0].push_back(region);
  }

  TempDir dir;
  const auto path = dir.path() / "processed_sales_data.csv";
  write_processed_sales(path, sales);
  EXPECT_EQ(read_file(path),
            "sale_id,product_id,customer_id,sale_price,quantity,sale_date,total_revenue,"
            "sentiment_score,review_date,region\n"
            "S1,P1,C1,150.50,2,2023-02-12,301.00,4.5,2023-02-22,north\n"
            "\"S,2\",\"P \"\"big\"\"\",\" C2\",1.00,1,2023-02-12,1.00,,,\"south\neast\"\n"
            "S3,P1,C1,99999999.00,3,2023-02-12,299999997.00,4.5,2023-02-22,\n");

  const SalesTable back = read_processed_sales(path);
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back.sale_id[1], "S,2");
  EXPECT_EQ(back.products.name(back.product[1]), "P \"big\"");
  EXPECT_EQ(back.customers.name(back.customer[1]), " C2");
  EXPECT_EQ(back.extra.values[0][1], "south\neast");
  EXPECT_EQ(back.total_revenue[2], sales.total_revenue[2]);
}

TEST(CsvOutputs, AFailedWriteOfASliceStopsBothCoresWithAnOutputError) {
  // Enough rows for many slices on both cores.
  Interner products;
  Interner customers;
  SalesTable sales;
  products.intern("P1");
  customers.intern("C1");
  for (int row = 0; row < 300'000; ++row) {
    sales.sale_id.push_back("S" + std::to_string(row));
    sales.product.push_back(0);
    sales.customer.push_back(0);
    sales.sale_price.push_back(Money{10'000});
    sales.quantity.push_back(1);
    sales.sale_date.push_back(Date{Date::duration{19'400}});
    sales.total_revenue.push_back(Money{10'000});
    sales.has_review.push_back(0);
    sales.sentiment.push_back(0.0);
    sales.review_date.push_back(Date{});
    sales.source_line.push_back(static_cast<std::uint64_t>(row) + 2);
  }
  sales.products = products.dictionary();
  sales.customers = customers.dictionary();

  // A file size limit makes the writes past 2 MB fail (EFBIG) after the header and the first
  // slices went through.
  TempDir dir;
  rlimit before{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &before), 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit limited = before;
  limited.rlim_cur = 2u << 20;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &limited), 0);
  std::optional<Error> caught;
  try {
    write_processed_sales(dir.path() / "processed_sales_data.csv", sales);
  } catch (const Error& error) {
    caught = error;
  }
  setrlimit(RLIMIT_FSIZE, &before);
  std::signal(SIGXFSZ, old_handler);
  ASSERT_TRUE(caught.has_value()) << "the write past the limit succeeded";
  EXPECT_EQ(caught->kind(), ErrorKind::Output);
  EXPECT_NE(std::string(caught->what()).find("processed_sales_data.csv: cannot write"),
            std::string::npos)
      << caught->what();
}

}  // namespace
}  // namespace salespipe::io::warehouse
