#include "pipeline/profile.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <unordered_set>

#include "clean/dates.hpp"
#include "clean/values.hpp"
#include "core/error.hpp"
#include "core/interner.hpp"
#include "core/json_writer.hpp"
#include "core/text.hpp"
#include "io/csv/reader.hpp"
#include "io/json/reader.hpp"

namespace salespipe::pipeline {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kExamples = 5;

enum class Kind : std::uint8_t { Integer, Price, Number, Date, Count };
constexpr std::array<std::string_view, 4> kKindNames = {"integer", "price", "number", "date"};

/// Per column accumulator: tries each reading on every present value.
class ColumnStats {
 public:
  explicit ColumnStats(std::string name) { profile_.name = std::move(name); }

  void add_missing() { ++profile_.missing; }

  void add(std::uint64_t line, std::string_view value) {
    if (trim(value).empty()) {
      ++profile_.missing;
      return;
    }
    ++profile_.present;
    if (!profile_.distinct_capped) {
      distinct_.intern(value);
      if (distinct_.size() >= kDistinctCap) {
        profile_.distinct_capped = true;
      }
    }
    std::array<bool, 4> fits{};
    fits[0] = clean::parse_quantity(value).status == clean::CellStatus::Ok;
    const auto price = clean::parse_price(value).status;
    fits[1] = price == clean::CellStatus::Ok || price == clean::CellStatus::NonPositive;
    const auto number = clean::parse_sentiment(value, -1e300, 1e300).status;
    fits[2] = number == clean::CellStatus::Ok;
    const clean::ParsedDate date = clean::parse_date(value);
    fits[3] = date.status == clean::CellStatus::Ok;
    if (fits[3]) {
      resolver_.observe(date);
    }
    shapes_.add(date);
    for (std::size_t k = 0; k < fits.size(); ++k) {
      counts_[k] += fits[k] ? 1u : 0u;
      if (!fits[k] && examples_[k].size() < kExamples) {
        examples_[k].push_back(fmt::format("line {}: {}", line, printable_raw_value(value, 60)));
      }
    }
  }

  void add_kind(std::string_view kind) {
    for (auto& [name, count] : profile_.json_kinds) {
      if (name == kind) {
        ++count;
        return;
      }
    }
    profile_.json_kinds.emplace_back(kind, 1);
  }

  ColumnProfile finish() {
    profile_.canonical = canonical_name(profile_.name);
    profile_.distinct = distinct_.size();
    if (profile_.present == 0) {
      profile_.guessed_type = "empty";
      return std::move(profile_);
    }
    // The reading that fits most values, if it fits at least half of them; dates first, then
    // integers, then prices, then numbers (an integer column also reads as prices).
    const std::array<std::size_t, 4> preference = {3, 0, 1, 2};
    std::optional<std::size_t> best;
    for (const std::size_t k : preference) {
      if (counts_[k] * 2 >= profile_.present && (!best || counts_[k] > counts_[*best])) {
        best = k;
      }
    }
    if (best) {
      profile_.guessed_type = std::string(kKindNames[*best]);
      profile_.fitting = counts_[*best];
      profile_.bad_examples = examples_[*best];
    } else {
      profile_.guessed_type = profile_.canonical.ends_with("_id") ? "id" : "text";
      profile_.fitting = profile_.present;
    }
    if (best == 3) {
      for (const auto& [shape, count] : shapes_.shapes()) {
        profile_.date_shapes.emplace_back(std::string(shape), count);
      }
      for (const char separator : {'-', '/', '.'}) {
        const auto evidence = resolver_.evidence(separator);
        if (evidence.day_first + evidence.month_first > 0) {
          profile_.date_evidence.push_back(
              {std::string(1, separator), evidence.day_first, evidence.month_first});
        }
      }
      const auto all = resolver_.evidence();
      profile_.date_evidence.push_back({"all", all.day_first, all.month_first});
    }
    return std::move(profile_);
  }

