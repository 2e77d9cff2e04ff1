#include "pipeline/config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/error.hpp"

namespace salespipe::pipeline {
namespace fs = std::filesystem;
namespace {

Error config_error(const fs::path& file, const toml::source_region& where, std::string message) {
  return Error(ErrorKind::Usage, Location{file.string(), where.begin.line, where.begin.column},
               std::move(message));
}

/// Reads the keys of one table, refusing keys it does not know.
class Section {
 public:
  Section(const fs::path& file, const toml::table& root, std::string name)
      : file_(file), name_(std::move(name)) {
    if (const toml::node* node = root.at_path(name_).node()) {
      table_ = node->as_table();
      if (table_ == nullptr) {
        throw config_error(file_, node->source(), fmt::format("[{}] must be a table", name_));
      }
    }
  }

  bool present() const { return table_ != nullptr; }

  void string(std::string_view key, std::string& out) {
    if (const toml::node* node = find(key)) {
      const auto value = node->value<std::string>();
      if (!value) {
        throw wrong_type(*node, key, "a string");
      }
      out = *value;
    }
  }
  void path(std::string_view key, fs::path& out, const fs::path& base) {
    const toml::node* node = find(key);
    if (node == nullptr) {
      return;
    }
    const auto text = node->value<std::string>();
    if (!text) {
      throw wrong_type(*node, key, "a string");
    }
    const fs::path value = *text;
    out = value.is_absolute() || base.empty() ? value : base / value;
  }
  template <typename Integer>
  void integer(std::string_view key, Integer& out, std::int64_t min, std::int64_t max) {
    if (const toml::node* node = find(key)) {
      const auto value = node->value<std::int64_t>();
      if (!value || node->is_floating_point()) {
        throw wrong_type(*node, key, "a whole number");
      }
      if (*value < min || *value > max) {
        throw config_error(
            file_, node->source(),
            fmt::format("{}.{} must be between {} and {}, not {}", name_, key, min, max, *value));
      }
      out = static_cast<Integer>(*value);
    }
  }
  void number(std::string_view key, double& out) {
    if (const toml::node* node = find(key)) {
      const auto value = node->value<double>();
      if (!value) {
        throw wrong_type(*node, key, "a number");
      }
      out = *value;
    }
  }
  void boolean(std::string_view key, bool& out) {
    if (const toml::node* node = find(key)) {
      if (!node->is_boolean()) {
        throw wrong_type(*node, key, "true or false");
      }
      out = *node->value<bool>();
    }
  }
  void strings(std::string_view key, std::vector<std::string>& out) {
    if (const toml::node* node = find(key)) {
      const toml::array* array = node->as_array();
      if (array == nullptr) {
        throw wrong_type(*node, key, "an array of strings");
      }
      std::vector<std::string> values;
      for (const auto& element : *array) {
        const auto value = element.value<std::string>();
        if (!value) {
          throw wrong_type(element, key, "an array of strings");
        }
        values.push_back(*value);
      }
      out = std::move(values);
    }
  }
  /// One of the given words.
  void choice(std::string_view key, std::string& out,
              std::initializer_list<std::string_view> allowed) {
    const toml::node* node = find(key);
    if (node == nullptr) {
      return;
    }
    const auto text = node->value<std::string>();
    if (!text) {
      throw wrong_type(*node, key, "a string");
    }
    const std::string value = *text;
    for (const auto word : allowed) {
      if (word == value) {
        out = value;
        return;
      }
    }
    throw config_error(file_, node->source(),
                       fmt::format("{}.{} must be one of {}, not \"{}\"", name_, key,
                                   fmt::join(allowed, ", "), value));
  }

  /// After reading: any key that was not asked for is a mistake worth stopping for.
  void refuse_unknown() const {
    if (table_ == nullptr) {
      return;
    }
    for (const auto& [key, node] : *table_) {
      const std::string name(key.str());
      if (std::find(known_.begin(), known_.end(), name) == known_.end() && !node.is_table()) {
        throw config_error(
            file_, key.source(),
            fmt::format("unknown key {}.{} (known: {})", name_, name, fmt::join(known_, ", ")));
      }
    }
  }

 private:
  const toml::node* find(std::string_view key) {
    known_.emplace_back(key);
    return table_ == nullptr ? nullptr : table_->get(key);
  }
  Error wrong_type(const toml::node& node, std::string_view key, std::string_view what) const {
    return config_error(file_, node.source(), fmt::format("{}.{} must be {}", name_, key, what));
  }

