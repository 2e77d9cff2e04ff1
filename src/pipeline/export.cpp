#include "pipeline/export.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "io/csv/reader.hpp"
#include "io/db_export/db_export.hpp"
#include "io/http/http_sync.hpp"
#include "io/sql/state_db.hpp"
#include "io/warehouse/commit.hpp"
#include "io/warehouse/csv_outputs.hpp"
#include "io/warehouse/text_file.hpp"
#include "io/xlsx/writer.hpp"
#include "pipeline/etl.hpp"

namespace salespipe::pipeline {
namespace fs = std::filesystem;
namespace {

std::string counts_text(std::string_view what, const io::db_export::UpsertCounts& counts) {
  return fmt::format("{} {} inserted, {} updated, {} unchanged", what, counts.inserted,
                     counts.updated, counts.unchanged);
}

/// A DSN as it may be printed: any password replaced.
std::string without_password(const std::string& dsn) {
  const auto scheme = dsn.find("://");
  const auto at = dsn.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) {
    return dsn;
  }
  const auto colon = dsn.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) {
    return dsn;
  }
  return dsn.substr(0, colon + 1) + "***" + dsn.substr(at);
}

/// A URL as it may be printed: a query string can hold a key.
std::string_view url_without_query(std::string_view url) {
  return url.substr(0, url.find_first_of("?#"));
}

void record(io::sql::StateDb& state, const std::string& destination, const std::string& started,
            const std::string& finished, std::uint64_t sent, std::uint64_t updated,
            std::uint64_t unchanged, std::uint64_t failed, std::optional<std::string> error) {
  state.record_sync_run(io::sql::SyncRun{.destination = destination,
                                         .started_at = started,
                                         .finished_at = finished,
                                         .sent = static_cast<std::int64_t>(sent),
                                         .updated = static_cast<std::int64_t>(updated),
                                         .unchanged = static_cast<std::int64_t>(unchanged),
                                         .failed = static_cast<std::int64_t>(failed),
                                         .error = std::move(error)});
}

ExportOutcome export_xlsx(const ExportOptions& options, const ExportData& data) {
  const fs::path final_path = warehouse_dir(options.out) / "processed_sales_data_with_vip.xlsx";
  io::warehouse::FolderLock lock(options.out);
  io::warehouse::remove_stale_temps(final_path.parent_path());
  io::warehouse::StagedOutputs outputs;
  io::xlsx::XlsxOptions xlsx;
  xlsx.vip_segment = options.vip_segment;
  io::xlsx::write_xlsx(outputs.stage(final_path), data, xlsx);
  outputs.commit();
  return {"xlsx", final_path.string(),
          fmt::format("{} sales, {} customers, {} top products",
                      data.sales != nullptr ? data.sales->size() : 0, data.customers.size(),
                      data.top_products_rows.size())};
}

}  // namespace

void ExportOptions::validate() const {
  if (!now_utc) {
    throw Error(ErrorKind::Usage, "exports need a clock (ExportOptions::now_utc)");
  }
  for (const auto& destination : targets.destinations) {
    if (destination == "postgres" && targets.postgres_dsn.empty()) {
      throw Error(ErrorKind::Usage, "export to postgres needs --dsn (or export.postgres.dsn)");
    }
    if (destination == "http" && targets.http_url.empty()) {
      throw Error(ErrorKind::Usage, "export to http needs --url (or export.http.url)");
    }
    if (destination != "xlsx" && destination != "sqlite" && destination != "postgres" &&
        destination != "http") {
      throw Error(
          ErrorKind::Usage,
          fmt::format("unknown destination \"{}\" (xlsx, sqlite, postgres, http)", destination));
    }
  }
}

