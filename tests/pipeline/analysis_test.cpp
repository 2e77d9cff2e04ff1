// The analyze stage as `salespipe analyze` and `salespipe run` use it: from the warehouse (or the
// tables in memory) to the report model, the report files, the charts and the warehouse table.
#include "pipeline/analysis.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/sql/sqlite_handle.hpp"
#include "io/warehouse/commit.hpp"
#include "pipeline/etl.hpp"
#include "pipeline/segmentation.hpp"
#include "testing/testing.hpp"

namespace salespipe::pipeline {
namespace {
namespace fs = std::filesystem;
using testing::read_file;
using testing::TempDir;
using testing::write_file;

// Two quarters of sales: 2023 Q1 (partial: the last sale is on 20 March) and 2022 Q4 to compare
// with. P2's revenue falls, P1 holds most of Q1's revenue, 2 of the 5 Q1 sales have no review,
// and one sale is rejected for its missing price.
constexpr std::string_view kSales =
    "sale_id,product_id,customer_id,sale_price,quantity,sale_date\n"
    "S1,P1,C1,100.00,2,2023-01-05\n"
    "S2,P1,C2,100.00,1,2023-02-10\n"
    "S3,P2,C1,50.00,1,2023-03-01\n"
    "S4,P2,C3,50.00,3,2023-03-20\n"
    "S5,P3,C4,20.00,1,2023-01-15\n"
    "S6,P1,C1,100.00,1,2022-11-01\n"
    "S7,P2,C2,400.00,1,2022-12-01\n"
    "S8,P4,C5,,1,2023-01-20\n";

// C1's first review of P1 is superseded; P9 and C9 appear only in reviews.
constexpr std::string_view kFeedback = R"([
{"customer_id": "C1", "product_id": "P1", "sentiment_score": 4, "review_date": "2023-01-01"},
{"customer_id": "C1", "product_id": "P1", "sentiment_score": 5, "review_date": "2023-01-06"},
{"customer_id": "C2", "product_id": "P1", "sentiment_score": 4, "review_date": "2023-02-11"},
{"customer_id": "C3", "product_id": "P2", "sentiment_score": 2, "review_date": "2023-03-21"},
{"customer_id": "C9", "product_id": "P9", "sentiment_score": 3, "review_date": "2023-01-02"},
{"customer_id": "C9", "product_id": "P1", "sentiment_score": 1, "review_date": "2023-01-03"}
])";

class Analysis : public ::testing::Test {
 protected:
  EtlResult etl(const fs::path& out, std::string_view sales = kSales) {
    write_file(inputs_ / "sales.csv", sales);
    write_file(inputs_ / "feedback.json", kFeedback);
    EtlOptions options;
    options.sales = inputs_ / "sales.csv";
    options.feedback = inputs_ / "feedback.json";
    options.out = out;
    options.now_utc = [] { return std::string("2026-01-01T00:00:00Z"); };
    return run_etl(options);
  }
  static AnalysisOptions options(const fs::path& out, std::size_t top = 2) {
    AnalysisOptions o;
    o.out = out;
    o.top = top;
    o.version = "1.2.3";
    return o;
  }
  static void segment(const fs::path& out) {
    SegmentOptions o;
    o.out = out;
    segment_from_files(o);
  }

  TempDir inputs_;
  TempDir out_;
};

using salespipe::testing::error_of;

const report::Fact* find_fact(const std::vector<report::Fact>& facts, std::string_view label) {
  const auto it = std::find_if(facts.begin(), facts.end(),
                               [&](const report::Fact& fact) { return fact.label == label; });
  return it == facts.end() ? nullptr : &*it;
}

