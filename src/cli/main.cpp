// The salespipe command line: parses arguments, calls the pipeline library, prints, and maps
// errors to exit codes. The only place that writes to stdout/stderr or exits.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <random>

#include "analyze/format.hpp"
#include "analyze/top_products.hpp"
#include "cli/progress.hpp"
#include "cli/summary.hpp"
#include "core/error.hpp"
#include "core/json_writer.hpp"
#include "generate/generate.hpp"
#include "io/warehouse/commit.hpp"
#include "io/warehouse/interrupt.hpp"
#include "pipeline/analysis.hpp"
#include "pipeline/config.hpp"
#include "pipeline/etl.hpp"
#include "pipeline/export.hpp"
#include "pipeline/profile.hpp"
#include "pipeline/segmentation.hpp"

namespace salespipe::cli {
namespace {

/// Flags every command shares.
struct CommonFlags {
  bool quiet = false;
  bool json = false;
};

/// Flags kept as text where the library parses them (one place for each rule).
struct TextFlags {
  std::string date_order;
  std::string max_rejects;
  std::string features;
  std::string config;  ///< only for --help; the file is read before parsing
};

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// The config file named by --config FILE or --config=FILE anywhere on the command line: it is
/// read before the flags, so that flags override it.
std::optional<std::string> find_config_flag(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--config" && i + 1 < argc) {
      return std::string(argv[i + 1]);
    }
    if (arg.starts_with("--config=")) {
      return std::string(arg.substr(9));
    }
  }
  return std::nullopt;
}

void add_common_flags(CLI::App& command, CommonFlags& flags) {
  command.add_flag("-q,--quiet", flags.quiet, "print nothing but errors (no progress, no summary)");
  command.add_flag("--json", flags.json, "print the summary as JSON on stdout");
}

void add_config_flag(CLI::App& command, TextFlags& text) {
  command.add_option("--config", text.config,
                     "a salespipe.toml with inputs, column names, cleaning policies, period, k "
                     "and destinations; flags override it");
}

void add_etl_flags(CLI::App& command, pipeline::EtlOptions& o, TextFlags& text) {
  command.add_option("--sales", o.sales, "raw sales CSV (RFC 4180; columns in any order)");
  command.add_option("--feedback", o.feedback, "customer feedback: a JSON array or NDJSON");
  command.add_option("--out", o.out, "output folder (data_warehouse/ is written inside)")
      ->capture_default_str();
  command
      .add_option("--date-order", text.date_order,
                  "how to read ambiguous dates such as 01-09-2023: auto (by the column's "
                  "evidence), dmy or mdy")
      ->check(CLI::IsMember({"auto", "dmy", "mdy"}))
      ->default_str("auto");
  command
      .add_option("--default-quantity", o.clean.default_quantity,
                  "quantity used when the cell is empty or the column is absent")
      ->capture_default_str();
  command.add_flag("--require-feedback", o.require_feedback,
                   "drop sales without a review, as the original lab did (counted as "
                   "excluded_no_review)");
  command.add_option("--max-rejects", text.max_rejects,
                     "fail (exit 3, nothing written) when an input has more rejects than N or P%");
  command.add_flag("--fail-on-rejects", o.fail_on_rejects,
                   "fail (exit 3, nothing written) on any reject");
  command.add_flag("!--no-warehouse-db", o.write_sqlite,
                   "skip warehouse.sqlite (for like-for-like benchmarks)");
  command.add_flag("!--no-fingerprints", o.fingerprints,
                   "skip the inputs' XXH3-128 fingerprints in the manifest");
}

void finish_etl_flags(pipeline::EtlOptions& o, const TextFlags& text) {
  if (!text.date_order.empty()) {
    o.clean.date_order = *clean::parse_date_order(text.date_order);
  }
  if (!text.max_rejects.empty()) {
    o.max_rejects = pipeline::RejectLimit::parse(text.max_rejects);
  }
  o.now_utc = utc_now;
}

