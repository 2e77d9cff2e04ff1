#include "pipeline/etl.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <thread>

#include "core/error.hpp"
#include "core/text.hpp"
#include "io/csv/reader.hpp"
#include "io/json/reader.hpp"
#include "io/sql/state_db.hpp"
#include "io/sql/warehouse.hpp"
#include "io/warehouse/commit.hpp"
#include "io/warehouse/csv_outputs.hpp"
#include "pipeline/manifest.hpp"

namespace salespipe::pipeline {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void report_progress(const EtlOptions& options, std::string_view stage, std::uint64_t done,
                     std::uint64_t total) {
  if (options.progress) {
    options.progress(Progress{stage, done, total});
  }
}

Reason reason_for(io::csv::RecordStatus status) {
  switch (status) {
    case io::csv::RecordStatus::BadEncoding:
      return Reason::BadEncoding;
    case io::csv::RecordStatus::FieldTooLong:
      return Reason::FieldTooLong;
    default:
      return Reason::BadRowShape;
  }
}

/// Reads and cleans the sales file.
CleanSales extract_sales(const EtlOptions& options, Interner& products, Interner& customers,
                         std::vector<Reject>& rejects, clean::SalesQuality& quality,
                         std::uint64_t& blank_lines) {
  auto reader = io::csv::Reader::open(options.sales);
  const std::string source = reader.file_name();
  const clean::SalesLayout layout =
      clean::map_sales_header(reader.header(), source, options.sales_names);
  clean::SalesCleaner cleaner(source, layout, options.clean, products, customers);
  io::csv::Batch batch;
  while (reader.next_batch(batch)) {
    for (std::size_t row = 0; row < batch.size(); ++row) {
      if (batch.status[row] == io::csv::RecordStatus::Ok) {
        cleaner.add(batch.line[row], std::span<const std::string_view>(
                                         &batch.fields[row * batch.columns], batch.columns));
      } else {
        cleaner.add_unreadable(batch.line[row], reason_for(batch.status[row]), batch.raw[row],
                               io::csv::describe_fault(batch, row));
      }
    }
    report_progress(options, "sales", reader.bytes_read(), reader.file_size());
  }
  blank_lines = reader.blank_lines();
  CleanSales sales = cleaner.finish(rejects, quality);
  if (quality.read == 0) {
    throw Error(ErrorKind::Input, Location{source, 2, 1}, "no data rows after the header");
  }
  return sales;
}

clean::CellKind cell_kind(io::json::ValueKind kind) {
  switch (kind) {
    case io::json::ValueKind::Missing:
      return clean::CellKind::Missing;
    case io::json::ValueKind::Null:
      return clean::CellKind::Null;
    case io::json::ValueKind::String:
      return clean::CellKind::String;
    case io::json::ValueKind::Number:
      return clean::CellKind::Number;
    case io::json::ValueKind::True:
      return clean::CellKind::True;
    case io::json::ValueKind::False:
      return clean::CellKind::False;
    case io::json::ValueKind::Array:
      return clean::CellKind::Array;
    case io::json::ValueKind::Object:
      return clean::CellKind::Object;
  }
  return clean::CellKind::Missing;
}

/// Reads and cleans the feedback file.
CleanReviews extract_reviews(const EtlOptions& options, Interner& products, Interner& customers,
                             std::vector<Reject>& rejects, clean::ReviewQuality& quality,
                             std::string& format) {
  io::json::ReaderOptions reader_options;
  for (const auto& name : options.review_names.names) {
    reader_options.fields.push_back(canonical_name(name));
  }
  auto reader = io::json::Reader::open(options.feedback, reader_options);
  const std::string source = reader.file_name();
  format = reader.format() == io::json::Format::Array ? "array" : "ndjson";
  clean::ReviewCleaner cleaner(source, options.clean, products, customers);
  io::json::Batch batch;
  std::array<clean::Cell, clean::kReviewFieldCount> cells;
  while (reader.next_batch(batch)) {
    for (std::size_t row = 0; row < batch.size(); ++row) {
      switch (batch.status[row]) {
        case io::json::RecordStatus::Ok:
          for (std::size_t f = 0; f < clean::kReviewFieldCount; ++f) {
            const auto& value = batch.values[row * batch.fields + f];
            cells[f] = clean::Cell{cell_kind(value.kind), value.text};
          }
          cleaner.add(batch.line[row], cells);
          break;
        case io::json::RecordStatus::NotAnObject:
          cleaner.add_unreadable(
              batch.line[row], Reason::NotAnObject, batch.raw[row],
              fmt::format("the element is {}, not an object", batch.detail[row]));
          break;
        case io::json::RecordStatus::DuplicateKey:
          cleaner.add_unreadable(batch.line[row], Reason::DuplicateKey, batch.raw[row],
                                 fmt::format("the key \"{}\" appears twice", batch.detail[row]));
          break;
        case io::json::RecordStatus::BadEncoding:
          cleaner.add_unreadable(batch.line[row], Reason::BadEncoding, batch.raw[row],
                                 "invalid UTF-8 or a control byte in a string");
          break;
      }
    }
    report_progress(options, "feedback", reader.bytes_read(), reader.file_size());
  }
  CleanReviews reviews = cleaner.finish(rejects, quality);
  if (quality.read == 0) {
    throw Error(ErrorKind::Input, Location{source, 1, 1}, "no records in the feedback file");
  }
  return reviews;
}

std::uint64_t total_rejected(const clean::SalesQuality& quality,
                             const transform::TransformReport& report) {
  return quality.rejected + report.duplicate_sale_ids;
}

}  // namespace

