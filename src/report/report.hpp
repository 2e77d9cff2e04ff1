#pragma once

// The business report (DESIGN.md sections 4 and 5): one model, two renderers. The model holds
// display-ready text and the few raw numbers the charts need, so this library knows nothing of
// the analysis types: the pipeline fills the model, and the renderers only lay it out.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/chart.hpp"

namespace salespipe::report {

/// A label and a value as the report shows them: {"Revenue", "$253,407.00"}. The note, when not
/// empty, is a short qualifier shown under or after the value ("800 sales").
struct Fact {
  std::string label;
  std::string value;
  std::string note;
};

/// A table ready to show: every cell already formatted. Each row has headers.size() cells.
struct Table {
  std::vector<std::string> headers;
  std::vector<bool> numeric;  ///< per column: right-aligned with tabular figures; empty: none
  std::vector<std::vector<std::string>> rows;

  bool empty() const noexcept { return rows.empty(); }
};

/// The ranking that answers the business question, and the series its two charts draw.
struct TopProductsSection {
  std::string heading;  ///< "Top 5 products by revenue"
  Table table;          ///< one row per ranked product
  /// Chart series, one entry per table row in the same order.
  std::vector<std::string> product_ids;
  std::vector<double> revenue;                       ///< in dollars
  std::vector<std::optional<double>> avg_sentiment;  ///< 1..5; absent without reviews
  std::optional<double> all_product_avg_sentiment;   ///< the dashed reference line
  std::string revenue_chart_title;                   ///< "Revenue by product, 2023 Q1"
  std::string sentiment_chart_title;                 ///< "Average sentiment by product"
  std::string sentiment_chart_subtitle;              ///< how the averages are made
  std::vector<std::string> notes;                    ///< footnotes under the table
};

/// A rule that fired: the sentence and the numbers it rests on.
struct InsightItem {
  std::string sentence;
  std::vector<Fact> numbers;
};

/// The customer segmentation (DESIGN.md section 6), when one exists.
struct SegmentationSection {
  std::string summary;              ///< one sentence: k, customers, features, quality
  std::vector<Fact> quality;        ///< inertia, silhouette, iterations, ...
  Table segments;                   ///< per segment: name, size, revenue share, centres
  Table vip_customers;              ///< the top VIP customers by spend, with their features
  std::string vip_customers_title;  ///< "Top 20 VIP customers by spend"
  std::string vip_customers_note;   ///< "20 of 47 VIP customers"
};

/// What the data-quality checks found (the lab's "feedback to the data engineer").
struct DataQuality {
  std::vector<Fact> overview;  ///< rows read, loaded, rejected, duplicates, joins
  Table rejects;               ///< input, reason, count, examples
  Table missing;               ///< input, column, missing values
  Table dates;                 ///< column, resolution step, values, examples
  std::vector<std::string> notes;
};

/// How this run was made: enough to reproduce it and to tell its inputs apart.
struct Provenance {
  Table inputs;  ///< role, file, size, XXH3-128 fingerprint
  std::vector<Fact> parameters;
  std::string version;  ///< "salespipe 0.1.0"
};

/// Everything the report says, in the order it says it.
struct ReportModel {
  std::string title;                 ///< "Sales report: 2023 Q1"
  std::string business_question;     ///< the question the report answers
  std::string period;                ///< "2023 Q1 (1 Jan 2023 to 31 Mar 2023)"
  std::string previous_period;       ///< the comparison period, or a sentence saying there is none
  std::string partial_note;          ///< non-empty when the period is partial
  std::vector<Fact> headline;        ///< the key figures, shown as cards at the top
  std::vector<std::string> summary;  ///< the executive summary, one sentence per item
  TopProductsSection top_products;
  std::vector<InsightItem> insights;
  std::vector<std::string> recommendations;
  std::optional<SegmentationSection> segmentation;
  DataQuality quality;
  Provenance provenance;

  /// Throws Error{Internal} naming the table when a table has a row of the wrong length or a
  /// `numeric` list of the wrong length, or when the chart series differ in length from the
  /// top-products table.
  void validate() const;
};

/// The report's drawings, each as PNG and SVG bytes.
struct Charts {
  Rendered revenue;    ///< bars of revenue for the top products
  Rendered sentiment;  ///< avg_sentiment line on a 1..5 axis, dashed all-product average
  std::optional<Rendered> vip_table;  ///< the VIP customers table; only with a segmentation
};

/// Draws the charts of the model. SVG ids get a per-chart prefix, so the SVGs can sit inline in
/// one HTML page. Throws Error{Internal} for an invalid model (see validate()) or when drawing
/// fails (for example a missing font).
Charts draw_charts(const ReportModel& model);

/// The report as one self-contained HTML page: inline CSS, the SVG charts inline, no scripts and
/// no references to anything outside the file. Every text from data is HTML-escaped. The same
/// model and charts give the same bytes. Throws Error{Internal} for an invalid model.
std::string render_html(const ReportModel& model, const Charts& charts);

/// The report as Markdown (GitHub flavour) with the same content, its charts linked as
/// ../images/revenue_chart.png, sentiment_chart.png and vip_table.png (the report lives in
/// reports/). Text from data is escaped so it cannot break a table or start markup. The same
/// model gives the same bytes. Throws Error{Internal} for an invalid model.
std::string render_markdown(const ReportModel& model);

/// text with &, <, >, " and ' replaced by character references, safe in HTML text and in
/// quoted attribute values.
std::string html_escape(std::string_view text);

/// text safe inside Markdown text and table cells: \ ` * [ ] < > | ~ & get a backslash
/// everywhere, _ unless it sits between two letters or digits (where it cannot start emphasis:
/// "C_017" stays); a leading # + - = or "12. " (which would start a heading or a list) gets one
/// too; line breaks become spaces (a line break would end a table row).
std::string markdown_escape(std::string_view text);

/// An SVG document made fit to sit inside an HTML page: the XML declaration and the namespace
/// declarations are dropped (the HTML parser puts inline <svg> and xlink:href in their namespaces
/// itself), the fixed width and height give way to the viewBox so the drawing scales with the
/// page, and role="img" with aria-label `label` (escaped) is added. Throws Error{Internal} when
/// the text has no <svg> element.
std::string inline_svg(std::string_view svg, std::string_view label);

}  // namespace salespipe::report
