#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyze/insights.hpp"
#include "analyze/top_products.hpp"
#include "core/tables.hpp"
#include "report/report.hpp"

namespace salespipe::pipeline {

/// What the analysis needs from a segmentation. `salespipe run` fills it from the segment stage;
/// analyze_from_files() fills it from customer_segments.csv and run_manifest.json.
struct SegmentInputs {
  /// By customer code of the SalesTable's customers dictionary: 1 for a VIP. Codes past its end
  /// are not VIPs.
  std::vector<std::uint8_t> is_vip;
  /// The top 20 VIP customers by spend: customer_id, total_purchase_amount, purchase_frequency,
  /// avg_transaction_value, recency_days, segment, as customer_segments.csv writes them.
  std::vector<std::vector<std::string>> vip_table_rows;
  /// The manifest's "segmentation" object as JSON text; may be empty.
  std::string summary_json;
};

struct AnalysisOptions {
  std::filesystem::path out = ".";
  std::string period = "latest-quarter";  ///< any form of analyze::kPeriodForms
  std::size_t top = 5;
  std::string version;  ///< the salespipe version the report names, e.g. "0.1.0"

  /// Throws Error{Usage} for an empty output folder, a period that is not one of the accepted
  /// forms, or a top of 0.
  void validate() const;
};

struct AnalysisResult {
  analyze::TopProducts top;
  std::vector<analyze::Insight> insights;
  std::vector<std::filesystem::path> outputs;  ///< written, in commit order
  report::ReportModel report;                  ///< what the report says
};

/// The analysis of tables in memory (`salespipe run`): the top products of the period, the
/// insights and the report. Writes reports/report.html, reports/report.md,
/// reports/top_products.csv, images/revenue_chart.png/.svg, images/sentiment_chart.png/.svg and,
/// with a segmentation, images/vip_table.png under options.out by the commit protocol (a lock on
/// the folder, temp files, renames only when every file is complete; an images/vip_table.png of an
/// earlier run with segments is removed when this one has none). Then replaces the top_products
/// table of data_warehouse/warehouse.sqlite when that file exists. `manifest_json` is the run
/// manifest (run_manifest.json), the source of the data-quality and provenance sections.
/// The reviews' codes must share the sales table's dictionaries.
/// Throws Error{Usage} for bad options, Error{Input} when the period has no loaded sale or the
/// manifest or segmentation summary is not valid JSON, Error{Output} when the outputs cannot be
/// written (earlier outputs then stay as they were), Error{Internal} for inconsistent tables.
AnalysisResult analyze_tables(const AnalysisOptions& options, const SalesTable& sales,
                              const ReviewTable& reviews, std::string_view manifest_json,
                              const std::optional<SegmentInputs>& segments);

/// The analysis alone (`salespipe analyze --out DIR`), from the files earlier stages wrote under
/// DIR/data_warehouse: processed_sales_data.csv, the reviews table of warehouse.sqlite,
/// run_manifest.json and, when the manifest has a "segmentation" section (written by `salespipe
/// segment` after the latest etl), customer_segments.csv. Then as analyze_tables().
/// Throws Error{Input} naming the missing file and saying "run `salespipe etl` first" when the
/// warehouse is not there, Error{Input} with the file and line when customer_segments.csv is
/// malformed or names a customer without a loaded sale (it is older than the sales); otherwise
/// as analyze_tables().
AnalysisResult analyze_from_files(const AnalysisOptions& options);

/// The segmentation inputs from a customer_segments.csv (columns customer_id,
/// total_purchase_amount, purchase_frequency, avg_transaction_value, recency_days, ...,
/// cluster, segment, ...) for the customers of `sales`. A customer is a VIP when its cluster is
/// `vip_cluster`, or without one when its segment is "VIP". summary_json is left empty.
/// Throws Error{Input} with file and line for a missing column, a malformed record, a number that
/// does not read, a customer twice or a customer without a loaded sale.
SegmentInputs read_segment_inputs(const std::filesystem::path& csv, const SalesTable& sales,
                                  std::optional<std::int64_t> vip_cluster);

}  // namespace salespipe::pipeline