RejectLimit RejectLimit::parse(std::string_view text) {
  RejectLimit limit;
  const auto bad = [&] {
    return Error(
        ErrorKind::Usage,
        fmt::format("--max-rejects takes a count N or a percentage P% (0-100), not \"{}\"", text));
  };
  if (!text.empty() && text.back() == '%') {
    limit.is_percent = true;
    const auto result = std::from_chars(text.data(), text.data() + text.size() - 1, limit.percent);
    if (result.ec != std::errc() || result.ptr != text.data() + text.size() - 1 ||
        limit.percent < 0 || limit.percent > 100) {
      throw bad();
    }
    return limit;
  }
  const auto result = std::from_chars(text.data(), text.data() + text.size(), limit.count);
  if (text.empty() || result.ec != std::errc() || result.ptr != text.data() + text.size()) {
    throw bad();
  }
  return limit;
}

bool RejectLimit::exceeded(std::uint64_t rejected, std::uint64_t read) const noexcept {
  if (is_percent) {
    return read > 0 && static_cast<double>(rejected) * 100.0 > percent * static_cast<double>(read);
  }
  return rejected > count;
}

std::string RejectLimit::describe() const {
  return is_percent ? fmt::format("{}%", percent) : fmt::format("{}", count);
}

void EtlOptions::validate() const {
  if (sales.empty()) {
    throw Error(ErrorKind::Usage, "--sales FILE is required");
  }
  if (feedback.empty()) {
    throw Error(ErrorKind::Usage, "--feedback FILE is required");
  }
  if (!now_utc) {
    throw Error(ErrorKind::Usage, "the ETL needs a clock (EtlOptions::now_utc)");
  }
  clean.validate();
}

fs::path warehouse_dir(const fs::path& out) { return out / "data_warehouse"; }

