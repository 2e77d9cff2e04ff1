#include "pipeline/etl.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <mutex>
#include <span>
#include <utility>

#include "core/background_job.hpp"
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

/// The progress of the two inputs read at once, reported as one "reading" stage over the bytes
/// of both (the callback is called under a lock, so it never runs on two threads at once).
class ParallelProgress {
 public:
  enum Input { Sales, Feedback };
  explicit ParallelProgress(const EtlOptions& options) : callback_(options.progress) {}

  void update(Input input, std::uint64_t done, std::uint64_t total) {
    if (!callback_) {
      return;
    }
    const std::lock_guard lock(mutex_);
    done_[input] = done;
    total_[input] = total;
    callback_(Progress{"reading", done_[0] + done_[1], total_[0] + total_[1]});
  }

 private:
  const std::function<void(const Progress&)>& callback_;
  std::mutex mutex_;
  std::uint64_t done_[2] = {0, 0};
  std::uint64_t total_[2] = {0, 0};
};

/// Rewrites codes of a merged interner, codes[i] = remap[codes[i]], half of them on each core.
void remap_codes(std::vector<std::uint32_t>& codes, const std::vector<std::uint32_t>& remap) {
  run_ranges(codes.size(), 2, [&](unsigned, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      codes[i] = remap[codes[i]];
    }
  });
}

/// rejects.csv order: by source, then line. The sales cleaner yields its rejects in line order
/// and the transform appends its duplicate_sale_id rejects in line order, so one merge sorts the
/// sales; the feedback's are in line order already. A full sort stays as the fallback, so the
/// order holds even if a reader ever yields out of order.
std::vector<Reject> sorted_rejects(std::vector<Reject> sales, std::size_t cleaner_rejects,
                                   std::vector<Reject> reviews) {
  const auto by_line = [](const Reject& a, const Reject& b) { return a.line < b.line; };
  std::inplace_merge(sales.begin(), sales.begin() + static_cast<std::ptrdiff_t>(cleaner_rejects),
                     sales.end(), by_line);
  const bool reviews_first =
      !sales.empty() && !reviews.empty() && reviews.front().source < sales.front().source;
  std::vector<Reject> all = reviews_first ? std::move(reviews) : std::move(sales);
  std::vector<Reject>& rest = reviews_first ? sales : reviews;
  clean::append_rejects(all, std::move(rest));
  if (!std::is_sorted(all.begin(), all.end(), rejects_file_order)) {
    std::stable_sort(all.begin(), all.end(), rejects_file_order);
  }
  return all;
}