void add_segment_flags(CLI::App& command, pipeline::SegmentOptions& options, TextFlags& text) {
  auto& o = options.segment;
  command.add_option("--k", o.k, "number of segments (2: VIP and Non-VIP; more: tiers)")
      ->capture_default_str();
  command.add_option("--seed", o.seed, "K-Means random seed (as scikit-learn's random_state)")
      ->capture_default_str();
  command.add_option("--n-init", o.n_init, "K-Means runs; the one with the lowest inertia is kept")
      ->capture_default_str();
  command.add_option("--max-iter", o.max_iter, "Lloyd iterations per run at most")
      ->capture_default_str();
  command
      .add_option("--features", text.features,
                  "what to cluster on: spend (total, frequency, average) or spend+recency")
      ->check(CLI::IsMember({"spend", "spend+recency"}))
      ->default_str("spend");
  command.add_option("--tier-names", o.tier_names,
                     "segment names from the highest spending down (default VIP, Non-VIP for k=2; "
                     "VIP, Tier 2, ... for more)");
}

void finish_segment_flags(pipeline::SegmentOptions& options, const TextFlags& text) {
  if (!text.features.empty()) {
    options.segment.use_recency = text.features == "spend+recency";
  }
}

std::string segment_summary(const pipeline::SegmentResult& result) {
  const auto& s = result.segmentation;
  std::string out = fmt::format("salespipe segment: {} customers in {} segments (inertia {:.6f}",
                                s.customers(), s.segment_name.size(), s.inertia);
  if (s.silhouette) {
    out +=
        fmt::format(", silhouette {:.3f}{}", *s.silhouette, s.silhouette_sampled ? " sampled" : "");
  }
  out += fmt::format(", {} iterations)\n", s.iterations);
  // VIP first, then the lower tiers.
  for (std::size_t tier = 0; tier < s.segment_name.size(); ++tier) {
    for (std::size_t c = 0; c < s.segment_name.size(); ++c) {
      if (static_cast<std::size_t>(s.tier[c]) == tier) {
        out += fmt::format("  {:<10} {:>7} customers, mean spend {:.2f}\n", s.segment_name[c],
                           s.size[c], s.mean_total_purchase_amount[c]);
      }
    }
  }
  out += "  outputs\n";
  for (const auto& path : result.outputs) {
    out += fmt::format("            {}\n", path.string());
  }
  return out;
}

std::string_view signal_name(int signal) {
  switch (signal) {
    case SIGINT:
      return "SIGINT (Ctrl-C)";
    case SIGTERM:
      return "SIGTERM";
    case SIGHUP:
      return "SIGHUP";
    default:
      return "a signal";
  }
}

/// For the commands that write outputs: Ctrl-C, kill and a closed terminal remove this run's
/// temp files before the process ends by the signal (DESIGN.md section 11.3). Must run before
/// the pipeline starts its threads.
void clean_up_on_interrupt(const CommonFlags& common) {
  io::warehouse::install_interrupt_cleanup({.on_signal = [quiet = common.quiet](int signal) {
    if (quiet) {
      return;
    }
    // Clears a progress bar left on the line.
    const std::string_view clear = ::isatty(STDERR_FILENO) != 0 ? "\r\033[K" : "";
    fmt::print(stderr,
               "{}salespipe: stopped by {}; temp files removed, each output left as its "
               "previous or its new version\n",
               clear, signal_name(signal));
    std::fflush(stderr);
  }});
}

int run_etl_command(pipeline::RunConfig& config, const TextFlags& text, const CommonFlags& common) {
  finish_etl_flags(config.etl, text);
  ProgressBar bar(!common.quiet && !common.json);
  config.etl.progress = [&bar](const pipeline::Progress& progress) { bar.update(progress); };
  const auto start = std::chrono::steady_clock::now();
  const pipeline::EtlResult result = pipeline::run_etl(config.etl);
  if (common.json) {
    fmt::print("{}", result.manifest_json);
  } else if (!common.quiet) {
    fmt::print("{}", etl_summary(config.etl, result, seconds_since(start)));
  }
  return 0;
}

int run_segment_command(pipeline::RunConfig& config, const TextFlags& text,
                        const CommonFlags& common) {
  finish_segment_flags(config.segment, text);
  config.segment.out = config.etl.out;
  const auto result = pipeline::segment_from_files(config.segment);
  if (common.json) {
    fmt::print("{}\n", result.summary_json);
  } else if (!common.quiet) {
    fmt::print("{}", segment_summary(result));
  }
  return 0;
}

void add_analysis_flags(CLI::App& command, pipeline::AnalysisSettings& analysis) {
  command
      .add_option("--period", analysis.period,
                  "latest-quarter (last-quarter), YYYYQn, YYYY, YYYY-MM-DD..YYYY-MM-DD or all")
      ->capture_default_str();
  command.add_option("--top", analysis.top, "how many products the report ranks")
      ->capture_default_str();
}

