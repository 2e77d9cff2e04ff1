#include "cli/summary.hpp"

#include <fmt/format.h>

namespace salespipe::cli {
namespace {

void append_reasons(std::string& out, const std::array<clean::ReasonQuality, kReasonCount>& reasons,
                    std::uint64_t duplicate_sale_ids) {
  std::string list;
  for (std::size_t i = 0; i < kReasonCount; ++i) {
    const auto reason = static_cast<Reason>(i);
    const std::uint64_t count =
        reasons[i].count + (reason == Reason::DuplicateSaleId ? duplicate_sale_ids : 0);
    if (count > 0) {
      list += fmt::format("{}{} {}", list.empty() ? "" : ", ", reason_name(reason), count);
    }
  }
  if (!list.empty()) {
    out += fmt::format("            rejected: {}\n", list);
  }
}

void append_dates(std::string& out, std::string_view column,
                  const clean::DateColumnQuality& dates) {
  std::string list;
  for (std::size_t i = 0; i < clean::kResolutionStepCount; ++i) {
    if (dates.by_step[i] > 0) {
      list +=
          fmt::format("{}{} {}", list.empty() ? "" : ", ",
                      clean::step_name(static_cast<clean::ResolutionStep>(i)), dates.by_step[i]);
    }
  }
  if (!list.empty()) {
    out += fmt::format("            {}: {}\n", column, list);
  }
}

}  // namespace

std::string etl_summary(const pipeline::EtlOptions& options, const pipeline::EtlResult& result,
                        double seconds) {
  const auto& c = result.counts;
  std::string out;
  out += fmt::format("salespipe etl: done in {:.2f} s\n", seconds);
  out += fmt::format("  sales     {}: {} read -> {} loaded, {} rejected, {} exact duplicates",
                     options.sales.string(), c.sales_read, c.sales_loaded, c.sales_rejected,
                     c.sales_exact_duplicates);
  if (c.sales_excluded_no_review > 0) {
    out += fmt::format(", {} excluded without review", c.sales_excluded_no_review);
  }
  if (c.sales_blank_lines > 0) {
    out += fmt::format(" ({} blank lines skipped)", c.sales_blank_lines);
  }
  out += '\n';
  append_reasons(out, result.sales_quality.by_reason, result.transform.duplicate_sale_ids);
  if (result.sales_quality.quantity_defaulted > 0) {
    out += fmt::format("            quantity defaulted to {}: {} rows{}\n",
                       options.clean.default_quantity, result.sales_quality.quantity_defaulted,
                       result.sales_quality.quantity_column_present ? "" : " (no quantity column)");
  }
  out += fmt::format(
      "  reviews   {} ({}): {} read -> {} valid ({} latest, {} superseded), {} "
      "rejected\n",
      options.feedback.string(), result.feedback_format, c.reviews_read, c.reviews_valid,
      c.reviews_latest, c.reviews_superseded, c.reviews_rejected);
  append_reasons(out, result.review_quality.by_reason, 0);
  out += fmt::format(
      "  join      {} sales without a review, {} latest reviews without a loaded "
      "sale\n",
      result.transform.sales_without_review, result.transform.reviews_without_sale);
  out += "  dates\n";
  append_dates(out, "sale_date", result.sales_quality.sale_date);
  append_dates(out, "review_date", result.review_quality.review_date);
  out += "  outputs\n";
  for (const auto& path : result.outputs) {
    out += fmt::format("            {}\n", path.string());
  }
  if (c.sales_rejected + c.reviews_rejected > 0) {
    out += fmt::format("  {} records rejected: see {}\n", c.sales_rejected + c.reviews_rejected,
                       (pipeline::warehouse_dir(options.out) / "rejects.csv").string());
  }
  return out;
}

}  // namespace salespipe::cli
