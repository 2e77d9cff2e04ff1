#include "pipeline/manifest.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <utility>

#include "core/error.hpp"
#include "core/json_writer.hpp"

namespace salespipe::pipeline {
namespace {

namespace ondemand = simdjson::ondemand;

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

std::string inputs_section(const EtlOptions& options, const EtlResult& result) {
  JsonWriter json;
  json.begin_object();
  json.key("sales");
  write_input(json, options.sales, result.sales_fingerprint);
  json.key("feedback");
  write_input(json, options.feedback, result.feedback_fingerprint);
  json.end_object();
  return json.finish();
}

std::string parameters_section(const EtlOptions& options, const EtlResult& result) {
  JsonWriter json;
  json.begin_object();
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
  return json.finish();
}

std::string counts_section(const EtlResult& result) {
  const EtlCounts& c = result.counts;
  JsonWriter json;
  json.begin_object();
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
  return json.finish();
}

std::string quality_section(const EtlResult& result) {
  JsonWriter json;
  json.begin_object();
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
  return json.finish();
}

std::string timings_section(const EtlResult& result) {
  JsonWriter json;
  json.begin_object();
  for (const auto& timing : result.timings) {
    json.key(timing.stage).value(timing.seconds);
  }
  json.end_object();
  return json.finish();
}

std::string outputs_section(const EtlResult& result) {
  JsonWriter json;
  json.begin_array();
  for (const auto& path : result.outputs) {
    json.value(path.filename().string());
  }
  json.end_array();
  return json.finish();
}

// Writes a parsed value again through `json`: numbers keep their text as written (money keeps
// its two decimals), strings are escaped by json_quote, the one escaping JsonWriter uses.
simdjson::error_code rewrite(ondemand::value value, JsonWriter& json) {
  ondemand::json_type type{};
  if (const auto error = value.type().get(type)) {
    return error;
  }
  switch (type) {
    case ondemand::json_type::object: {
      ondemand::object object;
      if (const auto error = value.get_object().get(object)) {
        return error;
      }
      json.begin_object();
      for (auto field_result : object) {
        ondemand::field field;
        std::string_view key;
        if (const auto error = std::move(field_result).get(field)) {
          return error;
        }
        if (const auto error = field.unescaped_key().get(key)) {
          return error;
        }
        json.key(key);
        if (const auto error = rewrite(field.value(), json)) {
          return error;
        }
      }
      json.end_object();
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::array: {
      ondemand::array array;
      if (const auto error = value.get_array().get(array)) {
        return error;
      }
      json.begin_array();
      for (auto element_result : array) {
        ondemand::value element;
        if (const auto error = std::move(element_result).get(element)) {
          return error;
        }
        if (const auto error = rewrite(element, json)) {
          return error;
        }
      }
      json.end_array();
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::string: {
      std::string_view text;
      if (const auto error = value.get_string().get(text)) {
        return error;
      }
      json.value(text);
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::number: {
      // Checked as a number first; the token then runs to the next one, spaces included.
      ondemand::number number;
      if (const auto error = value.get_number().get(number)) {
        return error;
      }
      std::string_view token = value.raw_json_token();
      token = token.substr(0, token.find_last_not_of(" \t\r\n") + 1);
      json.raw_number(token);
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::boolean: {
      bool flag = false;
      if (const auto error = value.get_bool().get(flag)) {
        return error;
      }
      json.value(flag);
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::null: {
      bool is_null = false;
      if (const auto error = value.is_null().get(is_null)) {
        return error;
      }
      if (!is_null) {
        return simdjson::INCORRECT_TYPE;
      }
      json.null();
      return simdjson::SUCCESS;
    }
  }
  return simdjson::INCORRECT_TYPE;
}

}  // namespace

RunManifest RunManifest::parse(std::string_view json, std::string_view file) {
  const auto fail = [&](simdjson::error_code error) {
    return Error(ErrorKind::Input, Location{std::string(file)},
                 fmt::format("not valid JSON: {}", simdjson::error_message(error)));
  };
  const simdjson::padded_string padded(json);
  ondemand::parser parser;
  ondemand::document doc;
  if (const auto error = parser.iterate(padded).get(doc)) {
    throw fail(error);
  }
  // The on-demand parser reads no further than the root value, so content after it is checked
  // here: raw_json() skips the root value and says where it ends.
  std::string_view root;
  if (const auto error = doc.raw_json().get(root)) {
    throw fail(error);
  }
  const std::size_t end = static_cast<std::size_t>(root.data() - padded.data()) + root.size();
  if (json.find_first_not_of(" \t\r\n", end) != std::string_view::npos) {
    throw fail(simdjson::TRAILING_CONTENT);
  }
  doc.rewind();
  ondemand::object object;
  if (doc.get_object().get(object) != simdjson::SUCCESS) {
    throw Error(ErrorKind::Input, Location{std::string(file)}, "not a JSON object");
  }
  RunManifest manifest;
  for (auto field_result : object) {
    ondemand::field field;
    std::string_view key;
    JsonWriter value;
    simdjson::error_code error = std::move(field_result).get(field);
    if (!error) {
      error = field.unescaped_key().get(key);
    }
    if (!error) {
      error = rewrite(field.value(), value);
    }
    if (error) {
      throw fail(error);
    }
    manifest.set(key, value.finish());
  }
  return manifest;
}

void RunManifest::set(std::string_view key, std::string value_json) {
  if (!value_json.empty() && value_json.back() == '\n') {
    value_json.pop_back();
  }
  const auto same_key = [&](const Section& section) { return section.key == key; };
  if (const auto it = std::find_if(sections_.begin(), sections_.end(), same_key);
      it != sections_.end()) {
    it->value_json = std::move(value_json);
  } else {
    sections_.push_back({std::string(key), std::move(value_json)});
  }
}

const std::string* RunManifest::find(std::string_view key) const {
  for (const Section& section : sections_) {
    if (section.key == key) {
      return &section.value_json;
    }
  }
  return nullptr;
}

std::string RunManifest::json() const {
  JsonWriter json;
  json.begin_object();
  for (const Section& section : sections_) {
    json.key(section.key).embed(section.value_json);
  }
  json.end_object();
  return json.finish();
}

RunManifest etl_manifest(const EtlOptions& options, const EtlResult& result) {
  RunManifest manifest;
  manifest.set("salespipe_manifest_version", "1");
  manifest.set("command", json_quote("etl"));
  manifest.set("inputs", inputs_section(options, result));
  manifest.set("parameters", parameters_section(options, result));
  manifest.set("counts", counts_section(result));
  manifest.set("quality", quality_section(result));
  manifest.set("timings_seconds", timings_section(result));
  manifest.set("outputs", outputs_section(result));
  return manifest;
}

std::string manifest_json(const EtlOptions& options, const EtlResult& result) {
  return etl_manifest(options, result).json();
}

}  // namespace salespipe::pipeline