/// About how many records a file holds, from the bytes of the first batch's records (0 when the
/// size is unknown): room the cleaners make at once. A tenth more covers records that run a
/// little longer later on; an overestimate costs address space only, since memory is touched
/// as rows arrive.
std::size_t expected_records(std::uint64_t file_size, std::span<const std::string_view> raw) {
  std::uint64_t bytes = 0;
  for (const std::string_view record : raw) {
    bytes += record.size() + 1;
  }
  if (file_size == 0 || bytes == 0) {
    return 0;
  }
  const double per_byte = static_cast<double>(raw.size()) / static_cast<double>(bytes);
  return static_cast<std::size_t>(static_cast<double>(file_size) * per_byte * 1.1);
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
                         std::uint64_t& blank_lines, ParallelProgress& progress) {
  auto reader = io::csv::Reader::open(options.sales);
  const std::string source = reader.file_name();
  const clean::SalesLayout layout =
      clean::map_sales_header(reader.header(), source, options.sales_names);
  clean::SalesCleaner cleaner(source, layout, options.clean, products, customers);
  io::csv::Batch batch;
  bool first_batch = true;
  while (reader.next_batch(batch)) {
    if (std::exchange(first_batch, false)) {
      cleaner.reserve(expected_records(reader.file_size(), batch.raw));
    }
    for (std::size_t row = 0; row < batch.size(); ++row) {
      if (batch.status[row] == io::csv::RecordStatus::Ok) {
        cleaner.add(batch.line[row], std::span<const std::string_view>(
                                         &batch.fields[row * batch.columns], batch.columns));
      } else {
        cleaner.add_unreadable(batch.line[row], reason_for(batch.status[row]), batch.raw[row],
                               io::csv::describe_fault(batch, row));
      }
    }
    progress.update(ParallelProgress::Sales, reader.bytes_read(), reader.file_size());
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
                             std::string& format, ParallelProgress& progress) {
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
  bool first_batch = true;
  while (reader.next_batch(batch)) {
    if (std::exchange(first_batch, false)) {
      cleaner.reserve(expected_records(reader.file_size(), batch.raw));
    }
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
    progress.update(ParallelProgress::Feedback, reader.bytes_read(), reader.file_size());
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

  // Fingerprints read the inputs a second time, on a thread of their own.
  std::optional<io::warehouse::FileFingerprint> sales_print;
  std::optional<io::warehouse::FileFingerprint> feedback_print;
  BackgroundJob fingerprinter;
  if (options.fingerprints) {
    fingerprinter.start([&] {
      sales_print = io::warehouse::fingerprint_file(options.sales);
      feedback_print = io::warehouse::fingerprint_file(options.feedback);
    });
  }

  // The two inputs are independent until the transform: each is read and cleaned on its own
  // core with its own id interners; merging the feedback's ids into the sales' afterwards gives
  // the codes of a one-thread run that reads the sales first.
  ParallelProgress progress(options);
  Interner products;
  Interner customers;
  CleanSales sales;
  std::vector<Reject> sales_rejects;
  double sales_seconds = 0;
  BackgroundJob sales_reader;
  sales_reader.start([&] {
    const auto start = Clock::now();
    sales = extract_sales(options, products, customers, sales_rejects, result.sales_quality,
                          result.counts.sales_blank_lines, progress);
    sales_seconds = seconds_since(start);
  });
  Interner review_products;
  Interner review_customers;
  CleanReviews reviews;
  std::vector<Reject> review_rejects;
  std::exception_ptr reviews_error;
  const auto reviews_start = Clock::now();
  try {
    reviews = extract_reviews(options, review_products, review_customers, review_rejects,
                              result.review_quality, result.feedback_format, progress);
  } catch (...) {
    reviews_error = std::current_exception();
  }
  const double reviews_seconds = seconds_since(reviews_start);
  // A bad sales file is reported first, as a run reading the sales first would.
  sales_reader.wait();
  if (reviews_error) {
    std::rethrow_exception(reviews_error);
  }
  result.timings.push_back({"extract_clean_sales", sales_seconds});
  result.timings.push_back({"extract_clean_feedback", reviews_seconds});

  auto start = Clock::now();
  const std::size_t cleaner_rejects = sales_rejects.size();
  remap_codes(reviews.product, products.merge(review_products));
  remap_codes(reviews.customer, customers.merge(review_customers));
  const std::string sales_source = options.sales.string();
  transform::Transformed transformed = transform::transform(
      std::move(sales), std::move(reviews), products, customers, sales_source,
      transform::TransformOptions{.require_feedback = options.require_feedback}, sales_rejects);
  result.sales = std::move(transformed.sales);
  result.reviews = std::move(transformed.reviews);
  result.transform = transformed.report;
  result.rejects =
      sorted_rejects(std::move(sales_rejects), cleaner_rejects, std::move(review_rejects));
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

  fingerprinter.wait();
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
  // The SQLite warehouse and rejects.csv are written on other threads while this one writes
  // the processed sales.
  BackgroundJob sqlite_writer;
  if (options.write_sqlite) {
    const fs::path database = outputs.stage(warehouse / "warehouse.sqlite");
    sqlite_writer.start([&, database] {
      io::sql::write_warehouse(database, result.sales, result.reviews, result.rejects);
    });
  }
  BackgroundJob rejects_writer;
  rejects_writer.start([&] { io::warehouse::write_rejects(rejects, result.rejects); });
  io::warehouse::write_processed_sales(processed, result.sales);
  rejects_writer.wait();
  sqlite_writer.wait();
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