TEST_F(Analysis, BuildsTheModelFromAHandMadeWarehouse) {
  etl(out_.path());
  const AnalysisResult result = analyze_from_files(options(out_.path()));
  const report::ReportModel& model = result.report;
  EXPECT_EQ(model.title, "Sales report: 2023 Q1");
  EXPECT_EQ(model.business_question,
            "Which 2 products brought the most revenue in 2023 Q1, and how do customers rate "
            "them?");
  EXPECT_EQ(model.period, "2023 Q1 (1 Jan 2023 to 31 Mar 2023)");
  EXPECT_EQ(model.previous_period, "2022 Q4 (1 Oct 2022 to 31 Dec 2022)");
  EXPECT_EQ(model.partial_note,
            "2023 Q1 is not complete in the data: the latest sale is dated 20 Mar 2023, so its "
            "figures cover only part of the period.");

  const report::Table& table = model.top_products.table;
  EXPECT_EQ(table.headers,
            (std::vector<std::string>{"Rank", "Product", "Revenue", "Share of revenue", "Units",
                                      "Orders", "Customers", "Avg sentiment", "Reviews",
                                      "Revenue in 2022 Q4", "Change"}));
  ASSERT_EQ(table.rows.size(), 2u);
  // P1: 2 x 100 + 100 of 520; reviews 5 (C1's latest), 4 (C2), 1 (C9, who never bought it).
  EXPECT_EQ(table.rows[0], (std::vector<std::string>{"1", "P1", "$300.00", "57.7%", "3", "2", "2",
                                                     "3.33", "3", "$100.00", "+200.0%"}));
  EXPECT_EQ(table.rows[1], (std::vector<std::string>{"2", "P2", "$200.00", "38.5%", "4", "2", "2",
                                                     "2.00", "1", "$400.00", "-50.0%"}));
  EXPECT_EQ(model.top_products.product_ids, (std::vector<std::string>{"P1", "P2"}));
  EXPECT_EQ(model.top_products.revenue, (std::vector<double>{300.0, 200.0}));
  ASSERT_TRUE(model.top_products.all_product_avg_sentiment.has_value());
  EXPECT_DOUBLE_EQ(*model.top_products.all_product_avg_sentiment, 3.0);  // 5, 4, 2, 3, 1

  const report::Fact* revenue = find_fact(model.headline, "Revenue");
  ASSERT_NE(revenue, nullptr);
  EXPECT_EQ(revenue->value, "$520.00");
  EXPECT_EQ(revenue->note, "5 sales in 2023 Q1");
  const report::Fact* change = find_fact(model.headline, "Change in revenue");
  ASSERT_NE(change, nullptr);
  EXPECT_EQ(change->value, "+4.0%");
  EXPECT_EQ(change->note, "against $500.00 in 2022 Q4");
  const report::Fact* sentiment = find_fact(model.headline, "Average sentiment");
  ASSERT_NE(sentiment, nullptr);
  EXPECT_EQ(sentiment->value, "3.00 / 5");
  EXPECT_EQ(sentiment->note, "all products, 5 latest reviews");
  ASSERT_FALSE(model.summary.empty());
  EXPECT_EQ(model.summary[0],
            "In 2023 Q1, 5 sales of 3 products brought $520.00 in revenue. That is $20.00 more "
            "than in 2022 Q4 ($500.00).");

  // P2 fell, P1 holds 57.7%, 40% of the sales have no review.
  std::vector<std::string> ids;
  for (const auto& insight : result.insights) {
    ids.push_back(insight.id);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"revenue_fell", "concentration", "missing_reviews"}));
  ASSERT_EQ(model.insights.size(), 3u);
  EXPECT_EQ(model.insights[0].sentence,
            "P2's revenue fell 50.0% against 2022 Q4, from $400.00 to $200.00.");
  EXPECT_EQ(model.insights[0].numbers[0].label, "Previous revenue");
  EXPECT_EQ(model.recommendations.size(), 3u);
  EXPECT_FALSE(model.segmentation.has_value());

  // Data quality and provenance come from the run manifest.
  const report::Fact* read = find_fact(model.quality.overview, "Sales rows read");
  ASSERT_NE(read, nullptr);
  EXPECT_EQ(read->value, "8");
  const report::Fact* orphans =
      find_fact(model.quality.overview, "Latest reviews without a loaded sale");
  ASSERT_NE(orphans, nullptr);
  EXPECT_EQ(orphans->value, "2");
  ASSERT_EQ(model.quality.rejects.rows.size(), 1u);
  EXPECT_EQ(model.quality.rejects.rows[0][0], "Sales");
  EXPECT_EQ(model.quality.rejects.rows[0][1], "missing_price");
  EXPECT_EQ(model.quality.rejects.rows[0][2], "1");
  EXPECT_EQ(model.quality.rejects.rows[0][3], "line 9: (empty)");
  ASSERT_EQ(model.quality.missing.rows.size(), 1u);
  EXPECT_EQ(model.quality.missing.rows[0], (std::vector<std::string>{"Sales", "sale_price", "1"}));
  ASSERT_EQ(model.provenance.inputs.rows.size(), 2u);
  EXPECT_EQ(model.provenance.inputs.rows[0][0], "Sales");
  EXPECT_EQ(model.provenance.inputs.rows[0][2], std::to_string(kSales.size()) + " bytes");
  EXPECT_EQ(model.provenance.inputs.rows[0][3].size(), 32u);
  EXPECT_EQ(model.provenance.version, "salespipe 1.2.3");
}

