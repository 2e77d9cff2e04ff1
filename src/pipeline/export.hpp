#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/export_tables.hpp"
#include "pipeline/config.hpp"

namespace salespipe::pipeline {

struct ExportOptions {
  std::filesystem::path out = ".";
  ExportTargets targets;
  std::optional<std::string> http_token;  ///< from SALESPIPE_HTTP_TOKEN, never from a flag
  std::string vip_segment = "VIP";        ///< highlighted in the XLSX
  std::function<std::string()> now_utc;   ///< ISO-8601 UTC; the library reads no clock
  std::uint64_t jitter_seed = 0;          ///< HTTP retry jitter; the CLI passes a random one

  /// Throws Error{Usage}: an unknown destination, a destination without its address, no clock.
  void validate() const;
};

/// What one destination received, for the summary.
struct ExportOutcome {
  std::string destination;  ///< "xlsx", "sqlite", "postgres", "http"
  std::string target;       ///< file, DSN without password, or URL
  std::string summary;      ///< e.g. "98 customers: 3 inserted, 1 updated, 94 unchanged"
};

/// Sends the enriched data to every destination in options.targets, in order; each appends a
/// sync_runs row to data_warehouse/state.sqlite. The XLSX goes to
/// data_warehouse/processed_sales_data_with_vip.xlsx by the commit protocol. Throws
/// Error{Output} for a destination that fails (earlier destinations keep what they received).
std::vector<ExportOutcome> run_exports(const ExportOptions& options, const ExportData& data);

/// The Summary sheet's table from the bytes of reports/top_products.csv.
void set_top_products(ExportData& data, std::string csv_bytes, std::string period_label);

/// `salespipe export` alone: reads processed_sales_data.csv, customer_segments.csv and
/// reports/top_products.csv (when present) from options.out first. Throws Error{Input} when the
/// segment stage has not run ("run `salespipe segment` first").
std::vector<ExportOutcome> export_from_files(const ExportOptions& options);

}  // namespace salespipe::pipeline