void check_accounting(const EtlCounts& c, std::size_t table_rows) {
  const std::uint64_t sales_sum =
      c.sales_loaded + c.sales_rejected + c.sales_exact_duplicates + c.sales_excluded_no_review;
  if (sales_sum != c.sales_read) {
    throw Error(ErrorKind::Internal,
                fmt::format("accounting failed for sales: read {} != loaded {} + rejected {} + "
                            "exact duplicates {} + excluded without review {}",
                            c.sales_read, c.sales_loaded, c.sales_rejected,
                            c.sales_exact_duplicates, c.sales_excluded_no_review));
  }
  if (c.sales_loaded != table_rows) {
    throw Error(ErrorKind::Internal,
                fmt::format("accounting failed: {} sales loaded but {} rows to write",
                            c.sales_loaded, table_rows));
  }
  if (c.reviews_valid + c.reviews_rejected != c.reviews_read ||
      c.reviews_latest + c.reviews_superseded != c.reviews_valid) {
    throw Error(ErrorKind::Internal,
                fmt::format("accounting failed for reviews: read {} vs valid {} + rejected {}; "
                            "valid {} vs latest {} + superseded {}",
                            c.reviews_read, c.reviews_valid, c.reviews_rejected, c.reviews_valid,
                            c.reviews_latest, c.reviews_superseded));
  }
}

EtlResult extract_transform(const EtlOptions& options) {
  options.validate();
  EtlResult result;
  result.started_at = options.now_utc();

  // Fingerprints read the inputs a second time; the other core does it while this one parses.
  std::optional<io::warehouse::FileFingerprint> sales_print;
  std::optional<io::warehouse::FileFingerprint> feedback_print;
  std::exception_ptr fingerprint_error;
  std::thread fingerprinter;
  if (options.fingerprints) {
    fingerprinter = std::thread([&] {
      try {
        sales_print = io::warehouse::fingerprint_file(options.sales);
        feedback_print = io::warehouse::fingerprint_file(options.feedback);
      } catch (...) {
        fingerprint_error = std::current_exception();
      }
    });
  }
  struct JoinGuard {
    std::thread& thread;
    ~JoinGuard() {
      if (thread.joinable())
        thread.join();
    }
  } join_guard{fingerprinter};

  auto start = Clock::now();
  Interner products;
  Interner customers;
  CleanSales sales = extract_sales(options, products, customers, result.rejects,
                                   result.sales_quality, result.counts.sales_blank_lines);
  result.timings.push_back({"extract_clean_sales", seconds_since(start)});
  start = Clock::now();
  CleanReviews reviews = extract_reviews(options, products, customers, result.rejects,
                                         result.review_quality, result.feedback_format);
  result.timings.push_back({"extract_clean_feedback", seconds_since(start)});

  start = Clock::now();
  const std::string sales_source = options.sales.string();
  transform::Transformed transformed = transform::transform(
      std::move(sales), std::move(reviews), products, customers, sales_source,
      transform::TransformOptions{.require_feedback = options.require_feedback}, result.rejects);
  result.sales = std::move(transformed.sales);
  result.reviews = std::move(transformed.reviews);
  result.transform = transformed.report;
  std::stable_sort(result.rejects.begin(), result.rejects.end(),
                   [](const Reject& a, const Reject& b) {
                     return a.source != b.source ? a.source < b.source : a.line < b.line;
                   });
  result.timings.push_back({"transform", seconds_since(start)});

  EtlCounts& c = result.counts;
  c.sales_read = result.sales_quality.read;
  c.sales_rejected = total_rejected(result.sales_quality, result.transform);
  c.sales_exact_duplicates = result.transform.exact_duplicates;
  c.sales_excluded_no_review = result.transform.excluded_no_review;
  c.sales_loaded = result.sales.size();
  c.reviews_read = result.review_quality.read;
  c.reviews_rejected = result.review_quality.rejected;
  c.reviews_valid = result.reviews.size();
  c.reviews_latest = result.transform.latest_reviews;
  c.reviews_superseded = result.transform.superseded_reviews;
  check_accounting(c, result.sales.size());

  if (c.sales_loaded == 0) {
    throw Error(ErrorKind::Input, Location{sales_source, 0, 0},
                fmt::format("no sale could be loaded ({} read, {} rejected: see the reasons with "
                            "`salespipe profile`); the existing warehouse is left as it was",
                            c.sales_read, c.sales_rejected));
  }
  const auto check_limit = [&](std::string_view what, std::uint64_t rejected, std::uint64_t read,
                               const std::string& file) {
    if (options.fail_on_rejects && rejected > 0) {
      throw Error(
          ErrorKind::Input, Location{file, 0, 0},
          fmt::format("{} of {} {} rejected and --fail-on-rejects is set", rejected, read, what));
    }
    if (options.max_rejects && options.max_rejects->exceeded(rejected, read)) {
      throw Error(ErrorKind::Input, Location{file, 0, 0},
                  fmt::format("{} of {} {} rejected, over --max-rejects {}", rejected, read, what,
                              options.max_rejects->describe()));
    }
  };
  check_limit("sales", c.sales_rejected, c.sales_read, sales_source);
  check_limit("reviews", c.reviews_rejected, c.reviews_read, options.feedback.string());

  if (fingerprinter.joinable()) {
    fingerprinter.join();
  }
  if (fingerprint_error) {
    std::rethrow_exception(fingerprint_error);
  }
  result.sales_fingerprint = sales_print;
  result.feedback_fingerprint = feedback_print;
  return result;
}

