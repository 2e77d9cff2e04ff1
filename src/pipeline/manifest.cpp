#include "pipeline/manifest.hpp"

#include "core/json_writer.hpp"

namespace salespipe::pipeline {
namespace {

std::string_view date_order_name(clean::DateOrder order) {
  switch (order) {
    case clean::DateOrder::DayFirst:
      return "dmy";
    case clean::DateOrder::MonthFirst:
      return "mdy";
    default:
      return "auto";
  }
}

void write_input(JsonWriter& json, const std::filesystem::path& path,
                 const std::optional<io::warehouse::FileFingerprint>& print) {
  json.begin_object().key("path").value(path.string());
  if (print) {
    json.key("size").value(print->size).key("xxh3_128").value(print->xxh3_128);
  }
  json.end_object();
}

void write_reasons(JsonWriter& json, const std::array<clean::ReasonQuality, kReasonCount>& reasons,
                   std::uint64_t duplicate_sale_ids = 0) {
  json.begin_object();
  for (std::size_t i = 0; i < kReasonCount; ++i) {
    const auto reason = static_cast<Reason>(i);
    const std::uint64_t count =
        reasons[i].count + (reason == Reason::DuplicateSaleId ? duplicate_sale_ids : 0);
    if (count == 0) {
      continue;
    }
    json.key(reason_name(reason)).begin_object().key("count").value(count);
    json.key("examples").begin_array();
    for (const auto& example : reasons[i].examples) {
      json.value(example);
    }
    json.end_array().end_object();
  }
  json.end_object();
}

void write_dates(JsonWriter& json, const clean::DateColumnQuality& dates) {
  json.begin_object();
  json.key("by_step").begin_object();
  for (std::size_t i = 0; i < clean::kResolutionStepCount; ++i) {
    json.key(clean::step_name(static_cast<clean::ResolutionStep>(i))).value(dates.by_step[i]);
  }
  json.end_object();
  json.key("examples").begin_object();
  for (std::size_t i = 0; i < clean::kResolutionStepCount; ++i) {
    if (dates.examples[i].empty()) {
      continue;
    }
    json.key(clean::step_name(static_cast<clean::ResolutionStep>(i))).begin_array();
    for (const auto& example : dates.examples[i]) {
      json.begin_object().key("raw").value(example.raw).key("resolved").value(example.resolved);
      json.end_object();
    }
    json.end_array();
  }
  json.end_object();
  json.key("unambiguous_range").begin_array();
  if (!dates.min_unambiguous.empty()) {
    json.value(dates.min_unambiguous).value(dates.max_unambiguous);
  }
  json.end_array();
  json.key("order_evidence").begin_object();
  for (const auto& evidence : dates.evidence) {
    json.key(evidence.separator)
        .begin_object()
        .key("day_first")
        .value(evidence.day_first)
        .key("month_first")
        .value(evidence.month_first)
        .end_object();
  }
  json.end_object();
  json.end_object();
}

template <std::size_t N, typename Names>
void write_missing(JsonWriter& json, const std::array<std::uint64_t, N>& missing,
                   const Names& name_of) {
  json.begin_object();
  for (std::size_t i = 0; i < N; ++i) {
    json.key(name_of(i)).value(missing[i]);
  }
  json.end_object();
}

}  // namespace

std::string manifest_json(const EtlOptions& options, const EtlResult& result) {
  JsonWriter json;
  const EtlCounts& c = result.counts;
  json.begin_object();
  json.key("salespipe_manifest_version").value(1);
  json.key("command").value("etl");

  json.key("inputs").begin_object();
  json.key("sales");
  write_input(json, options.sales, result.sales_fingerprint);
  json.key("feedback");
  write_input(json, options.feedback, result.feedback_fingerprint);
  json.end_object();

  json.key("parameters").begin_object();
  json.key("date_order").value(date_order_name(options.clean.date_order));
  json.key("default_quantity").value(options.clean.default_quantity);
  json.key("sentiment_range").begin_array().value(options.clean.sentiment_min);
  json.value(options.clean.sentiment_max).end_array();
  json.key("require_feedback").value(options.require_feedback);
  json.key("max_rejects");
  if (options.max_rejects) {
    json.value(options.max_rejects->describe());
  } else {
    json.null();
  }
  json.key("fail_on_rejects").value(options.fail_on_rejects);
  json.key("feedback_format").value(result.feedback_format);
  json.end_object();

  json.key("counts").begin_object();
  json.key("sales").begin_object();
  json.key("read").value(c.sales_read).key("loaded").value(c.sales_loaded);
  json.key("rejected").value(c.sales_rejected);
  json.key("exact_duplicates").value(c.sales_exact_duplicates);
  json.key("excluded_no_review").value(c.sales_excluded_no_review);
  json.key("blank_lines").value(c.sales_blank_lines);
  json.key("without_review").value(result.transform.sales_without_review);
  json.key("quantity_defaulted").value(result.sales_quality.quantity_defaulted);
  json.key("quantity_column_present").value(result.sales_quality.quantity_column_present);
  json.key("ids_trimmed").value(result.sales_quality.ids_trimmed);
  json.key("ids_upper_cased").value(result.sales_quality.ids_upper_cased);
  json.end_object();
  json.key("reviews").begin_object();
  json.key("read").value(c.reviews_read).key("valid").value(c.reviews_valid);
  json.key("rejected").value(c.reviews_rejected);
  json.key("latest").value(c.reviews_latest).key("superseded").value(c.reviews_superseded);
  json.key("without_loaded_sale").value(result.transform.reviews_without_sale);
  json.key("sentiment_from_string").value(result.review_quality.sentiment_from_string);
  json.key("ids_trimmed").value(result.review_quality.ids_trimmed);
  json.key("ids_upper_cased").value(result.review_quality.ids_upper_cased);
  json.end_object();
  json.end_object();

  json.key("quality").begin_object();
  json.key("sales").begin_object();
  json.key("rejects_by_reason");
  write_reasons(json, result.sales_quality.by_reason, result.transform.duplicate_sale_ids);
  json.key("missing");
  write_missing(json, result.sales_quality.missing, [](std::size_t i) {
    return clean::sales_field_name(static_cast<clean::SalesField>(i));
  });
  json.key("sale_date");
  write_dates(json, result.sales_quality.sale_date);
  json.end_object();
  json.key("reviews").begin_object();
  json.key("rejects_by_reason");
  write_reasons(json, result.review_quality.by_reason);
  json.key("missing");
  write_missing(json, result.review_quality.missing, [](std::size_t i) {
    return clean::review_field_name(static_cast<clean::ReviewField>(i));
  });
  json.key("review_date");
  write_dates(json, result.review_quality.review_date);
  json.end_object();
  json.end_object();

  json.key("timings_seconds").begin_object();
  for (const auto& timing : result.timings) {
    json.key(timing.stage).value(timing.seconds);
  }
  json.end_object();

  json.key("outputs").begin_array();
  for (const auto& path : result.outputs) {
    json.value(path.filename().string());
  }
  json.end_array();
  json.end_object();
  return json.finish();
}

}  // namespace salespipe::pipeline