void add_export_flags(CLI::App& command, pipeline::ExportTargets& targets, bool with_to) {
  if (with_to) {
    command
        .add_option("--to", targets.destinations,
                    "destinations: xlsx, sqlite, postgres, http (repeat or comma-separate)")
        ->delimiter(',')
        ->check(CLI::IsMember({"xlsx", "sqlite", "postgres", "http"}));
  }
  command.add_option("--db", targets.sqlite_path, "the SQLite file for --to sqlite")
      ->capture_default_str();
  command.add_option("--dsn", targets.postgres_dsn,
                     "PostgreSQL connection URI for --to postgres, e.g. "
                     "postgresql://user@127.0.0.1:5432/crm");
  command.add_option("--table", targets.table, "customer table name in the database")
      ->capture_default_str();
  command.add_option("--url", targets.http_url, "webhook URL for --to http");
  command.add_option("--batch", targets.http_batch, "customers per HTTP request")
      ->capture_default_str();
  command
      .add_option("--sync-fields", targets.http_sync_fields,
                  "send a customer when its segment changed (segment) or any field (all)")
      ->check(CLI::IsMember({"segment", "all"}))
      ->capture_default_str();
  command.add_flag("--dry-run", targets.dry_run,
                   "HTTP: say what would be sent, send nothing, change no state");
}

pipeline::AnalysisOptions analysis_options(const pipeline::RunConfig& config) {
  pipeline::AnalysisOptions options;
  options.out = config.etl.out;
  options.period = config.analysis.period;
  options.top = config.analysis.top;
  options.version = SALESPIPE_VERSION;
  return options;
}

pipeline::ExportOptions export_options(const pipeline::RunConfig& config) {
  pipeline::ExportOptions options;
  options.out = config.etl.out;
  options.targets = config.exports;
  if (const char* token = std::getenv("SALESPIPE_HTTP_TOKEN"); token != nullptr && *token) {
    options.http_token = token;
  }
  options.vip_segment = config.segment.segment.names().front();
  options.now_utc = utc_now;
  // Retries of many clients should not line up: each run gets its own jitter.
  options.jitter_seed = std::random_device{}();
  return options;
}

std::string analysis_summary(const pipeline::AnalysisResult& result) {
  std::string out = fmt::format("salespipe analyze: {} top {} products by revenue\n",
                                analyze::describe(result.top.period), result.top.rows.size());
  for (const auto& row : result.top.rows) {
    out += fmt::format("  {:>2}. {:<12} {:>14}\n", row.rank, row.product_id,
                       analyze::format_dollars(row.revenue));
  }
  for (const auto& insight : result.insights) {
    out += fmt::format("  * {}\n", insight.sentence);
  }
  out += "  outputs\n";
  for (const auto& path : result.outputs) {
    out += fmt::format("            {}\n", path.string());
  }
  return out;
}

std::string export_summary(const std::vector<pipeline::ExportOutcome>& outcomes) {
  std::string out = "salespipe export:\n";
  for (const auto& outcome : outcomes) {
    out += fmt::format("  {:<8} {}\n           {}\n", outcome.destination, outcome.target,
                       outcome.summary);
  }
  return out;
}

/// `salespipe run`: every stage in one process, in memory.
int run_all_command(pipeline::RunConfig& config, const TextFlags& text, const CommonFlags& common) {
  finish_etl_flags(config.etl, text);
  finish_segment_flags(config.segment, text);
  ProgressBar bar(!common.quiet && !common.json);
  config.etl.progress = [&bar](const pipeline::Progress& progress) { bar.update(progress); };
  const auto start = std::chrono::steady_clock::now();
  const pipeline::EtlResult etl = pipeline::run_etl(config.etl);
  config.segment.out = config.etl.out;
  const pipeline::SegmentResult segments = pipeline::segment_tables(config.segment, etl.sales);
  const pipeline::AnalysisResult analysis = pipeline::analyze_tables(
      analysis_options(config), etl.sales, etl.reviews, segments.manifest_json,
      pipeline::SegmentInputs{segments.is_vip, segments.vip_table_rows, segments.summary_json});
  ExportData data;
  data.customers = pipeline::export_customers(segments, etl.sales);
  data.sales = &etl.sales;
  data.segment_of_customer = segments.segment_of_customer;
  pipeline::set_top_products(data, analyze::top_products_csv(analysis.top),
                             analyze::describe(analysis.top.period));
  const auto exports = pipeline::run_exports(export_options(config), data);
  if (common.json) {
    fmt::print("{}", segments.manifest_json);
    return 0;
  }
  if (!common.quiet) {
    fmt::print("{}", etl_summary(config.etl, etl, seconds_since(start)));
    fmt::print("{}", segment_summary(segments));
    fmt::print("{}", analysis_summary(analysis));
    fmt::print("{}", export_summary(exports));
    const auto report = config.etl.out / "reports/report.html";
    fmt::print("\nThe report: {}\n", report.string());
  }
  return 0;
}