TEST_F(Analysis, FromFilesGivesTheSameReportAsTheTablesInMemory) {
  // In memory the reviews' ids share the run's dictionaries; from files the reviews' own ids (P9,
  // C9) are appended to the dictionaries of processed_sales_data.csv. Both must say the same.
  const EtlResult loaded = etl(out_.path());
  TempDir memory;
  const AnalysisResult in_memory = analyze_tables(options(memory.path()), loaded.sales,
                                                  loaded.reviews, loaded.manifest_json, {});
  const AnalysisResult from_files = analyze_from_files(options(out_.path()));
  EXPECT_EQ(in_memory.top.all_product_review_count, 5u);
  EXPECT_EQ(from_files.top.all_product_review_count, 5u);
  ASSERT_EQ(from_files.top.rows.size(), 2u);
  EXPECT_EQ(from_files.top.rows[0].review_count, 3u);
  for (const char* name : {"reports/report.html", "reports/report.md", "reports/top_products.csv",
                           "images/revenue_chart.svg", "images/sentiment_chart.png"}) {
    EXPECT_TRUE(read_file(memory / name) == read_file(out_ / name)) << name;
  }
}

TEST_F(Analysis, WritesEveryOutputByTheCommitProtocol) {
  etl(out_.path());
  const AnalysisResult result = analyze_from_files(options(out_.path()));
  std::vector<std::string> written;
  for (const auto& path : result.outputs) {
    written.push_back(fs::relative(path, out_.path()).string());
  }
  EXPECT_EQ(written,
            (std::vector<std::string>{"images/revenue_chart.png", "images/revenue_chart.svg",
                                      "images/sentiment_chart.png", "images/sentiment_chart.svg",
                                      "reports/top_products.csv", "reports/report.md",
                                      "reports/report.html", "data_warehouse/warehouse.sqlite"}));
  EXPECT_TRUE(testing::entries_named_with(out_.path(), io::warehouse::kTempMarker).empty());
  EXPECT_FALSE(fs::exists(out_ / "images/vip_table.png"));
  const std::string html = read_file(out_ / "reports/report.html");
  EXPECT_NE(html.find("<h1>Sales report: 2023 Q1</h1>"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  const std::string md = read_file(out_ / "reports/report.md");
  EXPECT_NE(md.find("| 1 | P1 | $300.00 | 57.7% |"), std::string::npos) << md;
  EXPECT_EQ(read_file(out_ / "reports/top_products.csv"),
            "rank,product_id,revenue,share,units,orders,customers,avg_sentiment,review_count,"
            "previous_revenue,change,change_pct\n"
            "1,P1,300.00,0.5769,3,2,2,3.3333,3,100.00,200.00,200.00\n"
            "2,P2,200.00,0.3846,4,2,2,2.0000,1,400.00,-200.00,-50.00\n");
  EXPECT_EQ(read_file(out_ / "images/revenue_chart.png").substr(1, 3), "PNG");
  EXPECT_EQ(read_file(out_ / "images/sentiment_chart.svg").rfind("<?xml", 0), 0u);
}

TEST_F(Analysis, TwoRunsWriteTheSameBytes) {
  etl(out_.path());
  analyze_from_files(options(out_.path()));
  const auto first = testing::files_under(out_ / "reports");
  const auto first_images = testing::files_under(out_ / "images");
  analyze_from_files(options(out_.path()));
  EXPECT_TRUE(testing::files_under(out_ / "reports") == first);
  EXPECT_TRUE(testing::files_under(out_ / "images") == first_images);
  EXPECT_EQ(first.size(), 3u);
  EXPECT_EQ(first_images.size(), 4u);
}

TEST_F(Analysis, FillsTheTopProductsTableOfTheWarehouse) {
  etl(out_.path());
  analyze_from_files(options(out_.path(), 3));
  const io::sql::detail::Connection db(out_ / "data_warehouse/warehouse.sqlite",
                                       SQLITE_OPEN_READONLY);
  io::sql::detail::Statement select(
      db,
      "SELECT period, rank, product_id, revenue, revenue_units, units, orders, "
      "distinct_customers, avg_sentiment, review_count, previous_revenue, revenue_change "
      "FROM top_products ORDER BY rank",
      "test");
  std::vector<std::string> rows;
  while (select.step()) {
    std::string row;
    for (int c = 0; c < 12; ++c) {
      row += c == 0 ? "" : "|";
      row += select.column_is_null(c) ? "NULL" : std::string(select.column_text(c));
    }
    rows.push_back(row);
  }
  EXPECT_EQ(rows, (std::vector<std::string>{
                      "2023 Q1|1|P1|300.0|3000000|3|2|2|3.33333333333333|3|100.0|200.0",
                      "2023 Q1|2|P2|200.0|2000000|4|2|2|2.0|1|400.0|-200.0",
                      "2023 Q1|3|P3|20.0|200000|1|1|1|NULL|0|0.0|20.0"}));
}

TEST_F(Analysis, AFailedRunLeavesTheEarlierReports) {
  etl(out_.path());
  analyze_from_files(options(out_.path(), 2));
  const auto before = testing::files_under(out_.path());

  // A period without sales stops before anything is written.
  AnalysisOptions empty = options(out_.path(), 3);
  empty.period = "2021Q1";
  const Error no_sales = error_of([&] { analyze_from_files(empty); });
  EXPECT_EQ(no_sales.kind(), ErrorKind::Input);
  EXPECT_NE(std::string(no_sales.what()).find("no loaded sales in 2021 Q1"), std::string::npos)
      << no_sales.what();

  // A directory where a chart goes: the commit fails at its first rename, after every new file
  // was written to a temp file.
  fs::remove(out_ / "images/revenue_chart.png");
  fs::create_directories(out_ / "images/revenue_chart.png/blocker");
  const Error blocked = error_of([&] { analyze_from_files(options(out_.path(), 3)); });
  EXPECT_EQ(blocked.kind(), ErrorKind::Output);
  fs::remove_all(out_ / "images/revenue_chart.png");

  auto after = testing::files_under(out_.path());
  EXPECT_EQ(after.erase("images/revenue_chart.png"), 0u);
  auto expected = before;
  expected.erase("images/revenue_chart.png");
  for (const char* name : {"reports/report.html", "reports/report.md", "reports/top_products.csv",
                           "data_warehouse/warehouse.sqlite"}) {
    EXPECT_TRUE(after[name] == expected[name]) << name;
  }
  EXPECT_TRUE(testing::entries_named_with(out_.path(), io::warehouse::kTempMarker).empty());
}

TEST_F(Analysis, IncludesTheSegmentationWhenSegmentRanAfterTheLatestEtl) {
  etl(out_.path());
  segment(out_.path());
  const AnalysisResult result = analyze_from_files(options(out_.path()));
  ASSERT_TRUE(result.report.segmentation.has_value());
  const report::SegmentationSection& s = *result.report.segmentation;
  EXPECT_EQ(s.segments.headers,
            (std::vector<std::string>{"Segment", "Customers", "Share of customers", "Revenue",
                                      "Share of revenue", "Mean total spend", "Mean purchases",
                                      "Mean order value"}));
  ASSERT_EQ(s.segments.rows.size(), 2u);
  EXPECT_EQ(s.segments.rows[0][0], "VIP");
  ASSERT_FALSE(s.vip_customers.rows.empty());
  // Highest spend first.
  EXPECT_EQ(s.vip_customers.headers.size(), 5u);
  double previous = 1e300;
  for (const auto& row : s.vip_customers.rows) {
    const double spend = std::stod(row[1].substr(1));
    EXPECT_LE(spend, previous);
    previous = spend;
  }
  EXPECT_EQ(s.summary,
            "K-Means grouped the 4 customers who bought into 2 segments by total spend, number of "
            "purchases and average order value. The VIP segment is the one with the highest mean "
            "total spend.");
  EXPECT_NE(find_fact(s.quality, "Silhouette score"), nullptr);
  EXPECT_NE(find_fact(result.report.headline, "VIP share of revenue"), nullptr);
  const auto vip_insight = std::find_if(result.insights.begin(), result.insights.end(),
                                        [](const auto& i) { return i.id == "vip_share"; });
  EXPECT_NE(vip_insight, result.insights.end());
  EXPECT_EQ(read_file(out_ / "images/vip_table.png").substr(1, 3), "PNG");
  EXPECT_NE(read_file(out_ / "reports/report.md").find("](../images/vip_table.png)"),
            std::string::npos);

  // A new etl writes a manifest without the section: the old segments no longer count, and the
  // VIP table image of the earlier report goes with them.
  etl(out_.path());
  const AnalysisResult stale = analyze_from_files(options(out_.path()));
  EXPECT_FALSE(stale.report.segmentation.has_value());
  EXPECT_TRUE(fs::exists(out_ / "data_warehouse/customer_segments.csv"));
  EXPECT_FALSE(fs::exists(out_ / "images/vip_table.png"));
}

TEST_F(Analysis, TakesTheSegmentInputsOfARunInMemory) {
  // As `salespipe run` hands them over: flags by customer code, the VIP rows, the summary (here
  // with money as a string, which keeps its decimals exact).
  const EtlResult loaded = etl(out_.path());
  SegmentInputs segments;
  segments.is_vip.assign(loaded.sales.customers.size(), 0);
  for (std::uint32_t code = 0; code < loaded.sales.customers.size(); ++code) {
    if (loaded.sales.customers.name(code) == "C2") {
      segments.is_vip[code] = 1;
    }
  }
  segments.vip_table_rows = {{"C2", "500.00", "2", "250.00", "39", "VIP"}};
  segments.summary_json =
      R"({"k":2,"features":["total_purchase_amount","recency_days"],"customers":4,)"
      R"("inertia":0.5,"silhouette":null,"iterations":3,"vip_cluster":1,"segments":[)"
      R"({"name":"VIP","cluster":1,"size":1,"centre":{"total_purchase_amount":500,)"
      R"("recency_days":39},"revenue":"500.00","revenue_share":0.5},)"
      R"({"name":"Non-VIP","cluster":0,"size":3,"centre":{"total_purchase_amount":173.3333,)"
      R"("recency_days":20.5},"revenue":520.0,"revenue_share":0.5}]})";
  const AnalysisResult result = analyze_tables(options(out_.path()), loaded.sales, loaded.reviews,
                                               loaded.manifest_json, segments);
  ASSERT_TRUE(result.report.segmentation.has_value());
  const report::SegmentationSection& s = *result.report.segmentation;
  EXPECT_EQ(s.segments.rows, (std::vector<std::vector<std::string>>{
                                 {"VIP", "1", "25.0%", "$500.00", "50.0%", "$500.00", "39"},
                                 {"Non-VIP", "3", "75.0%", "$520.00", "50.0%", "$173.33", "21"}}));
  EXPECT_EQ(s.segments.headers.back(), "Mean days since last purchase");
  EXPECT_EQ(find_fact(s.quality, "Silhouette score"), nullptr);  // null: not computed
  EXPECT_EQ(s.vip_customers.rows,
            (std::vector<std::vector<std::string>>{{"C2", "$500.00", "2", "$250.00", "39"}}));
  EXPECT_EQ(s.vip_customers_note,
            "1 of 1 VIP customer, highest total spend first. Spend and purchases are over all "
            "loaded sales; days are counted back from the latest sale.");
  // C2 bought S2 ($100.00) of the $520.00 in 2023 Q1.
  const report::Fact* share = find_fact(result.report.headline, "VIP share of revenue");
  ASSERT_NE(share, nullptr);
  EXPECT_EQ(share->value, "19.2%");

  segments.summary_json = "{\"k\": ";
  const Error broken = error_of([&] {
    analyze_tables(options(out_.path()), loaded.sales, loaded.reviews, loaded.manifest_json,
                   segments);
  });
  EXPECT_EQ(broken.kind(), ErrorKind::Input);
  EXPECT_EQ(std::string(broken.what()).rfind("the segmentation summary: not valid JSON", 0), 0u)
      << broken.what();
}

TEST_F(Analysis, WithoutAWarehouseAsksForEtlFirst) {
  const Error missing = error_of([&] { analyze_from_files(options(out_.path())); });
  EXPECT_EQ(missing.kind(), ErrorKind::Input);
  EXPECT_EQ(std::string(missing.what()),
            (out_ / "data_warehouse/processed_sales_data.csv").string() +
                ": no processed sales here: run `salespipe etl` first");
  EXPECT_FALSE(fs::exists(out_ / "reports"));
}

TEST_F(Analysis, WithoutTheWarehouseDatabaseAsksForEtlFirst) {
  etl(out_.path());
  fs::remove(out_ / "data_warehouse/warehouse.sqlite");
  const Error missing = error_of([&] { analyze_from_files(options(out_.path())); });
  EXPECT_EQ(missing.kind(), ErrorKind::Input);
  EXPECT_EQ(std::string(missing.what()),
            (out_ / "data_warehouse/warehouse.sqlite").string() +
                ": no warehouse database here: run `salespipe etl` first");
}

TEST_F(Analysis, WithoutTheManifestAsksForEtlFirst) {
  etl(out_.path());
  fs::remove(out_ / "data_warehouse/run_manifest.json");
  const Error missing = error_of([&] { analyze_from_files(options(out_.path())); });
  EXPECT_EQ(missing.kind(), ErrorKind::Input);
  EXPECT_EQ(std::string(missing.what()), (out_ / "data_warehouse/run_manifest.json").string() +
                                             ": no run manifest here: run `salespipe etl` first");
}

TEST_F(Analysis, ABrokenManifestIsBadInput) {
  etl(out_.path());
  write_file(out_ / "data_warehouse/run_manifest.json", "{\"counts\": ");
  const Error broken = error_of([&] { analyze_from_files(options(out_.path())); });
  EXPECT_EQ(broken.kind(), ErrorKind::Input);
  EXPECT_EQ(std::string(broken.what()).rfind("run_manifest.json: not valid JSON: ", 0), 0u)
      << broken.what();
  write_file(out_ / "data_warehouse/run_manifest.json", "[1, 2]");
  EXPECT_EQ(std::string(error_of([&] { analyze_from_files(options(out_.path())); }).what()),
            "run_manifest.json: not a JSON object");
}

TEST_F(Analysis, AWarehouseOfAnotherProgramIsBadInput) {
  etl(out_.path());
  const fs::path db = out_ / "data_warehouse/warehouse.sqlite";
  fs::remove(db);
  write_file(db, "not a database, just text that is long enough to have a header............");
  const Error error = error_of([&] { analyze_from_files(options(out_.path())); });
  EXPECT_EQ(error.kind(), ErrorKind::Input);
  EXPECT_EQ(std::string(error.what()).rfind(db.string() + ": ", 0), 0u) << error.what();
}

TEST(AnalysisOptions, RefusesABadPeriodAndAZeroTop) {
  AnalysisOptions options;
  options.period = "2023Q5";
  EXPECT_EQ(error_of([&] { options.validate(); }).kind(), ErrorKind::Usage);
  options.period = "all";
  options.top = 0;
  const Error zero = error_of([&] { options.validate(); });
  EXPECT_EQ(zero.kind(), ErrorKind::Usage);
  EXPECT_EQ(std::string(zero.what()), "--top must be at least 1");
  options.top = 1;
  options.out.clear();
  EXPECT_EQ(std::string(error_of([&] { options.validate(); }).what()),
            "the output folder must not be empty");
}

// ---------------------------------------------------------------------------------------------
// customer_segments.csv as analyze reads it.

class SegmentsCsv : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* id : {"C1", "C2", "C3"}) {
      sales_.customers.names.push_back(id);
    }
  }
  SegmentInputs read(std::string_view csv, std::optional<std::int64_t> vip_cluster = {}) {
    write_file(dir_ / "customer_segments.csv", csv);
    return read_segment_inputs(dir_ / "customer_segments.csv", sales_, vip_cluster);
  }
  std::string error(std::string_view csv) {
    const Error e = error_of([&] { read(csv); });
    EXPECT_EQ(e.kind(), ErrorKind::Input);
    const std::string text = e.what();
    const std::string prefix = (dir_ / "customer_segments.csv").string() + ":";
    EXPECT_EQ(text.rfind(prefix, 0), 0u) << text;
    return text.substr(prefix.size());
  }

  static constexpr std::string_view kHeader =
      "customer_id,total_purchase_amount,purchase_frequency,avg_transaction_value,recency_days,"
      "scaled_total_purchase_amount,cluster,segment,distance\n";
  SalesTable sales_;
  TempDir dir_;
};

