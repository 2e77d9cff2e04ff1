#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "clean/quality.hpp"
#include "clean/reviews.hpp"
#include "clean/sales.hpp"
#include "core/tables.hpp"
#include "io/warehouse/fingerprint.hpp"
#include "transform/transform.hpp"

namespace salespipe::pipeline {

/// A limit on rejects per input: a count, or a percentage of the records read.
struct RejectLimit {
  std::uint64_t count = 0;
  double percent = 0;
  bool is_percent = false;

  /// Parses "N" or "P%". Throws Error{Usage} otherwise.
  static RejectLimit parse(std::string_view text);
  bool exceeded(std::uint64_t rejected, std::uint64_t read) const noexcept;
  std::string describe() const;
};

/// Progress of a long stage, for the CLI's progress bar.
struct Progress {
  std::string_view stage;
  std::uint64_t done = 0;
  std::uint64_t total = 0;
};

struct EtlOptions {
  std::filesystem::path sales;
  std::filesystem::path feedback;
  std::filesystem::path out = ".";
  clean::CleanOptions clean;
  clean::SalesFieldNames sales_names;
  clean::ReviewFieldNames review_names;
  bool require_feedback = false;
  std::optional<RejectLimit> max_rejects;
  bool fail_on_rejects = false;
  bool write_sqlite = true;  ///< warehouse.sqlite; off only for like-for-like benchmarks
  bool fingerprints = true;  ///< XXH3-128 of the inputs in the manifest
  /// The time now as ISO-8601 UTC ("2026-01-31T12:00:00Z"), for the runs history in
  /// state.sqlite. The library reads no clock of its own: the CLI passes the real one.
  std::function<std::string()> now_utc;
  std::function<void(const Progress&)> progress;

  /// Throws Error{Usage} for missing paths, a missing clock or bad cleaning options.
  void validate() const;
};

/// Every count the accounting and the summary need.
struct EtlCounts {
  std::uint64_t sales_read = 0;
  std::uint64_t sales_loaded = 0;
  std::uint64_t sales_rejected = 0;
  std::uint64_t sales_exact_duplicates = 0;
  std::uint64_t sales_excluded_no_review = 0;
  std::uint64_t reviews_read = 0;
  std::uint64_t reviews_valid = 0;
  std::uint64_t reviews_rejected = 0;
  std::uint64_t reviews_latest = 0;
  std::uint64_t reviews_superseded = 0;
  std::uint64_t sales_blank_lines = 0;
  std::uint64_t feedback_blank_lines = 0;
};

struct StageTiming {
  std::string stage;
  double seconds = 0;
};

struct EtlResult {
  std::string started_at;  ///< ISO-8601 UTC
  SalesTable sales;
  ReviewTable reviews;
  std::vector<Reject> rejects;  ///< sorted by source then line
  EtlCounts counts;
  clean::SalesQuality sales_quality;
  clean::ReviewQuality review_quality;
  transform::TransformReport transform;
  std::string feedback_format;  ///< "array" or "ndjson"
  std::optional<io::warehouse::FileFingerprint> sales_fingerprint;
  std::optional<io::warehouse::FileFingerprint> feedback_fingerprint;
  std::vector<StageTiming> timings;
  std::vector<std::filesystem::path> outputs;  ///< written, in commit order
  std::string manifest_json;
};

/// Extract, clean, transform: everything but writing. Throws Error{Input} for a fatal input
/// (DESIGN.md section 3), Error{Internal} when the accounting does not hold.
EtlResult extract_transform(const EtlOptions& options);

/// Writes the warehouse under options.out by the commit protocol (lock, temps, renames, manifest
/// last) and records the run in state.sqlite. Throws Error{Output}; earlier outputs stay intact.
void load(const EtlOptions& options, EtlResult& result);

/// extract_transform then load.
EtlResult run_etl(const EtlOptions& options);

/// Checks read = loaded + rejected + duplicates + excluded and read = valid + rejected,
/// valid = latest + superseded, loaded = table rows. Throws Error{Internal} naming the gap.
void check_accounting(const EtlCounts& counts, std::size_t table_rows);

/// The folder of the warehouse files under an output folder.
std::filesystem::path warehouse_dir(const std::filesystem::path& out);

}  // namespace salespipe::pipeline
