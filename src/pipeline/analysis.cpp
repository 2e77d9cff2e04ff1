#include "pipeline/analysis.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <system_error>

#include "analyze/format.hpp"
#include "analyze/period.hpp"
#include "core/error.hpp"
#include "core/interner.hpp"
#include "io/csv/reader.hpp"
#include "io/sql/warehouse.hpp"
#include "io/sql/warehouse_read.hpp"
#include "io/warehouse/commit.hpp"
#include "io/warehouse/csv_outputs.hpp"
#include "io/warehouse/text_file.hpp"
#include "pipeline/etl.hpp"

namespace salespipe::pipeline {
namespace fs = std::filesystem;
namespace dom = simdjson::dom;
namespace {

constexpr std::size_t kVipTableRows = 20;

// ---------------------------------------------------------------------------------------------
// Formatting for a business reader.

std::string group_digits(std::uint64_t value) {
  const std::string digits = std::to_string(value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      out += ',';
    }
    out += digits[i];
  }
  return out;
}

std::string count_of(std::uint64_t count, std::string_view one, std::string_view many) {
  return group_digits(count) + " " + std::string(count == 1 ? one : many);
}

// "1 Jan 2023": no reader mistakes it for 1 January or January 1 the way 01/02/2023 is misread.
std::string long_date(Date date) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::chrono::year_month_day ymd(date);
  return fmt::format("{} {} {}", static_cast<unsigned>(ymd.day()),
                     kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()));
}

std::string period_text(const analyze::Period& period) {
  return fmt::format("{} ({} to {})", period.label, long_date(period.first),
                     long_date(period.last));
}

std::string share_of(std::uint64_t part, std::uint64_t whole) {
  return whole == 0
             ? std::string("0.0%")
             : analyze::format_percent(static_cast<double>(part) / static_cast<double>(whole));
}

std::string signed_percent(double percent) {
  const std::string text = analyze::format_percent(percent / 100.0);
  return text.front() == '-' || text == "0.0%" ? text : "+" + text;
}

// The two-decimal value the CSV prints, as the nearest double (the warehouse's REAL columns).
double two_decimals(Money amount) { return std::strtod(format_money(amount).c_str(), nullptr); }

// A number from a CSV written by salespipe ("3689.27"), for sorting and display.
std::optional<double> read_number(std::string_view text) {
  if (text.empty() || text.size() > 64) {
    return std::nullopt;
  }
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// "total_purchase_amount" as a reader says it; unknown names are shown with spaces.
std::string feature_label(std::string_view name) {
  if (name == "total_purchase_amount") {
    return "Total spend";
  }
  if (name == "purchase_frequency") {
    return "Purchases";
  }
  if (name == "avg_transaction_value") {
    return "Avg order value";
  }
  if (name == "recency_days") {
    return "Days since last purchase";
  }
  std::string label(name);
  std::replace(label.begin(), label.end(), '_', ' ');
  return label;
}

std::string feature_value(std::string_view name, double value) {
  if (name == "total_purchase_amount" || name == "avg_transaction_value") {
    return report::format_currency(value, 2);
  }
  if (name == "recency_days") {
    return report::format_number(value, 0);
  }
  return report::format_number(value, 1);
}

// A feature as a sentence names it: "total spend, number of purchases and average order value".
std::string feature_phrase(std::string_view name) {
  if (name == "total_purchase_amount") {
    return "total spend";
  }
  if (name == "purchase_frequency") {
    return "number of purchases";
  }
  if (name == "avg_transaction_value") {
    return "average order value";
  }
  if (name == "recency_days") {
    return "days since the last purchase";
  }
  std::string label(name);
  std::replace(label.begin(), label.end(), '_', ' ');
  return label;
}

// The header of a segment-centre column: the segment's mean of the feature.
std::string centre_label(std::string_view name) {
  if (name == "avg_transaction_value") {
    return "Mean order value";
  }
  std::string label = feature_label(name);
  label[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(label[0])));
  return "Mean " + label;
}

// An insight number's name as a label: "period_vip_customers" -> "Period VIP customers".
std::string number_label(std::string_view name) {
  std::string label;
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t end = std::min(name.find('_', start), name.size());
    const std::string_view word = name.substr(start, end - start);
    label += label.empty() ? "" : " ";
    label += word == "vip" ? std::string("VIP") : std::string(word);
    start = end + 1;
  }
  if (!label.empty()) {
    label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
  }
  return label;
}

// ---------------------------------------------------------------------------------------------
// JSON lookups over simdjson's DOM, by error code: a manifest from an older or newer salespipe may
// lack a key, and the report then leaves that figure out rather than failing.