TEST_F(SegmentsCsv, FlagsVipsByCustomerCodeAndSortsThemBySpend) {
  const SegmentInputs inputs = read(std::string(kHeader) +
                                    "C1,150.00,2,75.00,3,0.5,0,VIP,0.1\n"
                                    "C2,90.50,1,90.50,10,0.0,1,Non-VIP,0.2\n"
                                    "C3,300.25,4,75.06,0,1.0,0,VIP,0.3\n");
  EXPECT_EQ(inputs.is_vip, (std::vector<std::uint8_t>{1, 0, 1}));
  EXPECT_EQ(inputs.vip_table_rows,
            (std::vector<std::vector<std::string>>{{"C3", "300.25", "4", "75.06", "0", "VIP"},
                                                   {"C1", "150.00", "2", "75.00", "3", "VIP"}}));
  EXPECT_TRUE(inputs.summary_json.empty());
}

TEST_F(SegmentsCsv, TheVipClusterWinsOverTheSegmentName) {
  // With custom segment names the manifest's vip_cluster says which one is the VIP segment.
  const SegmentInputs inputs = read(std::string(kHeader) +
                                        "C1,150.00,2,75.00,3,0.5,0,Gold,0.1\n"
                                        "C2,90.50,1,90.50,10,0.0,1,VIP,0.2\n",
                                    0);
  EXPECT_EQ(inputs.is_vip, (std::vector<std::uint8_t>{1, 0, 0}));
}