int run_generate_command(generate::Options& options, const std::string& feedback_format,
                         const std::filesystem::path& out, const CommonFlags& common) {
  options.feedback_format = feedback_format == "ndjson" ? generate::FeedbackFormat::Ndjson
                                                        : generate::FeedbackFormat::Array;
  options.validate();
  std::error_code error;
  std::filesystem::create_directories(out, error);
  if (error) {
    throw Error(ErrorKind::Output,
                fmt::format("{}: cannot create the folder: {}", out.string(), error.message()));
  }
  ProgressBar bar(!common.quiet && !common.json);
  options.on_progress = [&bar](std::uint64_t done, std::uint64_t total) {
    bar.update(pipeline::Progress{"generate", done, total});
  };
  const auto sales = out / "sale_price.csv";
  const auto feedback = out / "customer_feedback.json";
  // Both files are written to temps and renamed into place only when both are complete, so a
  // failed or interrupted run leaves earlier files as they were.
  io::warehouse::StagedOutputs outputs;
  const generate::Stats stats =
      generate::generate(options, outputs.stage(sales), outputs.stage(feedback));
  outputs.commit();
  if (common.json) {
    fmt::print(
        "{{\"sales\": {}, \"feedback\": {}, \"rows\": {}, \"reviews\": {}, "
        "\"customers\": {}, \"products\": {}, \"hard_faults\": {}}}\n",
        json_quote(sales.string()), json_quote(feedback.string()), stats.sales_records,
        stats.reviews, stats.customers, stats.products, stats.hard_faults());
  } else if (!common.quiet) {
    fmt::print("salespipe generate: {} sales records ({} bytes) -> {}\n", stats.sales_records,
               stats.sales_bytes, sales.string());
    fmt::print("                    {} reviews ({} bytes) -> {}\n", stats.reviews,
               stats.feedback_bytes, feedback.string());
    fmt::print(
        "                    {} customers, {} products, {} missing prices, {} missing "
        "quantities, {} injected hard faults\n",
        stats.customers, stats.products, stats.missing_prices, stats.missing_quantities,
        stats.hard_faults());
  }
  return 0;
}

