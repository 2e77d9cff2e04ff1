#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/etl.hpp"
#include "pipeline/segmentation.hpp"

namespace salespipe::pipeline {

/// Where `salespipe run` sends the enriched data (DESIGN.md section 7).
struct ExportTargets {
  std::vector<std::string> destinations = {"xlsx"};  ///< any of xlsx, sqlite, postgres, http
  std::filesystem::path sqlite_path = "crm.sqlite";
  std::string postgres_dsn;
  std::string table = "customer_segments";
  std::string http_url;
  std::size_t http_batch = 500;
  std::string http_sync_fields = "segment";  ///< segment or all
  bool dry_run = false;
};

/// Analysis settings.
struct AnalysisSettings {
  std::string period = "latest-quarter";
  std::size_t top = 5;
};

/// Every setting of a run. Defaults, then the config file, then the flags, each overriding the
/// one before.
struct RunConfig {
  EtlOptions etl;
  SegmentOptions segment;
  AnalysisSettings analysis;
  ExportTargets exports;
};

/// Reads a salespipe.toml into config (only the keys the file sets change). Relative input paths
/// are taken from the folder of the config file. Throws Error{Usage} with file:line:col for a
/// syntax error, an unknown section or key, or a value of the wrong type or range.
void load_config(const std::filesystem::path& path, RunConfig& config);

/// Every key load_config accepts, as "section.key", for the README and error hints.
std::vector<std::string> config_keys();

}  // namespace salespipe::pipeline