  const fs::path& file_;
  std::string name_;
  const toml::table* table_ = nullptr;
  std::vector<std::string> known_;
};

constexpr std::string_view kSections[] = {
    "inputs",  "columns", "columns.sales", "columns.feedback", "cleaning",   "analysis",
    "segment", "export",  "export.sqlite", "export.postgres",  "export.http"};

}  // namespace

void load_config(const fs::path& path, RunConfig& config) {
  toml::table root;
  try {
    root = toml::parse_file(path.string());
  } catch (const toml::parse_error& error) {
    throw config_error(path, error.source(), std::string(error.description()));
  } catch (const std::exception& error) {
    throw Error(ErrorKind::Usage, Location{path.string(), 0, 0},
                fmt::format("cannot read the config file: {}", error.what()));
  }
  for (const auto& [key, node] : root) {
    const std::string name(key.str());
    if (std::find(std::begin(kSections), std::end(kSections), name) == std::end(kSections)) {
      throw config_error(
          path, key.source(),
          fmt::format("unknown section [{}] (known: {})", name, fmt::join(kSections, ", ")));
    }
  }
  const fs::path base = path.parent_path();

  Section inputs(path, root, "inputs");
  inputs.path("sales", config.etl.sales, base);
  inputs.path("feedback", config.etl.feedback, base);
  inputs.path("out", config.etl.out, base);
  inputs.refuse_unknown();

  Section sales_columns(path, root, "columns.sales");
  for (std::size_t f = 0; f < clean::kSalesFieldCount; ++f) {
    sales_columns.string(clean::sales_field_name(static_cast<clean::SalesField>(f)),
                         config.etl.sales_names.names[f]);
  }
  sales_columns.refuse_unknown();
  Section feedback_columns(path, root, "columns.feedback");
  for (std::size_t f = 0; f < clean::kReviewFieldCount; ++f) {
    feedback_columns.string(clean::review_field_name(static_cast<clean::ReviewField>(f)),
                            config.etl.review_names.names[f]);
  }
  feedback_columns.refuse_unknown();
  Section columns(path, root, "columns");
  columns.refuse_unknown();

  Section cleaning(path, root, "cleaning");
  std::string date_order = "auto";
  cleaning.choice("date_order", date_order, {"auto", "dmy", "mdy"});
  config.etl.clean.date_order = *clean::parse_date_order(date_order);
  cleaning.integer("default_quantity", config.etl.clean.default_quantity, 1, 1'000'000'000);
  cleaning.number("sentiment_min", config.etl.clean.sentiment_min);
  cleaning.number("sentiment_max", config.etl.clean.sentiment_max);
  cleaning.boolean("require_feedback", config.etl.require_feedback);
  std::string max_rejects;
  cleaning.string("max_rejects", max_rejects);
  if (!max_rejects.empty()) {
    config.etl.max_rejects = RejectLimit::parse(max_rejects);
  }
  cleaning.boolean("fail_on_rejects", config.etl.fail_on_rejects);
  cleaning.refuse_unknown();

  Section analysis(path, root, "analysis");
  analysis.string("period", config.analysis.period);
  analysis.integer("top", config.analysis.top, 1, 1000);
  analysis.refuse_unknown();

  Section segment(path, root, "segment");
  auto& s = config.segment.segment;
  segment.integer("k", s.k, 2, 100);
  segment.integer("seed", s.seed, 0, 4294967295);
  segment.integer("n_init", s.n_init, 1, 1000);
  segment.integer("max_iter", s.max_iter, 1, 100000);
  std::string features = s.use_recency ? "spend+recency" : "spend";
  segment.choice("features", features, {"spend", "spend+recency"});
  s.use_recency = features == "spend+recency";
  segment.strings("tier_names", s.tier_names);
  segment.refuse_unknown();

  auto& e = config.exports;
  Section exports(path, root, "export");
  exports.strings("destinations", e.destinations);
  exports.boolean("dry_run", e.dry_run);
  exports.refuse_unknown();
  for (const auto& destination : e.destinations) {
    if (destination != "xlsx" && destination != "sqlite" && destination != "postgres" &&
        destination != "http") {
      throw Error(ErrorKind::Usage, Location{path.string(), 0, 0},
                  fmt::format("export.destinations: unknown destination \"{}\" (xlsx, sqlite, "
                              "postgres, http)",
                              destination));
    }
  }
  Section sqlite(path, root, "export.sqlite");
  sqlite.path("path", e.sqlite_path, base);
  sqlite.refuse_unknown();
  Section postgres(path, root, "export.postgres");
  postgres.string("dsn", e.postgres_dsn);
  postgres.string("table", e.table);
  postgres.refuse_unknown();
  Section http(path, root, "export.http");
  http.string("url", e.http_url);
  http.integer("batch", e.http_batch, 1, 100000);
  http.choice("sync_fields", e.http_sync_fields, {"segment", "all"});
  http.refuse_unknown();
}

std::vector<std::string> config_keys() {
  return {"inputs.sales",
          "inputs.feedback",
          "inputs.out",
          "columns.sales.<field>",
          "columns.feedback.<field>",
          "cleaning.date_order",
          "cleaning.default_quantity",
          "cleaning.sentiment_min",
          "cleaning.sentiment_max",
          "cleaning.require_feedback",
          "cleaning.max_rejects",
          "cleaning.fail_on_rejects",
          "analysis.period",
          "analysis.top",
          "segment.k",
          "segment.seed",
          "segment.n_init",
          "segment.max_iter",
          "segment.features",
          "segment.tier_names",
          "export.destinations",
          "export.dry_run",
          "export.sqlite.path",
          "export.postgres.dsn",
          "export.postgres.table",
          "export.http.url",
          "export.http.batch",
          "export.http.sync_fields"};
}

}  // namespace salespipe::pipeline