 private:
  ColumnProfile profile_;
  Interner distinct_;
  std::array<std::uint64_t, 4> counts_{};
  std::array<std::vector<std::string>, 4> examples_;
  clean::DateResolver resolver_;
  clean::DateShapeCounts shapes_;
};

bool looks_like_json(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char c = 0;
  while (in.get(c)) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      continue;
    }
    return c == '[' || c == '{';
  }
  return false;
}

std::string_view json_kind_name(io::json::ValueKind kind) {
  switch (kind) {
    case io::json::ValueKind::Missing:
      return "absent";
    case io::json::ValueKind::Null:
      return "null";
    case io::json::ValueKind::String:
      return "string";
    case io::json::ValueKind::Number:
      return "number";
    case io::json::ValueKind::True:
    case io::json::ValueKind::False:
      return "boolean";
    case io::json::ValueKind::Array:
      return "array";
    case io::json::ValueKind::Object:
      return "object";
  }
  return "unknown";
}

void note_unreadable(FileProfile& profile, std::uint64_t line, std::string_view what) {
  ++profile.unreadable_records;
  if (profile.unreadable_examples.size() < kExamples) {
    profile.unreadable_examples.push_back(fmt::format("line {}: {}", line, what));
  }
}

FileProfile profile_csv(const fs::path& path) {
  auto reader = io::csv::Reader::open(path);
  FileProfile profile;
  profile.file = reader.file_name();
  profile.format = "csv";
  profile.size = reader.file_size();
  std::vector<ColumnStats> columns;
  for (const auto& name : reader.header()) {
    columns.emplace_back(name);
  }
  io::csv::Batch batch;
  while (reader.next_batch(batch)) {
    for (std::size_t row = 0; row < batch.size(); ++row) {
      ++profile.records;
      if (batch.status[row] != io::csv::RecordStatus::Ok) {
        note_unreadable(profile, batch.line[row],
                        fmt::format("{} fields, {}", batch.field_count[row],
                                    printable_raw_value(batch.raw[row], 60)));
        continue;
      }
      for (std::size_t c = 0; c < batch.columns; ++c) {
        columns[c].add(batch.line[row], batch.fields[row * batch.columns + c]);
      }
    }
  }
  profile.blank_lines = reader.blank_lines();
  for (auto& column : columns) {
    profile.columns.push_back(column.finish());
  }
  return profile;
}

FileProfile profile_feedback(const fs::path& path) {
  // The keys of the feedback contract; other keys are not read by the JSON reader.
  const std::vector<std::string> keys = {"customer_id", "product_id", "sentiment_score",
                                         "review_date"};
  io::json::ReaderOptions options;
  options.fields = keys;
  auto reader = io::json::Reader::open(path, options);
  FileProfile profile;
  profile.file = reader.file_name();
  profile.format = reader.format() == io::json::Format::Array ? "json array" : "ndjson";
  profile.size = reader.file_size();
  std::vector<ColumnStats> columns;
  for (const auto& key : keys) {
    columns.emplace_back(key);
  }
  io::json::Batch batch;
  while (reader.next_batch(batch)) {
    for (std::size_t row = 0; row < batch.size(); ++row) {
      ++profile.records;
      if (batch.status[row] != io::json::RecordStatus::Ok) {
        note_unreadable(profile, batch.line[row], batch.detail[row]);
        continue;
      }
      for (std::size_t c = 0; c < batch.fields; ++c) {
        const auto& value = batch.values[row * batch.fields + c];
        columns[c].add_kind(json_kind_name(value.kind));
        if (value.kind == io::json::ValueKind::Missing || value.kind == io::json::ValueKind::Null) {
          columns[c].add_missing();
        } else {
          columns[c].add(batch.line[row], value.text);
        }
      }
    }
  }
  for (auto& column : columns) {
    profile.columns.push_back(column.finish());
  }
  return profile;
}

}  // namespace

