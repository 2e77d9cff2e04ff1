// The salespipe command line: parses arguments, calls the pipeline library, prints, and maps
// errors to exit codes. The only place that writes to stdout/stderr or exits.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <exception>

#include "cli/progress.hpp"
#include "cli/summary.hpp"
#include "core/error.hpp"
#include "core/json_writer.hpp"
#include "generate/generate.hpp"
#include "pipeline/etl.hpp"
#include "pipeline/profile.hpp"
#include "pipeline/segmentation.hpp"

namespace salespipe::cli {
namespace {

/// Flags every command shares.
struct CommonFlags {
  bool quiet = false;
  bool json = false;
};

/// The ETL flags, kept as text where the library parses them (one place for each rule).
struct EtlFlags {
  pipeline::EtlOptions options;
  std::string date_order = "auto";
  std::string max_rejects;
};

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

void add_common_flags(CLI::App& command, CommonFlags& flags) {
  command.add_flag("-q,--quiet", flags.quiet, "print nothing but errors (no progress, no summary)");
  command.add_flag("--json", flags.json, "print the summary as JSON on stdout (the run manifest)");
}

void add_etl_flags(CLI::App& command, EtlFlags& flags) {
  auto& o = flags.options;
  command.add_option("--sales", o.sales, "raw sales CSV (RFC 4180; columns in any order)")
      ->required();
  command.add_option("--feedback", o.feedback, "customer feedback: a JSON array or NDJSON")
      ->required();
  command.add_option("--out", o.out, "output folder (data_warehouse/ is written inside)")
      ->capture_default_str();
  command
      .add_option("--date-order", flags.date_order,
                  "how to read ambiguous dates such as 01-09-2023: auto (by the column's "
                  "evidence), dmy or mdy")
      ->check(CLI::IsMember({"auto", "dmy", "mdy"}))
      ->capture_default_str();
  command
      .add_option("--default-quantity", o.clean.default_quantity,
                  "quantity used when the cell is empty or the column is absent")
      ->capture_default_str();
  command.add_flag("--require-feedback", o.require_feedback,
                   "drop sales without a review, as the original lab did (counted as "
                   "excluded_no_review)");
  command.add_option("--max-rejects", flags.max_rejects,
                     "fail (exit 3, nothing written) when an input has more rejects than N or P%");
  command.add_flag("--fail-on-rejects", o.fail_on_rejects,
                   "fail (exit 3, nothing written) on any reject");
  command.add_flag("!--no-warehouse-db", o.write_sqlite,
                   "skip warehouse.sqlite (for like-for-like benchmarks)");
  command.add_flag("!--no-fingerprints", o.fingerprints,
                   "skip the inputs' XXH3-128 fingerprints in the manifest");
}

void finish_etl_flags(EtlFlags& flags) {
  auto& o = flags.options;
  o.clean.date_order = *clean::parse_date_order(flags.date_order);
  if (!flags.max_rejects.empty()) {
    o.max_rejects = pipeline::RejectLimit::parse(flags.max_rejects);
  }
  o.now_utc = utc_now;
}

int run_etl_command(EtlFlags& flags, const CommonFlags& common) {
  finish_etl_flags(flags);
  ProgressBar bar(!common.quiet && !common.json);
  flags.options.progress = [&bar](const pipeline::Progress& progress) { bar.update(progress); };
  const auto start = std::chrono::steady_clock::now();
  const pipeline::EtlResult result = pipeline::run_etl(flags.options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (common.json) {
    fmt::print("{}", result.manifest_json);
  } else if (!common.quiet) {
    fmt::print("{}", etl_summary(flags.options, result, seconds));
  }
  return 0;
}

void add_segment_flags(CLI::App& command, pipeline::SegmentOptions& options,
                       std::string& features) {
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
      .add_option("--features", features,
                  "what to cluster on: spend (total, frequency, average) or spend+recency")
      ->check(CLI::IsMember({"spend", "spend+recency"}))
      ->capture_default_str();
  command.add_option("--tier-names", o.tier_names,
                     "segment names from the highest spending down (default VIP, Non-VIP for k=2; "
                     "VIP, Tier 2, ... for more)");
}

std::string segment_summary(const pipeline::SegmentResult& result) {
  const auto& s = result.segmentation;
  std::string out = fmt::format("salespipe segment: {} customers in {} segments (inertia {:.6f}",
                                s.customers(), s.segment_name.size(), s.inertia);
  if (s.silhouette) {
    out += fmt::format(", silhouette {:.3f}{}", *s.silhouette, s.silhouette_sampled ? " sampled" : "");
  }
  out += fmt::format(", {} iterations)\n", s.iterations);
  for (std::size_t c = 0; c < s.segment_name.size(); ++c) {
    out += fmt::format("  {:<10} {:>7} customers, mean spend {:.2f}\n", s.segment_name[c], s.size[c],
                       s.mean_total_purchase_amount[c]);
  }
  out += "  outputs\n";
  for (const auto& path : result.outputs) {
    out += fmt::format("            {}\n", path.string());
  }
  return out;
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
  const generate::Stats stats = generate::generate(options, sales, feedback);
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

  CommonFlags common;
  EtlFlags etl;
  CLI::App* etl_command =
      app.add_subcommand("etl", "extract, clean, transform and load the warehouse");
  add_etl_flags(*etl_command, etl);
  add_common_flags(*etl_command, common);

  std::string profile_path;
  CommonFlags profile_common;
  CLI::App* profile_command = app.add_subcommand(
      "profile", "data-quality profile of a raw sales CSV or feedback JSON; writes nothing");
  profile_command->add_option("FILE", profile_path, "the raw input to profile")->required();
  profile_command->add_flag("--json", profile_common.json, "print the profile as JSON");

  generate::Options generate_options;
  std::string generate_out = ".";
  std::string feedback_format = "array";
  CommonFlags generate_common;
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
  add_common_flags(*generate_command, generate_common);

  pipeline::SegmentOptions segment_options;
  std::string segment_features = "spend";
  CommonFlags segment_common;
  CLI::App* segment_command = app.add_subcommand(
      "segment", "VIP customer segmentation (K-Means, as scikit-learn) of the loaded sales");
  segment_command->add_option("--out", segment_options.out, "the folder `etl` wrote")
      ->capture_default_str();
  add_segment_flags(*segment_command, segment_options, segment_features);
  add_common_flags(*segment_command, segment_common);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : static_cast<int>(ExitCode::Usage);
  }
  if (etl_command->parsed()) {
    return run_etl_command(etl, common);
  }
  if (segment_command->parsed()) {
    segment_options.segment.use_recency = segment_features == "spend+recency";
    const auto result = pipeline::segment_from_files(segment_options);
    if (segment_common.json) {
      fmt::print("{}\n", result.summary_json);
    } else if (!segment_common.quiet) {
      fmt::print("{}", segment_summary(result));
    }
    return 0;
  }
  if (generate_command->parsed()) {
    return run_generate_command(generate_options, feedback_format, generate_out, generate_common);
  }
  if (profile_command->parsed()) {
    const pipeline::FileProfile profile = pipeline::profile_file(profile_path);
    fmt::print("{}", profile_common.json ? pipeline::profile_json(profile)
                                         : pipeline::profile_text(profile));
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