std::optional<dom::element> at(dom::element root, std::string_view pointer) {
  dom::element out;
  if (root.at_pointer(pointer).get(out) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return out;
}

std::optional<std::uint64_t> uint_at(dom::element root, std::string_view pointer) {
  std::uint64_t value = 0;
  const auto element = at(root, pointer);
  if (!element || element->get_uint64().get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> int_at(dom::element root, std::string_view pointer) {
  std::int64_t value = 0;
  const auto element = at(root, pointer);
  if (!element || element->get_int64().get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return value;
}

std::optional<double> double_at(dom::element root, std::string_view pointer) {
  double value = 0;
  const auto element = at(root, pointer);
  if (!element || element->get_double().get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return value;
}

// A number written as a JSON number or as a numeric string ("12345.67", as money may be written
// to keep its exact decimals).
std::optional<double> amount_at(dom::element root, std::string_view pointer) {
  if (const auto number = double_at(root, pointer)) {
    return number;
  }
  std::string_view text;
  const auto element = at(root, pointer);
  if (!element || element->get_string().get(text) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return read_number(text);
}

std::optional<std::string> string_at(dom::element root, std::string_view pointer) {
  std::string_view value;
  const auto element = at(root, pointer);
  if (!element || element->get_string().get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return std::string(value);
}

std::optional<dom::array> array_at(dom::element root, std::string_view pointer) {
  dom::array value;
  const auto element = at(root, pointer);
  if (!element || element->get_array().get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return value;
}

std::optional<dom::object> object_at(dom::element root, std::string_view pointer) {
  dom::object value;
  const auto element = at(root, pointer);
  if (!element || element->get_object().get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return value;
}

std::optional<bool> bool_at(dom::element root, std::string_view pointer) {
  bool value = false;
  const auto element = at(root, pointer);
  if (!element || element->get_bool().get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return value;
}

// A parsed JSON text. The parser owns the elements' memory, so the two live together.
struct JsonDocument {
  dom::parser parser;
  dom::element root;
  bool present = false;
};

void parse_json(JsonDocument& doc, std::string_view text, std::string_view what) {
  if (text.empty()) {
    return;
  }
  const simdjson::padded_string padded(text);
  const simdjson::error_code error = doc.parser.parse(padded).get(doc.root);
  if (error != simdjson::SUCCESS) {
    throw Error(ErrorKind::Input, Location{std::string(what), 0, 0},
                fmt::format("not valid JSON: {}", simdjson::error_message(error)));
  }
  if (!doc.root.is_object()) {
    throw Error(ErrorKind::Input, Location{std::string(what), 0, 0}, "not a JSON object");
  }
  doc.present = true;
}

// ---------------------------------------------------------------------------------------------
// The report model, section by section.

report::Table make_table(std::vector<std::string> headers, std::vector<bool> numeric) {
  report::Table table;
  table.headers = std::move(headers);
  table.numeric = std::move(numeric);
  return table;
}

bool has_comparison(const analyze::TopProducts& top) {
  return top.previous.has_value() && top.previous_sales > 0;
}

void fill_top_products(report::ReportModel& model, const analyze::TopProducts& top) {
  report::TopProductsSection& section = model.top_products;
  const bool compare = has_comparison(top);
  section.heading = top.rows.size() == 1
                        ? std::string("Top product by revenue")
                        : fmt::format("Top {} products by revenue", top.rows.size());
  std::vector<std::string> headers = {"Rank",   "Product", "Revenue",   "Share of revenue",
                                      "Units",  "Orders",  "Customers", "Avg sentiment",
                                      "Reviews"};
  std::vector<bool> numeric = {true, false, true, true, true, true, true, true, true};
  if (compare) {
    headers.push_back("Revenue in " + top.previous->label);
    headers.emplace_back("Change");
    numeric.insert(numeric.end(), {true, true});
  }
  section.table = make_table(std::move(headers), std::move(numeric));
  for (const analyze::ProductRow& row : top.rows) {
    std::vector<std::string> cells = {
        std::to_string(row.rank),
        row.product_id,
        analyze::format_dollars(row.revenue),
        analyze::format_percent(row.share),
        group_digits(static_cast<std::uint64_t>(std::max<std::int64_t>(row.units, 0))),
        group_digits(row.orders),
        group_digits(row.customers),
        row.avg_sentiment ? analyze::format_sentiment(*row.avg_sentiment) : "n/a",
        group_digits(row.review_count)};
    if (compare) {
      const auto& change = row.change;
      cells.push_back(change ? analyze::format_dollars(change->previous_revenue) : "");
      if (!change) {
        cells.emplace_back("");
      } else if (change->is_new()) {
        cells.emplace_back("new");
      } else {
        cells.push_back(signed_percent(change->percent.value_or(0.0)));
      }
    }
    section.table.rows.push_back(std::move(cells));
    section.product_ids.push_back(row.product_id);
    section.revenue.push_back(to_double(row.revenue));
    section.avg_sentiment.push_back(row.avg_sentiment);
  }
  section.all_product_avg_sentiment = top.all_product_avg_sentiment;
  section.revenue_chart_title = "Revenue by product, " + top.period.label;
  section.sentiment_chart_title = "Average sentiment by product";
  section.sentiment_chart_subtitle =
      "Mean of each customer's latest review of the product, from 1 (worst) to 5 (best)";

  section.notes.push_back(
      fmt::format("Share of revenue: the product's part of all {} revenue ({}).", top.period.label,
                  analyze::format_dollars(top.period_revenue)));
  section.notes.push_back(
      fmt::format("Customers: distinct customers who bought the product in {}.", top.period.label));
  section.notes.emplace_back(
      "Avg sentiment: the mean of each customer's latest review of the product, on a scale from "
      "1 (worst) to 5 (best), whatever the review's date; Reviews: how many such reviews. The "
      "original lab weighted each review by its customer's purchases instead.");
  if (top.previous && !compare) {
    section.notes.push_back(fmt::format(
        "No loaded sale is dated in {}, the period before, so there is no change to show.",
        top.previous->label));
  }
  if (top.products_sold > top.rows.size()) {
    section.notes.push_back(fmt::format("{} products sold in {}; the top {} are shown.",
                                        group_digits(top.products_sold), top.period.label,
                                        top.rows.size()));
  }
}

void fill_insights(report::ReportModel& model, const std::vector<analyze::Insight>& fired) {
  for (const analyze::Insight& insight : fired) {
    report::InsightItem item;
    item.sentence = insight.sentence;
    for (const analyze::InsightNumber& number : insight.numbers) {
      item.numbers.push_back({number_label(number.name), number.text, ""});
    }
    model.insights.push_back(std::move(item));
  }
  model.recommendations = analyze::recommendations(fired);
}

// The rows of the segments table and the quality facts, from the segmentation summary.
void fill_segments(report::SegmentationSection& section, dom::element summary,
                   std::optional<std::uint64_t>& customers) {
  customers = uint_at(summary, "/customers");
  std::vector<std::string> features;
  if (const auto list = array_at(summary, "/features")) {
    for (const dom::element name : *list) {
      std::string_view text;
      if (name.get_string().get(text) == simdjson::SUCCESS) {
        features.emplace_back(text);
      }
    }
  }
  std::vector<std::string> headers = {"Segment", "Customers", "Share of customers", "Revenue",
                                      "Share of revenue"};
  std::vector<bool> numeric = {false, true, true, true, true};
  for (const auto& feature : features) {
    headers.push_back(centre_label(feature));
    numeric.push_back(true);
  }
  section.segments = make_table(std::move(headers), std::move(numeric));
  if (const auto list = array_at(summary, "/segments")) {
    for (const dom::element segment : *list) {
      const std::uint64_t size = uint_at(segment, "/size").value_or(0);
      std::vector<std::string> row = {
          string_at(segment, "/name").value_or(""), group_digits(size),
          customers ? share_of(size, *customers) : "",
          amount_at(segment, "/revenue")
              ? report::format_currency(*amount_at(segment, "/revenue"), 2)
              : "",
          double_at(segment, "/revenue_share")
              ? analyze::format_percent(*double_at(segment, "/revenue_share"))
              : ""};
      for (const auto& feature : features) {
        // Feature names are plain snake_case words, so they need no JSON-pointer escaping.
        const auto value = double_at(segment, "/centre/" + feature);
        row.push_back(value ? feature_value(feature, *value) : "");
      }
      section.segments.rows.push_back(std::move(row));
    }
  }

  std::string feature_list;
  for (std::size_t i = 0; i < features.size(); ++i) {
    feature_list += i == 0 ? "" : (i + 1 == features.size() ? " and " : ", ");
    feature_list += feature_phrase(features[i]);
  }
  const auto k = uint_at(summary, "/k");
  section.summary = fmt::format(
      "K-Means grouped the {} into {} by {}. The VIP segment is the one with the highest mean "
      "total spend.",
      customers ? count_of(*customers, "customer who bought", "customers who bought")
                : std::string("customers"),
      k ? count_of(*k, "segment", "segments") : std::string("segments"),
      feature_list.empty() ? std::string("their purchases") : feature_list);

  if (const auto silhouette = double_at(summary, "/silhouette")) {
    const bool sampled = bool_at(summary, "/silhouette_sampled").value_or(false);
    section.quality.push_back(
        {"Silhouette score", report::format_number(*silhouette, 3),
         std::string("from -1 to 1; above 0.5 the segments are well apart, near 0 they overlap") +
             (sampled ? " (on a sample of customers)" : "")});
  }
  if (const auto inertia = double_at(summary, "/inertia")) {
    section.quality.push_back({"Inertia", report::format_number(*inertia, 4),
                               "sum of squared distances to the segment centres, on features "
                               "scaled to 0..1"});
  }
  if (const auto iterations = uint_at(summary, "/iterations")) {
    section.quality.push_back({"Iterations", group_digits(*iterations), ""});
  }
}

void fill_segmentation(report::ReportModel& model, const SegmentInputs& segments,
                       const JsonDocument& summary) {
  report::SegmentationSection section;
  std::optional<std::uint64_t> customers;
  if (summary.present) {
    fill_segments(section, summary.root, customers);
  } else {
    section.summary = "The segmentation summary is missing, so only the VIP customers are shown.";
  }
  std::uint64_t vip_count = 0;
  for (const std::uint8_t flag : segments.is_vip) {
    vip_count += flag != 0 ? 1 : 0;
  }
  // Every row is a VIP, so the segment column of customer_segments.csv is not repeated here.
  section.vip_customers = make_table(
      {"Customer", "Total spend", "Purchases", "Avg order value", "Days since last purchase"},
      {false, true, true, true, true});
  for (const auto& cells : segments.vip_table_rows) {
    if (cells.size() != 6) {
      throw Error(ErrorKind::Internal,
                  fmt::format("a VIP table row has {} cells instead of 6", cells.size()));
    }
    const auto money = [](const std::string& text) {
      const auto value = read_number(text);
      return value ? report::format_currency(*value, 2) : text;
    };
    const auto count = [](const std::string& text) {
      const auto value = read_number(text);
      return value ? report::format_number(*value, 0) : text;
    };
    section.vip_customers.rows.push_back(
        {cells[0], money(cells[1]), count(cells[2]), money(cells[3]), count(cells[4])});
  }
  const std::size_t shown = section.vip_customers.rows.size();
  section.vip_customers_title = shown == 1 ? std::string("Top VIP customer by spend")
                                           : fmt::format("Top {} VIP customers by spend", shown);
  section.vip_customers_note = fmt::format(
      "{} of {}, highest total spend first. Spend and purchases are over all loaded "
      "sales; days are counted back from the latest sale.",
      group_digits(shown), count_of(vip_count, "VIP customer", "VIP customers"));
  model.segmentation = std::move(section);
}

// Each reason's examples, with an empty raw value said in words.
std::string examples_text(dom::element reason) {
  std::string out;
  if (const auto list = array_at(reason, "/examples")) {
    for (const dom::element example : *list) {
      std::string_view text;
      if (example.get_string().get(text) != simdjson::SUCCESS) {
        continue;
      }
      out += out.empty() ? "" : "; ";
      out += text;
      if (text.size() >= 2 && text.substr(text.size() - 2) == ": ") {
        out += "(empty)";
      }
    }
  }
  return out;
}

void add_rejects(report::Table& table, dom::element manifest, std::string_view input,
                 std::string_view pointer) {
  const auto reasons = object_at(manifest, pointer);
  if (!reasons) {
    return;
  }
  for (const dom::key_value_pair field : *reasons) {
    const std::uint64_t count = uint_at(field.value, "/count").value_or(0);
    table.rows.push_back({std::string(input), std::string(field.key), group_digits(count),
                          examples_text(field.value)});
  }
}

void add_missing(report::Table& table, dom::element manifest, std::string_view input,
                 std::string_view pointer) {
  const auto columns = object_at(manifest, pointer);
  if (!columns) {
    return;
  }
  for (const dom::key_value_pair field : *columns) {
    std::uint64_t count = 0;
    if (field.value.get_uint64().get(count) == simdjson::SUCCESS && count > 0) {
      table.rows.push_back({std::string(input), std::string(field.key), group_digits(count)});
    }
  }
}

std::string_view step_description(std::string_view step) {
  if (step == "unambiguous") {
    return "Unambiguous (year first, a part above 12, or day equals month)";
  }
  if (step == "forced") {
    return "Ambiguous, read in the order --date-order gave";
  }
  if (step == "range") {
    return "Ambiguous, the one reading inside the column's range of unambiguous dates";
  }
  if (step == "separator_majority") {
    return "Ambiguous, the order most dates with the same separator use";
  }
  if (step == "column_majority") {
    return "Ambiguous, the order most dates of the column use";
  }
  if (step == "default_month_first") {
    return "Ambiguous, read month first (no evidence either way)";
  }
  return step;
}

void add_dates(report::Table& table, dom::element manifest, std::string_view column,
               std::string_view pointer) {
  const auto dates = at(manifest, pointer);
  if (!dates) {
    return;
  }
  const auto steps = object_at(*dates, "/by_step");
  if (!steps) {
    return;
  }
  for (const dom::key_value_pair field : *steps) {
    std::uint64_t count = 0;
    if (field.value.get_uint64().get(count) != simdjson::SUCCESS || count == 0) {
      continue;
    }
    std::string examples;
    const std::string examples_pointer = "/examples/" + std::string(field.key);
    if (const auto list = array_at(*dates, examples_pointer)) {
      for (const dom::element example : *list) {
        const auto raw = string_at(example, "/raw");
        const auto resolved = string_at(example, "/resolved");
        if (raw && resolved) {
          examples += examples.empty() ? "" : "; ";
          examples += *raw + " \u2192 " + *resolved;
        }
      }
    }
    table.rows.push_back({std::string(column), std::string(step_description(field.key)),
                          group_digits(count), examples});
  }
}

void fill_quality(report::DataQuality& quality, const JsonDocument& manifest) {
  quality.rejects =
      make_table({"Input", "Reason", "Rows", "Examples"}, {false, false, true, false});
  quality.missing = make_table({"Input", "Column", "Missing values"}, {false, false, true});
  quality.dates = make_table({"Column", "How the date was read", "Values", "Examples"},
                             {false, false, true, false});
  if (!manifest.present) {
    quality.notes.emplace_back(
        "No run manifest was given, so the data-quality figures of the load are not shown.");
    return;
  }
  const dom::element m = manifest.root;
  auto& facts = quality.overview;
  const auto sales_read = uint_at(m, "/counts/sales/read");
  const auto sales_loaded = uint_at(m, "/counts/sales/loaded");
  if (sales_read) {
    facts.push_back({"Sales rows read", group_digits(*sales_read), ""});
  }
  if (sales_loaded) {
    facts.push_back({"Sales loaded", group_digits(*sales_loaded),
                     sales_read ? share_of(*sales_loaded, *sales_read) + " of the rows read" : ""});
  }
  if (const auto rejected = uint_at(m, "/counts/sales/rejected")) {
    facts.push_back(
        {"Sales rejected", group_digits(*rejected),
         *rejected > 0 ? "each listed in data_warehouse/rejects.csv with its reason" : ""});
  }
  if (const auto duplicates = uint_at(m, "/counts/sales/exact_duplicates")) {
    facts.push_back({"Exact duplicate sales dropped", group_digits(*duplicates), ""});
  }
  if (const auto excluded = uint_at(m, "/counts/sales/excluded_no_review"); excluded && *excluded) {
    facts.push_back({"Sales left out for having no review", group_digits(*excluded),
                     "--require-feedback was given"});
  }
  if (const auto without = uint_at(m, "/counts/sales/without_review")) {
    facts.push_back(
        {"Loaded sales without a review", group_digits(*without),
         sales_loaded ? share_of(*without, *sales_loaded) + " of the loaded sales" : ""});
  }
  if (const auto read = uint_at(m, "/counts/reviews/read")) {
    facts.push_back({"Reviews read", group_digits(*read), ""});
  }
  if (const auto valid = uint_at(m, "/counts/reviews/valid")) {
    const auto latest = uint_at(m, "/counts/reviews/latest");
    const auto superseded = uint_at(m, "/counts/reviews/superseded");
    facts.push_back(
        {"Reviews valid", group_digits(*valid),
         latest && superseded
             ? fmt::format("{} latest; {} replaced by a later review of the same product by the "
                           "same customer",
                           group_digits(*latest), group_digits(*superseded))
             : ""});
  }
  if (const auto rejected = uint_at(m, "/counts/reviews/rejected")) {
    facts.push_back({"Reviews rejected", group_digits(*rejected), ""});
  }
  if (const auto orphans = uint_at(m, "/counts/reviews/without_loaded_sale")) {
    facts.push_back({"Latest reviews without a loaded sale", group_digits(*orphans),
                     "they still count in the products' average sentiment"});
  }

  add_rejects(quality.rejects, m, "Sales", "/quality/sales/rejects_by_reason");
  add_rejects(quality.rejects, m, "Reviews", "/quality/reviews/rejects_by_reason");
  add_missing(quality.missing, m, "Sales", "/quality/sales/missing");
  add_missing(quality.missing, m, "Reviews", "/quality/reviews/missing");
  add_dates(quality.dates, m, "sale_date", "/quality/sales/sale_date");
  add_dates(quality.dates, m, "review_date", "/quality/reviews/review_date");

  const auto defaulted = uint_at(m, "/counts/sales/quantity_defaulted");
  if (defaulted && *defaulted > 0) {
    const bool present = bool_at(m, "/counts/sales/quantity_column_present").value_or(true);
    const auto quantity = uint_at(m, "/parameters/default_quantity").value_or(1);
    quality.notes.push_back(
        present ? fmt::format("Quantity was empty on {} loaded sales; they count as {}.",
                              group_digits(*defaulted), quantity)
                : fmt::format("The sales file has no quantity column; every sale counts as {}.",
                              quantity));
  }
  for (const auto& [pointer, what] :
       {std::pair{"/counts/sales/ids_trimmed", "sales ids had spaces trimmed"},
        std::pair{"/counts/sales/ids_upper_cased", "sales ids were upper-cased"},
        std::pair{"/counts/reviews/ids_trimmed", "review ids had spaces trimmed"},
        std::pair{"/counts/reviews/ids_upper_cased", "review ids were upper-cased"},
        std::pair{"/counts/reviews/sentiment_from_string",
                  "sentiment scores were written as text and read as numbers"},
        std::pair{"/counts/sales/blank_lines", "blank lines in the sales file were skipped"}}) {
    if (const auto count = uint_at(m, pointer); count && *count > 0) {
      quality.notes.push_back(fmt::format("{}: {}.", group_digits(*count), what));
    }
  }
  for (const auto& [pointer, column] : {std::pair{"/quality/sales/sale_date", "sale_date"},
                                        std::pair{"/quality/reviews/review_date", "review_date"}}) {
    const auto low = string_at(m, std::string(pointer) + "/unambiguous_range/0");
    const auto high = string_at(m, std::string(pointer) + "/unambiguous_range/1");
    if (low && high) {
      quality.notes.push_back(
          fmt::format("{}: the unambiguous dates run from {} to {}.", column, *low, *high));
    }
  }
}

void fill_provenance(report::Provenance& provenance, const JsonDocument& manifest,
                     const AnalysisOptions& options, const JsonDocument& summary) {
  provenance.version =
      options.version.empty() ? std::string("salespipe") : "salespipe " + options.version;
  provenance.inputs =
      make_table({"Input", "File", "Size", "XXH3-128 fingerprint"}, {false, false, true, false});
  auto& parameters = provenance.parameters;
  parameters.push_back({"Period", options.period, ""});
  parameters.push_back({"Top products", std::to_string(options.top), ""});
  if (manifest.present) {
    const dom::element m = manifest.root;
    for (const auto& [key, role] :
         {std::pair{"sales", "Sales"}, std::pair{"feedback", "Reviews"}}) {
      const std::string base = std::string("/inputs/") + key;
      const auto path = string_at(m, base + "/path");
      if (!path) {
        continue;
      }
      const auto size = uint_at(m, base + "/size");
      provenance.inputs.rows.push_back({role, *path,
                                        size ? count_of(*size, "byte", "bytes") : "not measured",
                                        string_at(m, base + "/xxh3_128").value_or("not computed")});
    }
    if (const auto order = string_at(m, "/parameters/date_order")) {
      parameters.push_back({"Date order", *order, "for dates that read both ways"});
    }
    if (const auto quantity = uint_at(m, "/parameters/default_quantity")) {
      parameters.push_back({"Default quantity", group_digits(*quantity), "when quantity is empty"});
    }
    const auto low = double_at(m, "/parameters/sentiment_range/0");
    const auto high = double_at(m, "/parameters/sentiment_range/1");
    if (low && high) {
      parameters.push_back({"Sentiment range", fmt::format("{} to {}", *low, *high), ""});
    }
    if (const auto require = bool_at(m, "/parameters/require_feedback")) {
      parameters.push_back({"Require feedback", *require ? "yes" : "no", ""});
    }
    if (at(m, "/parameters/max_rejects")) {
      parameters.push_back(
          {"Max rejects", string_at(m, "/parameters/max_rejects").value_or("none"), ""});
    }
    if (const auto fail = bool_at(m, "/parameters/fail_on_rejects")) {
      parameters.push_back({"Fail on rejects", *fail ? "yes" : "no", ""});
    }
    if (const auto format = string_at(m, "/parameters/feedback_format")) {
      parameters.push_back({"Feedback format", *format, "JSON array or one object per line"});
    }
  }
  if (summary.present) {
    if (const auto k = uint_at(summary.root, "/k")) {
      parameters.push_back({"Segments (k)", group_digits(*k), "K-Means, as scikit-learn"});
    }
    std::string features;
    if (const auto list = array_at(summary.root, "/features")) {
      for (const dom::element name : *list) {
        std::string_view text;
        if (name.get_string().get(text) == simdjson::SUCCESS) {
          features += features.empty() ? "" : ", ";
          features += text;
        }
      }
    }
    if (!features.empty()) {
      parameters.push_back({"Segmentation features", features, ""});
    }
  }
  parameters.push_back(
      {"salespipe version", options.version.empty() ? "unknown" : options.version, ""});
}

void fill_headline_and_summary(report::ReportModel& model, const analyze::TopProducts& top,
                               const std::optional<analyze::VipRevenue>& vip,
                               const JsonDocument& manifest) {
  const std::string& label = top.period.label;
  const bool compare = has_comparison(top);
  model.headline.push_back({"Revenue", analyze::format_dollars(top.period_revenue),
                            count_of(top.period_sales, "sale", "sales") + " in " + label});
  if (compare) {
    const double change = top.previous_revenue.units > 0
                              ? (to_double(top.period_revenue) - to_double(top.previous_revenue)) /
                                    to_double(top.previous_revenue) * 100.0
                              : 0.0;
    model.headline.push_back({"Change in revenue",
                              top.previous_revenue.units > 0 ? signed_percent(change) : "new",
                              "against " + analyze::format_dollars(top.previous_revenue) + " in " +
                                  top.previous->label});
  }
  if (!top.rows.empty()) {
    const analyze::ProductRow& first = top.rows.front();
    model.headline.push_back({"Top product", first.product_id,
                              analyze::format_dollars(first.revenue) + ", " +
                                  analyze::format_percent(first.share) + " of revenue"});
  }
  if (top.all_product_avg_sentiment) {
    model.headline.push_back({"Average sentiment",
                              analyze::format_sentiment(*top.all_product_avg_sentiment) + " / 5",
                              "all products, " + count_of(top.all_product_review_count,
                                                          "latest review", "latest reviews")});
  }
  if (vip && vip->vip_customers > 0) {
    const double share = vip->period_revenue.units > 0
                             ? to_double(vip->vip_revenue) / to_double(vip->period_revenue)
                             : 0.0;
    model.headline.push_back({"VIP share of revenue", analyze::format_percent(share),
                              count_of(vip->vip_customers, "VIP customer", "VIP customers")});
  }

  // The executive summary: what happened, who led, how customers feel, what to do.
  auto& summary = model.summary;
  std::string sold = fmt::format("In {}, {} of {} brought {} in revenue.", label,
                                 count_of(top.period_sales, "sale", "sales"),
                                 count_of(top.products_sold, "product", "products"),
                                 analyze::format_dollars(top.period_revenue));
  if (compare) {
    const Money delta{top.period_revenue.units - top.previous_revenue.units};
    sold +=
        fmt::format(" That is {} {} than in {} ({}).",
                    analyze::format_dollars(Money{delta.units < 0 ? -delta.units : delta.units}),
                    delta.units < 0 ? "less" : "more", top.previous->label,
                    analyze::format_dollars(top.previous_revenue));
  }
  summary.push_back(std::move(sold));
  if (!top.rows.empty()) {
    const analyze::ProductRow& first = top.rows.front();
    double shown_share = 0;
    for (const auto& row : top.rows) {
      shown_share += row.share;
    }
    std::string led =
        fmt::format("{} led with {} ({} of revenue)", first.product_id,
                    analyze::format_dollars(first.revenue), analyze::format_percent(first.share));
    if (top.rows.size() > 1 && top.products_sold > top.rows.size()) {
      led += fmt::format("; the top {} together brought {}.", top.rows.size(),
                         analyze::format_percent(shown_share));
    } else if (top.rows.size() > 1) {
      led += fmt::format(", ahead of {} ({}).", top.rows[1].product_id,
                         analyze::format_dollars(top.rows[1].revenue));
    } else {
      led += ".";
    }
    summary.push_back(std::move(led));
  }
  const analyze::ProductRow* lowest = nullptr;
  const analyze::ProductRow* highest = nullptr;
  for (const auto& row : top.rows) {
    if (!row.avg_sentiment) {
      continue;
    }
    if (lowest == nullptr || *row.avg_sentiment < *lowest->avg_sentiment) {
      lowest = &row;
    }
    if (highest == nullptr || *row.avg_sentiment > *highest->avg_sentiment) {
      highest = &row;
    }
  }
  if (lowest != nullptr && top.all_product_avg_sentiment) {
    if (lowest == highest) {
      summary.push_back(fmt::format(
          "Customers rate {} {} on average on a scale from 1 to 5, against {} for all products.",
          lowest->product_id, analyze::format_sentiment(*lowest->avg_sentiment),
          analyze::format_sentiment(*top.all_product_avg_sentiment)));
    } else {
      summary.push_back(fmt::format(
          "Customers rate the top products between {} ({}) and {} ({}) on a scale from 1 to 5, "
          "against {} for all products.",
          analyze::format_sentiment(*lowest->avg_sentiment), lowest->product_id,
          analyze::format_sentiment(*highest->avg_sentiment), highest->product_id,
          analyze::format_sentiment(*top.all_product_avg_sentiment)));
    }
  } else if (!top.all_product_avg_sentiment) {
    summary.emplace_back("No review is loaded, so the report says nothing about sentiment.");
  }
  if (vip && vip->vip_customers > 0 && vip->period_revenue.units > 0) {
    summary.push_back(fmt::format(
        "VIP customers ({} of those who bought in {}) brought {} of the revenue.",
        group_digits(vip->period_vip_customers), label,
        analyze::format_percent(to_double(vip->vip_revenue) / to_double(vip->period_revenue))));
  }
  if (!model.recommendations.empty()) {
    summary.push_back("First recommendation: " + model.recommendations.front());
  }
  if (manifest.present) {
    const auto read = uint_at(manifest.root, "/counts/sales/read");
    const auto loaded = uint_at(manifest.root, "/counts/sales/loaded");
    const auto rejected = uint_at(manifest.root, "/counts/sales/rejected");
    if (read && loaded && rejected) {
      summary.push_back(
          fmt::format("Data: {} of {} sales rows loaded; {} rejected ({}), see Data quality.",
                      group_digits(*loaded), group_digits(*read), group_digits(*rejected),
                      share_of(*rejected, *read)));
    }
  }
}

report::ReportModel build_model(const AnalysisOptions& options, const analyze::TopProducts& top,
                                const std::vector<analyze::Insight>& fired,
                                const std::optional<analyze::VipRevenue>& vip,
                                const JsonDocument& manifest,
                                const std::optional<SegmentInputs>& segments,
                                const JsonDocument& summary) {
  report::ReportModel model;
  model.title = "Sales report: " + top.period.label;
  model.business_question =
      top.top_n == 1
          ? fmt::format(
                "Which product brought the most revenue in {}, and how do customers rate "
                "it?",
                top.period.label)
          : fmt::format(
                "Which {} products brought the most revenue in {}, and how do customers "
                "rate them?",
                top.top_n, top.period.label);
  model.period = period_text(top.period);
  if (top.previous) {
    model.previous_period =
        has_comparison(top)
            ? period_text(*top.previous)
            : fmt::format("none, as no loaded sale is dated in {} (the period before)",
                          top.previous->label);
  }
  if (top.period.data_until) {
    model.partial_note = fmt::format(
        "{} is not complete in the data: the latest sale is dated {}, so its figures cover only "
        "part of the period.",
        top.period.label, long_date(*top.period.data_until));
  }
  fill_top_products(model, top);
  fill_insights(model, fired);
  if (segments) {
    fill_segmentation(model, *segments, summary);
  }
  fill_quality(model.quality, manifest);
  fill_provenance(model.provenance, manifest, options, summary);
  fill_headline_and_summary(model, top, vip, manifest);
  return model;
}

// ---------------------------------------------------------------------------------------------
// Writing.

void write_top_products_table(const fs::path& database, const analyze::TopProducts& top) {
  std::size_t next = 0;
  io::sql::replace_table(database, "top_products", io::sql::top_products_columns(),
                         [&](std::vector<io::sql::Value>& values) {
                           if (next == top.rows.size()) {
                             return false;
                           }
                           const analyze::ProductRow& row = top.rows[next++];
                           values.clear();
                           values.emplace_back(std::string_view(top.period.label));
                           values.emplace_back(static_cast<std::int64_t>(row.rank));
                           values.emplace_back(std::string_view(row.product_id));
                           values.emplace_back(two_decimals(row.revenue));
                           values.emplace_back(row.revenue.units);
                           values.emplace_back(row.share);
                           values.emplace_back(row.units);
                           values.emplace_back(static_cast<std::int64_t>(row.orders));
                           values.emplace_back(static_cast<std::int64_t>(row.customers));
                           if (row.avg_sentiment) {
                             values.emplace_back(*row.avg_sentiment);
                           } else {
                             values.emplace_back(std::monostate{});
                           }
                           values.emplace_back(static_cast<std::int64_t>(row.review_count));
                           if (row.change) {
                             values.emplace_back(two_decimals(row.change->previous_revenue));
                             values.emplace_back(two_decimals(row.change->delta));
                           } else {
                             values.emplace_back(std::monostate{});
                             values.emplace_back(std::monostate{});
                           }
                           return true;
                         });
}

// An interner holding a dictionary's names with the same codes.
Interner interner_of(const Dictionary& dictionary, std::string_view what) {
  Interner interner;
  for (std::size_t code = 0; code < dictionary.size(); ++code) {
    interner.intern(dictionary.names[code]);
  }
  if (interner.size() != dictionary.size()) {
    throw Error(ErrorKind::Internal, fmt::format("the {} dictionary holds an id twice", what));
  }
  return interner;
}

[[noreturn]] void bad_segments(const fs::path& csv, std::uint64_t line, std::string message) {
  throw Error(ErrorKind::Input, Location{csv.string(), line, 0}, std::move(message));
}

}  // namespace

void AnalysisOptions::validate() const {
  if (out.empty()) {
    throw Error(ErrorKind::Usage, "the output folder must not be empty");
  }
  (void)analyze::parse_period_spec(period);
  if (top == 0) {
    throw Error(ErrorKind::Usage, "--top must be at least 1");
  }
}

AnalysisResult analyze_tables(const AnalysisOptions& options, const SalesTable& sales,
                              const ReviewTable& reviews, std::string_view manifest_json,
                              const std::optional<SegmentInputs>& segments) {
  options.validate();
  AnalysisResult result;
  const analyze::Period period = analyze::parse_period(options.period, sales);
  result.top = analyze::top_products(sales, reviews, period, options.top);

  analyze::InsightInputs inputs;
  std::optional<analyze::VipRevenue> vip;
  if (segments) {
    vip = analyze::vip_revenue(sales, period, segments->is_vip);
    inputs.vip = vip;
  }
  result.insights = analyze::insights(result.top, inputs);

  JsonDocument manifest;
  parse_json(manifest, manifest_json, "run_manifest.json");
  JsonDocument summary;
  if (segments) {
    parse_json(summary, segments->summary_json, "the segmentation summary");
  }
  result.report =
      build_model(options, result.top, result.insights, vip, manifest, segments, summary);

  // Everything is drawn and formatted before the first file is touched, so a failure here
  // leaves the earlier outputs as they were.
  const report::Charts charts = report::draw_charts(result.report);
  const std::string html = report::render_html(result.report, charts);
  const std::string markdown = report::render_markdown(result.report);
  const std::string csv = analyze::top_products_csv(result.top);

  const fs::path reports = options.out / "reports";
  const fs::path images = options.out / "images";
  io::warehouse::FolderLock lock(options.out);
  for (const fs::path& folder : {reports, images}) {
    std::error_code ec;
    if (fs::is_directory(folder, ec)) {
      io::warehouse::remove_stale_temps(folder);
    }
  }
  io::warehouse::StagedOutputs staged;
  // Images first and the HTML page last, so a reader who opens the report during the renames
  // already finds the charts it links.
  const auto put = [&](const fs::path& path, std::string_view bytes) {
    io::warehouse::write_text_file(staged.stage(path), bytes);
  };
  put(images / "revenue_chart.png", charts.revenue.png);
  put(images / "revenue_chart.svg", charts.revenue.svg);
  put(images / "sentiment_chart.png", charts.sentiment.png);
  put(images / "sentiment_chart.svg", charts.sentiment.svg);
  if (charts.vip_table) {
    put(images / "vip_table.png", charts.vip_table->png);
  }
  put(reports / "top_products.csv", csv);
  put(reports / "report.md", markdown);
  put(reports / "report.html", html);
  staged.commit();
  result.outputs = staged.finals();

  if (!charts.vip_table) {
    // A VIP table from an earlier run with segments would sit beside a report without them.
    std::error_code ec;
    fs::remove(images / "vip_table.png", ec);
    if (ec) {
      throw Error(ErrorKind::Output, Location{(images / "vip_table.png").string(), 0, 0},
                  "cannot remove the VIP table of an earlier run: " + ec.message());
    }
  }

  const fs::path database = warehouse_dir(options.out) / "warehouse.sqlite";
  std::error_code ec;
  if (fs::is_regular_file(database, ec)) {
    write_top_products_table(database, result.top);
    result.outputs.push_back(database);
  }
  return result;
}

SegmentInputs read_segment_inputs(const fs::path& csv, const SalesTable& sales,
                                  std::optional<std::int64_t> vip_cluster) {
  io::csv::Reader reader = io::csv::Reader::open(csv);
  const std::vector<std::string>& header = reader.header();
  const auto column = [&](std::string_view name) {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) {
      bad_segments(csv, reader.header_line(),
                   fmt::format("no column {}: not a customer_segments.csv of salespipe", name));
    }
    return static_cast<std::size_t>(it - header.begin());
  };
  const std::size_t id_column = column("customer_id");
  const std::array<std::size_t, 4> feature_columns = {
      column("total_purchase_amount"), column("purchase_frequency"),
      column("avg_transaction_value"), column("recency_days")};
  const std::size_t cluster_column = column("cluster");
  const std::size_t segment_column = column("segment");

  const Interner customers = interner_of(sales.customers, "customers");
  SegmentInputs inputs;
  inputs.is_vip.assign(sales.customers.size(), 0);
  std::vector<std::uint8_t> seen(sales.customers.size(), 0);
  struct Vip {
    double spend = 0;
    std::string id;
    std::vector<std::string> cells;
  };
  std::vector<Vip> vips;

  io::csv::Batch batch;
  while (reader.next_batch(batch)) {
    for (std::size_t r = 0; r < batch.size(); ++r) {
      const std::uint64_t line = batch.line[r];
      if (batch.status[r] != io::csv::RecordStatus::Ok) {
        bad_segments(csv, line, io::csv::describe_fault(batch, r));
      }
      const std::string_view id = batch.field(r, id_column);
      const auto code = customers.find(id);
      if (!code) {
        bad_segments(csv, line,
                     fmt::format("customer {} has no loaded sale: the segments are older than the "
                                 "sales; run `salespipe segment` again",
                                 id));
      }
      if (seen[*code] != 0) {
        bad_segments(csv, line, fmt::format("customer {} is listed twice", id));
      }
      seen[*code] = 1;
      std::vector<std::string> cells = {std::string(id)};
      for (const std::size_t c : feature_columns) {
        const std::string_view cell = batch.field(r, c);
        if (!read_number(cell)) {
          bad_segments(csv, line, fmt::format("{} \"{}\" is not a number", header[c], cell));
        }
        cells.emplace_back(cell);
      }
      const std::string_view segment = batch.field(r, segment_column);
      cells.emplace_back(segment);
      bool is_vip = segment == "VIP";
      if (vip_cluster) {
        std::int64_t cluster = 0;
        const std::string_view text = batch.field(r, cluster_column);
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), cluster);
        if (error != std::errc() || end != text.data() + text.size()) {
          bad_segments(csv, line, fmt::format("cluster \"{}\" is not a whole number", text));
        }
        is_vip = cluster == *vip_cluster;
      }
      if (is_vip) {
        inputs.is_vip[*code] = 1;
        vips.push_back(Vip{*read_number(cells[1]), cells[0], std::move(cells)});
      }
    }
  }
  std::sort(vips.begin(), vips.end(), [](const Vip& a, const Vip& b) {
    if (a.spend != b.spend) {
      return a.spend > b.spend;
    }
    return a.id < b.id;
  });
  for (std::size_t i = 0; i < std::min(vips.size(), kVipTableRows); ++i) {
    inputs.vip_table_rows.push_back(std::move(vips[i].cells));
  }
  return inputs;
}

AnalysisResult analyze_from_files(const AnalysisOptions& options) {
  options.validate();
  const fs::path warehouse = warehouse_dir(options.out);
  const fs::path processed = warehouse / "processed_sales_data.csv";
  std::error_code ec;
  if (!fs::is_regular_file(processed, ec)) {
    throw Error(ErrorKind::Input, Location{processed.string(), 0, 0},
                "no processed sales here: run `salespipe etl` first");
  }
  SalesTable sales = io::warehouse::read_processed_sales(processed);

  const fs::path manifest_path = warehouse / "run_manifest.json";
  if (!fs::is_regular_file(manifest_path, ec)) {
    throw Error(ErrorKind::Input, Location{manifest_path.string(), 0, 0},
                "no run manifest here: run `salespipe etl` first");
  }
  const std::string manifest = io::warehouse::read_text_file(manifest_path);

  // Segments count only when `salespipe segment` ran after the latest etl: etl writes a manifest
  // without a "segmentation" section, so a customer_segments.csv without one is out of date. They
  // are read before the reviews add customers without a sale to the dictionary, so a segment row
  // for such a customer is refused.
  std::optional<SegmentInputs> segments;
  const fs::path segments_csv = warehouse / "customer_segments.csv";
  if (fs::is_regular_file(segments_csv, ec)) {
    JsonDocument doc;
    parse_json(doc, manifest, manifest_path.string());
    if (const auto section = object_at(doc.root, "/segmentation")) {
      segments =
          read_segment_inputs(segments_csv, sales, int_at(doc.root, "/segmentation/vip_cluster"));
      segments->summary_json = simdjson::minify(*section);
    }
  }

  // The reviews share the sales' dictionaries: ids only reviews have are appended after them.
  Interner products = interner_of(sales.products, "products");
  Interner customers = interner_of(sales.customers, "customers");
  const ReviewTable reviews =
      io::sql::read_reviews(warehouse / "warehouse.sqlite", products, customers);
  sales.products = products.dictionary();
  sales.customers = customers.dictionary();
  return analyze_tables(options, sales, reviews, manifest, segments);
}

}  // namespace salespipe::pipeline