TEST_F(SegmentsCsv, KeepsTheTopTwentyVips) {
  std::string csv(kHeader);
  for (int i = 0; i < 25; ++i) {
    sales_.customers.names.push_back("V" + std::to_string(i));
    csv += "V" + std::to_string(i) + "," + std::to_string(100 + i) + ".00,1,1.00,1,0,0,VIP,0\n";
  }
  const SegmentInputs inputs = read(csv);
  ASSERT_EQ(inputs.vip_table_rows.size(), 20u);
  EXPECT_EQ(inputs.vip_table_rows.front()[0], "V24");
  EXPECT_EQ(inputs.vip_table_rows.back()[0], "V5");
}

TEST_F(SegmentsCsv, RefusesACustomerWithoutALoadedSale) {
  EXPECT_EQ(
      error(std::string(kHeader) + "C1,1.00,1,1.00,1,0,0,VIP,0\nC7,1.00,1,1.00,1,0,0,VIP,0\n"),
      "3: customer C7 has no loaded sale: the segments are older than the sales; run "
      "`salespipe segment` again");
}

TEST_F(SegmentsCsv, RefusesAMissingColumn) {
  EXPECT_EQ(error("customer_id,total_purchase_amount,purchase_frequency,avg_transaction_value,"
                  "recency_days,cluster\nC1,1,1,1,1,0\n"),
            "1: no column segment: not a customer_segments.csv of salespipe");
}