FileProfile profile_file(const fs::path& path) {
  std::error_code error;
  if (fs::is_regular_file(path, error) && looks_like_json(path)) {
    return profile_feedback(path);
  }
  return profile_csv(path);
}

std::string profile_text(const FileProfile& profile) {
  std::string out = fmt::format("{} ({}, {} bytes): {} records", profile.file, profile.format,
                                profile.size, profile.records);
  if (profile.blank_lines > 0) {
    out += fmt::format(", {} blank lines", profile.blank_lines);
  }
  out += fmt::format(", {} unreadable\n", profile.unreadable_records);
  for (const auto& example : profile.unreadable_examples) {
    out += fmt::format("    unreadable  {}\n", example);
  }
  for (const auto& column : profile.columns) {
    out += fmt::format("\n  {}  ({})\n", column.name, column.guessed_type);
    out += fmt::format("    present {}, missing {}, distinct {}{}\n", column.present,
                       column.missing, column.distinct_capped ? "at least " : "", column.distinct);
    if (column.fitting < column.present) {
      out += fmt::format("    {} values do not read as {}:\n", column.present - column.fitting,
                         column.guessed_type);
      for (const auto& example : column.bad_examples) {
        out += fmt::format("      {}\n", example);
      }
    }
    if (!column.json_kinds.empty()) {
      std::string kinds;
      for (const auto& [kind, count] : column.json_kinds) {
        kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", kind, count);
      }
      out += fmt::format("    JSON kinds: {}\n", kinds);
    }
    if (!column.date_shapes.empty()) {
      std::string shapes;
      for (const auto& [shape, count] : column.date_shapes) {
        shapes += fmt::format("{}{} {}", shapes.empty() ? "" : ", ", shape, count);
      }
      out += fmt::format("    date shapes: {}\n", shapes);
      for (const auto& evidence : column.date_evidence) {
        out += fmt::format("    order evidence ({}): day-first {}, month-first {}\n",
                           evidence.separator, evidence.day_first, evidence.month_first);
      }
    }
  }
  return out;
}

std::string profile_json(const FileProfile& profile) {
  JsonWriter json;
  json.begin_object();
  json.key("file").value(profile.file).key("format").value(profile.format);
  json.key("size").value(profile.size).key("records").value(profile.records);
  json.key("blank_lines").value(profile.blank_lines);
  json.key("unreadable_records").value(profile.unreadable_records);
  json.key("unreadable_examples").begin_array();
  for (const auto& example : profile.unreadable_examples) {
    json.value(example);
  }
  json.end_array();
  json.key("columns").begin_array();
  for (const auto& column : profile.columns) {
    json.begin_object();
    json.key("name").value(column.name).key("canonical").value(column.canonical);
    json.key("guessed_type").value(column.guessed_type);
    json.key("present").value(column.present).key("missing").value(column.missing);
    json.key("distinct")
        .value(column.distinct)
        .key("distinct_capped")
        .value(column.distinct_capped);
    json.key("fitting").value(column.fitting);
    json.key("bad_examples").begin_array();
    for (const auto& example : column.bad_examples) {
      json.value(example);
    }
    json.end_array();
    json.key("json_kinds").begin_object();
    for (const auto& [kind, count] : column.json_kinds) {
      json.key(kind).value(count);
    }
    json.end_object();
    json.key("date_shapes").begin_object();
    for (const auto& [shape, count] : column.date_shapes) {
      json.key(shape).value(count);
    }
    json.end_object();
    json.key("date_order_evidence").begin_object();
    for (const auto& evidence : column.date_evidence) {
      json.key(evidence.separator).begin_object().key("day_first").value(evidence.day_first);
      json.key("month_first").value(evidence.month_first).end_object();
    }
    json.end_object();
    json.end_object();
  }
  json.end_array();
  json.end_object();
  return json.finish();
}

}  // namespace salespipe::pipeline