int real_main(int argc, char** argv) {
  CLI::App app{
      "salespipe: messy sales exports and customer feedback in; a clean warehouse, a "
      "report, VIP segments and exports out"};
  app.set_version_flag("--version", SALESPIPE_VERSION);
  app.require_subcommand(0, 1);
  app.footer(
      "Exit codes: 0 ok (rejects allowed), 1 internal error, 2 usage, 3 bad input, "
      "4 output failure.\nRun `salespipe COMMAND --help` for a command's flags.");

  // Defaults, then the config file, then the flags.
  pipeline::RunConfig config;
  if (const auto config_path = find_config_flag(argc, argv)) {
    pipeline::load_config(*config_path, config);
  }
  CommonFlags common;
  TextFlags text;

  CLI::App* run_command =
      app.add_subcommand("run", "the whole pipeline in one process: etl, segment, analyze, export");
  add_etl_flags(*run_command, config.etl, text);
  add_segment_flags(*run_command, config.segment, text);
  add_analysis_flags(*run_command, config.analysis);
  add_export_flags(*run_command, config.exports, true);
  add_config_flag(*run_command, text);
  add_common_flags(*run_command, common);

  CLI::App* etl_command =
      app.add_subcommand("etl", "extract, clean, transform and load the warehouse");
  add_etl_flags(*etl_command, config.etl, text);
  add_config_flag(*etl_command, text);
  add_common_flags(*etl_command, common);

  CLI::App* segment_command = app.add_subcommand(
      "segment", "VIP customer segmentation (K-Means, as scikit-learn) of the loaded sales");
  segment_command->add_option("--out", config.etl.out, "the folder `etl` wrote")
      ->capture_default_str();
  add_segment_flags(*segment_command, config.segment, text);
  add_config_flag(*segment_command, text);
  add_common_flags(*segment_command, common);

  CLI::App* analyze_command = app.add_subcommand(
      "analyze", "top products for a period, their sentiment, insights, charts and the report");
  analyze_command->add_option("--out", config.etl.out, "the folder `etl` wrote")
      ->capture_default_str();
  add_analysis_flags(*analyze_command, config.analysis);
  add_config_flag(*analyze_command, text);
  add_common_flags(*analyze_command, common);

  CLI::App* export_command = app.add_subcommand(
      "export", "reverse ETL: the VIP-enriched data to XLSX, SQLite, PostgreSQL or a webhook");
  export_command->add_option("--out", config.etl.out, "the folder `segment` wrote")
      ->capture_default_str();
  add_export_flags(*export_command, config.exports, true);
  add_config_flag(*export_command, text);
  add_common_flags(*export_command, common);

  std::string profile_path;
  CLI::App* profile_command = app.add_subcommand(
      "profile", "data-quality profile of a raw sales CSV or feedback JSON; writes nothing");
  profile_command->add_option("FILE", profile_path, "the raw input to profile")->required();
  profile_command->add_flag("--json", common.json, "print the profile as JSON");

  generate::Options generate_options;
  std::string generate_out = ".";
  std::string feedback_format = "array";
  CLI::App* generate_command = app.add_subcommand(
      "generate", "realistic messy sales CSV + feedback JSON in the shape of the lab's sample");
  generate_command->add_option("--rows", generate_options.rows, "sales records to write")
      ->capture_default_str();
  generate_command
      ->add_option("--seed", generate_options.seed, "random seed (same seed, same bytes)")
      ->capture_default_str();
  generate_command->add_flag("--hard-faults", generate_options.hard_faults,
                             "also inject decimal commas, impossible dates, duplicates, \"four\" "
                             "sentiments, blank lines, ...");
  generate_command
      ->add_option("--feedback-format", feedback_format, "feedback as a JSON array or NDJSON")
      ->check(CLI::IsMember({"array", "ndjson"}))
      ->capture_default_str();
  generate_command
      ->add_option("--out", generate_out, "folder for sale_price.csv and customer_feedback.json")
      ->capture_default_str();
  add_common_flags(*generate_command, common);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : static_cast<int>(ExitCode::Usage);
  }
  for (const CLI::App* writer : {run_command, etl_command, segment_command, analyze_command,
                                 export_command, generate_command}) {
    if (writer->parsed()) {
      clean_up_on_interrupt(common);
    }
  }
  if (run_command->parsed()) {
    return run_all_command(config, text, common);
  }
  if (etl_command->parsed()) {
    return run_etl_command(config, text, common);
  }
  if (segment_command->parsed()) {
    return run_segment_command(config, text, common);
  }
  if (analyze_command->parsed()) {
    const auto result = pipeline::analyze_from_files(analysis_options(config));
    if (!common.quiet) {
      fmt::print("{}", analysis_summary(result));
    }
    return 0;
  }
  if (export_command->parsed()) {
    const auto outcomes = pipeline::export_from_files(export_options(config));
    if (!common.quiet) {
      fmt::print("{}", export_summary(outcomes));
    }
    return 0;
  }
  if (generate_command->parsed()) {
    return run_generate_command(generate_options, feedback_format, generate_out, common);
  }
  if (profile_command->parsed()) {
    const pipeline::FileProfile profile = pipeline::profile_file(profile_path);
    fmt::print("{}",
               common.json ? pipeline::profile_json(profile) : pipeline::profile_text(profile));
    return 0;
  }
  fmt::print("{}", app.help());
  return 0;
}

}  // namespace
}  // namespace salespipe::cli

int main(int argc, char** argv) {
  try {
    return salespipe::cli::real_main(argc, argv);
  } catch (const salespipe::Error& error) {
    std::fflush(stdout);
    fmt::print(stderr, "salespipe: {}\n", error.what());
    return static_cast<int>(salespipe::exit_code_for(error.kind()));
  } catch (const std::exception& error) {
    std::fflush(stdout);
    fmt::print(stderr, "salespipe: internal error: {}\n", error.what());
    return static_cast<int>(salespipe::ExitCode::Internal);
  }
}