std::vector<ExportOutcome> run_exports(const ExportOptions& options, const ExportData& data) {
  options.validate();
  std::vector<ExportOutcome> outcomes;
  auto state = io::sql::StateDb::open(warehouse_dir(options.out) / "state.sqlite");
  for (const auto& destination : options.targets.destinations) {
    const std::string started = options.now_utc();
    try {
      if (destination == "xlsx") {
        outcomes.push_back(export_xlsx(options, data));
        record(state, "xlsx", started, options.now_utc(), data.customers.size(), 0, 0, 0,
               std::nullopt);
      } else if (destination == "sqlite" || destination == "postgres") {
        io::db_export::DbExportOptions db;
        db.customers_table = options.targets.table;
        db.include_sales = data.sales != nullptr;
        db.now_utc = started;
        const bool sqlite = destination == "sqlite";
        const auto result =
            sqlite ? io::db_export::export_sqlite(options.targets.sqlite_path, data, db)
                   : io::db_export::export_postgres(options.targets.postgres_dsn, data, db);
        const std::string target = sqlite ? options.targets.sqlite_path.string()
                                          : without_password(options.targets.postgres_dsn);
        outcomes.push_back(
            {destination, target,
             counts_text(fmt::format("{} customers:", data.customers.size()), result.customers) +
                 (db.include_sales ? "; " + counts_text("sales:", result.sales) : "")});
        record(state, destination + ":" + target, started, options.now_utc(),
               result.customers.inserted + result.customers.updated, result.customers.updated,
               result.customers.unchanged, 0, std::nullopt);
      } else if (destination == "http") {
        io::http::HttpOptions http;
        http.url = options.targets.http_url;
        http.batch_size = options.targets.http_batch;
        http.sync_fields = options.targets.http_sync_fields == "all"
                               ? io::http::SyncFields::All
                               : io::http::SyncFields::Segment;
        http.dry_run = options.targets.dry_run;
        http.bearer_token = options.http_token;
        http.now_utc = started;
        http.jitter_seed = options.jitter_seed;
        // sync_http records its own sync_runs row, failed or not.
        const auto result = io::http::sync_http(data.customers, state, http);
        outcomes.push_back(
            {"http", std::string(url_without_query(options.targets.http_url)),
             fmt::format("{} customers, {} changed: {} {} in {} batches ({} retries), {} "
                         "unchanged",
                         result.customers, result.changed,
                         options.targets.dry_run ? result.changed : result.sent,
                         options.targets.dry_run ? "would be sent" : "sent", result.batches,
                         result.retries, result.unchanged)});
      }
    } catch (const io::http::HttpSyncError&) {
      throw;
    } catch (const Error& error) {
      if (destination != "http") {
        record(state, destination, started, options.now_utc(), 0, 0, 0, data.customers.size(),
               std::string(error.what()));
      }
      throw;
    }
  }
  return outcomes;
}

void set_top_products(ExportData& data, std::string csv_bytes, std::string period_label) {
  data.period_label = std::move(period_label);
  if (csv_bytes.empty()) {
    return;
  }
  auto reader = io::csv::Reader::from_bytes(std::move(csv_bytes), "top_products.csv");
  data.top_products_header = reader.header();
  io::csv::Batch batch;
  while (reader.next_batch(batch)) {
    for (std::size_t row = 0; row < batch.size(); ++row) {
      std::vector<std::string> cells;
      for (std::size_t c = 0; c < batch.columns; ++c) {
        cells.emplace_back(batch.field(row, c));
      }
      data.top_products_rows.push_back(std::move(cells));
    }
  }
}

std::vector<ExportOutcome> export_from_files(const ExportOptions& options) {
  const fs::path warehouse = warehouse_dir(options.out);
  const fs::path segments = warehouse / "customer_segments.csv";
  if (!fs::exists(segments)) {
    throw Error(ErrorKind::Input, Location{segments.string(), 0, 0},
                "no customer segments here: run `salespipe segment` first");
  }
  ExportData data;
  data.customers = io::warehouse::read_customer_segments(segments);
  const SalesTable sales =
      io::warehouse::read_processed_sales(warehouse / "processed_sales_data.csv");
  data.sales = &sales;
  data.segment_of_customer.assign(sales.customers.size(), std::string());
  {
    // customer_id -> segment, through the sales table's dictionary.
    Interner ids;
    for (std::uint32_t code = 0; code < sales.customers.size(); ++code) {
      ids.intern(sales.customers.name(code));
    }
    for (std::size_t i = 0; i < data.customers.size(); ++i) {
      if (const auto code = ids.find(data.customers.customer_id[i])) {
        data.segment_of_customer[*code] = std::string(data.customers.segment[i]);
      }
    }
  }
  const fs::path top = options.out / "reports/top_products.csv";
  if (fs::exists(top)) {
    set_top_products(data, io::warehouse::read_text_file(top), "");
  }
  return run_exports(options, data);
}

}  // namespace salespipe::pipeline