void load(const EtlOptions& options, EtlResult& result) {
  const auto start = Clock::now();
  const fs::path warehouse = warehouse_dir(options.out);
  io::warehouse::FolderLock lock(options.out);
  io::warehouse::remove_stale_temps(warehouse);

  io::warehouse::StagedOutputs outputs;
  const fs::path processed = outputs.stage(warehouse / "processed_sales_data.csv");
  const fs::path rejects = outputs.stage(warehouse / "rejects.csv");
  // The SQLite warehouse is built on the other core while this one writes the CSV files.
  std::exception_ptr sqlite_error;
  std::thread sqlite_writer;
  if (options.write_sqlite) {
    const fs::path database = outputs.stage(warehouse / "warehouse.sqlite");
    sqlite_writer = std::thread([&, database] {
      try {
        io::sql::write_warehouse(database, result.sales, result.reviews, result.rejects);
      } catch (...) {
        sqlite_error = std::current_exception();
      }
    });
  }
  try {
    io::warehouse::write_processed_sales(processed, result.sales);
    io::warehouse::write_rejects(rejects, result.rejects);
  } catch (...) {
    if (sqlite_writer.joinable()) {
      sqlite_writer.join();
    }
    throw;
  }
  if (sqlite_writer.joinable()) {
    sqlite_writer.join();
  }
  if (sqlite_error) {
    std::rethrow_exception(sqlite_error);
  }
  result.timings.push_back({"load", seconds_since(start)});

  // The manifest is written last, after every other output is complete.
  result.outputs = outputs.finals();
  result.outputs.push_back(warehouse / "run_manifest.json");
  result.manifest_json = manifest_json(options, result);
  io::warehouse::write_text_file(outputs.stage(warehouse / "run_manifest.json"),
                                 result.manifest_json);
  outputs.commit();

  // The runs history lives on in state.sqlite, updated in place and never replaced.
  auto state = io::sql::StateDb::open(warehouse / "state.sqlite");
  state.record_run(
      io::sql::RunRecord{.command = "etl",
                         .started_at = result.started_at,
                         .finished_at = options.now_utc(),
                         .status = "ok",
                         .exit_code = 0,
                         .rows_read = static_cast<std::int64_t>(result.counts.sales_read),
                         .rows_loaded = static_cast<std::int64_t>(result.counts.sales_loaded),
                         .rows_rejected = static_cast<std::int64_t>(result.counts.sales_rejected),
                         .manifest_json = result.manifest_json});
}

EtlResult run_etl(const EtlOptions& options) {
  EtlResult result = extract_transform(options);
  load(options, result);
  return result;
}

}  // namespace salespipe::pipeline