TEST_F(SegmentsCsv, RefusesANumberThatDoesNotRead) {
  EXPECT_EQ(error(std::string(kHeader) + "C1,lots,1,1.00,1,0,0,VIP,0\n"),
            "2: total_purchase_amount \"lots\" is not a number");
}

TEST_F(SegmentsCsv, RefusesACustomerTwiceAndARowOfTheWrongShape) {
  EXPECT_EQ(error(std::string(kHeader) + "C1,1,1,1,1,0,0,VIP,0\nC1,1,1,1,1,0,0,VIP,0\n"),
            "3: customer C1 is listed twice");
  EXPECT_EQ(error(std::string(kHeader) + "C1,1,1\n"), "2: expected 9 fields, found 3");
}

TEST_F(SegmentsCsv, RefusesAClusterThatIsNotANumberWhenItMatters) {
  const Error e = error_of([&] { read(std::string(kHeader) + "C1,1,1,1,1,0,x,VIP,0\n", 0); });
  EXPECT_NE(std::string(e.what()).find(":2: cluster \"x\" is not a whole number"),
            std::string::npos)
      << e.what();
}

// ---------------------------------------------------------------------------------------------
// The lab's real inputs, through the real ETL.

TEST(AnalysisOnSeed, ReportNamesTheFirstQuarterAndTheGoldenTopFive) {
  SALESPIPE_REQUIRE_SEED();
  TempDir out;
  EtlOptions etl;
  etl.sales = testing::seed_dir() / "sale_price.csv";
  etl.feedback = testing::seed_dir() / "customer_feedback.json";
  etl.out = out.path();
  etl.now_utc = [] { return std::string("2026-01-01T00:00:00Z"); };
  run_etl(etl);
  AnalysisOptions options;
  options.out = out.path();
  options.version = "0.0.0";
  const AnalysisResult result = analyze_from_files(options);

  const std::string golden =
      read_file(fs::path(SALESPIPE_GOLDEN_DIR) / "seed" / "top_products.csv");
  EXPECT_EQ(read_file(out / "reports/top_products.csv"), golden);
  // The golden order, as the pandas reference ranks them.
  std::vector<std::string> order;
  for (std::size_t line = golden.find('\n'); line + 1 < golden.size();
       line = golden.find('\n', line + 1)) {
    const std::size_t start = golden.find(',', line) + 1;
    order.push_back(golden.substr(start, golden.find(',', start) - start));
  }
  ASSERT_EQ(order.size(), 5u);
  EXPECT_EQ(result.report.top_products.product_ids, order);

  const std::string html = read_file(out / "reports/report.html");
  const std::string md = read_file(out / "reports/report.md");
  EXPECT_NE(html.find("<h1>Sales report: 2023 Q1</h1>"), std::string::npos);
  EXPECT_NE(md.find("# Sales report: 2023 Q1\n"), std::string::npos);
  std::size_t previous = 0;
  for (const auto& product : order) {
    const std::size_t at = md.find("| " + product + " |");
    ASSERT_NE(at, std::string::npos) << product;
    EXPECT_GT(at, previous) << product;
    previous = at;
  }
  EXPECT_TRUE(result.report.partial_note.empty());  // the last sale is on 31 March
}

}  // namespace
}  // namespace salespipe::pipeline
