#include "io/xlsx/sample_export.hpp"

#include <fmt/format.h>

namespace salespipe::io::xlsx::testing {
namespace {

std::uint32_t code_of(Dictionary& dictionary, std::string_view name) {
  for (std::uint32_t code = 0; code < dictionary.size(); ++code) {
    if (dictionary.name(code) == name) {
      return code;
    }
  }
  dictionary.names.push_back(name);
  return static_cast<std::uint32_t>(dictionary.size() - 1);
}

Date day(int y, unsigned m, unsigned d) { return make_date(y, m, d).value(); }

}  // namespace

void add_sale(SalesTable& sales, std::string_view sale_id, std::string_view product,
              std::string_view customer, Money price, std::int64_t quantity, Date date,
              const Sentiment* sentiment, Date review_date,
              std::initializer_list<std::string_view> extra) {
  sales.sale_id.push_back(sale_id);
  sales.product.push_back(code_of(sales.products, product));
  sales.customer.push_back(code_of(sales.customers, customer));
  sales.sale_price.push_back(price);
  sales.quantity.push_back(quantity);
  sales.sale_date.push_back(date);
  sales.total_revenue.push_back(checked_multiply(price, quantity).value());
  sales.has_review.push_back(sentiment != nullptr ? 1 : 0);
  sales.sentiment.push_back(sentiment != nullptr ? *sentiment : 0.0);
  sales.review_date.push_back(sentiment != nullptr ? review_date : Date{});
  sales.source_line.push_back(sales.source_line.size() + 2);
  std::size_t c = 0;
  for (const std::string_view value : extra) {
    sales.extra.values.at(c++).push_back(value);
  }
}

std::unique_ptr<SampleExport> make_sample(std::size_t extra_sales) {
  auto sample = std::make_unique<SampleExport>();
  SalesTable& sales = sample->sales;
  sales.extra.names = {"region", "note"};
  sales.extra.values.resize(2);
  const Sentiment good = 4.5;
  const Sentiment poor = 2.0;
  const Sentiment middling = 3.25;
  add_sale(sales, "S1", "P001", "C1", Money{1'500'500}, 2, day(2023, 1, 15), &good,
           day(2023, 1, 20), {"North", "=1+1"});
  add_sale(sales, "S2", "P002", "C1", Money{12'345'000}, 1, day(2023, 2, 1), nullptr, Date{},
           {"South", "+SUM(A1:A2)"});
  add_sale(sales, "S3", "P001", "C2", Money{99'900}, 10, day(2023, 3, 15), &poor, day(2023, 3, 16),
           {"East", "-2"});
  add_sale(sales, "S4", "P003", "C3", Money{5'000}, 3, day(2023, 3, 31), &middling, day(2023, 4, 1),
           {"West", "@cmd"});
  for (std::size_t i = 0; i < extra_sales; ++i) {
    const std::string id = fmt::format("S{}", 5 + i);
    const std::string customer = fmt::format("C{}", 1 + i % 3);
    add_sale(sales, id, "P004", customer, Money{10'000}, 1, day(2023, 1, 1), nullptr, Date{},
             {"North", ""});
  }

  ExportData& data = sample->data;
  data.sales = &sample->sales;
  data.segment_of_customer = {"VIP", "Non-VIP", "Non-VIP"};  // C1, C2, C3 by code
  ExportCustomers& customers = data.customers;
  const struct {
    const char* id;
    const char* segment;
    std::int64_t total;
    std::int64_t frequency;
    double average;
    std::int64_t recency;
    std::int32_t cluster;
  } rows[] = {{"C1", "VIP", 15'346'000, 2, 767.3, 58, 1},
              {"C2", "Non-VIP", 999'000, 1, 99.9, 16, 0},
              {"C3", "Non-VIP", 15'000, 1, 1.5, 0, 0}};
  for (const auto& row : rows) {
    customers.customer_id.push_back(row.id);
    customers.segment.push_back(row.segment);
    customers.total_purchase_amount.push_back(Money{row.total});
    customers.purchase_frequency.push_back(row.frequency);
    customers.avg_transaction_value.push_back(row.average);
    customers.recency_days.push_back(row.recency);
    customers.cluster.push_back(row.cluster);
  }
  data.top_products_header = {"rank",  "product_id",    "revenue",   "share",
                              "units", "avg_sentiment", "change_pct"};
  data.top_products_rows = {{"1", "P002", "$1,234.50", "75.8%", "1", "", "new"},
                            {"2", "P001", "400.00", "0.2454", "12", "3.25", "-12.50"},
                            {"3", "123", "1.50", "0.0009", "3", "3.25", "0.00"}};
  data.period_label = "2023 Q1";
  return sample;
}

}  // namespace salespipe::io::xlsx::testing
